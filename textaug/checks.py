"""Input checks shared by the applier: each error names the problem and the fix.

Examples
--------
>>> import pandas as pd
>>> check_frame(pd.DataFrame({"body": ["a"]}), text="txt", label=None, key=None)
Traceback (most recent call last):
...
textaug.errors.ColumnNotFoundError: Text column 'txt' not in DataFrame. ...
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.records import PROVENANCE_COLUMNS


def check_frame(df: Any, text: str, label: str | None, key: str | None) -> None:
    """A DataFrame with unique column names, the named columns, and no provenance yet."""
    if not isinstance(df, pd.DataFrame):
        raise InvalidParameterError(f"augment() takes a pandas DataFrame. Got {type(df).__name__}.")
    if isinstance(df.columns, pd.MultiIndex):
        raise InvalidParameterError(
            "The DataFrame has MultiIndex columns; textaug reads columns by one name: flatten "
            "them first, e.g. df.columns = ['_'.join(map(str, c)) for c in df.columns].")
    if key is None and isinstance(df.index, pd.MultiIndex):
        raise InvalidParameterError(
            f"The DataFrame has a MultiIndex (levels {list(df.index.names)}); rows are keyed by "
            "one value: pass key='...' naming a column of unique row ids, or df.reset_index() "
            "first.")
    if not df.columns.is_unique:
        dupes = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise InvalidParameterError(
            f"The DataFrame has duplicate column names {dupes}; rename them.")
    for role, name in (("text", text), ("label", label), ("key", key)):
        if name is not None and name not in df.columns:
            raise ColumnNotFoundError(
                f"{role.capitalize()} column {name!r} not in DataFrame. "
                f"Available columns: {list(df.columns)}. Pass {role}='...' to name it."
            )
    present = [c for c in PROVENANCE_COLUMNS if c in df.columns]
    if present:
        raise InvalidParameterError(
            f"The DataFrame already has provenance columns {present}: it looks augmented. "
            "Augment the original training split, or drop these columns first."
        )


def row_keys(df: pd.DataFrame, key: str | None) -> list[Any]:
    """The key of each row: the key column, or the index."""
    return df[key].tolist() if key else df.index.tolist()


def check_keys(keys: list[Any], key: str | None, seen: set[Any]) -> None:
    """Keys are present and unique, also across the chunks already seen (which ``seen``
    collects)."""
    where = f"Key column {key!r}" if key else "The DataFrame index"
    missing = ([i for i, k in enumerate(keys) if _is_missing(k)]  # screened at once: most have none
               if pd.isna(np.fromiter(keys, dtype=object, count=len(keys))).any() else [])
    if missing:
        raise InvalidParameterError(
            f"{where} has {len(missing)} missing values (None/NaN) at rows {missing[:5]} "
            "(positions); rows are seeded and traced by key: fill them, or "
            + ("name a column of unique row ids." if key else "df.reset_index(drop=True)."))
    fresh = set(keys)
    if len(fresh) == len(keys) and seen.isdisjoint(fresh):
        seen |= fresh
        return
    dupes = [k for k, n in Counter(keys).items() if n > 1] + list(fresh & seen)
    fix = ("pass key='...' naming a column of unique row ids, or df.reset_index(drop=True)"
           if key is None else "make the key column unique or name another one")
    raise InvalidParameterError(
        f"{where} has duplicate values (first: {sorted(set(map(repr, dupes)))[:5]}); rows are "
        f"seeded and traced by key, so keys must be unique: {fix}."
    )


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def check_labels(labels: list[Any], keys: list[Any], column: str) -> None:
    """No label cell is a list written as text (``'["a", "b"]'``), which would be taken
    as one label; the error names the first offending rows."""
    bad = [i for i, v in enumerate(labels) if isinstance(v, str) and v.lstrip().startswith("[")]
    if bad:
        shown = ", ".join(f"{keys[i]!r}: {labels[i]!r}" for i in bad[:5])
        raise InvalidParameterError(
            f"Label column {column!r} has {len(bad)} cells that look like lists written as "
            f"text ({shown}); a text cell is one label. Make them lists, e.g. "
            f"df[{column!r}] = df[{column!r}].map(json.loads) (on the command line: valid JSON "
            "lists, or --label-sep; with dask, whose from_pandas writes lists as text, build "
            "the frame under dask.config.set({'dataframe.convert-string': False})).")


def check_text_column(texts: pd.Series, keys: list[Any], column: str) -> None:
    """:func:`check_texts` of a frame's text column; a string column without missing
    values holds nothing else, so its cells are not read.

    >>> check_text_column(pd.Series(["a", "b"], dtype="string"), [0, 1], "text")
    """
    if not (isinstance(texts.dtype, pd.StringDtype) and not texts.array.isna().any()):
        check_texts(texts.tolist(), keys, column)


def check_texts(texts: list[Any], keys: list[Any], column: str) -> None:
    """Every text is a string; the error names the first offending rows."""
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        shown = ", ".join(f"{keys[i]!r}: {texts[i]!r}" for i in bad[:5])
        raise InvalidParameterError(
            f"Text column {column!r} has {len(bad)} non-string values ({shown}). "
            f"Drop or fill them first, e.g. df.dropna(subset=[{column!r}])."
        )
