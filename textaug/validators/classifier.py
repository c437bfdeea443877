"""Classifier agreement: keep a candidate only if a classifier still predicts the row's label.

The classifier is scikit-learn style (an estimator or Pipeline that takes raw texts) or
a callable ``texts -> predictions``. Single-label predictions must be one of the row's
labels; multi-label predictions (a collection per text, or a 0/1 indicator matrix) must
contain all of them. With ``predict_proba`` the score is the model's confidence in the
row's label. A candidate without text, or a row without a label, is rejected, not raised
on: its reason says which, and the report counts it.

Examples
--------
>>> import numpy as np
>>> class Keywords:  # the scikit-learn protocol, as a fitted Pipeline has it
...     classes_ = np.array(["cv", "nlp"])
...     def predict_proba(self, texts):
...         return np.array([[0.2, 0.8] if "text" in t else [0.9, 0.1] for t in texts])
...     def predict(self, texts):
...         return self.classes_[self.predict_proba(texts).argmax(axis=1)]
>>> check = classifier_agreement(Keywords())
>>> check({"text": "text parsing", "label": "nlp"}, "parsing text")
Verdict(accepted=True, reason='', score=0.8)
>>> print(check({"text": "text parsing", "label": "nlp"}, "image pixels"))
rejected: predicted 'cv' (0.90), row's label 'nlp' (0.10)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from textaug.errors import InvalidParameterError, check_param
from textaug.records import Record
from textaug.validators.base import Validator, Verdict, text_of

COLLECTIONS = (list, tuple, set, frozenset, np.ndarray)


def classifier_agreement(
    model: Any, *, min_confidence: float | None = None, classes: Sequence[Any] | None = None,
    batch_size: int = 256, name: str = "classifier_agreement",
) -> ClassifierAgreement:
    """Accept a candidate when ``model`` still predicts the row's label for its text.

    Parameters
    ----------
    model
        A fitted classifier taking raw texts, with ``predict`` and optionally
        ``predict_proba`` and ``classes_``; or a callable ``texts -> predictions``
        (a label, or a collection of labels, per text; or a 2-D 0/1 numpy array).
    min_confidence
        Also require the probability of the predicted row label to reach this, in
        (0, 1]; needs ``predict_proba``. With multi-label predictions, every row label's.
    classes
        The class of each column of an indicator matrix or of ``predict_proba``;
        default ``model.classes_`` (pass ``MultiLabelBinarizer().classes_`` for a model
        fitted on an indicator matrix).
    batch_size
        Texts per call of the model.
    name
        Names the validator in verdicts and the report.

    Examples
    --------
    >>> check = classifier_agreement(lambda texts: ["pos" if "good" in t else "neg" for t in texts])
    >>> print(check({"text": "good film", "label": "pos"}, "not a good film"))
    accepted
    """
    return ClassifierAgreement(model, min_confidence=min_confidence, classes=classes,
                               batch_size=batch_size, name=name)


class ClassifierAgreement(Validator):
    """The validator :func:`classifier_agreement` builds."""

    def __init__(self, model: Any, *, min_confidence: float | None = None,
                 classes: Sequence[Any] | None = None, batch_size: int = 256,
                 name: str = "classifier_agreement") -> None:
        super().__init__(name, needs_label=True)
        owner = "classifier_agreement"
        check_param(callable(getattr(model, "predict", None)) or callable(model), owner, "model",
                    "a classifier with predict(texts) or a callable texts -> labels", model)
        check_param(min_confidence is None or (isinstance(min_confidence, int | float)
                                               and 0 < min_confidence <= 1),
                    owner, "min_confidence", "None or a number in (0, 1]", min_confidence)
        check_param(isinstance(batch_size, int) and batch_size >= 1, owner, "batch_size",
                    "an int >= 1", batch_size)
        self.has_proba = callable(getattr(model, "predict_proba", None))
        if min_confidence is not None and not self.has_proba:
            raise InvalidParameterError(
                f"min_confidence needs a classifier with predict_proba; {model!r} has none. "
                "Drop min_confidence, or use a probabilistic classifier (LogisticRegression, "
                "SVC(probability=True), ...)."
            )
        self.model, self.min_confidence, self.classes = model, min_confidence, classes
        self.batch_size = batch_size

    def check_batch(self, originals: Sequence[Record],
                    candidates: Sequence[Record]) -> list[Verdict]:
        """Predict the candidates' texts in batches of ``batch_size`` and compare labels."""
        rows = [(tuple(map(_native, candidate.labels or original.labels)), text_of(candidate))
                for original, candidate in zip(originals, candidates, strict=True)]
        problems = ["" if labels else "row has no label" for labels, _ in rows]
        kept = [i for i, problem in enumerate(problems) if not problem]
        predictions, probabilities = self.predict([rows[i][1] for i in kept])
        classes = self.class_names()
        index = None if classes is None else {c: j for j, c in enumerate(classes)}
        if probabilities is not None and (index is None or len(index) != probabilities.shape[1]):
            raise InvalidParameterError(
                f"predict_proba returned {probabilities.shape[1]} columns but the classifier's "
                f"classes are {classes!r}. Pass classes=[...] naming the columns."
            )
        verdicts = [Verdict.reject(problem) for problem in problems]
        for k, i in enumerate(kept):
            chance = None if probabilities is None or index is None else _Chance(
                index, probabilities[k])
            verdicts[i] = self._verdict(rows[i][0], predictions[k], chance, index)
        return verdicts

    def predict(self, texts: Sequence[str]) -> tuple[list[Any], np.ndarray | None]:
        """Each text's prediction (a label, or a tuple of labels) and the class probabilities."""
        predict = getattr(self.model, "predict", self.model)
        predictions: list[Any] = []
        probabilities = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start:start + self.batch_size])
            predictions.extend(self._labels(predict(batch)))
            if self.has_proba:
                probabilities.append(_columns(self.model.predict_proba(batch)))
        if not probabilities:
            return predictions, None
        return predictions, np.concatenate(probabilities)

    def class_names(self) -> list[Any] | None:
        """``classes``, else the model's ``classes_``, as plain Python values."""
        classes = self.classes if self.classes is not None else getattr(
            self.model, "classes_", None)
        if classes is None:
            return None
        array = np.asarray(classes)
        if array.ndim != 1:
            raise InvalidParameterError(
                f"The classifier's classes_ is not a flat list of class names (shape "
                f"{array.shape}). Pass classes=[...] naming the columns of its output."
            )
        return [_native(value) for value in classes]

    def _labels(self, predictions: Any) -> list[Any]:
        """Per text, a label (single-label) or a tuple of labels (multi-label)."""
        if hasattr(predictions, "toarray"):  # a sparse indicator matrix
            predictions = predictions.toarray()
        if isinstance(predictions, np.ndarray) and predictions.ndim == 2:
            classes = self.class_names()
            if classes is None or len(classes) != predictions.shape[1]:
                raise InvalidParameterError(
                    f"The classifier returned an indicator matrix of {predictions.shape[1]} "
                    f"columns but its classes are {classes!r}. Pass classes=[...] naming the "
                    "columns (e.g. MultiLabelBinarizer().classes_)."
                )
            return [tuple(c for c, on in zip(classes, row, strict=True) if on)
                    for row in predictions]
        return [tuple(_native(v) for v in p) if isinstance(p, COLLECTIONS) else _native(p)
                for p in predictions]

    def _verdict(self, labels: tuple[Any, ...], predicted: Any, chance: _Chance | None,
                 index: dict[Any, int] | None) -> Verdict:
        if isinstance(predicted, tuple):  # multi-label: all the row's labels predicted
            missing = [label for label in labels if label not in predicted]
            score = None if chance is None else min(map(chance, labels))
            problem = (f"predicted {_show(predicted)}, row's labels {_show(labels)}: "
                       f"{_show(missing)} not predicted") if missing else ""
        else:  # single-label: one of the row's labels predicted
            score = None if chance is None else max(map(chance, labels))
            problem = "" if predicted in labels else (
                f"predicted {_with(predicted, chance)}, row's label"
                f"{'s' if len(labels) > 1 else ''} "
                + ", ".join(_with(label, chance) for label in labels))
        unknown = [label for label in labels if index is not None and label not in index]
        if problem and unknown:
            problem += (f"; {_show(unknown)} is not among the classifier's classes "
                        f"{list(index or ())[:10]!r}: pass classes=[...] naming its outputs")
        if not problem and score is not None and self.min_confidence is not None \
                and score < self.min_confidence:
            problem = f"confidence {score:.2f} < min_confidence {self.min_confidence:.2f}"
        return Verdict.reject(problem, score) if problem else Verdict.accept(score=score)


class _Chance:
    """One text's probability of a class; 0.0 for a class the model does not know."""

    def __init__(self, index: dict[Any, int], row: np.ndarray) -> None:
        self.index, self.row = index, row

    def __call__(self, label: Any) -> float:
        j = self.index.get(label)
        return 0.0 if j is None else float(self.row[j])


def _columns(proba: Any) -> np.ndarray:
    """predict_proba as (texts, classes); a multi-output list becomes each P(label=1)."""
    if isinstance(proba, list):
        return np.column_stack([np.asarray(p)[:, -1] for p in proba])
    return np.asarray(proba, dtype=float)


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _show(labels: Sequence[Any]) -> str:
    return repr(labels[0]) if len(labels) == 1 else repr(list(labels))


def _with(label: Any, chance: _Chance | None) -> str:
    return repr(label) if chance is None else f"{label!r} ({chance(label):.2f})"
