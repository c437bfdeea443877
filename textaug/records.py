"""The read-only row record that TFs see, and the provenance column names.

A :class:`Record` wraps one row. ``x.text`` and ``x.label`` read the columns the
applier was told hold the text and the label, whatever they are called; any column
reads as ``x["name"]`` or ``x.name``. A TF returns ``x.replace(text=...)``: a new
record that shares the row and stores only the change.

Examples
--------
>>> x = Record({"id": 7, "title": "GANs for art", "tags": ["gan"]}, text="title", label="tags")
>>> x.text, x.labels, x.id
('GANs for art', ('gan',), 7)
>>> y = x.replace(text="generative adversarial networks for art")
>>> y.text, x.text
('generative adversarial networks for art', 'GANs for art')
"""

from __future__ import annotations

import copy
import datetime
import decimal
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

import numpy as np

SOURCE = "textaug_source"
IS_ORIGINAL = "textaug_is_original"
TFS = "textaug_tfs"
ATTEMPTS = "textaug_attempts"
VERDICTS = "textaug_verdicts"
SOURCE_LABEL = "textaug_source_label"  # with relabel: the label the source row had
LABEL_CONFIDENCE = "textaug_label_confidence"  # with relabel: the labeler's confidence
PROVENANCE_COLUMNS = (SOURCE, IS_ORIGINAL, TFS, ATTEMPTS, VERDICTS, SOURCE_LABEL,
                      LABEL_CONFIDENCE)
SPLIT_MARK = "textaug_split"  # in DataFrame.attrs: the split textaug.split made ("train", ...)


