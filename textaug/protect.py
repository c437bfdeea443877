"""Protected spans: text that a TF must never change, move or delete.

Protected are the given terms (whole words, case-insensitive, multi-word allowed),
the given regular expressions, character spans given per row in a column
(:class:`SpanColumn`), and always e-mail addresses and URL-like tokens: a
whitespace-delimited token with a scheme (``https://``, ``s3://``, ``file://``), with
``www.``, or with a "/" between two non-empty parts (``github.com/nlp``,
``huggingface/nlp``) is protected whole.

Examples
--------
>>> import re
>>> p = Protector(["New York", re.compile(r"v\\d+")])
>>> text = "New York model v2, see https://x.org/nlp or a@b.com"
>>> [text[s:e] for s, e in p.spans(text)]
['New York', 'v2', 'https://x.org/nlp', 'a@b.com']
>>> p.covers(p.spans(text), 31, 34)   # "nlp" inside the URL
True
>>> text = "weights at huggingface/nlp or s3://bucket/gan (not nlp)"
>>> [text[s:e] for s, e in Protector().spans(text)]
['huggingface/nlp', 's3://bucket/gan']
>>> from textaug.records import Record
>>> x = Record({"text": "Paris and Rome", "keep": [(10, 14)]})
>>> Protector([SpanColumn("keep")]).spans_for(x.replace(text="Rome, not Paris"))
((0, 4),)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from textaug.errors import InvalidParameterError, check_param
from textaug.records import Record
from textaug.wordmatch import compile_phrases

# Linear in the text: a match of _EMAIL starts only where a run of its characters starts (the
# lookbehind), and its runs are possessive, so no run is read from two starts; _url_like reads
# each token holding a "/" or "www." once.
# A URL-like token is a whitespace-delimited token holding a scheme ("s3://", "file://"),
# "www.", or a "/" between two non-empty parts ("github.com/nlp", "huggingface/nlp", "and/or").
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")
_WWW = re.compile(r"www\.", re.IGNORECASE)
_URL_LIKE = re.compile(r"[^\s/]/++[^\s/]|://|www\.", re.IGNORECASE)
_TOKEN_REST = re.compile(r"\S*+")
_END = itemgetter(1)
_TAKES = (
    "terms (str), compiled regexes (re.compile(...)), SpanColumn('column') or a list of these"
)


def _url_like(text: str, www: bool) -> list[tuple[int, int]]:
    """The spans of the URL-like tokens. Each token holding a "/" (or with ``www``, a "www.")
    is read once, and the next "/" and "www." are each looked for again only once passed."""
    spans = []
    done = 0  # the end of the last token read
    slash, dub = text.find("/"), _next_www(text, 0) if www else -1
    while slash != -1 or dub != -1:
        at = slash if dub == -1 or slash != -1 and slash < dub else dub
        left = text[done:at]
        start = at if not left or left[-1].isspace() else at - len(left.rsplit(None, 1)[-1])
        done = _TOKEN_REST.match(text, at).end()  # type: ignore[union-attr]  # always matches
        if _URL_LIKE.search(text, start, done):
            spans.append((start, done))
        if slash != -1 and slash < done:
            slash = text.find("/", done)
        if dub != -1 and dub < done:
            dub = _next_www(text, done)
    return spans


def _next_www(text: str, pos: int) -> int:
    found = _WWW.search(text, pos)
    return -1 if found is None else found.start()


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``spans`` sorted, overlapping ones joined (so their ends are sorted too)."""
    spans.sort()
    out = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = out[-1]
        if start < last_end:
            if end > last_end:
                out[-1] = (last_start, end)
        else:
            out.append((start, end))
    return tuple(out)


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
    """Finds the protected spans of a text (``spans``) or of a row (``spans_for``).

    ``owner`` names the factory in the error a bad ``protect`` value raises.
    """

    def __init__(self, protect: Iterable[Any] | str | re.Pattern[str] | SpanColumn | None = (),
                 *, owner: str = "Protector") -> None:
        terms: list[str] = []
        patterns: list[re.Pattern[str]] = []
        self.columns: list[SpanColumn] = []
        for item in _items(protect, owner):
            if isinstance(item, SpanColumn):
                self.columns.append(item)
            elif isinstance(item, re.Pattern):
                patterns.append(item)
            else:
                check_param(isinstance(item, str) and bool(item.strip()), owner, "protect",
                            _TAKES, item)
                terms.append(item)
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
        """The protected (start, end) spans of ``text``, sorted, overlapping ones joined
        (``spans`` caches them)."""
        # always: URL-like tokens and e-mails; the substring tests skip the work on most texts
        www = ("w." in text or "W." in text) and "www." in text.lower()
        slash, at = "/" in text, "@" in text
        if not (www or slash or at or self.patterns):
            return ()
        spans = _url_like(text, www) if www or slash else []
        if at:
            spans += [m.span() for m in _EMAIL.finditer(text)]
        for pattern in self.patterns:
            spans += [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        return _merged(spans) if spans else ()

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
        return _merged(found) if found else ()

    @staticmethod
    def covers(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
        """Whether [start, end) overlaps any of ``spans`` (as ``spans`` or ``spans_for``
        give them: sorted, none overlapping, so one binary search answers)."""
        at = bisect_right(spans, start, key=_END)  # the first span ending after ``start``
        return at < len(spans) and spans[at][0] < end


def _items(protect: Any, owner: str) -> list[Any]:
    """The ``protect`` argument as a list of items (each checked by the caller)."""
    if protect is None:
        return []
    if isinstance(protect, str | re.Pattern | SpanColumn):
        return [protect]
    check_param(isinstance(protect, Iterable) and not isinstance(protect, bytes | bytearray),
                owner, "protect", _TAKES, protect)
    return list(protect)
