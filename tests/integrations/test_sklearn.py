"""AugmentingClassifier: augments training folds only; clone and grid search work."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from textaug import Augmenter, RandomPolicy, transformation_function
from textaug.errors import InvalidParameterError

pytest.importorskip("sklearn")
from sklearn.base import BaseEstimator, ClassifierMixin, clone  # noqa: E402
from sklearn.compose import make_column_transformer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from textaug.integrations.sklearn import AugmentingClassifier  # noqa: E402

FITS: list[list[str]] = []  # what each SpyClassifier fit saw (clones share this list)


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Records the texts it is fitted on; predicts the majority class."""

    def fit(self, X, y):  # noqa: N803
        FITS.append(list(X))
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[counts.argmax()]
        return self

    def predict(self, X):  # noqa: N803
        return np.full(len(X), self.majority_)


@transformation_function()
def tag(x, rng):
    """Append a random marker, so each variant differs."""
    return x.replace(text=f"{x.text} v{rng.integers(1000)}")


def _data(n: int = 24) -> tuple[list[str], np.ndarray]:
    good, bad = ["good", "great", "fine", "lovely"], ["bad", "dull", "awful", "poor"]
    y = np.array([i % 2 for i in range(n)])
    texts = [f"row{i} {(good if y[i] else bad)[i % 4]} film" for i in range(n)]
    return texts, y


def _pipeline() -> object:
    return make_pipeline(TfidfVectorizer(), LogisticRegression())


def test_cross_val_score_never_trains_on_a_validation_rows_variant() -> None:
    X, y = _data()
    cv = KFold(4, shuffle=True, random_state=0)
    clf = AugmentingClassifier(SpyClassifier(), ([tag], RandomPolicy(n_per_original=2)), seed=3)
    FITS.clear()
    scores = cross_val_score(clf, X, y, cv=cv)
    assert len(scores) == 4 and len(FITS) == 4
    for seen, (train, _) in zip(FITS, cv.split(X), strict=True):
        sources = {int(text.split()[0][3:]) for text in seen}
        assert sources == set(train.tolist())  # every training row, no validation row
        assert len(seen) == 3 * len(train)  # the originals and two variants each
        assert len(set(seen)) == len(seen)


def test_clone_and_params() -> None:
    clf = AugmentingClassifier(_pipeline(), ([tag], RandomPolicy()), seed=1)
    twin = clone(clf)
    assert twin is not clf and twin.get_params()["seed"] == 1
    assert "estimator__logisticregression__C" in clf.get_params()
    clf.set_params(estimator__logisticregression__C=5.0, seed=2)
    assert clf.estimator.steps[1][1].C == 5.0 and clf.seed == 2


def test_grid_search_over_an_estimator_param() -> None:
    X, y = _data()
    clf = AugmentingClassifier(_pipeline(), ([tag], RandomPolicy(n_per_original=2)), seed=0)
    search = GridSearchCV(clf, {"estimator__logisticregression__C": [0.01, 10.0]}, cv=3)
    search.fit(X, y)
    assert search.best_params_["estimator__logisticregression__C"] in (0.01, 10.0)
    best = search.best_estimator_
    assert best.n_augmented_ == 2 * len(X) and best.classes_.tolist() == [0, 1]
    assert best.predict(["good great fine lovely", "bad dull awful poor"]).tolist() == [1, 0]


def test_same_seed_same_model_and_delegated_methods() -> None:
    X, y = _data()
    augmenter = Augmenter([tag], RandomPolicy(n_per_original=2), seed=5, label="y")
    first = AugmentingClassifier(_pipeline(), augmenter).fit(pd.Series(X), y)
    second = AugmentingClassifier(_pipeline(), augmenter).fit(pd.Series(X), y)
    assert np.array_equal(first.predict_proba(X), second.predict_proba(X))
    assert augmenter.report_.input_rows == 0  # the caller's augmenter is left as it was
    assert first.report_.input_rows == len(X)
    assert first.sources_.tolist()[:3] == [0, 0, 0]
    svc = AugmentingClassifier(make_pipeline(TfidfVectorizer(), LinearSVC()), augmenter)
    assert not hasattr(svc, "predict_proba") and hasattr(svc, "decision_function")


def test_one_column_frame_reaches_the_estimator_as_a_frame_and_pickles() -> None:
    X, y = _data()
    frame = pd.DataFrame({"review": X})
    estimator = make_pipeline(make_column_transformer((TfidfVectorizer(), "review")),
                              LogisticRegression())
    clf = AugmentingClassifier(estimator, ([tag], RandomPolicy()), seed=0).fit(frame, y)
    assert clf.n_augmented_ == len(X)
    again = pickle.loads(pickle.dumps(clf))
    assert again.predict(frame).tolist() == clf.predict(frame).tolist()


def test_errors_name_the_fix() -> None:
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="Augmenter or a"):
        AugmentingClassifier(_pipeline(), [tag]).fit(X, y)
    with pytest.raises(InvalidParameterError, match="one-column DataFrame"):
        AugmentingClassifier(_pipeline(), ([tag], None)).fit(pd.DataFrame({"a": X, "b": X}), y)
    with pytest.raises(InvalidParameterError, match="one label per text"):
        AugmentingClassifier(_pipeline(), ([tag], None)).fit(X, y[:3])


def test_importing_the_module_does_not_import_sklearn() -> None:
    code = ("import sys, textaug.integrations.sklearn; "
            "assert 'sklearn' not in sys.modules, 'sklearn imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
