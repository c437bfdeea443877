"""What an augmentation run made, per TF, and what it could not make.

Examples
--------
>>> report = AugmentReport(seed=0, tf_names=["swap"])
>>> report.tfs["swap"].applied += 3
>>> report.tfs["swap"].not_applicable += 1
>>> report.to_frame().loc["swap", "applied"]
np.int64(3)
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

MAX_ERRORS_KEPT = 1000


@dataclass
class TFCounts:
    """Outcomes of one TF's calls."""

    applied: int = 0
    not_applicable: int = 0
    errored: int = 0


@dataclass
class VerdictCounts:
    """Verdicts of one validator on the candidates of one TF (or TF sequence)."""

    accepted: int = 0
    rejected: int = 0


@dataclass
class Rejection:
    """One rejected candidate: its row, draw and attempt, what made it, who rejected it, why."""

    key: Any
    draw: int
    attempt: int
    tfs: str
    validator: str
    reason: str
    score: float | None
    text: Any


@dataclass
class RowError:
    """One skipped error: which row, which TF, what it said."""

    key: Any
    tf: str
    error: str


@dataclass
class AugmentReport:
    """Counts of a run: rows in and out, per-TF outcomes, per TF x validator verdicts,
    rejected candidates, rows left unaugmented, errors."""

    seed: int
    tf_names: list[str]
    input_rows: int = 0
    output_rows: int = 0
    augmented_rows: int = 0
    duplicates_dropped: int = 0
    tfs: dict[str, TFCounts] = field(default_factory=dict)
    unaugmented: list[Any] = field(default_factory=list)
    unaugmented_dropped: int = 0  # keys left out of ``unaugmented`` (see keep_first_unaugmented)
    errors: list[RowError] = field(default_factory=list)
    errors_total: int = 0
    validator_names: list[str] = field(default_factory=list)
    verdicts: dict[tuple[str, str], VerdictCounts] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    rejections_total: int = 0
    retries: int = 0
    rejected_on_every_attempt: int = 0
    validator_errors: dict[str, int] = field(default_factory=dict)
    relabel: Counter[str] = field(default_factory=Counter)  # with relabel: kept rows by status

    def __post_init__(self) -> None:
        for name in self.tf_names:
            self.tfs.setdefault(name, TFCounts())

    def add_error(self, key: Any, tf: str, err: BaseException) -> None:
        """Count a skipped error; keep the first ``MAX_ERRORS_KEPT`` in full."""
        self.errors_total += 1
        self.tfs[tf].errored += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(key, tf, f"{type(err).__name__}: {err}"))

    def add_validator_error(self, key: Any, validator: str, err: BaseException) -> None:
        """Count a skipped validator error (its candidate is dropped)."""
        self.errors_total += 1
        self.validator_errors[validator] = self.validator_errors.get(validator, 0) + 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(key, f"validator {validator}",
                                        f"{type(err).__name__}: {err}"))

    def add_verdict(self, tfs: str, validator: str, accepted: bool) -> None:
        """Count one verdict of ``validator`` on a candidate made by ``tfs``."""
        counts = self.verdicts.setdefault((tfs, validator), VerdictCounts())
        if accepted:
            counts.accepted += 1
        else:
            counts.rejected += 1

    def add_rejection(self, rejection: Rejection) -> None:
        """Count a rejected candidate; keep the first ``MAX_ERRORS_KEPT`` in full."""
        self.rejections_total += 1
        if len(self.rejections) < MAX_ERRORS_KEPT:
            self.rejections.append(rejection)

    @property
    def unaugmented_total(self) -> int:
        """How many rows got no augmentation (``unaugmented`` holds their keys, or the first
        ones where a streamed run kept only those)."""
        return len(self.unaugmented) + self.unaugmented_dropped

    def keep_first_unaugmented(self, most: int = MAX_ERRORS_KEPT) -> None:
        """Keep the keys of the first ``most`` unaugmented rows, and count the rest: a run
        streamed over a file of any size keeps its report bounded.

        >>> report = AugmentReport(0, ["tf"], unaugmented=[1, 2, 3])
        >>> report.keep_first_unaugmented(2)
        >>> report.unaugmented, report.unaugmented_total
        ([1, 2], 3)
        """
        if len(self.unaugmented) > most:
            self.unaugmented_dropped += len(self.unaugmented) - most
            del self.unaugmented[most:]

    def merge(self, part: AugmentReport) -> None:
        """Add the counts of another chunk's report to this one."""
        for name in ("input_rows", "output_rows", "augmented_rows", "duplicates_dropped",
                     "errors_total", "rejections_total", "retries", "rejected_on_every_attempt",
                     "unaugmented_dropped"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        for name, counts in part.tfs.items():
            mine = self.tfs.setdefault(name, TFCounts())
            for f in fields(TFCounts):
                setattr(mine, f.name, getattr(mine, f.name) + getattr(counts, f.name))
        for pair, verdicts in part.verdicts.items():
            have = self.verdicts.setdefault(pair, VerdictCounts())
            have.accepted += verdicts.accepted
            have.rejected += verdicts.rejected
        for name, count in part.validator_errors.items():
            self.validator_errors[name] = self.validator_errors.get(name, 0) + count
        self.relabel.update(part.relabel)
        self.unaugmented.extend(part.unaugmented)
        self.errors.extend(part.errors[: max(MAX_ERRORS_KEPT - len(self.errors), 0)])
        self.rejections.extend(part.rejections[: max(MAX_ERRORS_KEPT - len(self.rejections), 0)])

    def verdicts_frame(self) -> pd.DataFrame:
        """Accepted and rejected counts, one row per (TF, validator) pair seen.

        A candidate meets the validators in order and stops at its first rejection, so a
        later validator counts only what the earlier ones accepted.
        """
        order = {name: i for i, name in enumerate(self.validator_names)}
        pairs = sorted(self.verdicts, key=lambda p: (p[0], order.get(p[1], len(order)), p[1]))
        return pd.DataFrame(
            [[self.verdicts[p].accepted, self.verdicts[p].rejected] for p in pairs],
            index=pd.MultiIndex.from_tuples(pairs, names=["tf", "validator"]),
            columns=["accepted", "rejected"],
        )

    def rejections_frame(self) -> pd.DataFrame:
        """The kept rejected candidates, one row each (the first ``MAX_ERRORS_KEPT``)."""
        columns = [f.name for f in fields(Rejection)]
        return pd.DataFrame([[getattr(r, c) for c in columns] for r in self.rejections],
                            columns=columns)

    def to_frame(self) -> pd.DataFrame:
        """Per-TF counts, one row per TF."""
        columns = [f.name for f in fields(TFCounts)]
        rows = [[getattr(self.tfs[name], c) for c in columns] for name in self.tf_names]
        return pd.DataFrame(rows, index=pd.Index(self.tf_names, name="tf"), columns=columns)

    def _repr_html_(self) -> str:
        """The per-TF and per-validator counts as HTML tables (every name escaped)."""
        head = f"{self.input_rows} rows in, {self.output_rows} rows out " \
               f"({self.augmented_rows} augmented), seed={self.seed}"
        parts = [f"<p>textaug: {html.escape(head)}</p>", self.to_frame().to_html(border=0)]
        if self.verdicts:
            parts.append(self.verdicts_frame().to_html(border=0))
        return f'<div class="textaug-report">{"".join(parts)}</div>'

    def __str__(self) -> str:
        lines = [
            f"textaug: {self.input_rows} rows in, {self.output_rows} rows out "
            f"({self.augmented_rows} augmented), seed={self.seed}",
        ]
        for name in self.tf_names:
            c = self.tfs[name]
            lines.append(f"  {name}: applied {c.applied}, not applicable {c.not_applicable}, "
                         f"errored {c.errored}")
        if self.duplicates_dropped:
            lines.append(f"  duplicates dropped: {self.duplicates_dropped}")
        if self.unaugmented:
            shown = ", ".join(map(repr, self.unaugmented[:5]))
            more = " ..." if self.unaugmented_total > 5 else ""
            lines.append(f"  rows with no augmentation: {self.unaugmented_total} ({shown}{more})")
        if self.validator_names:
            errored = sum(self.validator_errors.values())
            lines.append(f"  validators: {self.rejections_total} candidates rejected, "
                         f"{self.retries} redrawn, {self.rejected_on_every_attempt} given up"
                         + (f", {errored} errored" if errored else ""))
            frame = self.verdicts_frame()
            for (tfs, validator), accepted, rejected in zip(
                    frame.index, frame["accepted"], frame["rejected"], strict=True):
                lines.append(f"    {tfs} x {validator}: accepted {accepted}, "
                             f"rejected {rejected}")
        if self.relabel:
            counts = ", ".join(f"{status} {self.relabel[status]}" for status in
                               ("changed", "same", "abstained", "dropped") if self.relabel[status])
            lines.append(f"  relabelled by the labeler: {counts}")
        if self.errors_total:
            first = self.errors[0]
            lines.append(f"  errors skipped: {self.errors_total}; first: row {first.key!r}, "
                         f"{first.tf}: {first.error}")
        return "\n".join(lines)
