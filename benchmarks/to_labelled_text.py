"""Convert Made With ML's 4-class data into labelled text files for ``benchmarks/effect.py``.

Usage:
    python benchmarks/to_labelled_text.py [SRC] OUT_DIR

SRC holds ``dataset.csv`` (the training split) and ``holdout.csv`` (the test split),
columns title, description and tag (default: /work/shared/data/madewithml/v2023_4class).
Writes ``OUT_DIR/madewithml_4class/train.txt`` and ``test.txt``: one ``label<TAB>text``
line per row, the text being title + " " + description with tabs, carriage returns and
newlines replaced by spaces, rows in the CSV's order (so the output is the same on every
run). Each file is written to a temporary file beside it and renamed into place.

Where SRC does not exist (outside this workspace ``../shared`` does not), it says so and
writes ``OUT_DIR/bundled_projects/`` from the bundled textaug/data/projects.csv instead:
the projects tagged computer-vision or natural-language-processing (not both), labelled
so, every fourth one in the test split.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import pandas as pd

from textaug.io import _temporary_beside

DEFAULT = Path("/work/shared/data/madewithml/v2023_4class")
NAME = "madewithml_4class"
BUNDLED = Path(__file__).resolve().parent.parent / "textaug" / "data" / "projects.csv"
BUNDLED_NAME = "bundled_projects"
BUNDLED_LABELS = ("computer-vision", "natural-language-processing")
SPLITS = (("dataset.csv", "train.txt"), ("holdout.csv", "test.txt"))
_BREAKS = re.compile(r"[\t\r\n]")


def lines_of(csv: Path) -> list[str]:
    """The ``label<TAB>text`` lines of one Made With ML CSV (text: title + " " + description)."""
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    missing = [c for c in ("title", "description", "tag") if c not in df.columns]
    if missing:
        raise SystemExit(f"{csv} has no column(s) {missing} (columns: {list(df.columns)}); "
                         "give the folder of Made With ML's dataset.csv and holdout.csv.")
    out = []
    for title, description, tag in zip(df["title"], df["description"], df["tag"], strict=True):
        text = _BREAKS.sub(" ", f"{title} {description}").strip()
        label = _BREAKS.sub(" ", tag).strip()
        if text and label:
            out.append(f"{label}\t{text}\n")
    return out


def write_atomic(path: Path, lines: list[str]) -> None:
    """Write ``lines`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp, handle = _temporary_beside(path)
    try:
        with handle:
            handle.write("".join(lines).encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def convert(src: Path, out_dir: Path) -> Path:
    """Write the train and test files of ``src`` under ``out_dir``; return their folder."""
    for csv, _ in SPLITS:
        if not (src / csv).is_file():
            raise SystemExit(f"{src / csv} not found: SRC must hold dataset.csv and holdout.csv.")
    folder = out_dir / NAME
    for csv, txt in SPLITS:
        write_atomic(folder / txt, lines_of(src / csv))
    return folder


def bundled(out_dir: Path) -> Path:
    """Write the labelled projects of the bundled projects.csv; return their folder."""
    df = pd.read_csv(BUNDLED)
    lines = []
    for text, tags in zip(df["text"].astype(str), df["tags"], strict=True):
        found = [label for label in BUNDLED_LABELS if f'"{label}"' in str(tags)]
        if len(found) == 1:
            lines.append(f"{found[0]}\t{_BREAKS.sub(' ', text).strip()}\n")
    folder = out_dir / BUNDLED_NAME
    write_atomic(folder / "train.txt", [line for i, line in enumerate(lines) if i % 4 != 3])
    write_atomic(folder / "test.txt", lines[3::4])
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="[SRC] OUT_DIR")
    args = parser.parse_args(argv)
    if len(args.paths) > 2:
        parser.error("give at most SRC and OUT_DIR")
    src, out_dir = (DEFAULT, args.paths[0]) if len(args.paths) == 1 else args.paths
    if src.exists():
        folder = convert(src, out_dir)
    else:
        print(f"{src} not found: using the bundled {BUNDLED} instead", file=sys.stderr)
        folder = bundled(out_dir)
    for _, txt in SPLITS:
        count = sum(1 for _ in (folder / txt).open(encoding="utf-8"))
        print(f"{folder / txt}: {count} lines")


if __name__ == "__main__":
    main(sys.argv[1:])