def as_labels(value: Any) -> tuple[Any, ...]:
    """The labels of a cell: a list-like cell is multi-label, a missing one has none.

    >>> as_labels("cv"), as_labels(["cv", "nlp"]), as_labels(None), as_labels(float("nan"))
    (('cv',), ('cv', 'nlp'), (), ())
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str | bytes | int):
        return (value,)
    if hasattr(value, "__iter__"):
        return tuple(value)
    return (value,)


# Values no TF can change in place; any other value is copied when a TF reads it.
_IMMUTABLE = frozenset({str, int, float, bool, bytes, complex, type(None), decimal.Decimal,
                        datetime.date, datetime.datetime, datetime.time, datetime.timedelta,
                        np.str_, np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                        np.uint16, np.uint32, np.uint64, np.float16, np.float32, np.float64})


def private(value: Any) -> Any:
    """``value`` itself if nothing can change it in place, else a deep copy.

    So a TF that edits a list or dict it read (``x.tags.append(...)``) changes its own
    copy, never the caller's frame.

    >>> tags = ["cv"]
    >>> private(tags) == tags, private(tags) is tags, private("cv") is private("cv")
    (True, False, True)
    """
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is list and all(type(item) in _IMMUTABLE for item in value):
        return value.copy()  # the common multi-label cell, ~20x cheaper than deepcopy
    return copy.deepcopy(value)


def private_each(values: list[Any]) -> list[Any]:
    """:func:`private` of each value, a list met again (the rows of one source share their
    cells) judged once.

    >>> cell = ["a"]
    >>> out = private_each([cell, cell, 3])
    >>> out == [["a"], ["a"], 3], out[0] is not out[1], out[0] is not cell
    (True, True, True)
    """
    plain: dict[int, bool] = {}  # id -> items all immutable (``values`` keeps ids unique)
    out = []
    for value in values:
        if type(value) is list:
            judged = plain.get(id(value))
            if judged is None:
                judged = plain[id(value)] = all(type(item) in _IMMUTABLE for item in value)
            out.append(value.copy() if judged else copy.deepcopy(value))
        else:
            out.append(private(value))
    return out


def same_value(a: Any, b: Any) -> bool:
    """Whether two cell values are equal; values without one truth value (arrays) differ.

    >>> same_value(["a"], ["a"]), same_value(1, 2)
    (True, False)
    """
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other values without a single truth value
        return False


def frame_records(df: Any, text: str, label: str | None, keys: Sequence[Any]) -> list[Record]:
    """A read-only record of each row of the DataFrame ``df``, keyed by ``keys`` (its
    values as Python objects, each column read once).

    >>> import pandas as pd
    >>> [r.text for r in frame_records(pd.DataFrame({"text": ["a", "b"]}), "text", None, [0, 1])]
    ['a', 'b']
    """
    return column_records({c: df[c].tolist() for c in df.columns}, text, label, keys)


def column_records(columns: Mapping[Any, list[Any]], text: str, label: str | None,
                   keys: Sequence[Any]) -> list[Record]:
    """A read-only record of each row of a table given as its columns' values, in order.

    >>> [r.id for r in column_records({"id": [7, 8], "text": ["a", "b"]}, "text", None, [0, 1])]
    [7, 8]
    """
    names, values = list(columns), list(columns.values())
    rows_in = len(values[0]) if values else 0
    if len(keys) != rows_in:
        raise ValueError(f"Got {len(keys)} keys for {rows_in} rows.")
    if len(names) == 1:  # a frame of texts alone: the common case, at a third of the cost
        name = names[0]
        rows: Iterable[dict[Any, Any]] = [{name: value} for value in values[0]]
    else:
        rows = map(dict, map(zip, repeat(names), zip(*values, strict=True)))
    return list(map(Record, rows, repeat(text), repeat(label), repeat(None), keys))


def _read_only(name: str) -> None:
    raise AttributeError(
        f"Records are read-only, so a TF cannot set x.{name}. Return x.replace({name}=...)."
    )


class Record(Mapping[str, Any]):
    """One row, read-only; ``replace`` makes a changed copy.

    >>> x = Record({"text": "hi"})
    >>> x.text = "bye"
    Traceback (most recent call last):
    ...
    AttributeError: Records are read-only, so a TF cannot set x.text. Return x.replace(text=...).
    """

    __slots__ = ("_row", "_changes", "text_field", "label_field", "key")

    def __init__(
        self,
        row: Mapping[str, Any],
        text: str = "text",
        label: str | None = None,
        changes: dict[str, Any] | None = None,
        key: Any = None,
    ) -> None:
        self._row = row
        self._changes = changes or {}
        self.text_field = text
        self.label_field = label
        self.key = key  # the source row's key, set by the applier

    def __getitem__(self, name: str) -> Any:
        return private(self.raw(name))

    def raw(self, name: str) -> Any:
        """The stored value itself, not a private copy: for textaug's own read-only use."""
        changes = self._changes
        return changes[name] if name in changes else self._row[name]

    def __contains__(self, name: object) -> bool:
        return name in self._changes or name in self._row

    def __iter__(self) -> Iterator[str]:
        yield from self._row
        yield from (name for name in self._changes if name not in self._row)

    def __len__(self) -> int:
        return len(self._row) + sum(name not in self._row for name in self._changes)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"Record has no field {name!r}. Fields: {list(self)}."
            ) from None

    def __repr__(self) -> str:
        return f"Record({dict(self)!r}, text={self.text_field!r}, label={self.label_field!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Record, (dict(self._row), self.text_field, self.label_field, self._changes,
                         self.key))

    @property
    def text(self) -> Any:
        """The text column's value."""
        name, changes = self.text_field, self._changes  # self[name], inlined: TFs read it often
        return changes[name] if name in changes else self._row[name]

    @text.setter
    def text(self, value: Any) -> None:
        _read_only("text")

    @property
    def label(self) -> Any:
        """The label column's value, or None when no label column was named."""
        return None if self.label_field is None else self[self.label_field]

    @label.setter
    def label(self, value: Any) -> None:
        _read_only("label")

    @property
    def labels(self) -> tuple[Any, ...]:
        """The labels as a tuple, for single- and multi-label rows alike."""
        return () if self.label_field is None else as_labels(self.raw(self.label_field))

    @property
    def changes(self) -> dict[str, Any]:
        """The fields that differ from the source row."""
        return self._changes

    def with_text(self, text: str) -> Record:
        """``replace(text=text)``, the change most TFs make, at half its cost.

        >>> Record({"text": "hi", "id": 1}).with_text("hello")
        Record({'text': 'hello', 'id': 1}, text='text', label=None)
        """
        mine = self._changes
        return Record(self._row, self.text_field, self.label_field,
                      {**mine, self.text_field: text} if mine else {self.text_field: text},
                      self.key)

    def replace(self, **changes: Any) -> Record:
        """A new record with some fields changed; ``text``/``label`` name the configured columns."""
        if len(changes) == 1 and "text" in changes:  # what most TFs return: a new text
            return self.with_text(changes["text"])
        merged = {**self._changes}
        for name, value in changes.items():
            merged[self.text_field if name == "text" else self._field(name)] = value
        return Record(self._row, self.text_field, self.label_field, merged, self.key)

    def _field(self, name: str) -> str:
        if name == "text":
            return self.text_field
        if name == "label" and self.label_field is not None:
            return self.label_field
        return name
