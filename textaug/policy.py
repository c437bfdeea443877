"""Apply-policies: which TF sequences each row gets.

Policies are written as in snorkel (``ApplyOnePolicy(n_per_original=5,
keep_original=True)``) but are bound to the TFs by the applier, by name: a policy
never needs ``n_tfs``, and weights are given per TF name. Every draw comes from the
row's derived generator, never from global state.

Examples
--------
>>> from textaug._rng import Rng
>>> bound = RandomPolicy(sequence_length=2, n_per_original=3).bind(["a", "b"])
>>> seqs = bound.sequences(Rng(0), ())
>>> len(seqs), all(len(s) == 2 for s in seqs)
(3, True)
>>> ApplyEachPolicy().bind(["a", "b"]).sequences(Rng(0), ())
[(0,), (1,)]
"""

from __future__ import annotations

import copy
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from textaug._rng import Rng
from textaug.errors import InvalidParameterError, TextaugWarning, check_param

Sequences = list[tuple[int, ...]]
# Past these a run is a typo or a runaway, not a plan: 10,000 variants of one row are
# near copies of each other (run again with another seed for more).
MAX_PER_ORIGINAL = 10_000
MAX_SEQUENCE_LENGTH = 100


class Policy:
    """Base class: ``n_per_original`` draws per row, plus the original if ``keep_original``."""

    def __init__(self, n_per_original: int = 1, keep_original: bool = True) -> None:
        name = type(self).__name__
        check_param(_is_int(n_per_original) and 0 <= n_per_original <= MAX_PER_ORIGINAL, name,
                    "n_per_original", f"an int from 0 to {MAX_PER_ORIGINAL:,}", n_per_original)
        check_param(isinstance(keep_original, bool), name, "keep_original", "a bool",
                    keep_original)
        self.n_per_original = n_per_original
        self.keep_original = keep_original

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"

    def bind(self, tf_names: Sequence[str]) -> BoundPolicy:
        """Bind to the TFs, checking that the policy can use them."""
        if not tf_names:
            raise InvalidParameterError("augment() needs at least one TF. Got an empty list.")
        return BoundPolicy(self, list(tf_names))

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        """The TF index sequences for one row."""
        raise NotImplementedError

    def fixed_sequences(self, n_tfs: int) -> Sequences | None:
        """The sequences of every row, where they draw nothing and read no label (so the
        applier plans a batch of rows at once); None where each row gets its own."""
        return None


