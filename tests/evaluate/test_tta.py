"""tta_predict: averaged probabilities over variants, deterministic for a seed."""

from __future__ import annotations

import numpy as np
import pytest

from textaug import transformation_function
from textaug.errors import InvalidParameterError, TransformError
from textaug.evaluate.models import TfidfClassifier
from textaug.evaluate.tta import tta_predict
from textaug.tfs import random_deletion, random_swap

TEXTS = ["good film and fine acting", "great film with good music", "bad film and poor acting",
         "awful film with bad music"] * 3
CLF = TfidfClassifier().fit(TEXTS, np.array([1, 1, 0, 0] * 3))
TFS = [random_swap(0.3), random_deletion(0.3, min_words=2)]


@transformation_function()
def same(x):
    return x


@transformation_function()
def never(x):
    return None


class Recorder:
    """Probabilities that say which text was asked (its length), and what was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        lengths = np.array([len(t) for t in texts], dtype=float)
        return np.stack([lengths, 100 - lengths], axis=1)


def test_an_identity_tf_gives_predict_proba() -> None:
    assert np.allclose(tta_predict(CLF, TEXTS, [same], n=5), CLF.predict_proba(TEXTS))
    assert np.allclose(tta_predict(CLF, TEXTS, [never], n=5), CLF.predict_proba(TEXTS))


def test_the_original_and_n_minus_one_variants_are_averaged() -> None:
    model = Recorder()
    proba = tta_predict(model, TEXTS[:2], TFS, n=4, seed=1)
    assert len(model.asked) == 8
    first = model.asked[:4]  # the first text's four versions, the original first
    assert first[0] == TEXTS[0] and len(set(first[1:]) - {TEXTS[0]}) >= 1
    assert proba[0, 0] == pytest.approx(np.mean([len(t) for t in first]))


def test_deterministic_for_a_seed_and_independent_of_order() -> None:
    a = tta_predict(CLF, TEXTS[:4], TFS, n=6, seed=3)
    b = tta_predict(CLF, TEXTS[:4][::-1], TFS, n=6, seed=3)[::-1]
    assert np.array_equal(a, b)
    assert not np.array_equal(a, tta_predict(CLF, TEXTS[:4], TFS, n=6, seed=4))
    assert np.allclose(a.sum(axis=1), 1)


def test_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="has no predict_proba"):
        tta_predict(object(), TEXTS, TFS)
    with pytest.raises(InvalidParameterError, match="'n' parameter of tta_predict"):
        tta_predict(CLF, TEXTS, TFS, n=0)
    with pytest.raises(InvalidParameterError, match="at least one TF"):
        tta_predict(CLF, TEXTS, [])


def test_a_tf_that_reads_labels_is_refused() -> None:
    @transformation_function(needs_label=True)
    def tagged(x):
        return x

    with pytest.raises(InvalidParameterError, match=r"TFs \['tagged'\] read the row's labels"):
        tta_predict(CLF, TEXTS, [tagged])


def test_a_tf_error_is_raised_with_its_name() -> None:
    @transformation_function()
    def broken(x):
        raise RuntimeError("boom")

    with pytest.raises(TransformError, match="TF 'broken' failed"):
        tta_predict(CLF, TEXTS, [broken], n=2)
