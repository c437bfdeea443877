"""Tests of the label models: majority vote, Dawid-Skene, snorkel's LabelModel, multi-label."""

from __future__ import annotations

import pickle
import random
import sys
from typing import Any

import numpy as np
import pytest

from textaug.errors import InvalidParameterError
from textaug.labeling.models import (
    DawidSkene,
    LabelModel,
    MajorityVote,
    MultiLabel,
    probs_to_preds,
    tag_matrices,
)


@pytest.fixture
def snorkel_model() -> Any:
    return pytest.importorskip("snorkel.labeling.model")


@pytest.fixture
def sparse() -> Any:
    return pytest.importorskip("scipy.sparse")


def synthetic(accuracies: list[float], n: int = 2000, k: int = 2, coverage: float = 0.7,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A label matrix whose LF j is right with probability accuracies[j] where it votes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(k, size=n)
    m = len(accuracies)
    right = rng.random((n, m)) < np.asarray(accuracies)
    wrong = (y[:, None] + rng.integers(1, k, size=(n, m))) % k
    L = np.where(right, y[:, None], wrong)
    L[rng.random((n, m)) >= coverage] = -1
    return L, y


def random_matrix(n: int = 300, m: int = 5, k: int = 3, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(-1, k, size=(n, m))


def np_state() -> bytes:
    return pickle.dumps(np.random.get_state())


def global_states() -> tuple[object, ...]:
    import torch

    return random.getstate(), np_state(), torch.get_rng_state().tolist()


# --- majority vote ---------------------------------------------------------------------

@pytest.mark.parametrize("k", [2, 3])
def test_majority_vote_predict_matches_snorkel(k: int, snorkel_model: Any) -> None:
    L = random_matrix(k=k)
    L[:5] = -1  # rows where every LF abstains
    ours = MajorityVote(cardinality=k).predict(L)
    theirs = snorkel_model.MajorityLabelVoter(cardinality=k).predict(L, tie_break_policy="abstain")
    assert (ours == theirs).all()
    assert (ours == -1).any() and (ours[:5] == -1).all()


def test_majority_vote_ties_are_the_classes_snorkel_splits(snorkel_model: Any) -> None:
    L = random_matrix(k=3)
    ours = MajorityVote(cardinality=3).predict_proba(L)
    theirs = snorkel_model.MajorityLabelVoter(cardinality=3).predict_proba(L)
    assert ((ours >= ours.max(axis=1, keepdims=True)) == (theirs > 0)).all()


def test_majority_vote_proba_is_vote_shares_and_uniform_when_all_abstain() -> None:
    L = np.array([[0, 1, 1, -1], [-1, -1, -1, -1], [2, 2, -1, -1]])
    probs = MajorityVote(cardinality=3).predict_proba(L)
    third = 1 / 3
    assert np.allclose(probs, [[third, 2 * third, 0.0], [third] * 3, [0.0, 0.0, 1.0]])


def test_majority_vote_fit_is_a_no_op_returning_self() -> None:
    model = MajorityVote()
    assert model.fit(np.array([[0, 1]])) is model


def test_tie_break_first_takes_the_lowest_tied_class() -> None:
    L = np.array([[2, 1, -1], [-1, -1, -1], [0, 2, 2]])
    assert MajorityVote(cardinality=3).predict(L, tie_break="first").tolist() == [1, 0, 2]


def test_tie_break_random_is_seeded_picks_a_tied_class_and_keeps_global_state() -> None:
    L = np.tile([[0, 1, 2, -1]], (200, 1))
    model = MajorityVote(cardinality=3)
    before = random.getstate(), np_state()
    preds = model.predict(L, tie_break="random", seed=3)
    assert (random.getstate(), np_state()) == before
    assert (preds == model.predict(L, tie_break="random", seed=3)).all()
    assert set(preds.tolist()) == {0, 1, 2}
    assert not (preds == model.predict(L, tie_break="random", seed=4)).all()
    assert (MajorityVote(cardinality=3, seed=3).predict(L, tie_break="random") == preds).all()


def test_sparse_matrix_in_snorkel_layout_equals_dense(sparse: Any) -> None:
    L = random_matrix()
    dense = MajorityVote(cardinality=3).predict_proba(L)
    assert np.array_equal(MajorityVote(cardinality=3).predict_proba(sparse.csr_matrix(L + 1)),
                          dense)


def test_empty_matrix_gives_no_rows() -> None:
    L = np.empty((0, 4), dtype=int)
    assert MajorityVote().predict(L).shape == (0,)
    assert DawidSkene(seed=0).fit(L).predict_proba(L).shape == (0, 2)


# --- parameters ------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda: MajorityVote(cardinality=1),
    lambda: MajorityVote(cardinality=True),
    lambda: DawidSkene(seed=-1),
    lambda: DawidSkene(seed=1.5),  # type: ignore[arg-type]
    lambda: DawidSkene(max_iter=0),
    lambda: DawidSkene(tol=0),
    lambda: DawidSkene(smoothing=0),
    lambda: LabelModel(epochs=10),
    lambda: LabelModel(seed=0, lr=0.01, foo=1),
    lambda: MultiLabel(threshold=1.0),
    lambda: MultiLabel(model_factory="majority"),  # type: ignore[arg-type]
])
def test_bad_parameters_fail_at_construction(make: object) -> None:
    with pytest.raises(InvalidParameterError, match=r"The '\w+' parameter of \w+ must be"):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("L", [
    np.array([0, 1, -1]),
    np.array([[0.0, 1.0]]),
    np.array([[0, 2]]),
    np.array([[-2, 0]]),
])
def test_bad_label_matrix_is_refused_clearly(L: np.ndarray) -> None:
    with pytest.raises(InvalidParameterError, match="'L' parameter of MajorityVote"):
        MajorityVote().predict_proba(L)