class BoundPolicy:
    """A policy together with the names of the TFs it indexes."""

    def __init__(self, policy: Policy, tf_names: list[str]) -> None:
        self.policy = policy
        self.tf_names = tf_names
        self.keep_original = policy.keep_original

    def sequences(self, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        return self.policy.sequences(len(self.tf_names), rng, labels)

    def fixed_sequences(self) -> Sequences | None:
        return self.policy.fixed_sequences(len(self.tf_names))


class ApplyAllPolicy(Policy):
    """Apply every TF, in order, ``n_per_original`` times.

    >>> ApplyAllPolicy(n_per_original=2).bind(["a", "b"]).sequences(Rng(0), ())
    [(0, 1), (0, 1)]
    """

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        return self.fixed_sequences(n_tfs)

    def fixed_sequences(self, n_tfs: int) -> Sequences:
        return [tuple(range(n_tfs))] * self.n_per_original


class ApplyOnePolicy(ApplyAllPolicy):
    """Apply the one TF ``n_per_original`` times (the lesson's policy).

    Given several TFs it uses the first only, as snorkel does, and warns.
    """

    def bind(self, tf_names: Sequence[str]) -> BoundPolicy:
        if len(tf_names) > 1:
            warnings.warn(
                f"ApplyOnePolicy applies only the first TF ({tf_names[0]!r}); "
                f"{list(tf_names[1:])} are never used. Use RandomPolicy or ApplyEachPolicy "
                "to use every TF.",
                TextaugWarning,
                stacklevel=3,
            )
        return super().bind(tf_names[:1])

    def fixed_sequences(self, n_tfs: int) -> Sequences:
        return [(0,)] * self.n_per_original


class ApplyEachPolicy(Policy):
    """Apply each TF on its own, ``n_per_original`` times each."""

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        return self.fixed_sequences(n_tfs)

    def fixed_sequences(self, n_tfs: int) -> Sequences:
        return [(i,) for i in range(n_tfs) for _ in range(self.n_per_original)]


class RandomPolicy(Policy):
    """Sequences of ``sequence_length`` TFs drawn uniformly, with replacement."""

    def __init__(
        self, sequence_length: int = 1, n_per_original: int = 1, keep_original: bool = True
    ) -> None:
        super().__init__(n_per_original, keep_original)
        check_param(_is_int(sequence_length) and 1 <= sequence_length <= MAX_SEQUENCE_LENGTH,
                    type(self).__name__, "sequence_length",
                    f"an int from 1 to {MAX_SEQUENCE_LENGTH}", sequence_length)
        self.sequence_length = sequence_length

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        return [self._draw(n_tfs, rng) for _ in range(self.n_per_original)]

    def fixed_sequences(self, n_tfs: int) -> Sequences | None:
        if n_tfs > 1 or type(self)._draw is not RandomPolicy._draw:
            return None
        return [(0,) * self.sequence_length] * self.n_per_original

    def _draw(self, n_tfs: int, rng: Rng) -> tuple[int, ...]:
        if n_tfs == 1:  # every draw is 0 (the generator serves nothing else: no draw needed)
            return (0,) * self.sequence_length
        if self.sequence_length == 1:
            return (rng.integers(n_tfs),)
        return tuple(rng.integers(n_tfs) for _ in range(self.sequence_length))


class MeanFieldPolicy(RandomPolicy):
    """Sequences drawn with a probability per TF, given by TF name.

    >>> policy = MeanFieldPolicy({"swap": 3, "typo": 1}, n_per_original=2)
    >>> policy.bind(["typo", "swap"]).policy.probabilities  # bound to a copy, by name
    [0.25, 0.75]
    """

    def __init__(
        self,
        weights: Mapping[str, float],
        sequence_length: int = 1,
        n_per_original: int = 1,
        keep_original: bool = True,
    ) -> None:
        super().__init__(sequence_length, n_per_original, keep_original)
        check_param(isinstance(weights, Mapping), "MeanFieldPolicy", "weights",
                    "a mapping from TF name to weight, e.g. {'swap_aliases': 0.7}", weights)
        bad = {k: v for k, v in weights.items() if not _is_number(v) or v < 0}
        check_param(not bad and sum(weights.values()) > 0, "MeanFieldPolicy", "weights",
                    "non-negative numbers with a positive sum", dict(weights))
        self.weights = dict(weights)
        self.probabilities: list[float] = []

    def bind(self, tf_names: Sequence[str]) -> BoundPolicy:
        unknown = sorted(set(self.weights) - set(tf_names))
        missing = [name for name in tf_names if name not in self.weights]
        if unknown or missing:
            raise InvalidParameterError(
                f"MeanFieldPolicy weights must name each TF once. Unknown: {unknown}; "
                f"missing: {missing}. TF names: {list(tf_names)}."
            )
        total = sum(self.weights[name] for name in tf_names)
        if total <= 0:
            raise InvalidParameterError("MeanFieldPolicy weights of the TFs given sum to 0.")
        bound = copy.copy(self)  # the caller's policy stays unbound, reusable with other TFs
        bound.probabilities = [self.weights[name] / total for name in tf_names]
        return Policy.bind(bound, tf_names)

    def _draw(self, n_tfs: int, rng: Rng) -> tuple[int, ...]:
        indices = range(n_tfs)
        return tuple(rng.choice(indices, self.probabilities) for _ in range(self.sequence_length))


class ClassBalancedPolicy(RandomPolicy):
    """More draws for rows of rare labels, up to ``target`` rows per label.

    A label seen ``c`` times needs ``target - c`` more rows, spread over its ``c``
    rows: each gets ``(target - c) / c`` draws on average (randomised rounding, so
    the total hits the target in expectation). A multi-label row gets the draws its
    rarest label needs. ``counts`` is computed from the frame by ``augment``; give it
    for streaming, where no single chunk sees every row.

    >>> policy = ClassBalancedPolicy(counts={"cv": 8, "nlp": 2}, target=8)
    >>> policy.draws_for(("nlp",), Rng(0)), policy.draws_for(("cv",), Rng(0))
    (3, 0)
    """

    def __init__(
        self,
        target: int | None = None,
        counts: Mapping[Any, int] | None = None,
        max_per_original: int = 20,
        sequence_length: int = 1,
        weights: Mapping[str, float] | None = None,
        keep_original: bool = True,
    ) -> None:
        super().__init__(sequence_length, 0, keep_original)
        name = "ClassBalancedPolicy"
        check_param(target is None or (_is_int(target) and target >= 1), name, "target",
                    "None (the largest label count) or an int >= 1", target)
        check_param(_is_int(max_per_original) and 1 <= max_per_original <= MAX_PER_ORIGINAL,
                    name, "max_per_original", f"an int from 1 to {MAX_PER_ORIGINAL:,}",
                    max_per_original)
        self.target = target
        self.max_per_original = max_per_original
        self.counts: dict[Any, int] | None = None if counts is None else dict(counts)
        self._inner = None if weights is None else MeanFieldPolicy(weights, sequence_length)

    def bind(self, tf_names: Sequence[str]) -> BoundPolicy:
        bound = copy.copy(self)
        if self._inner is not None:
            bound._inner = self._inner.bind(tf_names).policy  # type: ignore[assignment]
        return Policy.bind(bound, tf_names)

    def fit(self, labels: Iterable[tuple[Any, ...]]) -> ClassBalancedPolicy:
        """Count the labels of a whole training split (``augment`` does this for you)."""
        counts: Counter[Any] = Counter()
        for row_labels in labels:
            counts.update(set(row_labels))
        self.counts = dict(counts)
        return self

    def draws_for(self, labels: tuple[Any, ...], rng: Rng) -> int:
        """How many augmentations a row with these labels gets."""
        if self.counts is None:
            raise InvalidParameterError(
                "ClassBalancedPolicy has no label counts: pass counts=... or call .fit(labels)."
            )
        known = [self.counts[label] for label in set(labels) if self.counts.get(label)]
        if not known:
            return 0
        target = self.target or max(self.counts.values())
        rarest = min(known)
        need = max(target - rarest, 0) / rarest
        draws = math.floor(need) + (rng.random() < need - math.floor(need))
        return min(draws, self.max_per_original)

    def fixed_sequences(self, n_tfs: int) -> Sequences | None:
        return None  # the draws per row follow its labels

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        draw = self._inner._draw if self._inner is not None else self._draw
        return [draw(n_tfs, rng) for _ in range(self.draws_for(labels, rng))]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
