"""Run any nlpaug text augmenter as a textaug TF, reproducibly.

nlpaug draws from the global ``random`` and ``numpy`` generators; here each call runs
with them seeded from the row's derived generator and restored afterwards, so the
output is reproducible and the caller's global state is untouched. nlpaug's known
failure mode, returning the input unchanged, counts as "not applicable".

Examples
--------
>>> import nlpaug.augmenter.word as naw
>>> from textaug.records import Record
>>> tf = from_nlpaug(naw.RandomWordAug(action="swap"))
>>> x = Record({"text": "the quick brown fox jumps"})
>>> tf(x, rng=1).text == tf(x, rng=1).text, tf.name
(True, 'nlpaug_RandomWord_Aug_swap')
"""

from __future__ import annotations

from typing import Any

from textaug._rng import Rng, seeded_globals
from textaug.errors import InvalidParameterError
from textaug.records import Record
from textaug.tf import TransformationFunction


def from_nlpaug(augmenter: Any, *, name: str | None = None) -> TransformationFunction:
    """A TF that runs ``augmenter.augment`` on the row's text."""
    if not callable(getattr(augmenter, "augment", None)):
        raise InvalidParameterError(
            f"from_nlpaug takes an nlpaug augmenter (with an .augment method). Got {augmenter!r}."
        )
    if name is None:
        action = getattr(augmenter, "action", None)
        name = "nlpaug_" + str(getattr(augmenter, "name", type(augmenter).__name__))
        name += f"_{action}" if isinstance(action, str) else ""
    return TransformationFunction(_run_nlpaug, name=name, resources={"augmenter": augmenter})


def _run_nlpaug(x: Record, rng: Rng, augmenter: Any) -> Record | None:
    text = x.text
    if not text.strip():
        return None
    with seeded_globals(rng.integers(1 << 62)):
        out = augmenter.augment(text)
    if isinstance(out, list):  # nlpaug >= 1.1.10 returns a list
        out = out[0] if out else None
    if not isinstance(out, str) or out == text:
        return None
    return x.replace(text=out)
