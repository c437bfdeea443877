"""Leakage-safe train/val/test splits: related rows stay together, labels stay balanced.

Rows are linked when they share a ``group`` value, the same text after normalisation
(casefolded, whitespace collapsed; so exact duplicates too) or are near-duplicates
(character 5-gram Jaccard >= ``near_duplicates``, see :mod:`textaug.near_duplicates`).
Linked rows form components (union-find), and whole components go to one split each,
in the manner of iterative stratification: components with the rarest labels first,
larger ones first, each to the split with the most room (relative to its size) for
the component's labels and rows. Ties are broken by a generator seeded from the
component's content, so the same rows (the same index labels and texts) give the
same split in any order.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({
...     "text": ["GANs for art", "A survey of graph neural networks", "Parking spots with YOLO",
...              "BERT for legal text", "Gradient boosting explained", "Speech recognition",
...              "Object tracking in video", "Topic models for tweets", "gans for  ART",
...              "Time series forecasting"],
...     "label": ["cv", "graph", "cv", "nlp", "ml", "speech", "cv", "nlp", "cv", "ml"]})
>>> train, test = split(df, test_size=0.2, stratify="label", seed=0)
>>> len(train), len(test), test.attrs["textaug_split"]
(8, 2, 'test')
>>> {0, 8} <= set(train.index) or {0, 8} <= set(test.index)  # duplicates stay together
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from textaug._rng import Rng, derive_seed, key_text
from textaug.checks import check_texts
from textaug.errors import ColumnNotFoundError, InvalidParameterError, check_param
from textaug.near_duplicates import near_duplicate_pairs, normalize
from textaug.records import SPLIT_MARK, as_labels


def split(
    df: pd.DataFrame,
    test_size: float = 0.2,
    val_size: float | None = None,
    *,
    stratify: str | None = None,
    group: str | None = None,
    text: str = "text",
    near_duplicates: float | None = 0.8,
    seed: int = 0,
) -> tuple[pd.DataFrame, ...]:
    """Split ``df`` into ``(train, test)``, or ``(train, val, test)`` when ``val_size`` is given.

    Parameters
    ----------
    df
        The labelled rows, before any augmentation. It is never modified.
    test_size, val_size
        Fractions of the rows, each in (0, 1) and together below 1. Sizes are met as far
        as the linked components allow.
    stratify
        Label column to balance: a label per cell, or a list/tuple of labels per cell.
    group
        Column whose equal values must stay in one split (e.g. a source document id);
        rows with a missing value are not grouped by it.
    text
        The text column; missing texts are an error naming the rows.
    near_duplicates
        Jaccard threshold above which texts stay together; None links only equal texts.
    seed
        Seed for the tie-breaks.

    Returns
    -------
    Copies with the input's columns and index labels, in input order, each marked with
    ``frame.attrs["textaug_split"]`` (``"train"``, ``"val"`` or ``"test"``). An empty
    ``df`` gives empty splits.
    """
    sizes = _check(df, test_size, val_size, stratify, group, text, near_duplicates, seed)
    n = len(df)
    texts = df[text].tolist()
    check_texts(texts, df.index.tolist(), text)
    components = _components(texts, [] if group is None else df[group].tolist(), near_duplicates)
    labels = [as_labels(v) for v in df[stratify].tolist()] if stratify else [()] * n
    row_keys = [derive_seed(seed, f"{key_text(k)}\x1f{t}")
                for k, t in zip(df.index, texts, strict=True)]
    chosen = _assign(components, labels, row_keys, sizes)
    out = []
    for name in sizes:
        rows = sorted(i for comp, where in zip(components, chosen, strict=True) if where == name
                      for i in comp)
        frame = df.iloc[rows].copy()
        frame.attrs = {**df.attrs, SPLIT_MARK: name}
        out.append(frame)
    return tuple(out)


def _check(df: Any, test_size: Any, val_size: Any, stratify: str | None, group: str | None,
           text: str, near_duplicates: Any, seed: Any) -> dict[str, float]:
    """The fraction of rows each split wants, after checking every parameter."""
    if not isinstance(df, pd.DataFrame):
        raise InvalidParameterError(f"split() takes a pandas DataFrame. Got {type(df).__name__}.")
    for role, name in (("text", text), ("stratify", stratify), ("group", group)):
        if name is not None and name not in df.columns:
            raise ColumnNotFoundError(
                f"{role.capitalize()} column {name!r} not in DataFrame. "
                f"Available columns: {list(df.columns)}. Pass {role}='...' to name it."
            )
    for name, size in (("test_size", test_size), ("val_size", val_size)):
        check_param((size is None and name == "val_size") or (_is_number(size) and 0 < size < 1),
                    "split", name, "a fraction of the rows in (0, 1)", size)
    held_out = test_size + (val_size or 0)
    if held_out >= 1:
        raise InvalidParameterError(
            f"test_size + val_size must be below 1 to leave rows for training. Got {held_out}.")
    check_param(near_duplicates is None
                or (_is_number(near_duplicates) and 0 < near_duplicates <= 1), "split",
                "near_duplicates", "None or a Jaccard threshold in (0, 1]", near_duplicates)
    check_param(isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0, "split",
                "seed", "an int >= 0", seed)
    sizes = {"train": 1 - held_out, "val": val_size, "test": test_size}
    return {name: float(size) for name, size in sizes.items() if size is not None}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _components(texts: list[str], groups: list[Any],
                near_duplicates: float | None) -> list[list[int]]:
    """Row positions that must stay together: same group, same normalised text, near-duplicate."""
    parent = list(range(len(texts)))
    _link_equal(parent, groups)
    norms = [normalize(t) for t in texts]
    first = _link_equal(parent, norms)
    if near_duplicates is not None:
        unique = list(first)
        for i, j, _ in near_duplicate_pairs(unique, threshold=near_duplicates):
            _union(parent, first[unique[i]], first[unique[j]])
    members: dict[int, list[int]] = {}
    for i in range(len(texts)):
        members.setdefault(_find(parent, i), []).append(i)
    return list(members.values())


def _link_equal(parent: list[int], values: Iterable[Any]) -> dict[Any, int]:
    """Join rows with equal values (missing values join nothing); the first row of each value."""
    first: dict[Any, int] = {}
    for i, value in enumerate(values):
        if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
            continue
        _union(parent, first.setdefault(value, i), i)
    return first


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    a, b = _find(parent, i), _find(parent, j)
    if a != b:
        parent[max(a, b)] = min(a, b)


def _assign(components: list[list[int]], labels: Sequence[tuple[Any, ...]],
            row_keys: list[int], sizes: dict[str, float]) -> list[str]:
    """The split of each component, greedily: rarest label first, then largest first.

    A component goes to the split with the most room, as a fraction of what the split
    wants, for the component's fullest label plus for rows; a split with room for less
    than half the component's rows is passed over while another has room.
    """
    totals = Counter(label for row in labels for label in row)
    unmet = {name: dict.fromkeys(totals, 1.0) for name in sizes}  # label -> fraction still wanted
    rows_left = {name: frac * len(labels) for name, frac in sizes.items()}
    plans = []
    for number, comp in enumerate(components):
        counts = Counter(label for i in comp for label in labels[i])
        rarity = min((totals[label] for label in counts), default=math.inf)
        plans.append((rarity, -len(comp), min(row_keys[i] for i in comp), number, counts))
    chosen = [""] * len(components)
    for _, _, key, number, counts in sorted(plans, key=lambda plan: plan[:3]):
        rng, size = Rng(key), len(components[number])
        room = [name for name in sizes if rows_left[name] >= size / 2] or list(sizes)
        best = max(room, key=lambda name: (
            min((unmet[name][label] for label in counts), default=0.0)
            + rows_left[name] / (sizes[name] * len(labels)), rng.random()))
        chosen[number] = best
        rows_left[best] -= size
        for label, count in counts.items():
            unmet[best][label] -= count / (sizes[best] * totals[label])
    return chosen
