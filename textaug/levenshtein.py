"""Word-level edit distance: the validators' share of changed words and the diversity
figures both count edits this way.

Examples
--------
>>> edit_distance("the cat sat".split(), "the dog sat down".split())
2
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

_EXACT_UP_TO = 4_000_000  # cells of the table; past it (huge rewrites) an estimate


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two word lists (insert, delete, substitute: 1 each).

    A common prefix and suffix cost nothing (most of an augmentation's words); where the
    rest would need a table of more than four million cells, the distance is estimated
    from the matching blocks (an upper bound), so no input takes quadratic time beyond that.

    >>> edit_distance(["a", "b"], ["a", "b"]), edit_distance([], ["x", "y"])
    (0, 2)
    """
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start:len(a) - end], b[start:len(b) - end]
    if not a or not b:
        return max(len(a), len(b))
    if len(a) * len(b) > _EXACT_UP_TO:
        matched = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False)
                      .get_matching_blocks())
        return max(len(a), len(b)) - matched
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
