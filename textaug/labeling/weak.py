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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.labeler import MODELS, Labeler, is_tag_lfs
from textaug.labeling.lf import ABSTAIN

__all__ = ["MODELS", "WeakLabelReport", "is_tag_lfs", "weak_label"]


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
    classes: Sequence[Any] | None = None,
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
    classes
        Single-label: the name of each class index. None: the LFs' ``.tag`` names when
        each class has one (``keyword_lfs(lexicon, labels=[...])``, ``regex_lf(...,
        tag=...)``), else the indices.
    fault_tolerant
        An LF that raises abstains on that row (counted in the report's ``faults``).
    return_report
        Return ``(frame, WeakLabelReport)``.

    Returns
    -------
    The input columns plus ``label`` (the class: its name where known, else its index;
    or a list of tags; ``None`` where unlabelled), ``{label}_confidence`` (the label's
    probability; multi-label: the lowest of the row's tags; ``NaN`` where unlabelled) and
    ``{label}_lfs`` (the names of the LFs that voted for the label, a list).

    The label model is fitted on ``df`` itself; to label other rows with the same model
    (new data, or the text augmentation made), use a
    :class:`~textaug.labeling.labeler.Labeler`.

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
    _check(df, label)
    labeler = Labeler(lfs, model, text=text, seed=seed, min_confidence=min_confidence,
                      multi_label=multi_label, classes=classes,
                      fault_tolerant=fault_tolerant)
    answer = labeler.fit_label(df)
    keys, L = df.index.tolist(), answer.result.L
    unlabelled = answer.unlabelled
    out = _frame(df, label, answer.labels, answer.confidence, answer.voters, unlabelled)
    if drop_abstained:
        out = out[~unlabelled]
    report = WeakLabelReport(
        rows_in=len(df), labelled=int((~unlabelled).sum()),
        abstained=_keys(keys, ~answer.voted), tied=_keys(keys, answer.tied),
        low_confidence=_keys(keys, answer.voted & ~answer.tied & answer.low),
        coverage={n: float((L[:, j] != ABSTAIN).mean()) if len(df) else 0.0
                  for j, n in enumerate(answer.result.names)},
        faults=dict(answer.result.faults), seed=labeler.seed_,
        multi_label=labeler.multi_label, dropped=drop_abstained)
    return (out, report) if return_report else out


def _check(df: Any, label: str) -> None:
    check_param(isinstance(df, pd.DataFrame), "weak_label", "df", "a pandas DataFrame",
                type(df).__name__)
    check_param(isinstance(label, str) and bool(label), "weak_label", "label",
                "a non-empty column name", label)
    taken = [c for c in (label, f"{label}_confidence", f"{label}_lfs") if c in df.columns]
    if taken:
        raise InvalidParameterError(
            f"weak_label: df already has column(s) {taken}; pass label='weak_{label}' (or "
            f"another new name), or drop them first: df.drop(columns={taken}).")


def _keys(keys: list[Any], mask: np.ndarray) -> tuple[Any, ...]:
    return tuple(k for k, on in zip(keys, mask, strict=True) if on)


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
