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

import math
from collections.abc import Iterator, Mapping
from typing import Any

SOURCE = "textaug_source"
IS_ORIGINAL = "textaug_is_original"
TFS = "textaug_tfs"
ATTEMPTS = "textaug_attempts"
VERDICTS = "textaug_verdicts"
PROVENANCE_COLUMNS = (SOURCE, IS_ORIGINAL, TFS, ATTEMPTS, VERDICTS)
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

    __slots__ = ("_row", "_changes", "text_field", "label_field")

    def __init__(
        self,
        row: Mapping[str, Any],
        text: str = "text",
        label: str | None = None,
        changes: dict[str, Any] | None = None,
    ) -> None:
        self._row = row
        self._changes = changes or {}
        self.text_field = text
        self.label_field = label

    def __getitem__(self, name: str) -> Any:
        changes = self._changes
        return changes[name] if name in changes else self._row[name]

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
        return (Record, (dict(self._row), self.text_field, self.label_field, self._changes))

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
        return as_labels(self.label)

    @property
    def changes(self) -> dict[str, Any]:
        """The fields that differ from the source row."""
        return self._changes

    def replace(self, **changes: Any) -> Record:
        """A new record with some fields changed; ``text``/``label`` name the configured columns."""
        merged = {**self._changes}
        for name, value in changes.items():
            merged[self.text_field if name == "text" else self._field(name)] = value
        return Record(self._row, self.text_field, self.label_field, merged)

    def _field(self, name: str) -> str:
        if name == "text":
            return self.text_field
        if name == "label" and self.label_field is not None:
            return self.label_field
        return name
