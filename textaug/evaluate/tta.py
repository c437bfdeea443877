"""Test-time augmentation: average a model's probabilities over variants of each text.

Each text gets ``n`` versions: itself and ``n - 1`` variants, each made by one TF drawn
at random. Draws use textaug's own machinery: a read-only :class:`~textaug.Record` and an
:class:`~textaug._rng.Rng` seeded by (seed, text, draw, TF name), so the result is the
same for a seed whatever the order of the texts. A TF that does not apply to a text
leaves that version the original.

Examples
--------
>>> import numpy as np
>>> from textaug import transformation_function
>>> from textaug.evaluate.models import TfidfClassifier
>>> @transformation_function()
... def same(x):
...     return x
>>> texts = ["good film", "great film", "bad film", "awful film"]
>>> clf = TfidfClassifier().fit(texts, np.array([1, 1, 0, 0]))
>>> np.allclose(tta_predict(clf, texts, [same], n=4), clf.predict_proba(texts))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from textaug._rng import Rng, derive_seed, hash_text, mix
from textaug.errors import InvalidParameterError, TransformError, check_param
from textaug.interop import as_tf
from textaug.records import Record
from textaug.tf import TransformationFunction


def tta_predict(model: Any, texts: Sequence[str], tfs: Sequence[Any], n: int = 8,
                seed: int = 0) -> np.ndarray:
    """The class probabilities of each text averaged over ``n`` versions of it.

    Parameters
    ----------
    model
        A fitted classifier with ``predict_proba(texts)``.
    texts
        The texts to classify.
    tfs
        The TFs that make the variants (one drawn per variant); they must not read labels.
    n
        Versions per text, the original included.
    seed
        Seeds the draws.
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise InvalidParameterError(
            f"tta_predict averages probabilities, and {type(model).__name__} has no "
            "predict_proba: pass a classifier that has one.")
    check_param(isinstance(n, int) and not isinstance(n, bool) and n >= 1, "tta_predict", "n",
                "an int >= 1", n)
    functions = label_free(tfs, "tta_predict")
    versions = [list(texts) for _ in range(n)]
    records = [Record({"text": t}) for t in texts]
    for draw in range(1, n):
        versions[draw] = _variants(functions, records, seed, draw)
    flat = [t for i in range(len(texts)) for t in (v[i] for v in versions)]
    proba = np.asarray(model.predict_proba(flat), dtype=float)
    return proba.reshape(len(texts), n, -1).mean(axis=1)


def label_free(tfs: Sequence[Any], owner: str) -> list[TransformationFunction]:
    """The TFs as textaug TFs: at least one, none reading labels."""
    functions = [as_tf(tf) for tf in ([tfs] if not isinstance(tfs, Sequence) else tfs)]
    if not functions:
        raise InvalidParameterError(f"{owner} needs at least one TF. Got an empty list.")
    needy = [tf.name for tf in functions if tf.needs_label]
    if needy:
        raise InvalidParameterError(
            f"TFs {needy} read the row's labels, which {owner} does not have: build them with "
            "label_aware=False.")
    return functions


def _variants(tfs: list[TransformationFunction], records: list[Record], seed: int,
              draw: int) -> list[str]:
    """One variant of each record: a TF drawn per (text, draw), run in one batch per TF."""
    seeds = [mix(derive_seed(seed, rec.text), draw) for rec in records]
    chosen = [Rng(s).integers(len(tfs)) for s in seeds]
    out = [str(rec.text) for rec in records]
    for t, tf in enumerate(tfs):
        members = [i for i, c in enumerate(chosen) if c == t]
        made = transformed(tf, [records[i] for i in members], [seeds[i] for i in members])
        for i, text in zip(members, made, strict=True):
            out[i] = text if text is not None else out[i]
    return out


def transformed(tf: TransformationFunction, records: list[Record],
                seeds: list[int]) -> list[str | None]:
    """``tf`` on each record with a generator from its seed and the TF's name: the new
    text, or None where the TF does not apply; a TF's error is raised."""
    salt = hash_text(tf.name)
    outcomes = tf.apply_batch(records, [Rng(mix(s, salt)) for s in seeds]) if records else []
    texts: list[str | None] = []
    for rec, out in zip(records, outcomes, strict=True):
        if isinstance(out, BaseException):
            raise TransformError(tf.name, rec.key, out) from out
        texts.append(None if out is None or not isinstance(out.text, str) else out.text)
    return texts
