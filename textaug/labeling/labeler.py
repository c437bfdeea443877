"""A labeler: LFs and a label model fitted once, then asked about any text.

:class:`Labeler` fits its label model on the votes of its LFs over a training split and
then labels new rows with that same model: :func:`~textaug.labeling.weak.weak_label`
uses one to label a frame, and ``augment(..., relabel=labeler)`` one to label the text
each augmentation made (:meth:`Labeler.relabel`).

Examples
--------
>>> import pandas as pd
>>> from textaug.labeling.lf import regex_lf
>>> lfs = [regex_lf("good", r"(?i)\\bgood\\b", 1, tag="pos"),
...        regex_lf("bad", r"(?i)\\bbad\\b", 0, tag="neg")]
>>> labeler = Labeler(lfs, model="majority", seed=0).fit(
...     pd.DataFrame({"text": ["a good film", "a bad film", "a film"]}))
>>> labeler.classes_
['neg', 'pos']
>>> labeler.label(pd.DataFrame({"text": ["so bad", "good", "meh"]})).labels
['neg', 'pos', None]
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from textaug._rng import fresh_seed
from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.applier import LFResult, apply_lfs, record_votes
from textaug.labeling.lf import ABSTAIN
from textaug.labeling.models import (
    DawidSkene,
    LabelModel,
    MajorityVote,
    MultiLabel,
    probs_to_preds,
    tag_matrices,
)
from textaug.lexicon import normalize_tag
from textaug.records import Record, as_labels

MODELS = ("majority", "label_model", "dawid_skene")
ON_ABSTAIN = ("keep", "drop")
SOURCE_LABELS = ("trusted", "weak")


@dataclass(frozen=True)
class WeakLabels:
    """A labeler's answer, one entry per row.

    Attributes
    ----------
    labels
        The class (its name when the labeler knows the names, else its index), or the
        list of tags; ``None`` where unlabelled.
    confidence
        The label's probability (multi-label: the lowest of the row's tags); ``NaN``
        where unlabelled.
    voters
        The names of the LFs that voted for the label.
    voted, tied, low
        Boolean arrays: some LF voted; the top classes tied (single-label); the label
        fell below ``min_confidence`` (or, multi-label, no tag was kept).
    decisions
        Multi-label only: ``{tag: array}`` with ``1`` (the row has the tag), ``0`` (it has
        not: the model says so on LF votes) or ``-1`` (no evidence either way).
    result
        The LF votes (:class:`~textaug.labeling.applier.LFResult`).
    """

    labels: list[Any]
    confidence: np.ndarray
    voters: list[list[str]]
    voted: np.ndarray
    tied: np.ndarray
    low: np.ndarray
    decisions: dict[str, np.ndarray] | None
    result: LFResult

    @property
    def unlabelled(self) -> np.ndarray:
        """Rows without a label: no LF voted, a tie, or too little confidence."""
        return ~self.voted | self.tied | self.low


@dataclass(frozen=True)
class Relabelled:
    """What :meth:`Labeler.relabel` made of one candidate.

    ``status`` is ``"same"`` (the labeler agrees with the label it had), ``"changed"``,
    ``"abstained"`` (the LFs gave no evidence: the label it had is kept) or ``"dropped"``
    (they gave none and ``on_abstain="drop"``).
    """

    label: Any
    confidence: float
    status: str


class Labeler:
    """LFs and a label model: fitted on a training split, then labels any rows.

    Parameters
    ----------
    lfs
        textaug or snorkel LFs (unique names).
    model
        ``"majority"``, ``"label_model"`` (snorkel's, seeded), ``"dawid_skene"``, or an
        object with ``fit(L)`` and ``predict_proba(L)`` (copied; once per tag when
        multi-label).
    text
        The text column the LFs read.
    seed
        Seeds the label model; None draws one at ``fit`` (kept in ``seed_``).
    min_confidence
        Single-label: a label below this probability is no label. Multi-label: a tag
        below it is not given (nor taken away by :meth:`relabel`).
    multi_label
        Lists of tags (one binary model per tag, :class:`MultiLabel`; each LF needs a
        ``.tag``: ``1`` votes the tag, ``0`` votes "not the tag"). None: multi-label when
        every LF votes 1 for its ``.tag``, as ``keyword_lfs(lexicon)`` makes them.
    classes
        Single-label: the name of each class index. None: the LFs' ``.tag`` names when
        each class has one (``keyword_lfs(lexicon, labels=[...])``, ``regex_lf(...,
        tag=...)``), else the indices themselves.
    fault_tolerant
        An LF that raises abstains on that row (counted in the result's ``faults``).
    on_abstain
        What :meth:`relabel` does with a candidate on which the LFs give no evidence:
        ``"keep"`` the label it had, or ``"drop"`` the candidate.
    source_labels
        How far :meth:`relabel` trusts the labels of the rows augmented. ``"trusted"`` (an
        annotator's): a label changes only where the augmentation changed the labeler's
        answer, so LFs that merely disagree with the annotator never overrule them.
        ``"weak"`` (the labels are the labeler's own, e.g. from :func:`weak_label`): the
        labeler's answer on the new text wins wherever it gives one.

    Attributes
    ----------
    seed_, classes_, model_
        After ``fit``: the seed used, the class names (single-label), the fitted model
        (a :class:`MultiLabel` when multi-label).
    """

    def __init__(self, lfs: Sequence[Any], model: Any = "label_model", *, text: str = "text",
                 seed: int | None = None, min_confidence: float | None = None,
                 multi_label: bool | None = None, classes: Sequence[Any] | None = None,
                 fault_tolerant: bool = False, on_abstain: str = "keep",
                 source_labels: str = "trusted") -> None:
        self.lfs = _checked_lfs(lfs)
        _check_model(model)
        check_param(isinstance(text, str) and bool(text), "Labeler", "text",
                    "a column name (str)", text)
        check_param(seed is None or (isinstance(seed, int) and not isinstance(seed, bool)),
                    "Labeler", "seed", "an int or None", seed)
        check_param(min_confidence is None or (isinstance(min_confidence, int | float)
                                               and 0 <= min_confidence <= 1),
                    "Labeler", "min_confidence", "None or a float in [0, 1]", min_confidence)
        check_param(on_abstain in ON_ABSTAIN, "Labeler", "on_abstain", "'keep' or 'drop'",
                    on_abstain)
        check_param(source_labels in SOURCE_LABELS, "Labeler", "source_labels",
                    "'trusted' or 'weak'", source_labels)
        check_param(classes is None or (isinstance(classes, Sequence)
                                        and not isinstance(classes, str) and len(classes) >= 2
                                        and len(set(map(repr, classes))) == len(classes)),
                    "Labeler", "classes", "None or at least 2 distinct class names", classes)
        self.model, self.text, self.seed = model, text, seed
        self.min_confidence, self.fault_tolerant, self.on_abstain = (
            min_confidence, fault_tolerant, on_abstain)
        self.source_labels = source_labels
        self.multi_label = is_tag_lfs(self.lfs) if multi_label is None else bool(multi_label)
        self.classes = None if classes is None else list(classes)
        self.seed_: int | None = None
        self.classes_: list[Any] | None = None
        self.model_: Any = None
        self._tags: list[str] = []

    def __repr__(self) -> str:
        state = "fitted" if self.fitted else "not fitted"
        kind = "multi-label" if self.multi_label else "single-label"
        return f"Labeler({len(self.lfs)} LFs, model={self.model!r}, {kind}, {state})"

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return self.model_ is not None

    def fit(self, df: pd.DataFrame) -> Labeler:
        """Fit the label model on the LFs' votes over ``df`` (never modified); returns self."""
        self.fit_label(df)
        return self

    def fit_label(self, df: pd.DataFrame) -> WeakLabels:
        """Fit on ``df`` and label it, running the LFs once."""
        result = self._votes(df)
        self._fit(result.L)
        return self._answer(result)

    def label(self, df: pd.DataFrame) -> WeakLabels:
        """Label the rows of ``df`` with the fitted model."""
        self._need_fit()
        return self._answer(self._votes(df))

    def relabel(self, records: Sequence[Record],
                originals: Sequence[Record]) -> list[Relabelled]:
        """The label of each augmented record's new text (``originals[i]``: the record it
        was made from), from what the augmentation changed in the labeler's answer.

        Single-label: the labeler's class on the new text where it differs from its class
        on the original (with ``source_labels="weak"``: wherever it gives one); else the
        label the record had. Multi-label, per tag the LFs speak of: given where the model
        now gives it, taken away where the model now says "not the tag" or the LFs no
        longer find the evidence they found in the original; tags whose answer did not
        change (with ``source_labels="weak"``: tags without evidence) and tags no LF speaks
        of stay as they were.
        """
        self._need_fit()
        if not records:
            return []
        field = records[0].label_field
        if field is None:
            raise InvalidParameterError("relabel needs a label column: pass label='...'.")
        now = self._answer(self._record_votes(records))
        unique = {id(o): o for o in originals}
        before = self._answer(self._record_votes(list(unique.values())))
        where = {key: j for j, key in enumerate(unique)}
        source = [where[id(o)] for o in originals]
        if now.decisions is None:
            return [self._relabelled_class(now, i, before, j, r.raw(field))
                    for i, (r, j) in enumerate(zip(records, source, strict=True))]
        return self._relabelled_tags(now, before, source, [r.raw(field) for r in records])

    def _relabelled_tags(self, now: WeakLabels, before: WeakLabels, source: list[int],
                         had: list[Any]) -> list[Relabelled]:
        """Per tag: said 1 (give it), 0 (take it away) or -1 (leave it), vectorised."""
        assert now.decisions is not None and before.decisions is not None
        tags = list(now.decisions)
        d_now = np.column_stack([now.decisions[t] for t in tags])
        d_before = np.column_stack([before.decisions[t] for t in tags])[source]
        said = np.where(d_now != ABSTAIN, d_now, np.where(d_before == 1, 0, ABSTAIN))
        if self.source_labels == "trusted":
            said[d_now == d_before] = ABSTAIN  # the augmentation did not change the answer
        silent = (d_now == ABSTAIN).all(axis=1)
        norm = _Normalized()
        out = []
        for i, cell in enumerate(had):
            row = {tags[k]: int(said[i, k]) for k in np.flatnonzero(said[i] != ABSTAIN)}
            if silent[i] and (self.on_abstain == "drop" or not row):
                out.append(self._no_evidence(cell))
                continue
            old = list(as_labels(cell))
            kept = [t for t in old if row.get(norm[t], 1) == 1]
            have = {norm[t] for t in kept}
            new = kept + [t for t, d in row.items() if d == 1 and t not in have]
            out.append(Relabelled(new, float(now.confidence[i]),
                                  "same" if new == old else "changed"))
        return out

    def check_labels(self, values: Sequence[Any], column: str) -> None:
        """Refuse single-label rows whose label is not one the labeler gives."""
        self._need_fit()
        if self.multi_label or self.classes_ is None:
            return
        known = {class_key(c) for c in self.classes_}
        odd = [v for v in dict.fromkeys(map(class_key, values)) if v not in known]
        if odd:
            raise InvalidParameterError(
                f"relabel: column {column!r} holds labels {odd[:5]} the labeler does not give "
                f"(it gives {self.classes_}); build it with Labeler(..., classes=[...]) naming "
                "each class index as the column does.")

    def _votes(self, df: pd.DataFrame) -> LFResult:
        check_param(isinstance(df, pd.DataFrame), "Labeler", "df", "a pandas DataFrame",
                    type(df).__name__)
        return apply_lfs(df, self.lfs, text=self.text, fault_tolerant=self.fault_tolerant)

    def _need_fit(self) -> None:
        if not self.fitted:
            raise InvalidParameterError(
                "This Labeler is not fitted yet: call labeler.fit(train_df) first.")

    def _fit(self, L: np.ndarray) -> None:
        seed = fresh_seed() if self.seed is None else self.seed
        if self.multi_label:
            self._tags = _lf_tags(self.lfs)
            Ls = tag_matrices(L, self._tags)
            _need_three(self.model, {tag: m.shape[1] for tag, m in Ls.items()})
            if len(L):
                self.model_ = MultiLabel(lambda: _make_model(self.model, 2, seed)).fit(Ls)
            else:
                self.model_ = MultiLabel(lambda: _make_model(self.model, 2, seed))
        else:
            self.classes_ = self.classes or _class_names(self.lfs)
            cardinality = max(_cardinality(L, self.lfs), len(self.classes_ or ()))
            _need_three(self.model, {"": L.shape[1]})
            fitted = _make_model(self.model, cardinality, seed)
            self.model_ = fitted.fit(L) if len(L) else fitted
            if self.classes_ is None:
                self.classes_ = list(range(cardinality))
        self.seed_ = seed

    def _answer(self, result: LFResult) -> WeakLabels:
        return (self._multi if self.multi_label else self._single)(result)

    def _single(self, result: LFResult) -> WeakLabels:
        L, n = result.L, len(result.L)
        voted = (L != ABSTAIN).any(axis=1) if n else np.zeros(0, dtype=bool)
        if n == 0:
            return WeakLabels([], np.zeros(0), [], voted, voted, voted, None, result)
        probs = np.asarray(self.model_.predict_proba(L), dtype=float)
        preds = probs_to_preds(probs, "abstain")
        tied = voted & (preds == ABSTAIN)
        conf = np.where(voted & ~tied, probs.max(axis=1), np.nan)
        low = np.zeros(n, dtype=bool)
        if self.min_confidence is not None:
            low = voted & ~tied & (np.nan_to_num(conf, nan=1.0) < self.min_confidence)
        ok = voted & ~tied & ~low
        names = self.classes_ or []
        labels = [(names[p] if p < len(names) else int(p)) if good else None
                  for p, good in zip(preds.tolist(), ok, strict=True)]
        voters = [[result.names[j] for j in np.flatnonzero(L[i] == preds[i])] if ok[i] else []
                  for i in range(n)]
        return WeakLabels(labels, np.where(ok, conf, np.nan), voters, voted, tied, low, None,
                          result)

    def _multi(self, result: LFResult) -> WeakLabels:
        L, n = result.L, len(result.L)
        none = np.zeros(n, dtype=bool)
        if n == 0:
            return WeakLabels([], np.zeros(0), [], none, none, none, {}, result)
        Ls = tag_matrices(L, self._tags)
        probs = self.model_.predict_proba(Ls)
        floor = 0.0 if self.min_confidence is None else self.min_confidence
        tags = list(probs)
        P = np.column_stack([probs[t] for t in tags])
        D = np.column_stack([_decide(probs[t], (Ls[t] != ABSTAIN).any(axis=1), floor)
                             for t in tags])
        given = D == 1
        conf = np.where(given, P, np.inf).min(axis=1)
        conf[~given.any(axis=1)] = np.nan
        rows, cols = np.nonzero(given)
        labels: list[Any] = [None] * n
        for i, k in zip(rows.tolist(), cols.tolist(), strict=True):
            labels[i] = [*(labels[i] or []), tags[k]]
        column = {t: k for k, t in enumerate(tags)}
        lf_cols = np.array([column[t] for t in self._tags], dtype=np.intp)
        for_label = (L > 0) & given[:, lf_cols]  # a vote for a tag the row got
        voters: list[list[str]] = [[] for _ in range(n)]
        for i, j in zip(*(a.tolist() for a in np.nonzero(for_label)), strict=True):
            voters[i].append(result.names[j])
        voted = (L != ABSTAIN).any(axis=1)
        decisions = {t: D[:, k] for k, t in enumerate(tags)}
        return WeakLabels(labels, conf, voters, voted, none, voted & np.isnan(conf), decisions,
                          result)

    def _record_votes(self, records: Sequence[Record]) -> LFResult:
        return record_votes(records, self.lfs, fault_tolerant=self.fault_tolerant)

    def _relabelled_class(self, now: WeakLabels, i: int, before: WeakLabels, j: int,
                          had: Any) -> Relabelled:
        new = now.labels[i]
        if new is None:
            return self._no_evidence(had)
        if self.source_labels == "trusted" and class_key(new) == class_key(before.labels[j]):
            new = had  # the augmentation did not change the answer: the row's label stands
        agree = class_key(new) == class_key(had)
        confidence = float(now.confidence[i]) if class_key(now.labels[i]) == class_key(new) \
            else float("nan")
        return Relabelled(new, confidence, "same" if agree else "changed")

    def _no_evidence(self, had: Any) -> Relabelled:
        return Relabelled(had, float("nan"), "dropped" if self.on_abstain == "drop"
                          else "abstained")


class _Normalized(dict[Any, str]):
    """``normalize_tag`` of each tag, worked out once per tag."""

    def __missing__(self, tag: Any) -> str:
        self[tag] = value = normalize_tag(tag)
        return value


def class_key(value: Any) -> Any:
    """A class label as compared: ``1``, ``np.int64(1)`` and ``1.0`` are one class.

    >>> class_key(np.int64(1)) == class_key(1.0) == class_key(1), class_key("pos")
    (True, 'pos')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, str | int) else repr(value)


def is_tag_lfs(lfs: Sequence[Any]) -> bool:
    """Whether every LF votes ``1`` for its own ``.tag`` (``keyword_lfs(lexicon)``)."""
    return bool(lfs) and all(isinstance(getattr(lf, "tag", None), str)
                             and getattr(lf, "vote", None) == 1 for lf in lfs)


def _decide(p: np.ndarray, voted: np.ndarray, floor: float) -> np.ndarray:
    """1: the tag (P > 0.5 and >= floor); 0: not the tag (P < 0.5, 1 - P >= floor); -1."""
    yes = voted & (p > 0.5) & (p >= floor)
    no = voted & (p < 0.5) & (1 - p >= floor)
    return np.where(yes, 1, np.where(no, 0, ABSTAIN)).astype(np.int8)


def _checked_lfs(lfs: Any) -> list[Any]:
    check_param(isinstance(lfs, Sequence) and not isinstance(lfs, str) and len(lfs) > 0,
                "Labeler", "lfs", "a non-empty list of LFs", lfs)
    return list(lfs)


def _check_model(model: Any) -> None:
    if isinstance(model, str):
        check_param(model in MODELS, "Labeler", "model",
                    f"one of {list(MODELS)} or an object with fit and predict_proba", model)
    elif not (callable(getattr(model, "fit", None))
              and callable(getattr(model, "predict_proba", None))):
        raise InvalidParameterError(f"Labeler: model {model!r} has no fit(L) and "
                                    f"predict_proba(L); pass one of {list(MODELS)} or such an "
                                    "object.")


def _lf_tags(lfs: Sequence[Any]) -> list[str]:
    found = [getattr(lf, "tag", None) for lf in lfs]
    missing = [getattr(lf, "name", repr(lf)) for lf, t in zip(lfs, found, strict=True)
               if not isinstance(t, str)]
    if missing:
        raise InvalidParameterError(f"multi-label weak labels: LFs {missing} have no .tag; use "
                                    "keyword_lfs(lexicon) or regex_lf(..., tag=...), or "
                                    "multi_label=False.")
    return [str(t) for t in found]


def _class_names(lfs: Sequence[Any]) -> list[Any] | None:
    """``[name of class 0, name of class 1, ...]`` when every LF names its class and each
    class has one name, else None."""
    names: dict[int, str] = {}
    for lf in lfs:
        tag, vote = getattr(lf, "tag", None), getattr(lf, "vote", None)
        if not isinstance(tag, str) or type(vote) is not int or names.get(vote, tag) != tag:
            return None
        names[vote] = tag
    if sorted(names) != list(range(len(names))) or len(set(names.values())) < len(names):
        return None
    return [names[v] for v in range(len(names))] if len(names) >= 2 else None


def _make_model(model: Any, cardinality: int, seed: int) -> Any:
    if model == "majority":
        return MajorityVote(cardinality, seed=seed)
    if model == "dawid_skene":
        return DawidSkene(cardinality, seed=seed)
    if model == "label_model":
        return LabelModel(cardinality, seed=seed)
    return copy.deepcopy(model)


def _need_three(model: Any, widths: dict[str, int]) -> None:
    """Snorkel's LabelModel fits only on 3 LFs or more (per tag when multi-label)."""
    few = sorted(tag for tag, width in widths.items() if width < 3)
    if model == "label_model" and few:
        where = f" for tags {few[:5]}{' ...' if len(few) > 5 else ''}" if few != [""] else ""
        raise InvalidParameterError(
            f"snorkel's LabelModel needs at least 3 LFs{where}; pass model='majority' or "
            "model='dawid_skene', or add LFs.")


def _cardinality(L: np.ndarray, lfs: Sequence[Any]) -> int:
    votes = [v for v in (getattr(lf, "vote", None) for lf in lfs) if isinstance(v, int)]
    return max([2, int(L.max()) + 1 if L.size else 0, *(v + 1 for v in votes)])