def test_bad_tie_break_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="'tie_break'"):
        MajorityVote().predict(np.array([[0]]), tie_break="lowest")  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [DawidSkene(seed=0), LabelModel(seed=0)])
def test_predict_before_fit_says_to_fit(model: DawidSkene | LabelModel) -> None:
    with pytest.raises(InvalidParameterError, match=r"not fitted yet: call fit\(L\)"):
        model.predict(np.array([[0, 1]]))


# --- Dawid-Skene -----------------------------------------------------------------------

def test_dawid_skene_beats_majority_vote_when_lf_quality_differs() -> None:
    accuracies = [0.9, 0.85, 0.9, 0.35, 0.35, 0.35, 0.4, 0.4]
    L, y = synthetic(accuracies)
    ds = DawidSkene(seed=0).fit(L)
    mv_acc = (MajorityVote().predict(L, tie_break="first") == y).mean()
    ds_acc = (ds.predict(L, tie_break="first") == y).mean()
    assert ds_acc > mv_acc + 0.1
    votes = ds.confusion_[:, :, :2]  # the last outcome is the abstain
    right = votes[:, [0, 1], [0, 1]] / votes.sum(axis=2)  # P(vote = class | class, voted)
    assert np.allclose(right.mean(axis=1), accuracies, atol=0.05)


def test_dawid_skene_multiclass_learns_the_class_prior() -> None:
    L, y = synthetic([0.8, 0.7, 0.6, 0.9, 0.5], k=3, seed=2)
    ds = DawidSkene(cardinality=3, seed=0).fit(L)
    assert np.allclose(ds.class_prior_, np.bincount(y) / len(y), atol=0.05)
    assert (ds.predict(L, tie_break="first") == y).mean() > 0.85


def test_dawid_skene_is_deterministic_for_a_seed() -> None:
    L, _ = synthetic([0.9, 0.6, 0.3, 0.7], n=500)
    a, b = DawidSkene(seed=5).fit(L), DawidSkene(seed=5).fit(L)
    assert np.array_equal(a.predict_proba(L), b.predict_proba(L))
    assert np.array_equal(a.predict(L, tie_break="random"), b.predict(L, tie_break="random"))
    assert 1 <= a.n_iter_ <= a.max_iter


def test_dawid_skene_abstains_modelled_or_ignored_and_the_lf_count_checked() -> None:
    L, _ = synthetic([0.9, 0.8, 0.7], n=400)
    classic = DawidSkene(seed=0, abstains="ignored").fit(L)
    assert classic.confusion_.shape == (3, 2, 2)
    assert np.allclose(classic.predict_proba(np.full((2, 3), -1)), classic.class_prior_)
    ds = DawidSkene(seed=0).fit(L)
    silent = ds.class_prior_ * ds.confusion_[:, :, 2].prod(axis=0)  # every LF abstains
    assert np.allclose(ds.predict_proba(np.full((2, 3), -1)), silent / silent.sum())
    with pytest.raises(InvalidParameterError, match="3 LF columns"):
        ds.predict_proba(L[:, :2])
    with pytest.raises(InvalidParameterError, match="'abstains'"):
        DawidSkene(abstains="skipped")


