"""Protected spans: text that a TF must never change, move or delete.

Protected are the given terms (whole words, case-insensitive, multi-word allowed),
the given regular expressions, and always URLs and e-mail addresses.

Examples
--------
>>> import re
>>> p = Protector(["New York", re.compile(r"v\\d+")])
>>> text = "New York model v2, see https://x.org/nlp or a@b.com"
>>> [text[s:e] for s, e in p.spans(text)]
['New York', 'v2', 'https://x.org/nlp', 'a@b.com']
>>> p.covers(p.spans(text), 31, 34)   # "nlp" inside the URL
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from textaug.errors import InvalidParameterError
from textaug.wordmatch import compile_phrases

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _always(text: str) -> list[tuple[int, int]]:
    """URL and e-mail spans; the substring tests skip the regexes on most texts."""
    spans = []
    if "://" in text or "www." in text.lower():
        spans += [m.span() for m in _URL.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in _EMAIL.finditer(text)]
    return spans


class Protector:
    """Finds the protected spans of a text."""

    def __init__(self, protect: Iterable[Any] | str | re.Pattern[str] | None = ()) -> None:
        if protect is None:
            protect = ()
        if isinstance(protect, str | re.Pattern):
            protect = [protect]
        terms: list[str] = []
        patterns: list[re.Pattern[str]] = []
        for item in protect:
            if isinstance(item, re.Pattern):
                patterns.append(item)
            elif isinstance(item, str) and item.strip():
                terms.append(item)
            else:
                raise InvalidParameterError(
                    "protect= takes terms (str) and compiled regexes (re.compile(...)). "
                    f"Got {item!r}."
                )
        if terms:
            patterns.append(compile_phrases(terms))
        self.terms = terms
        self.patterns = patterns
        self.spans = lru_cache(maxsize=64)(self._spans)  # a row's draws share its spans

    def __getstate__(self) -> dict[str, Any]:
        return {"terms": self.terms, "patterns": self.patterns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.spans = lru_cache(maxsize=64)(self._spans)
    def __repr__(self) -> str:
        return f"Protector(terms={self.terms!r}, patterns={len(self.patterns)})"

    def _spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """The protected (start, end) spans of ``text``, sorted (cached as ``spans``)."""
        spans = _always(text)
        for pattern in self.patterns:
            spans += [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        return tuple(sorted(spans))

    @staticmethod
    def covers(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
        """Whether [start, end) overlaps any protected span."""
        return any(s < end and start < e for s, e in spans)
