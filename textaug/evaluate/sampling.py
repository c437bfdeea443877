"""Seeded stratified subsamples of a training set, single- and multi-label.

Each class gets its share of the subsample (largest remainders, every class at least
one row), drawn with a local generator: the same seed gives the same rows, and nothing
global is touched. A multi-label row is stratified by its rarest label, so rare labels
keep their share.

Examples
--------
>>> labels = [("a",)] * 6 + [("b",)] * 3 + [("c",)]
>>> picked = stratified_sample(labels, 5, seed=0)
>>> sorted(labels[i][0] for i in picked)
['a', 'a', 'a', 'b', 'c']
>>> (picked == stratified_sample(labels, 5, seed=0)).all()
np.True_
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from textaug.errors import InvalidParameterError


def stratified_sample(labels: Sequence[tuple[Any, ...]], size: int, seed: int) -> np.ndarray:
    """The sorted positions of ``size`` rows, each class in proportion to its count.

    Parameters
    ----------
    labels
        Each row's labels as a tuple (one item for single-label rows).
    size
        How many rows to draw; all of them when ``size >= len(labels)``.
    seed
        Seeds the draw.
    """
    strata = _strata(labels)
    classes = sorted(set(strata), key=repr)
    if size >= len(strata):
        return np.arange(len(strata))
    if size < len(classes):
        raise InvalidParameterError(
            f"A training size of {size} cannot hold one row of each of the {len(classes)} "
            f"classes; choose sizes of at least {len(classes)}.")
    rng = np.random.Generator(np.random.PCG64(seed))
    members = {c: [i for i, s in enumerate(strata) if s == c] for c in classes}
    quota = _quotas([len(members[c]) for c in classes], size)
    picked = [rng.choice(members[c], size=q, replace=False) for c, q in zip(classes, quota,
                                                                             strict=True)]
    return np.sort(np.concatenate(picked)).astype(np.intp)


def _strata(labels: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Each row's stratum: its label, or (multi-label) its rarest label."""
    counts = Counter(tag for row in labels for tag in row)
    return [min(row, key=lambda tag: (counts[tag], repr(tag))) if row else () for row in labels]


def _quotas(counts: list[int], size: int) -> list[int]:
    """Rows per class: its share of ``size`` rounded down but at least one, then the rows
    left over to the largest remainders (or the rows over taken from the largest quotas)."""
    total = sum(counts)
    ideal = [size * c / total for c in counts]
    quota = [max(1, int(x)) for x in ideal]
    order = sorted(range(len(counts)), key=lambda i: (-(ideal[i] - int(ideal[i])), i))
    while sum(quota) < size:
        for i in order:
            if sum(quota) < size and quota[i] < counts[i]:
                quota[i] += 1
    while sum(quota) > size:
        quota[max(range(len(counts)), key=lambda i: (quota[i], -i))] -= 1
    return quota
