"""The LF agreement validator: reject a candidate the labeling functions vote against.

Examples
--------
>>> from textaug.labeling.lf import regex_lf
>>> lfs = [regex_lf("good", r"(?i)\\bgood\\b", 1), regex_lf("bad", r"(?i)\\bbad\\b", 0)]
>>> check = lf_agreement(lfs)
>>> print(check({"text": "a good film", "label": 1}, {"text": "a bad film", "label": 1}))
rejected: LFs vote against label 1: 0 of 1 votes for it (bad voted 0; need 50%)
>>> print(check({"text": "a good film", "label": 1}, {"text": "a fine film", "label": 1}))
accepted: no LF voted
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.applier import record_votes
from textaug.labeling.labeler import is_tag_lfs
from textaug.labeling.lf import ABSTAIN
from textaug.lexicon import normalize_tag
from textaug.records import Record
from textaug.validators.base import Validator, Verdict


class LFAgreement(Validator):
    """Votes of ``lfs`` on candidates (and, for tag LFs, their originals), in one batch."""

    def __init__(self, name: str, lfs: Sequence[Any], model: Any, min_agreement: float,
                 fault_tolerant: bool, classes: Sequence[Any] | None = None) -> None:
        super().__init__(name, needs_label=True)
        self.lfs = list(lfs)
        self.model = model
        self.min_agreement = float(min_agreement)
        self.fault_tolerant = fault_tolerant
        self.tags = is_tag_lfs(self.lfs)
        self._names = tuple(lf.name for lf in self.lfs)
        self._classes = {normalize_tag(lf.tag): lf.vote for lf in self.lfs
                         if isinstance(getattr(lf, "tag", None), str)
                         and isinstance(getattr(lf, "vote", None), int)}
        for vote, label in enumerate(classes or ()):  # the class names the votes index
            if self._classes.setdefault(normalize_tag(label), vote) != vote:
                raise InvalidParameterError(
                    f"lf_agreement: class {label!r} is vote {vote} in classes= but the keyword "
                    f"LF of that tag votes {self._classes[normalize_tag(label)]}. Build the "
                    "keyword LFs with labels={tag: classes.index(tag), ...}.")

    def check_batch(self, originals: Sequence[Record],
                    candidates: Sequence[Record]) -> list[Verdict]:
        if not candidates:
            return []
        if self.tags:
            L = self._votes([*originals, *candidates])
            n = len(candidates)
            return [self._tag_verdict(o, L[i], L[n + i])
                    for i, o in enumerate(originals)]
        L = self._votes(candidates)
        probs = None if self.model is None else np.asarray(self.model.predict_proba(L))
        return [self._class_verdict(c, L[i], None if probs is None else probs[i])
                for i, c in enumerate(candidates)]

    def _votes(self, records: Sequence[Record]) -> np.ndarray:
        return record_votes(records, self.lfs, fault_tolerant=self.fault_tolerant).L

    def _class_of(self, x: Record) -> int:
        labels = x.labels
        value = labels[0] if len(labels) == 1 else None
        if isinstance(value, str) and normalize_tag(value) in self._classes:
            return self._classes[normalize_tag(value)]
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            return int(value)
        raise InvalidParameterError(
            f"{self.name}: the row's label {x.label!r} is not one class the LFs vote (an int, "
            "or a tag of keyword_lfs(lexicon, labels=[...])). Give each row one such label, or "
            "name the classes the votes index: lf_agreement(lfs, classes=[...]).")

    def _class_verdict(self, x: Record, votes: np.ndarray, probs: np.ndarray | None) -> Verdict:
        y = self._class_of(x)
        cast = votes[votes != ABSTAIN]
        if cast.size == 0:
            return Verdict.accept("no LF voted")
        if probs is not None:
            score = float(probs[y]) if y < len(probs) else 0.0
            if score < self.min_agreement:
                return Verdict.reject(f"the label model gives label {y} probability {score:.2f} "
                                      f"(need {self.min_agreement:.2f})", score)
            return Verdict.accept(score=score)
        share = float((cast == y).mean())
        if share < self.min_agreement:
            against = ", ".join(f"{self._names[j]} voted {votes[j]}"
                                for j in np.flatnonzero((votes != ABSTAIN) & (votes != y)))
            return Verdict.reject(
                f"LFs vote against label {y}: {int((cast == y).sum())} of {cast.size} votes for "
                f"it ({against}; need {self.min_agreement:.0%})", share)
        return Verdict.accept(score=share)

    def _tag_verdict(self, x: Record, before: np.ndarray, after: np.ndarray) -> Verdict:
        own = {normalize_tag(t) for t in x.labels}
        was = {normalize_tag(self.lfs[j].tag) for j in np.flatnonzero(before != ABSTAIN)}
        now = {normalize_tag(self.lfs[j].tag) for j in np.flatnonzero(after != ABSTAIN)}
        new = sorted(now - own - was)
        if new:
            return Verdict.reject(f"LFs of tags the row lacks now vote: {new}")
        if was & own and not now & own:
            return Verdict.reject(f"no LF of the row's tags votes any more (the original had "
                                  f"{sorted(was & own)})")
        return Verdict.accept()


def lf_agreement(lfs: Sequence[Any], *, model: Any = None, min_agreement: float = 0.5,
                 fault_tolerant: bool = False, classes: Sequence[Any] | None = None,
                 name: str = "lf_agreement") -> Validator:
    """Reject a candidate on which the labeling functions vote against its label.

    The LFs run on the whole batch of candidates at once (:func:`apply_lfs`).

    Single-label rows (LFs voting classes; a row's label is an int class, or a tag of
    ``keyword_lfs(lexicon, labels=[...])``): a candidate no LF votes on is accepted;
    otherwise the share of the non-abstain votes that are for its label must reach
    ``min_agreement`` (0.5: rejected when votes for other classes outnumber votes for its
    own; 1.0: any vote for another class rejects). With ``model`` (a fitted label model),
    the model's probability of the label must reach ``min_agreement`` instead.

    Tag LFs (``keyword_lfs(lexicon)``, each voting 1 for its ``.tag``; the row's label is a
    list of tags, multi-label): the LFs also run on the originals, and a candidate is
    rejected when an LF of a tag the row lacks votes on it but did not on the original (a
    new off-label topic), or when some LF of the row's tags voted on the original and none
    does on the candidate (its label's evidence is gone).

    Parameters
    ----------
    lfs
        textaug or snorkel LFs (unique names).
    model
        Optional fitted label model (``predict_proba(L)`` over these LFs' columns).
    min_agreement
        In [0, 1]; see above.
    fault_tolerant
        An LF that raises abstains instead of failing the check.
    classes
        Single-label: the class names the LFs' votes index (vote ``i`` is ``classes[i]``),
        so rows labelled by name are read as their class, a class no LF votes for included.
    name
        The validator's name in verdicts and reports.

    Examples
    --------
    >>> from textaug import Lexicon
    >>> from textaug.labeling.lf import keyword_lfs
    >>> lfs = keyword_lfs(Lexicon({"gan": ["generative adversarial network"],
    ...                            "cnn": ["convnet"]}))
    >>> row = {"text": "A GAN for faces", "label": ["gan"]}
    >>> print(lf_agreement(lfs)(row, {"text": "A convnet for faces", "label": ["gan"]}))
    rejected: LFs of tags the row lacks now vote: ['cnn']
    """
    lfs = list(lfs)
    check_param(bool(lfs), "lf_agreement", "lfs", "at least one LF", lfs)
    check_param(isinstance(min_agreement, int | float) and 0 <= min_agreement <= 1,
                "lf_agreement", "min_agreement", "a float in [0, 1]", min_agreement)
    if model is not None and not callable(getattr(model, "predict_proba", None)):
        raise InvalidParameterError(f"lf_agreement: model {model!r} has no predict_proba(L); "
                                    "pass a fitted label model (MajorityVote(), ...) or None.")
    check_param(classes is None or (isinstance(classes, Sequence) and not isinstance(classes, str)),
                "lf_agreement", "classes", "None or a list of class names", classes)
    return LFAgreement(name, lfs, model, min_agreement, fault_tolerant, classes)