def test_dawid_skene_learns_from_when_one_class_lfs_vote() -> None:
    """Keyword-like LFs each vote one class or abstain; only their abstains tell the
    classes apart, which the classic model cannot see (every row gets one class)."""
    rng = np.random.default_rng(7)
    y = rng.choice(3, size=900, p=[0.25, 0.45, 0.3])
    hits = np.array([[0.6, 0.05, 0.05], [0.05, 0.5, 0.05], [0.04, 0.06, 0.55]])  # LF x class
    L = np.where(rng.random((900, 3)) < hits[:, y].T, np.arange(3), -1)
    voted = (L != -1).any(axis=1)
    classic = DawidSkene(3, seed=0, abstains="ignored").fit(L).predict(L, tie_break="first")
    assert len(set(classic[voted].tolist())) == 1
    ds = DawidSkene(3, seed=0).fit(L).predict(L, tie_break="first")
    mv = MajorityVote(3).predict(L, tie_break="first")
    assert (ds[voted] == y[voted]).mean() >= (mv[voted] == y[voted]).mean() - 0.01
    assert (ds[voted] == y[voted]).mean() > 0.8


# --- snorkel's LabelModel --------------------------------------------------------------

def test_label_model_equals_snorkel_fitted_with_the_same_seed(snorkel_model: Any) -> None:
    L, y = synthetic([0.9, 0.8, 0.7, 0.6], n=500)
    ours = LabelModel(seed=11, n_epochs=50).fit(L)
    theirs = snorkel_model.LabelModel(cardinality=2, verbose=False)
    theirs.fit(L, seed=11, n_epochs=50, progress_bar=False)
    assert np.allclose(ours.predict_proba(L), theirs.predict_proba(L))
    assert (ours.predict(L, tie_break="first") == y).mean() > 0.85


def test_label_model_is_seeded_and_keeps_the_callers_global_rng_state(snorkel_model: Any) -> None:
    L, _ = synthetic([0.9, 0.7, 0.6], n=300)
    random.seed(123)
    np.random.seed(123)
    before = global_states()
    a = LabelModel(seed=3, n_epochs=20).fit(L).predict_proba(L)
    assert global_states() == before
    assert np.array_equal(a, LabelModel(seed=3, n_epochs=20).fit(L).predict_proba(L))


def test_label_model_records_a_drawn_seed() -> None:
    model = LabelModel(n_epochs=5)
    assert isinstance(model.seed, int) and "seed=" in repr(model)


# --- multi-label -----------------------------------------------------------------------

def test_multilabel_recombines_tags_per_row() -> None:
    Ls = {"nlp": np.array([[1, -1], [0, 0], [1, 0], [-1, -1]]),
          "cv": np.array([[1], [1], [-1], [0]])}
    model = MultiLabel().fit(Ls)
    assert model.predict(Ls) == [["nlp", "cv"], ["cv"], [], []]
    probs = model.predict_proba(Ls)
    assert probs["nlp"].tolist() == [1.0, 0.0, 0.5, 0.5]
    # P = 0.5 passes a 0.4 threshold, but a row where every LF of a tag abstains never gets it
    assert MultiLabel(threshold=0.4).fit(Ls).predict(Ls)[2:] == [["nlp"], []]


def test_multilabel_with_dawid_skene_per_tag() -> None:
    L_a, y_a = synthetic([0.9, 0.85, 0.35, 0.35, 0.4], n=600, seed=3)
    L_b, y_b = synthetic([0.9, 0.9, 0.9, 0.9], n=600, seed=4)
    model = MultiLabel(lambda: DawidSkene(seed=0)).fit({"a": L_a, "b": L_b})
    tags = model.predict({"a": L_a, "b": L_b})
    assert np.mean([("a" in t) == bool(ya) for t, ya in zip(tags, y_a, strict=True)]) > 0.8
    assert np.mean([("b" in t) == bool(yb) for t, yb in zip(tags, y_b, strict=True)]) > 0.85
    assert set(model.models_) == {"a", "b"}


