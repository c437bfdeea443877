"""Seed derivation and the cheap per-draw generator handed to TFs.

Every draw gets its own stream, derived from (root seed, row key, TF, draw, attempt)
with stable integer mixing (blake2b for strings, splitmix64 for integers), never
``hash()`` and never global state. So the output of a row does not depend on the
order of rows, the chunk size or the number of workers.

Creating a ``numpy.random.Generator`` costs about 16 microseconds, more than a whole
alias swap; :class:`Rng` costs well under one, and still hands out a full numpy
generator (seeded from the same stream) for TFs that need one.

Examples
--------
>>> row = derive_seed(0, "row-17")
>>> Rng(mix(row, 3)).integers(10) == Rng(mix(row, 3)).integers(10)
True
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Iterator, MutableSequence, Sequence
from functools import cache
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_TWO_TO_MINUS_32 = 2.0**-32


def _splitmix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def hash_text(text: str) -> int:
    """A stable 64-bit hash of a string (the same on every run and platform)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def key_text(key: Any) -> str:
    """The canonical text of a row key: numpy scalars count as the Python value.

    >>> key_text(np.int64(3)), key_text(3), key_text("a")
    ('3', '3', 'a')
    """
    if isinstance(key, np.generic):
        key = key.item()
    return str(key)


def derive_seed(seed: int, key: Any) -> int:
    """The seed of one row: a stable function of the root seed and the row key."""
    return hash_text(f"{seed}\x1f{key_text(key)}")


def derive_seed_array(seed: int, keys: Iterable[Any]) -> np.ndarray:
    """:func:`derive_seed` of each key, as an array of uint64 (the applier's seeds of a
    chunk's rows; the prefix hashed once, the digests read at once).

    >>> derive_seed_array(7, ["a", 3]).tolist() == [derive_seed(7, "a"), derive_seed(7, 3)]
    True
    """
    primed = hashlib.blake2b(f"{seed}\x1f".encode(), digest_size=8)
    digests = []
    for key in keys:  # the prefix hashed once; each key continues a copy of that state
        state = primed.copy()
        state.update((key if type(key) is str else str(key) if type(key) is int
                      else key_text(key)).encode())
        digests.append(state.digest())
    return np.frombuffer(b"".join(digests), dtype="<u8").astype(np.uint64)


def mix(seed: int, *parts: int) -> int:
    """Fold integers into a seed; cheap enough to run for every draw.

    >>> mix(1, 2) != mix(1, 3) != mix(2, 2)
    True
    """
    for part in parts:
        seed = _splitmix((seed ^ (part * _GOLDEN)) & _MASK)
    return seed


def mix3(seed: int, a: int, b: int, c: int) -> int:
    """``mix(seed, a, b, c)``, unrolled: the applier runs it for every TF call.

    >>> mix3(1, 2, 3, 4) == mix(1, 2, 3, 4)
    True
    """
    for part in (a, b, c):
        z = (seed ^ (part * _GOLDEN)) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        seed = z ^ (z >> 31)
    return seed


_U64 = np.uint64
_GOLDEN_U64, _M1, _M2 = _U64(_GOLDEN), _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB)
_S30, _S27, _S31 = _U64(30), _U64(27), _U64(31)


def mix_many(seeds: Any, *parts: Any) -> np.ndarray:
    """:func:`mix` over arrays: ``seeds`` and each part are ints or arrays of them (at
    least one an array), mixed elementwise; the applier derives a batch's seeds at once.

    >>> mix_many([1, 2], 3, [4, 5]).tolist() == [mix(1, 3, 4), mix(2, 3, 5)]
    True
    """
    z = np.array(seeds, dtype=_U64, ndmin=1)  # arrays: uint64 products wrap, as & _MASK does
    for part in parts:  # an int part is scaled in Python: one numpy call less per part
        step = (_U64(part * _GOLDEN & _MASK) if isinstance(part, int)
                else np.asarray(part, dtype=_U64) * _GOLDEN_U64)
        z = _mixed(z ^ step)  # broadcast: a new array
    return z


