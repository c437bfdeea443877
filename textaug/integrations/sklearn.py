"""A scikit-learn classifier that augments its training data, and only that.

``AugmentingClassifier(estimator, augmenter)`` is a meta-estimator: ``fit(X, y)``
augments the rows it is given and fits a clone of ``estimator`` on them; ``predict``,
``predict_proba``, ``decision_function`` and ``classes_`` are the fitted clone's. Inside
``cross_val_score`` or ``GridSearchCV`` each fit sees only its training fold, so no variant
of a validation row is ever trained on. ``clone``, ``get_params`` and ``set_params`` work as
for any scikit-learn estimator (``estimator__C`` reaches into the estimator).

The class is built on first use, so importing this module does not import scikit-learn
(``pip install 'textaug[sklearn]'``).

Examples
--------
>>> from sklearn.feature_extraction.text import TfidfVectorizer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> from textaug import ApplyOnePolicy, transformation_function
>>> from textaug.integrations.sklearn import AugmentingClassifier
>>> @transformation_function()
... def exclaim(x):
...     return x.replace(text=x.text + " !")
>>> clf = AugmentingClassifier(make_pipeline(TfidfVectorizer(), LogisticRegression()),
...                            ([exclaim], ApplyOnePolicy()), seed=0)
>>> clf = clf.fit(["good film", "great plot", "bad film", "dull plot"], [1, 1, 0, 0])
>>> clf.predict(["good plot"]).tolist(), clf.classes_.tolist(), len(clf.sources_)
([1], [0, 1], 8)
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

from textaug.apply import Augmenter
from textaug.errors import InvalidParameterError
from textaug.loading import require
from textaug.records import IS_ORIGINAL, SOURCE

LABEL = "textaug_label"  # the column carrying y where the augmenter names no label column
_built: dict[str, type] = {}


def texts_of(X: Any, owner: str) -> list[Any]:  # noqa: N803 - scikit-learn's name
    """The texts of ``X``: a list, 1-D array or Series of texts, or a one-column frame."""
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise InvalidParameterError(
                f"{owner} takes texts: a list, a 1-D array, a Series or a one-column DataFrame. "
                f"Got a DataFrame with columns {list(X.columns)}: pass X[['your_text_column']].")
        return cast(list[Any], X.iloc[:, 0].tolist())
    if isinstance(X, str) or np.ndim(X) != 1:
        raise InvalidParameterError(
            f"{owner} takes texts: a list, a 1-D array, a Series or a one-column DataFrame. "
            f"Got {type(X).__name__} with {np.ndim(X)} dimensions.")
    return list(X.tolist() if hasattr(X, "tolist") else X)


def like(X: Any, texts: list[Any]) -> Any:  # noqa: N803 - scikit-learn's name
    """``texts`` in the kind of container ``X`` is (a new RangeIndex for pandas)."""
    if isinstance(X, pd.DataFrame):
        return pd.DataFrame({X.columns[0]: texts})
    if isinstance(X, pd.Series):
        return pd.Series(texts, name=X.name)
    if isinstance(X, np.ndarray):
        return np.array(texts, dtype=X.dtype if X.dtype == object else None)
    return texts


def labels_like(y: Any, labels: list[Any]) -> Any:
    """``labels`` as a Series where ``y`` is one, else as an array."""
    if isinstance(y, pd.Series):
        return pd.Series(labels, name=y.name, dtype=y.dtype)
    return np.asarray(labels, dtype=np.asarray(y).dtype)


def sklearn_class(name: str, methods: type, bases: Callable[[], tuple[type, ...]],
                  namespace: Callable[[], dict[str, Any]] = dict) -> type:
    """The class ``name``: ``methods`` on the scikit-learn ``bases``, built once, with the
    module and name under which pickle finds it again."""
    if name not in _built:
        cls = type(name, (methods, *bases()), {"__module__": methods.__module__,
                                                "__qualname__": name,
                                                "__doc__": methods.__doc__, **namespace()})
        _built[name] = cls
    return _built[name]


class _AugmentingClassifier:
    """A classifier fitted on its training data with augmented rows added.

    Parameters
    ----------
    estimator
        A scikit-learn classifier taking texts (e.g. TF-IDF then logistic regression); a
        clone of it is fitted, the estimator itself never.
    augmenter
        A :class:`textaug.Augmenter` (its seed, text and label columns are used), or a
        ``(tfs, policy)`` pair, run with ``seed``.
    seed
        The seed of a ``(tfs, policy)`` pair.

    Attributes
    ----------
    estimator_
        The fitted clone.
    classes_
        The fitted clone's classes.
    sources_
        For each row the clone was fitted on, the position in ``X`` of its source row.
    report_
        The augmentation's :class:`~textaug.report.AugmentReport`.
    """

    def __init__(self, estimator: Any, augmenter: Any, *, seed: int = 0) -> None:
        self.estimator = estimator
        self.augmenter = augmenter
        self.seed = seed

    def fit(self, X: Any, y: Any) -> Any:  # noqa: N803 - scikit-learn's name
        """Augment ``(X, y)`` and fit a clone of the estimator on the result."""
        runner = self._runner()
        text, label = runner._settings.text, runner._settings.label or LABEL
        texts, labels = texts_of(X, "AugmentingClassifier"), list(np.asarray(y).tolist())
        if len(texts) != len(labels):
            raise InvalidParameterError(
                f"AugmentingClassifier.fit got {len(texts)} texts in X but {len(labels)} labels "
                "in y: pass one label per text.")
        out = runner.augment(pd.DataFrame({text: texts, label: labels}))
        self.estimator_ = require("sklearn.base", "sklearn").clone(self.estimator)
        self.estimator_.fit(like(X, out[text].tolist()), labels_like(y, out[label].tolist()))
        self.classes_ = self.estimator_.classes_
        self.sources_ = out[SOURCE].to_numpy()
        self.n_augmented_ = int((~out[IS_ORIGINAL]).sum())
        self.report_ = runner.report_
        return self

    def _runner(self) -> Augmenter:
        """A shallow copy of the augmenter (its report is the copy's), or one built."""
        if isinstance(self.augmenter, Augmenter):
            return copy.copy(self.augmenter)
        if isinstance(self.augmenter, tuple | list) and len(self.augmenter) == 2:
            tfs, policy = self.augmenter
            return Augmenter(tfs, policy, seed=self.seed, text="text", label=LABEL)
        raise InvalidParameterError(
            "The 'augmenter' parameter of AugmentingClassifier must be a textaug.Augmenter or "
            f"a (tfs, policy) pair. Got {self.augmenter!r}.")

    def predict(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name
        """The fitted clone's predictions."""
        return self.estimator_.predict(X)

    def predict_proba(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name
        """The fitted clone's class probabilities (where the estimator has them)."""
        return self.estimator_.predict_proba(X)

    def predict_log_proba(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name
        """The fitted clone's log class probabilities (where the estimator has them)."""
        return self.estimator_.predict_log_proba(X)

    def decision_function(self, X: Any) -> Any:  # noqa: N803 - scikit-learn's name
        """The fitted clone's decision function (where the estimator has one)."""
        return self.estimator_.decision_function(X)


_DELEGATED = ("predict_proba", "predict_log_proba", "decision_function")


def _bases() -> tuple[type, ...]:
    base = require("sklearn.base", "sklearn")
    return base.ClassifierMixin, base.BaseEstimator


def _delegated() -> dict[str, Any]:
    """The optional methods, present only where the estimator has them (as in Pipeline)."""
    available_if = require("sklearn.utils.metaestimators", "sklearn").available_if

    def has(name: str) -> Callable[[Any], bool]:
        return lambda self: hasattr(getattr(self, "estimator_", self.estimator), name)

    return {name: available_if(has(name))(getattr(_AugmentingClassifier, name))
            for name in _DELEGATED}


def __getattr__(name: str) -> Any:
    if name == "AugmentingClassifier":
        return sklearn_class(name, _AugmentingClassifier, _bases, _delegated)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
