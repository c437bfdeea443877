"""The benchmarks' data: Made With ML's projects.json, or a CSV / JSON Lines file with a
``text`` column. Kept apart from the benchmarks so loading texts imports nothing heavy."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def load_texts(path: Path) -> list[str]:
    """Title and description of each project, or the ``text`` column of a table."""
    if path.suffix == ".json":
        projects = json.loads(path.read_text())
        return [f"{p['title']} {p['description']}" for p in projects]
    frame = pd.read_json(path, lines=True) if path.suffix == ".jsonl" else pd.read_csv(path)
    return frame["text"].astype(str).tolist()
