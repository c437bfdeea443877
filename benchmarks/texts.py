"""The benchmarks' data: Made With ML's projects.json, or a CSV / JSON Lines file with a
``text`` column (or ``title`` and ``description``, as Made With ML's tables have), else the
bundled textaug/data/projects.csv. Kept apart from the benchmarks so loading texts imports
nothing heavy.

Every benchmark takes DATA as an optional argument and ``--quick`` (also set by the
environment variable ``TEXTAUG_BENCH_QUICK=1``): a small run that checks the benchmark
works end to end, whose figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd

BUNDLED = Path(__file__).resolve().parent.parent / "textaug" / "data" / "projects.csv"
QUICK_ENV = "TEXTAUG_BENCH_QUICK"


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """DATA (optional, falling back to the bundled data) and ``--quick``."""
    parser.add_argument("data", type=Path, nargs="?", default=None, metavar="DATA",
                        help="Made With ML's projects.json or a CSV / JSON Lines file with a "
                             "'text' column (or 'title' and 'description') (default, or when "
                             f"DATA is missing: {BUNDLED.name} bundled with textaug)")
    parser.add_argument("--quick", action="store_true", default=quick_from_environment(),
                        help="a small run to check that the benchmark works; its figures mean "
                             f"nothing (also set by {QUICK_ENV}=1)")


def quick_from_environment() -> bool:
    return os.environ.get(QUICK_ENV, "") not in ("", "0")


def data_path(path: Path | None) -> Path:
    """``path`` if it is a file, else the bundled data (saying so on stderr)."""
    if path is not None and path.is_file():
        return path
    why = "no DATA given" if path is None else f"{path} not found"
    print(f"{why}: using the bundled {BUNDLED}", file=sys.stderr)
    return BUNDLED


def load_lexicon(path: Path | None) -> Any:
    """The lexicon at ``path`` if it is a file, else the bundled one (saying so on stderr)."""
    from textaug.lexicon import Lexicon

    if path is not None and path.is_file():
        return Lexicon.from_json(path)
    if path is not None:
        print(f"{path} not found: using the bundled lexicon", file=sys.stderr)
    return Lexicon.default()


def settle(args: argparse.Namespace, **quick_caps: int) -> None:
    """Resolve ``args.data`` (see :func:`data_path`); in a quick run, cap each named size."""
    args.data = data_path(args.data)
    if not args.quick:
        return
    for name, cap in quick_caps.items():
        value = getattr(args, name)
        setattr(args, name, cap if value is None else min(value, cap))
    print(f"quick run (--quick or {QUICK_ENV}=1): {quick_caps}; the figures mean nothing",
          file=sys.stderr)


def load_texts(path: Path) -> list[str]:
    """Title and description of each project, or the ``text`` column of a table."""
    if path.suffix == ".json":
        projects = json.loads(path.read_text())
        return [f"{p['title']} {p['description']}" for p in projects]
    return _table_texts(_read_table(path), path)


def load_projects(path: Path) -> tuple[list[str], list[list[str]]]:
    """Texts and real tags: title + description of projects.json, else the texts of a table
    (see :func:`load_texts`) with its ``tags`` (JSON lists) or ``tag`` (one per row)."""
    if path.suffix == ".json":
        projects = json.loads(path.read_text())
        return ([f"{p['title']} {p['description']}" for p in projects],
                [list(p["tags"]) for p in projects])
    frame = _read_table(path)
    if "tags" in frame.columns:
        tags = [json.loads(t) if isinstance(t, str) else list(t) for t in frame["tags"]]
    elif "tag" in frame.columns:  # Made With ML's 4-class tables: one tag per project
        tags = [[str(t)] for t in frame["tag"]]
    else:
        raise SystemExit(f"{path}: no 'tags' column to score against; give a file with "
                         "'text' and 'tags' (or 'tag') columns, or Made With ML's projects.json")
    return _table_texts(frame, path), tags


def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_json(path, lines=True) if path.suffix == ".jsonl" else pd.read_csv(path)


def _table_texts(frame: pd.DataFrame, path: Path) -> list[str]:
    """The ``text`` column, else ``title`` and ``description`` joined as projects.json's are
    (Made With ML's CSV tables)."""
    if "text" in frame.columns:
        return frame["text"].astype(str).tolist()
    if {"title", "description"} <= set(frame.columns):
        titles = frame["title"].fillna("").astype(str)
        descriptions = frame["description"].fillna("").astype(str)
        return [f"{t} {d}" for t, d in zip(titles, descriptions, strict=True)]
    raise SystemExit(f"{path}: no 'text' column (columns: {list(frame.columns)}); give a file "
                     "with a 'text' column, or 'title' and 'description' columns")