def test_multilabel_checks_its_input() -> None:
    with pytest.raises(InvalidParameterError, match="not fitted yet"):
        MultiLabel().predict({"a": np.array([[1]])})
    with pytest.raises(InvalidParameterError, match="one row count"):
        MultiLabel().fit({"a": np.array([[1]]), "b": np.array([[1], [0]])})
    model = MultiLabel().fit({"a": np.array([[1]])})
    with pytest.raises(InvalidParameterError, match=r"no matrix for \['a'\]"):
        model.predict({"b": np.array([[1]])})
    with pytest.raises(InvalidParameterError, match="tag 'a'"):
        MultiLabel().fit({"a": np.array([[2]])})


def test_multilabel_positive_only_lfs_tag_only_rows_with_votes() -> None:
    rng = np.random.default_rng(0)
    L = np.where(rng.random((400, 3)) < 0.2, 1, -1)  # keyword LFs: tag (1) or abstain
    Ls = tag_matrices(L, ["nlp", "nlp", "cv"])
    for factory in (MajorityVote, lambda: DawidSkene(seed=0)):
        model = MultiLabel(factory).fit(Ls)
        tags = model.predict(Ls)
        assert [("nlp" in t) for t in tags] == (L[:, :2] != -1).any(axis=1).tolist()
        assert [("cv" in t) for t in tags] == (L[:, 2] != -1).tolist()


def test_tag_matrices_split_one_vote_per_tag_lfs(sparse: Any) -> None:
    L = np.array([[0, -1, 1], [-1, 1, -1], [2, -1, -1]])
    out = tag_matrices(sparse.csr_matrix(L + 1), ["x", "y", "x"])
    # 0: "not this tag"; any other vote: "this tag"
    assert out["x"].tolist() == [[0, 1], [-1, -1], [1, -1]]
    assert out["y"].tolist() == [[-1], [1], [-1]]
    with pytest.raises(InvalidParameterError, match="one tag per LF column"):
        tag_matrices(L, ["x"])


def test_probs_to_preds_tolerates_float_noise_in_ties() -> None:
    probs = np.array([[0.5, 0.5 - 1e-9], [0.3, 0.7]])
    assert probs_to_preds(probs).tolist() == [-1, 1]



def test_first_fit_keeps_global_state_through_snorkels_import(
        monkeypatch: pytest.MonkeyPatch, snorkel_model: Any) -> None:
    # importing snorkel's label model draws a default seed from numpy's global generator
    import snorkel.labeling

    monkeypatch.setattr(snorkel.labeling, "model", snorkel.labeling.model)
    for name in ("snorkel.labeling.model", "snorkel.labeling.model.label_model"):
        monkeypatch.delitem(sys.modules, name)
    L = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]] * 5)
    before = global_states()
    LabelModel(seed=0, n_epochs=5).fit(L)
    assert "snorkel.labeling.model.label_model" in sys.modules  # it was imported again
    assert global_states() == before


def test_the_appliers_matrix_dense_or_sparse_feeds_the_models(sparse: Any) -> None:
    pd = pytest.importorskip("pandas")
    from textaug.labeling.applier import apply_lfs
    from textaug.labeling.lf import regex_lf

    df = pd.DataFrame({"text": ["a GAN for images", "BERT for text", "a GAN and BERT", "none"]})
    lfs = [regex_lf("gan", r"\bGAN\b", 0), regex_lf("image", r"image", 0),
           regex_lf("bert", r"\bBERT\b", 1)]
    result = apply_lfs(df, lfs)
    for model in (MajorityVote(), DawidSkene(seed=0).fit(result.L)):
        assert np.array_equal(model.predict_proba(result.sparse()), model.predict_proba(result.L))
    assert MajorityVote().predict(result.L).tolist() == [0, 1, -1, -1]


def test_label_model_with_fewer_than_three_lfs_is_one_clear_error():
    pytest.importorskip("snorkel")
    with pytest.raises(InvalidParameterError, match="needs at least 3 LFs; L has 2.*MajorityVote"):
        LabelModel(seed=0).fit(np.array([[0, 1], [1, 1], [0, -1]]))
