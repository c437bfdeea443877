"""Editable words of a text, as spans, and edits applied to the original string.

Word-level TFs never re-join tokens: they replace, insert or delete spans of the
original string, so everything they do not touch (casing, punctuation, spacing,
newlines, URLs, e-mail addresses, numbers, contractions) stays byte for byte.
A word is a run of letters (hyphenated compounds are one word); words touching an
apostrophe (contractions such as "don't"), a digit, an underscore, a dot or an ``@``
are never edited, nor are words in a protected span (the TFs pass
:class:`~textaug.protect.Protector` spans, which always cover URLs and e-mails).

Examples
--------
>>> from textaug.protect import Protector
>>> text = "Don't panic: the GAN (v2) runs at https://x.org/fast, fast!"
>>> found = words(text, Protector().spans(text))
>>> [w.text for w in found]
['panic', 'the', 'GAN', 'runs', 'at', 'fast']
>>> apply_edits(text, [Edit(found[0].start, found[0].end, "worry"), deletion(text, found[-1])])
"Don't worry: the GAN (v2) runs at https://x.org/fast,!"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

_WORD = re.compile(r"(?<![\w'’@.-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w'’@]|\.\w|:/)")


class Word(NamedTuple):
    """A word of a text: its span and its characters."""

    start: int
    end: int
    text: str


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str


def words(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[Word]:
    """The editable words of ``text``, outside the ``protected`` spans."""
    found = [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if protected:
        found = [w for w in found if not any(s < w.end and w.start < e for s, e in protected)]
    return found


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping edits applied (given in any order)."""
    pieces, last = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last:
            raise ValueError(f"Overlapping edits at {edit.start}.")
        pieces += [text[last:edit.start], edit.new]
        last = edit.end
    pieces.append(text[last:])
    return "".join(pieces)


def deletion(text: str, word: Word) -> Edit:
    """Delete a word and one run of the whitespace beside it, so no double space is left.

    >>> text = "a very good movie"
    >>> apply_edits(text, [deletion(text, words(text)[1])])
    'a good movie'
    >>> apply_edits(text, [deletion(text, words(text)[3])])
    'a very good'
    """
    end = word.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end > word.end:
        return Edit(word.start, end, "")
    start = word.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Edit(start, word.end, "")
