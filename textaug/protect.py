"""Protected spans: text that a TF must never change, move or delete.

Protected are the given terms (whole words, case-insensitive, multi-word allowed),
the given regular expressions, character spans given per row in a column
(:class:`SpanColumn`), and always URLs and e-mail addresses.

Examples
--------
>>> import re
>>> p = Protector(["New York", re.compile(r"v\\d+")])
>>> text = "New York model v2, see https://x.org/nlp or a@b.com"
>>> [text[s:e] for s, e in p.spans(text)]
['New York', 'v2', 'https://x.org/nlp', 'a@b.com']
>>> p.covers(p.spans(text), 31, 34)   # "nlp" inside the URL
True
>>> from textaug.records import Record
>>> x = Record({"text": "Paris and Rome", "keep": [(10, 14)]})
>>> Protector([SpanColumn("keep")]).spans_for(x.replace(text="Rome, not Paris"))
((0, 4),)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from textaug.errors import InvalidParameterError
from textaug.records import Record
from textaug.wordmatch import compile_phrases

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _always(text: str) -> list[tuple[int, int]]:
    """URL and e-mail spans; the substring tests skip the regexes on most texts."""
    spans = []
    if "://" in text or (("w." in text or "W." in text) and "www." in text.lower()):
        spans += [m.span() for m in _URL.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in _EMAIL.finditer(text)]
    return spans


class SpanColumn:
    """Protect per-row character spans: a column of ``[(start, end), ...]`` in the source text.

    After an earlier TF has changed the text, the spans' text is found again by content.
    """

    def __init__(self, column: str) -> None:
        if not isinstance(column, str):
            raise InvalidParameterError(f"SpanColumn takes a column name. Got {column!r}.")
        self.column = column

    def __repr__(self) -> str:
        return f"SpanColumn({self.column!r})"

    def literals(self, x: Record) -> list[str]:
        """The protected strings of the row, cut from its source text."""
        source = x._row[x.text_field]
        value = x.get(self.column)
        if value is None or (isinstance(value, float) and value != value):
            return []
        try:
            spans = [(int(s), int(e)) for s, e in value]
        except (TypeError, ValueError) as err:
            raise InvalidParameterError(
                f"Column {self.column!r} must hold (start, end) pairs. Got {value!r}.") from err
        if any(not 0 <= s <= e <= len(source) for s, e in spans):
            raise InvalidParameterError(
                f"Column {self.column!r} has spans outside the text ({len(source)} characters): "
                f"{spans}."
            )
        return [source[s:e] for s, e in spans if e > s]


class Protector:
    """Finds the protected spans of a text (``spans``) or of a row (``spans_for``)."""

    def __init__(self, protect: Iterable[Any] | str | re.Pattern[str] | None = ()) -> None:
        if protect is None:
            protect = ()
        if isinstance(protect, str | re.Pattern):
            protect = [protect]
        terms: list[str] = []
        patterns: list[re.Pattern[str]] = []
        self.columns: list[SpanColumn] = []
        for item in protect:
            if isinstance(item, SpanColumn):
                self.columns.append(item)
            elif isinstance(item, re.Pattern):
                patterns.append(item)
            elif isinstance(item, str) and item.strip():
                terms.append(item)
            else:
                raise InvalidParameterError(
                    "protect= takes terms (str), compiled regexes (re.compile(...)) and "
                    f"SpanColumn('column'). Got {item!r}."
                )
        if terms:
            patterns.append(compile_phrases(terms))
        self.terms = terms
        self.patterns = patterns
        self.spans = lru_cache(maxsize=64)(self.find)  # a row's draws share its spans

    def __getstate__(self) -> dict[str, Any]:
        return {"terms": self.terms, "patterns": self.patterns, "columns": self.columns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.spans = lru_cache(maxsize=64)(self.find)

    def __repr__(self) -> str:
        return f"Protector(terms={self.terms!r}, patterns={len(self.patterns)})"

    def find(self, text: str) -> tuple[tuple[int, int], ...]:
        """The protected (start, end) spans of ``text``, sorted (``spans`` caches them)."""
        spans = _always(text)
        for pattern in self.patterns:
            spans += [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        return tuple(sorted(spans)) if spans else ()

    def spans_for(self, x: Record) -> tuple[tuple[int, int], ...]:
        """The protected spans of a row's current text, its per-row spans included."""
        text = x.text
        spans = self.spans(text)
        if not self.columns:
            return spans
        found = list(spans)
        for column in self.columns:
            for literal in column.literals(x):
                start = text.find(literal)
                while start != -1:
                    found.append((start, start + len(literal)))
                    start = text.find(literal, start + 1)
        return tuple(sorted(found))

    @staticmethod
    def covers(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
        """Whether [start, end) overlaps any protected span."""
        return any(s < end and start < e for s, e in spans)
