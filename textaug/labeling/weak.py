"""Weak labels as a DataFrame: LF votes combined by a label model, every row accounted for.

:func:`weak_label` runs the LFs (:func:`~textaug.labeling.applier.apply_lfs`), combines
their votes with a label model and returns the input rows plus three columns: the label,
its probability (``{label}_confidence``) and the LFs that voted for it (``{label}_lfs``, a
list of LF names). A row no LF voted on, a tie, or a label below ``min_confidence`` gets
no label (``None``, confidence ``NaN``) and is kept, or dropped with
``drop_abstained=True``; either way the :class:`WeakLabelReport` lists its key.

Examples
--------
>>> import pandas as pd
>>> from textaug.labeling.lf import regex_lf
>>> lfs = [regex_lf("gpu", r"(?i)\\bgpu\\b", 1), regex_lf("cpu", r"(?i)\\bcpu\\b", 0)]
>>> df = pd.DataFrame({"text": ["Train on a GPU", "A CPU build", "A poem"]})
>>> weak_label(df, lfs, model="majority")
             text label  label_confidence label_lfs
0  Train on a GPU     1               1.0     [gpu]
1     A CPU build     0               1.0     [cpu]
2          A poem  None               NaN        []
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from textaug._rng import fresh_seed
from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.applier import LFResult, apply_lfs
from textaug.labeling.lf import ABSTAIN
from textaug.labeling.models import (
    DawidSkene,
    LabelModel,
    MajorityVote,
    MultiLabel,
    probs_to_preds,
    tag_matrices,
)

MODELS = ("majority", "label_model", "dawid_skene")


@dataclass(frozen=True)
class WeakLabelReport:
    """What :func:`weak_label` did with each row.

    Attributes
    ----------
    rows_in
        Rows of the input.
    labelled
        Rows that got a label.
    abstained
        Keys (index labels) of the rows on which every LF abstained.
    tied
        Keys of the rows whose top classes tied (single-label).
    low_confidence
        Keys of the rows whose label fell below ``min_confidence``.
    coverage
        ``{LF name: share of rows it voted on}``.
    faults
        ``{LF name: rows on which it raised}`` (with ``fault_tolerant=True``).
    seed
        The seed the label model ran under (drawn when ``seed=None``).
    multi_label
        Whether the labels are lists of tags.
    dropped
        Whether the unlabelled rows were dropped from the output.
    """

    rows_in: int
    labelled: int
    abstained: tuple[Any, ...]
    tied: tuple[Any, ...]
    low_confidence: tuple[Any, ...]
    coverage: dict[str, float]
    faults: dict[str, int] = field(default_factory=dict)
    seed: int | None = None
    multi_label: bool = False
    dropped: bool = False

    @property
    def unlabelled(self) -> tuple[Any, ...]:
        """Keys of every row without a label (abstained, tied or low-confidence)."""
        return self.abstained + self.tied + self.low_confidence


def is_tag_lfs(lfs: Sequence[Any]) -> bool:
    """Whether every LF votes ``1`` for its own ``.tag`` (``keyword_lfs(lexicon)``)."""
    return bool(lfs) and all(isinstance(getattr(lf, "tag", None), str)
                             and getattr(lf, "vote", None) == 1 for lf in lfs)


def weak_label(
    df: pd.DataFrame,
    lfs: Sequence[Any],
    model: Any = "label_model",
    *,
    label: str = "label",
    text: str = "text",
    seed: int | None = None,
    min_confidence: float | None = None,
    drop_abstained: bool = False,
    multi_label: bool | None = None,
    fault_tolerant: bool = False,
    return_report: bool = False,
) -> Any:
    """Label ``df`` with ``lfs`` combined by a label model; every row kept or listed.

    Parameters
    ----------
    df
        The rows; never modified.
    lfs
        textaug or snorkel LFs (unique names).
    model
        ``"majority"``, ``"label_model"`` (snorkel's, seeded), ``"dawid_skene"``, or an
        object with ``fit(L)`` and ``predict_proba(L)`` (copied, once per tag, when
        multi-label).
    label
        The new label column; ``{label}_confidence`` and ``{label}_lfs`` are added too.
        None of them may exist in ``df`` already.
    text
        The text column the LFs read.
    seed
        Seeds the label model; None draws one, recorded in the report.
    min_confidence
        Single-label: a label whose probability is below it is removed (the row is
        treated like an abstain). Multi-label: each tag below it is removed, and a row
        left with no tag is unlabelled.
    drop_abstained
        Drop the unlabelled rows instead of keeping them with label ``None``.
    multi_label
        Lists of tags per row (one binary model per tag, :class:`MultiLabel`); each LF
        needs a ``.tag``. None: multi-label when every LF votes 1 for its ``.tag``, as
        ``keyword_lfs(lexicon)`` makes them.
    fault_tolerant
        An LF that raises abstains on that row (counted in the report's ``faults``).
    return_report
        Return ``(frame, WeakLabelReport)``.

    Returns
    -------
    The input columns plus ``label`` (an int class, or a list of tags; ``None`` where
    unlabelled), ``{label}_confidence`` (the label's probability; multi-label: the lowest
    of the row's tags; ``NaN`` where unlabelled) and ``{label}_lfs`` (the names of the LFs
    that voted for the label, a list).

    Examples
    --------
    >>> from textaug import Lexicon
    >>> from textaug.labeling.lf import keyword_lfs
    >>> lfs = keyword_lfs(Lexicon({"gan": ["generative adversarial network"], "nlp": ["nlproc"]}))
    >>> out, report = weak_label(pd.DataFrame({"text": ["GANs for NLP", "A poem"]}), lfs,
    ...                          model="majority", return_report=True)
    >>> out["label"].tolist(), report.abstained
    ([['gan', 'nlp'], None], (1,))
    """
    lfs = _check(df, lfs, model, label, min_confidence)
    multi = is_tag_lfs(lfs) if multi_label is None else bool(multi_label)
    check_param(seed is None or (isinstance(seed, int) and not isinstance(seed, bool)),
                "weak_label", "seed", "an int or None", seed)
    seed = fresh_seed() if seed is None else seed
    result = apply_lfs(df, lfs, text=text, fault_tolerant=fault_tolerant)
    if multi:
        labels, conf, voters, tied = _multi(result, lfs, model, seed, min_confidence)
    else:
        labels, conf, voters, tied = _single(result, lfs, model, seed)
    keys = df.index.tolist()
    voted = (result.L != ABSTAIN).any(axis=1)
    low = voted & ~tied & np.isnan(conf)
    if min_confidence is not None and not multi:
        low |= voted & ~tied & (np.nan_to_num(conf, nan=1.0) < min_confidence)
    unlabelled = ~voted | tied | low
    out = _frame(df, label, labels, conf, voters, unlabelled)
    if drop_abstained:
        out = out[~unlabelled]
    report = WeakLabelReport(
        rows_in=len(df), labelled=int((~unlabelled).sum()),
        abstained=tuple(k for k, v in zip(keys, voted, strict=True) if not v),
        tied=tuple(k for k, t in zip(keys, tied, strict=True) if t),
        low_confidence=tuple(k for k, v in zip(keys, low, strict=True) if v),
        coverage={n: float((result.L[:, j] != ABSTAIN).mean()) if len(df) else 0.0
                  for j, n in enumerate(result.names)},
        faults=dict(result.faults), seed=seed, multi_label=multi, dropped=drop_abstained)
    return (out, report) if return_report else out


def _check(df: Any, lfs: Any, model: Any, label: str, min_confidence: Any) -> list[Any]:
    check_param(isinstance(df, pd.DataFrame), "weak_label", "df", "a pandas DataFrame",
                type(df).__name__)
    lfs = list(lfs)
    check_param(bool(lfs), "weak_label", "lfs", "at least one LF", lfs)
    check_param(isinstance(label, str) and bool(label), "weak_label", "label",
                "a non-empty column name", label)
    if isinstance(model, str):
        check_param(model in MODELS, "weak_label", "model",
                    f"one of {list(MODELS)} or an object with fit and predict_proba", model)
    elif not (callable(getattr(model, "fit", None))
              and callable(getattr(model, "predict_proba", None))):
        raise InvalidParameterError(f"weak_label: model {model!r} has no fit(L) and "
                                    f"predict_proba(L); pass one of {list(MODELS)} or such an "
                                    "object.")
    check_param(min_confidence is None or (isinstance(min_confidence, int | float)
                                           and 0 <= min_confidence <= 1),
                "weak_label", "min_confidence", "None or a float in [0, 1]", min_confidence)
    taken = [c for c in (label, f"{label}_confidence", f"{label}_lfs") if c in df.columns]
    if taken:
        raise InvalidParameterError(
            f"weak_label: df already has column(s) {taken}; pass label='weak_{label}' (or "
            f"another new name), or drop them first: df.drop(columns={taken}).")
    return lfs


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
            f"weak_label: snorkel's LabelModel needs at least 3 LFs{where}; pass "
            "model='majority' or model='dawid_skene', or add LFs.")


def _cardinality(L: np.ndarray, lfs: Sequence[Any]) -> int:
    votes = [v for v in (getattr(lf, "vote", None) for lf in lfs) if isinstance(v, int)]
    return max([2, int(L.max()) + 1 if L.size else 0, *(v + 1 for v in votes)])


def _single(result: LFResult, lfs: Sequence[Any], model: Any,
            seed: int) -> tuple[list[Any], np.ndarray, list[list[str]], np.ndarray]:
    L, n = result.L, len(result.L)
    if n == 0:
        return [], np.zeros(0), [], np.zeros(0, dtype=bool)
    _need_three(model, {"": L.shape[1]})
    fitted = _make_model(model, _cardinality(L, lfs), seed).fit(L)
    probs = np.asarray(fitted.predict_proba(L), dtype=float)
    preds = probs_to_preds(probs, "abstain")
    voted = (L != ABSTAIN).any(axis=1)
    tied = voted & (preds == ABSTAIN)
    ok = voted & ~tied
    conf = np.where(ok, probs.max(axis=1), np.nan)
    labels = [int(p) if good else None for p, good in zip(preds, ok, strict=True)]
    voters = [[result.names[j] for j in np.flatnonzero(L[i] == preds[i])] if ok[i] else []
              for i in range(n)]
    return labels, conf, voters, tied


def _multi(result: LFResult, lfs: Sequence[Any], model: Any, seed: int,
           min_confidence: float | None) -> tuple[list[Any], np.ndarray, list[list[str]],
                                                  np.ndarray]:
    found = [getattr(lf, "tag", None) for lf in lfs]
    missing = [result.names[j] for j, t in enumerate(found) if not isinstance(t, str)]
    if missing:
        raise InvalidParameterError(f"weak_label(multi_label=True): LFs {missing} have no .tag; "
                                    "use keyword_lfs(lexicon), or multi_label=False.")
    tags = [str(t) for t in found]
    L, n = result.L, len(result.L)
    none = np.zeros(n, dtype=bool)
    if n == 0:
        return [], np.zeros(0), [], none
    Ls = tag_matrices(L, tags)
    _need_three(model, {tag: m.shape[1] for tag, m in Ls.items()})
    fitted = MultiLabel(lambda: _make_model(model, 2, seed)).fit(Ls)
    chosen, probs = fitted.predict(Ls), fitted.predict_proba(Ls)
    floor = 0.0 if min_confidence is None else min_confidence
    labels: list[Any] = []
    conf = np.full(n, np.nan)
    voters: list[list[str]] = []
    for i, row in enumerate(chosen):
        kept = [t for t in row if probs[t][i] >= floor]
        labels.append(kept or None)
        if kept:
            conf[i] = min(float(probs[t][i]) for t in kept)
        voters.append([result.names[j] for j, t in enumerate(tags)
                       if t in kept and L[i, j] != ABSTAIN])
    return labels, conf, voters, none


def _frame(df: pd.DataFrame, label: str, labels: list[Any], conf: np.ndarray,
           voters: list[list[str]], unlabelled: np.ndarray) -> pd.DataFrame:
    out = df.copy()
    cells = [None if off else value for value, off in zip(labels, unlabelled, strict=True)]
    out[label] = pd.Series(cells, index=df.index, dtype=object)
    out[f"{label}_confidence"] = np.where(unlabelled, np.nan, conf).astype(float)
    out[f"{label}_lfs"] = pd.Series([[] if off else v for v, off in
                                     zip(voters, unlabelled, strict=True)],
                                    index=df.index, dtype=object)
    return out