def generators(seeds: np.ndarray, ahead: int = 4) -> list[Rng]:
    """An :class:`Rng` for each seed (uint64), each with its first ``ahead`` (>= 1) values worked
    out at once in numpy: the same streams, without most of their first draws' Python
    arithmetic (the applier makes one generator per TF call).

    >>> [g.random() for g in generators(np.array([7, 8], dtype=np.uint64))] == [
    ...     Rng(7).random(), Rng(8).random()]
    True
    """
    return list(_made(seeds, ahead))


def _made(seeds: np.ndarray, ahead: int) -> Iterator[Rng]:
    """The generators of :func:`generators`, each made as it is read (their first values
    worked out at once, one list per generator, in numpy's tolist)."""
    return map(Rng, seeds.tolist(), _first_values(seeds, ahead).tolist())


def _first_values(seeds: np.ndarray, ahead: int) -> np.ndarray:
    """The first ``ahead`` values of each seed's stream, last first (one row per seed):
    the states of all steps in one array, mixed at once (a batch's fixed cost is numpy's
    per-call overhead, not the rows)."""
    return _mixed(seeds[:, None] + _steps(ahead))


@cache
def _steps(ahead: int) -> np.ndarray:
    """What the state has grown by after each of the first ``ahead`` values, last first."""
    return np.array([_GOLDEN * k & _MASK for k in range(ahead, 0, -1)], dtype=_U64)


def _mixed(z: np.ndarray) -> np.ndarray:
    """splitmix64's output function over an array (as :meth:`Rng._next` mixes a state);
    ``z`` itself is left as it was."""
    z = z ^ (z >> _S30)  # a new array: the rest works in it
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


def fresh_seed() -> int:
    """Entropy for ``seed=None``, recorded by the caller so the run can be replayed."""
    return secrets.randbits(63)


class Rng:
    """A small, fast random generator with numpy's method names.

    ``random``, ``integers``, ``pair``, ``choice``, ``shuffle``, ``permutation``,
    ``bernoulli`` and ``bernoulli_positions`` run in pure Python on a splitmix64
    stream; anything else is on :meth:`numpy`, a full ``numpy.random.Generator``
    seeded from this stream.

    Examples
    --------
    >>> rng = Rng(42)
    >>> 0 <= rng.random() < 1
    True
    >>> rng.choice(["a", "b", "c"]) in {"a", "b", "c"}
    True
    >>> int(rng.numpy().integers(5)) in range(5)
    True
    """

    __slots__ = ("_state", "seed", "_ahead")

    def __init__(self, seed: int, ahead: list[int] | None = None) -> None:
        self.seed = seed & _MASK
        self._state = self.seed
        self._ahead = ahead  # the stream's first values, worked out ahead (last first)

    def __repr__(self) -> str:
        return f"Rng(seed={self.seed})"

    def _next(self) -> int:
        if self._ahead:
            self._state = (self._state + _GOLDEN) & _MASK
            return self._ahead.pop()
        z = self._state = (self._state + _GOLDEN) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK  # _splitmix, inlined: hot
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1)."""
        return (self._next() >> 11) * (1.0 / (1 << 53))

    def integers(self, low: int, high: int | None = None) -> int:
        """An int in [low, high), or in [0, low) when ``high`` is None."""
        if high is None:
            if low > 0:  # the common call, integers(n)
                return self._next() * low >> 64
            low, high = 0, low
        if high <= low:
            raise ValueError(f"integers() needs high > low. Got low={low}, high={high}.")
        return low + (self._next() * (high - low) >> 64)

    def pair(self, n: int) -> tuple[int, int]:
        """Two different ints in [0, n), the ordered pair uniform (one 64-bit draw for
        n up to 65,536: each half picks one, off uniform by at most n / 2**32).

        >>> i, j = Rng(1).pair(2)
        >>> sorted((i, j))
        [0, 1]
        """
        if n < 2:
            raise ValueError(f"pair() needs n >= 2. Got n={n}.")
        if n > 1 << 16:
            i, j = self.integers(n), self.integers(n - 1)
        else:
            z = self._next()
            i, j = (z & 0xFFFFFFFF) * n >> 32, (z >> 32) * (n - 1) >> 32
        return i, j + (j >= i)

    def bernoulli_positions(self, n: int, p: float) -> list[int]:
        """The positions in range(n) that independent Bernoulli(p) draws select.

        Drawn by geometric skips, two per 64-bit draw (32 bits each: a skip's law is
        exact up to events of probability 2**-32), so the cost grows with the
        positions selected, not with ``n``.

        >>> Rng(0).bernoulli_positions(5, 1.0), len(Rng(0).bernoulli_positions(1000, 0.1))
        ([0, 1, 2, 3, 4], 116)
        """
        if p >= 1:
            return list(range(n))
        if p <= 0:
            return []
        scale, log1p = 1.0 / math.log1p(-p), math.log1p
        chosen: list[int] = []
        i, spare = -1, -1
        while True:
            if spare < 0:
                z = self._next()
                u, spare = z & 0xFFFFFFFF, z >> 32
            else:
                u, spare = spare, -1
            i += 1 + int(log1p(-(u + 0.5) * _TWO_TO_MINUS_32) * scale)
            if i >= n:
                return chosen
            chosen.append(i)

    def bernoulli(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.random() < p

    def choice(self, seq: Sequence[T], p: Sequence[float] | None = None) -> T:
        """One element of ``seq``, uniformly or with weights ``p`` (need not sum to 1)."""
        if not seq:
            raise ValueError("choice() needs a non-empty sequence.")
        if p is None:
            return seq[self.integers(len(seq))]
        target = self.random() * sum(p)
        total = 0.0
        for item, weight in zip(seq, p, strict=True):
            total += weight
            if target < total:
                return item
        return seq[-1]

    def shuffle(self, seq: MutableSequence[Any]) -> None:
        """Shuffle a list in place (Fisher-Yates)."""
        for i in range(len(seq) - 1, 0, -1):
            j = self.integers(i + 1)
            seq[i], seq[j] = seq[j], seq[i]

    def permutation(self, n: int) -> list[int]:
        """A random ordering of ``range(n)``."""
        order = list(range(n))
        self.shuffle(order)
        return order

    def spawn(self, name: str) -> Rng:
        """An independent child stream named ``name``."""
        return Rng(mix(self.seed, hash_text(name)))

    def numpy(self) -> np.random.Generator:
        """A ``numpy.random.Generator`` seeded from this stream's next value."""
        return np.random.Generator(np.random.PCG64(self._next()))


