"""Snorkel interop: run snorkel's TFs and policies in textaug's applier.

The other direction needs nothing here: a textaug TF called with a ``pandas.Series``
returns a Series, so snorkel's ``PandasTFApplier`` runs it as it is.

Snorkel's TFs and policies draw from the global ``random``/``numpy`` generators; here
each call runs under :class:`~textaug._rng.seeded_globals` with a derived seed, so
the result is reproducible and the caller's global state is untouched.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from textaug._rng import Rng, seeded_globals
from textaug.errors import InvalidParameterError
from textaug.policy import (
    ApplyAllPolicy,
    ApplyEachPolicy,
    ApplyOnePolicy,
    MeanFieldPolicy,
    Policy,
    RandomPolicy,
    Sequences,
)
from textaug.records import Record, same_value
from textaug.tf import TransformationFunction


def _is_snorkel(obj: object) -> bool:
    """Whether ``obj`` is an instance of a snorkel class (or of a subclass of one)."""
    return any(cls.__module__.split(".")[0] == "snorkel" for cls in type(obj).__mro__)


def as_tf(obj: object) -> TransformationFunction:
    """A textaug TF, or a snorkel TF wrapped to run in textaug's applier."""
    if isinstance(obj, TransformationFunction):
        return obj
    if _is_snorkel(obj) and callable(obj) and hasattr(obj, "name"):
        return TransformationFunction(_run_snorkel_tf, name=obj.name, resources={"snorkel_tf": obj})
    raise InvalidParameterError(
        f"augment() takes TFs made with @textaug.transformation_function, textaug.tfs "
        f"factories or snorkel TFs. Got {obj!r}: decorate it with "
        "@textaug.transformation_function()."
    )


def _run_snorkel_tf(x: Record, rng: Rng, snorkel_tf: Any) -> Record | None:
    """Run a snorkel TF on a Series of the row (named by the row's key, as under snorkel);
    every field whose value it changed, in place or not, is a change."""
    row = pd.Series(dict(x), dtype=object, name=x.key)
    with seeded_globals(rng.integers(1 << 62)):
        out = snorkel_tf(row)
    if out is None:
        return None
    changed = {name: out[name] for name in out.index
               if name not in x or not same_value(out[name], x.raw(name))}
    return Record(x._row, x.text_field, x.label_field, {**x.changes, **changed}, x.key)


def as_policy(policy: Any, tf_names: list[str]) -> Policy:
    """A textaug policy; snorkel's are translated, binding MeanField's ``p`` to TF names."""
    if policy is None:
        return RandomPolicy()
    if isinstance(policy, Policy):
        return policy
    if not _is_snorkel(policy):
        raise InvalidParameterError(
            f"policy must be a textaug or snorkel policy, e.g. ApplyOnePolicy(n_per_original=5). "
            f"Got {policy!r}."
        )
    common = {"keep_original": bool(policy.keep_original)}
    kind = type(policy).__name__
    n_tfs = getattr(policy, "n", len(tf_names))
    if kind not in ("ApplyOnePolicy", "MeanFieldPolicy") and n_tfs != len(tf_names):
        raise InvalidParameterError(
            f"snorkel's {kind} was built with n_tfs={n_tfs} but augment() got {len(tf_names)} "
            f"TFs {tf_names}: build it with n_tfs={len(tf_names)}, or pass only the TFs it "
            "should apply.")
    if kind == "ApplyOnePolicy":
        return ApplyOnePolicy(int(policy.n_per_original), **common)
    if kind == "ApplyAllPolicy":
        return ApplyAllPolicy(int(policy.n_per_original), **common)
    if kind == "ApplyEachPolicy":
        return ApplyEachPolicy(**common)
    if kind == "RandomPolicy":
        return RandomPolicy(int(policy.sequence_length), int(policy.n_per_original), **common)
    if kind == "MeanFieldPolicy":
        p = policy._p if policy._p is not None else [1.0] * n_tfs
        if len(p) != len(tf_names):
            raise InvalidParameterError(
                f"snorkel MeanFieldPolicy has {len(p)} probabilities for {len(tf_names)} TFs."
            )
        weights = dict(zip(tf_names, map(float, p), strict=True))
        return MeanFieldPolicy(weights, int(policy.sequence_length), int(policy.n_per_original),
                               **common)
    return SnorkelPolicy(policy)


class SnorkelPolicy(Policy):
    """Any other snorkel policy, run under a seeded global state."""

    def __init__(self, policy: Any) -> None:
        super().__init__(int(policy.n_per_original), keep_original=False)
        self.keep_original = bool(policy.keep_original)
        self._policy = policy

    def sequences(self, n_tfs: int, rng: Rng, labels: tuple[Any, ...]) -> Sequences:
        with seeded_globals(rng.integers(1 << 62)):
            seqs = self._policy.generate_for_example()
        return [tuple(seq) for seq in seqs if seq]
