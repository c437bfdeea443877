"""Word-level diff of an original and a variant: what was inserted, replaced, deleted.

Words are whitespace-separated chunks (one linear scan of the text); two words are the
same when their characters are. :func:`word_diff` returns the aligned spans with their
character offsets in both texts, so a renderer can mark the edits in the variant and
keep its spacing; :func:`diff_html` is that renderer (``<ins>``, ``<del>`` and
``<mark>`` for a replaced span, everything HTML-escaped).

Examples
--------
>>> spans = word_diff("the quick brown fox", "the slow brown fox jumps")
>>> [(s.op, s.old, s.new) for s in spans if s.op != "equal"]
[('replace', 'quick', 'slow'), ('insert', '', 'jumps')]
>>> diff_html("a <b> c", "a c d")
'a <del class="ta-del">&lt;b&gt;</del> c <ins class="ta-ins">d</ins>'
"""

from __future__ import annotations

import difflib
import html
import re
from typing import Literal, NamedTuple

Op = Literal["equal", "insert", "delete", "replace"]
_WORD = re.compile(r"\S+")  # linear: one pass, no backtracking


class Span(NamedTuple):
    """One aligned stretch: ``old`` is ``original[old_start:old_end]``, ``new`` is
    ``variant[new_start:new_end]`` (an empty range where the op inserts or deletes)."""

    op: Op
    old: str
    new: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """The whitespace-separated words of ``text`` with their start and end offsets.

    Examples
    --------
    >>> words_with_offsets(" a  bc\\n")
    [('a', 1, 2), ('bc', 4, 6)]
    """
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_diff(original: str, variant: str) -> list[Span]:
    """The spans that turn ``original`` into ``variant``, word by word, in order.

    Parameters
    ----------
    original, variant
        The two texts.

    Returns
    -------
    list of Span
        ``equal``, ``insert``, ``delete`` and ``replace`` spans covering both texts' words
        in order (from :class:`difflib.SequenceMatcher` on the word lists).

    Examples
    --------
    >>> [s.op for s in word_diff("a b c", "a c")]
    ['equal', 'delete', 'equal']
    >>> word_diff("", "")
    []
    """
    a, b = words_with_offsets(original), words_with_offsets(variant)
    matcher = difflib.SequenceMatcher(None, [w for w, _, _ in a], [w for w, _, _ in b],
                                      autojunk=False)
    spans = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_start, old_end = _range(a, i1, i2, len(original))
        new_start, new_end = _range(b, j1, j2, len(variant))
        spans.append(Span(op, original[old_start:old_end], variant[new_start:new_end],
                          old_start, old_end, new_start, new_end))
    return spans


def _range(words: list[tuple[str, int, int]], i: int, j: int, length: int) -> tuple[int, int]:
    """Offsets covering ``words[i:j]``; where that is empty, the point before ``words[i]``."""
    if i < j:
        return words[i][1], words[j - 1][2]
    at = words[i][1] if i < len(words) else length
    return at, at


def diff_html(original: str, variant: str) -> str:
    """``variant`` as HTML with its edits marked, every piece of text escaped.

    Inserted words are ``<ins class="ta-ins">``, words deleted from the original are
    shown where they were as ``<del class="ta-del">``, and a replaced stretch is
    ``<mark class="ta-rep">`` (its ``title`` holds the original's words). The variant's
    own spacing is kept.

    Examples
    --------
    >>> diff_html("a b", "a c")
    'a <mark class="ta-rep" title="was: b">c</mark>'
    """
    parts, at = [], 0
    for span in word_diff(original, variant):
        parts.append(html.escape(variant[at:span.new_start]))
        parts.append(_marked(span, variant))
        at = span.new_end
    parts.append(html.escape(variant[at:]))
    return "".join(parts)


def _marked(span: Span, variant: str) -> str:
    new = html.escape(span.new)
    if span.op == "equal":
        return new
    if span.op == "insert":
        return f'<ins class="ta-ins">{new}</ins>'
    if span.op == "replace":
        return f'<mark class="ta-rep" title="was: {html.escape(span.old)}">{new}</mark>'
    at = span.new_start  # a deletion: a space on the side that has none
    before = " " if at == len(variant) and at and not variant[at - 1].isspace() else ""
    after = " " if at < len(variant) and not variant[at].isspace() else ""
    return f'{before}<del class="ta-del">{html.escape(span.old)}</del>{after}'