class seeded_globals:  # noqa: N801 - used like a function: ``with seeded_globals(seed):``
    """Seed ``random`` and ``numpy.random`` for foreign code, then restore them.

    Snorkel's TFs and policies draw from the global generators. Run inside this
    block they become reproducible under textaug's seed, and the caller's global
    state is left exactly as it was.

    >>> import random
    >>> before = random.getstate()
    >>> with seeded_globals(7):
    ...     a = random.random()
    >>> with seeded_globals(7):
    ...     b = random.random()
    >>> a == b, random.getstate() == before
    (True, True)
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __enter__(self) -> None:
        import random

        self._saved = (random.getstate(), np.random.get_state())
        random.seed(self.seed)
        np.random.seed(self.seed & 0xFFFFFFFF)

    def __exit__(self, *exc: object) -> None:
        import random

        random.setstate(self._saved[0])
        np.random.set_state(self._saved[1])


class OnTheFly(Sequence[Rng]):
    """:func:`generators`, each made when it is read: a batch's generators do not all live
    at once, so the garbage collector has fewer objects to carry through a batch. Every read
    makes a new generator at its stream's start: for code that reads each one once (the
    applier gives it to the plain ``apply_batch``, which zips it with the records).

    >>> seeds = np.array([7, 8], dtype=np.uint64)
    >>> [g.random() for g in OnTheFly(seeds)] == [g.random() for g in generators(seeds)]
    True
    """

    __slots__ = ("_seeds", "_width")

    def __init__(self, seeds: np.ndarray, ahead: int = 4) -> None:
        self._seeds = seeds
        self._width = ahead

    def __len__(self) -> int:
        return len(self._seeds)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return next(_made(self._seeds[[i]], self._width))

    def __iter__(self) -> Iterator[Rng]:
        return _made(self._seeds, self._width)  # each pass its own generators
