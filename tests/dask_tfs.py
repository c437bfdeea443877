"""A model-backed TF that counts its model loads in this process, for tests/test_dask.py.

Dask workers import it by name (the TF pickles by reference to this module), so the count
each worker process reports is that process's own.
"""

from __future__ import annotations

import os
from typing import Any

from textaug._rng import Rng
from textaug.tfs._model import ModelTF

LOADS: list[int] = []  # the pid of each load() in this process


class CountingUpper(ModelTF):
    """Upper-cases every other word; its "model" is a table built (and counted) by load()."""

    def __init__(self) -> None:
        super().__init__("counting_upper", model="counting-table", params={})

    def load(self) -> Any:
        LOADS.append(os.getpid())
        return str.upper

    def generate(self, texts: list[str], rngs: list[Rng]) -> list[str | None]:
        upper = self.loaded()
        out = []
        for text, rng in zip(texts, rngs, strict=True):
            start = int(rng.integers(2))
            words = text.split(" ")
            out.append(" ".join(upper(w) if i % 2 == start else w for i, w in enumerate(words)))
        return out


def loads() -> int:
    """How many times this process loaded the model."""
    return len(LOADS)
