"""Editable words of a text, as spans, and edits applied to the original string.

Word-level TFs never re-join tokens: they replace, insert or delete spans of the
original string, so everything they do not touch (casing, punctuation, spacing,
newlines, URLs, e-mail addresses, numbers, contractions) stays byte for byte.
A word is a whitespace-separated chunk of letters (hyphenated compounds are one word),
once brackets, quotes and sentence punctuation around it are trimmed; chunks with an
apostrophe (contractions such as "don't"), a digit, an underscore, a dot inside or an
``@`` are never edited, nor are words in a protected span (the TFs pass
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

from collections.abc import Iterable, Sequence
from typing import NamedTuple

# Trimmed from both ends of a whitespace-separated chunk before it is judged a word.
# Apostrophes are not: "don't", "plot's" and "'tis" stay whole, and stay unedited.
_EDGE = "\"“”«»()[]{}<>,.;:!?…*"


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
    found: list[Word] = []
    new, find, pos = tuple.__new__, text.find, 0  # tuple.__new__: a third of Word()'s cost
    for chunk in text.split():
        start = find(chunk, pos)
        pos = start + len(chunk)
        if chunk.isalpha():
            found.append(new(Word, (start, pos, chunk)))
        elif _is_word(core := chunk.strip(_EDGE)):
            start += chunk.index(core)
            found.append(new(Word, (start, start + len(core), core)))
    return _outside(found, protected) if protected else found


def _outside(found: list[Word], protected: Sequence[tuple[int, int]]) -> list[Word]:
    """The words that overlap no protected span; linear in words plus spans."""
    merged: list[list[int]] = []
    for start, end in sorted(protected):  # disjoint intervals
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    kept, i = [], 0
    for word in found:
        while i < len(merged) and merged[i][1] <= word.start:
            i += 1
        if i == len(merged) or merged[i][0] >= word.end:
            kept.append(word)
    return kept


def starts_sentence(text: str, start: int) -> bool:
    """Whether position ``start`` begins a sentence (text start, or after . ! ? : or a newline).

    >>> starts_sentence("Hi. The end", 4), starts_sentence("Hi the end", 3)
    (True, False)
    """
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?:\n"


def _is_word(token: str) -> bool:
    """Letters, or letters joined by single inner hyphens ("GAN-based", not "COVID-19")."""
    if token.isalpha():
        return True
    parts = token.split("-")
    return len(parts) > 1 and all(part.isalpha() for part in parts)


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
