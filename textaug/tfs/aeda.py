"""AEDA (Karimi, Rossi and Prati, 2021): insert random punctuation marks between words.

Between 1 and ``punc_ratio * n_words + 1`` marks go in front of randomly chosen words,
as in the paper's reference code; the words themselves are never changed, so the
label-bearing content is untouched. Safe on one- and two-word texts.

Examples
--------
>>> from textaug.records import Record
>>> aeda()(Record({"text": "a gripping, well acted film"}), rng=4).text
'a gripping, ? well acted film'
"""

from __future__ import annotations

from collections.abc import Sequence

from textaug._rng import Rng
from textaug.errors import check_param
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs._common import Protect, check_fraction, editable_words, make_tf

PUNCTUATION = (".", ",", "!", "?", ";", ":")


def aeda(punc_ratio: float = 0.3, *, punctuation: Sequence[str] = PUNCTUATION,
         protect: Protect = (), name: str = "aeda") -> TransformationFunction:
    """Insert punctuation marks before random words (at most ``punc_ratio * n_words + 1``)."""
    check_fraction("aeda", "punc_ratio", punc_ratio)
    marks = tuple(punctuation) if not isinstance(punctuation, str) else ()
    check_param(bool(marks) and all(isinstance(m, str) and m.strip() for m in marks), "aeda",
                "punctuation", "a non-empty sequence of non-blank strings", punctuation)
    return make_tf(_aeda, name, protect, ratio=punc_ratio, marks=marks)


def _aeda(x: Record, rng: Rng, ratio: float, marks: tuple[str, ...],
          guard: Protector) -> str | None:
    _, found = editable_words(x, guard)
    if not found:
        return None
    count = rng.integers(1, int(ratio * len(found) + 1) + 1)
    chosen = rng.permutation(len(found))[:count]
    marked = {i: rng.choice(marks) + " " + found.word(i) for i in chosen}
    return found.rewrite(marked)
