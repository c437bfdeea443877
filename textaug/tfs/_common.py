"""What every TF factory shares: parameter checks, protection, editable words.

Examples
--------
>>> from textaug.records import Record
>>> text, found = editable_words(Record({"text": "Keep NEW York calm"}), protector(["new york"]))
>>> [w.text for w in found]
['Keep', 'calm']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from textaug._rng import Rng
from textaug.errors import check_param
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.words import Words

Protect = Iterable[Any] | str | re.Pattern[str] | None


def protector(protect: Protect, owner: str = "Protector") -> Protector:
    """The factory ``owner``'s ``protect=`` argument as a :class:`~textaug.protect.Protector`."""
    return protect if isinstance(protect, Protector) else Protector(protect, owner=owner)


def check_fraction(owner: str, name: str, value: Any, low: float = 0.0,
                   include_low: bool = False) -> None:
    """``value`` is a number in (low, 1] (or [low, 1] with ``include_low``)."""
    ok = (isinstance(value, int | float) and not isinstance(value, bool)
          and (low <= value if include_low else low < value) and value <= 1)
    bracket = "[" if include_low else "("
    check_param(ok, owner, name, f"a float in {bracket}{low:g}, 1]", value)


def check_picking(owner: str, aug_p: Any, max_words: Any) -> None:
    """``aug_p`` in (0, 1] and ``max_words`` None or an int >= 1 (see :func:`pick_positions`)."""
    check_fraction(owner, "aug_p", aug_p)
    ok = max_words is None or (isinstance(max_words, int) and not isinstance(max_words, bool)
                               and max_words >= 1)
    check_param(ok, owner, "max_words", "None or an int >= 1", max_words)


def make_tf(func: Callable[..., str | None], name: str, protect: Protect, *,
            needs_label: bool = False,
            prefetch: Callable[[Sequence[Record]], None] | None = None,
            **params: Any) -> TransformationFunction:
    """A versioned TF running ``func(x, rng, guard=..., **params)``, which returns the new
    text or None (``returns_text``); the guard enforces ``protect``."""
    return TransformationFunction(func, name=name, version=1, needs_label=needs_label,
                                  resources={**params, "guard": protector(protect, name)},
                                  returns_text=True, prefetch=prefetch)


def editable_words(x: Record, guard: Protector) -> tuple[str, Words]:
    """The record's text and its words that a TF may edit (read-only, cached).

    The applier runs a row's draws one after another on the same record, so the words of
    the text seen last are kept (by identity: no text is hashed): the 2nd to 16th
    augmentation of a row skip the tokenizing.
    """
    text = x.text
    if guard.columns:  # spans that differ by row
        return text, _words(text, guard.spans_for(x))
    seen, by, found = _last[0]
    if seen is not text or by is not guard:
        found = Words(text, guard.find(text))
        _last[0] = (text, guard, found)  # one tuple: read and replaced whole, thread-safe
    return text, found


# The text, guard and words of the last editable_words call without per-row spans.
_last: list[tuple[Any, Any, Any]] = [(None, None, None)]


@lru_cache(maxsize=64)
def _words(text: str, protected: tuple[tuple[int, int], ...]) -> Words:
    return Words(text, protected)


def pick_positions(n: int, p: float, most: int | None, rng: Rng) -> list[int]:
    """Each of ``n`` positions with probability ``p``, at least one, at most ``most``
    (a uniform sample of ``most`` when more were drawn); ``n`` must be at least 1."""
    chosen = rng.bernoulli_positions(n, p)
    if not chosen:
        return [rng.integers(n)]
    if most is not None and len(chosen) > most:
        for i in range(most):  # partial Fisher-Yates: a uniform sample of ``most``
            j = rng.integers(i, len(chosen))
            chosen[i], chosen[j] = chosen[j], chosen[i]
        del chosen[most:]
    return chosen
