"""Read and write labelled tables: CSV, JSON Lines and Parquet, chosen by file suffix.

In CSV a multi-label cell is stored as a JSON list (``["nlp", "cv"]``); reading
turns such cells back into lists, or splits them on ``label_sep`` when given.

Examples
--------
>>> import tempfile, pandas as pd
>>> path = tempfile.mkdtemp() + "/rows.csv"
>>> write_table(pd.DataFrame({"text": ["a b"], "tags": [["x", "y"]]}), path)
>>> read_table(path, label="tags").loc[0, "tags"]
['x', 'y']
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, MissingDependencyError, ResourceNotFoundError

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
           ".pq": "parquet"}


def check_format(path: str | Path) -> str:
    """The format a path's suffix names; raises for an unknown suffix."""
    return _format(Path(path))


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidParameterError(
            f"Cannot tell the format of {str(path)!r} from its suffix. "
            f"Use one of {sorted(FORMATS)} (CSV, JSON Lines, Parquet)."
        )
    return fmt


def _needs_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError(
            "Parquet files need pyarrow: pip install 'textaug[parquet]'."
        ) from err


def read_table(
    path: str | Path, *, text: str | None = None, label: str | None = None,
    label_sep: str | None = None,
) -> pd.DataFrame:
    """Read a table; the text column is read as text, list-like label cells as lists."""
    path = Path(path)
    fmt = _format(path)
    if not path.is_file():
        raise ResourceNotFoundError(f"Input file not found: {str(path)!r}. Check the path.")
    if path.stat().st_size == 0:
        raise InvalidParameterError(f"Input file {str(path)!r} is empty: it has no rows.")
    try:
        if fmt == "csv":
            df = pd.read_csv(path, dtype={text: object} if text else None)
        elif fmt == "jsonl":
            df = pd.read_json(path, lines=True, dtype=False)
        else:
            _needs_pyarrow()
            df = pd.read_parquet(path)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InvalidParameterError(f"Could not read {str(path)!r} as {fmt}: {err}") from err
    if df.empty:
        raise InvalidParameterError(f"Input file {str(path)!r} has a header but no rows.")
    if label is not None and label in df.columns:
        df[label] = [_parse_labels(v, label_sep) for v in df[label].tolist()]
    return df


def _parse_labels(value: Any, sep: str | None) -> Any:
    if isinstance(value, np.ndarray | tuple):  # Parquet gives arrays
        return value.tolist() if isinstance(value, np.ndarray) else list(value)
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if sep is not None:
        return [part.strip() for part in stripped.split(sep) if part.strip()]
    if stripped.startswith("[") and stripped.endswith("]"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            try:
                return list(ast.literal_eval(stripped))
            except (ValueError, SyntaxError):
                return value
    return value


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` in the format its suffix names, creating parent folders."""
    path = Path(path)
    fmt = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        listy = [c for c in df.columns if df[c].map(_is_listy).any()]
        out = df.assign(**{c: df[c].map(_json_cell) for c in listy}) if listy else df
        out.to_csv(path, index=False)
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        _needs_pyarrow()
        df.to_parquet(path, index=False)


def _is_listy(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def _json_cell(value: Any) -> Any:
    if not _is_listy(value):
        return value
    items = value.tolist() if isinstance(value, np.ndarray) else list(value)
    return json.dumps(items, ensure_ascii=False)
