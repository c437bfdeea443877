"""Per-LF statistics of a label matrix, as in snorkel's ``LFAnalysis``, and a plot of them.

``lf_summary`` gives the same columns and the same numbers as snorkel 0.10's
``LFAnalysis(L, lfs).lf_summary(Y)``, computed with whole-matrix numpy operations.

Examples
--------
>>> import numpy as np
>>> L = np.array([[0, 0, -1], [-1, 1, 1], [1, 0, -1], [-1, -1, -1]])
>>> lf_summary(L, names=["spam", "ham", "eggs"], gold=[0, 1, 0, 1])
      j Polarity  Coverage  Overlaps  Conflicts  Correct  Incorrect  Emp. Acc.
spam  0   [0, 1]      0.50      0.50       0.25        1          1        0.5
ham   1   [0, 1]      0.75      0.75       0.25        3          0        1.0
eggs  2      [1]      0.25      0.25       0.00        1          0        1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.lf import ABSTAIN
from textaug.labeling.models import dense_votes
from textaug.lexicon import normalize_tag
from textaug.loading import require

_BIG = np.iinfo(np.int64).max


def lf_summary(L: Any, names: Sequence[str] | None = None, gold: Any = None, *,
               tags: Sequence[str] | None = None) -> pd.DataFrame:
    """Polarity, coverage, overlaps, conflicts and (with gold labels) accuracy of each LF.

    Parameters
    ----------
    L
        The label matrix: integers, one row per example, one column per LF, ``-1`` where
        the LF abstained; or a scipy sparse matrix as snorkel's appliers build it (each
        entry ``label + 1``, the implicit ``0`` meaning abstain); or an object with ``.L``
        and ``.names`` (what ``apply_lfs`` returns), whose names then index the table.
    names
        One name per LF (column of ``L``); by default the result's ``.names``, else
        ``"lf_0"``, ``"lf_1"``, ...
    gold
        Optional true labels, one integer per row (``-1`` for unknown, which counts in
        neither Correct nor Incorrect, and against Emp. Acc., as in snorkel). With
        ``tags``: one collection of true tags per row instead (a list, tuple or set; a
        str is one tag; ``None`` for unknown).
    tags
        For LFs that each vote on one tag (multi-label: ``keyword_lfs(lexicon)``, or
        ``regex_lf(..., tag=...)``), the tag of each LF, in column order. An LF's gold
        on a row is then ``1`` where the row's gold tags hold its tag, else ``0`` (tags
        compare as :func:`~textaug.lexicon.normalize_tag` spells them): Correct counts the
        rows where it voted 1 and the tag is really there (or 0 and it is not). The
        numbers are snorkel's ``lf_summary`` run on each LF's column with that binary gold.

    Returns
    -------
    pandas.DataFrame
        Indexed by LF name, with snorkel's columns: ``j`` (the column of ``L``),
        ``Polarity`` (the sorted labels the LF gave), ``Coverage`` (the fraction of rows it
        labels), ``Overlaps`` (of rows it labels with another LF), ``Conflicts`` (of rows
        it labels where LFs disagree) and, with ``gold``, ``Correct``, ``Incorrect`` and
        ``Emp. Acc.``. An empty matrix gives 0.0 where snorkel would divide by zero.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, -1], [0, 1], [-1, 1], [-1, -1]])
    >>> lf_summary(L)
          j Polarity  Coverage  Overlaps  Conflicts
    lf_0  0      [0]       0.5      0.25       0.25
    lf_1  1      [1]       0.5      0.25       0.25

    Multi-label LFs, one tag each, against each row's true tags:

    >>> L = np.array([[1, -1], [1, 1], [-1, 1], [-1, -1]])
    >>> gold = [["nlp"], ["cv"], ["cv", "nlp"], None]      # None: the row's tags are unknown
    >>> summary = lf_summary(L, names=["kw_nlp", "kw_cv"], gold=gold, tags=["nlp", "cv"])
    >>> summary[["Polarity", "Coverage", "Correct", "Incorrect", "Emp. Acc."]]
           Polarity  Coverage  Correct  Incorrect  Emp. Acc.
    kw_nlp      [1]       0.5        1          1        0.5
    kw_cv       [1]       0.5        2          0        1.0
    """
    matrix, lf_names = _matrix_and_names(L, names)
    n_rows = matrix.shape[0]
    voted = matrix != ABSTAIN
    coverage, overlaps, conflicts = _fractions(matrix, voted, n_rows)
    columns: dict[str, Any] = {
        "j": np.arange(matrix.shape[1], dtype=np.int64),
        "Polarity": pd.Series(_polarities(matrix, voted), index=lf_names, dtype=object),
        "Coverage": coverage, "Overlaps": overlaps, "Conflicts": conflicts,
    }
    if tags is not None:
        check_param(gold is not None, "lf_summary", "tags", "given with gold (each row's "
                    "true tags)", "tags without gold")
        per_lf = _tag_gold(gold, _lf_tags(tags, matrix.shape[1]), n_rows)
        columns.update(_gold_columns(matrix, voted, per_lf))
    elif gold is not None:
        columns.update(_gold_columns(matrix, voted, _gold_array(gold, n_rows)[:, None]))
    return pd.DataFrame(columns, index=lf_names)


def plot_lf_summary(summary_or_L: Any, names: Sequence[str] | None = None, gold: Any = None,
                    ax: Any = None) -> Any:
    """Bar chart of each LF's coverage and, where known, its empirical accuracy.

    Parameters
    ----------
    summary_or_L
        A table from ``lf_summary`` (filter it first to plot some LFs only, e.g.
        ``summary.nlargest(20, "Coverage")``), or what ``lf_summary`` takes.
    names, gold
        Passed to ``lf_summary`` when ``summary_or_L`` is not a table already.
    ax
        A matplotlib ``Axes`` to draw on; by default a new figure sized to the LFs.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the chart; nothing is shown.

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_lf_summary(np.array([[0, -1], [0, 1], [-1, 1]]), gold=[0, 1, 0])
    >>> [label.get_text() for label in fig.axes[0].get_legend().get_texts()]
    ['Coverage', 'Emp. Acc.']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    summary = _as_summary(summary_or_L, names, gold)
    if ax is None:
        plt = require("matplotlib.pyplot", "plot")
        _, ax = plt.subplots(figsize=(6.0, 1.2 + 0.35 * max(len(summary), 1)))
    shown = [c for c in ("Coverage", "Emp. Acc.") if c in summary.columns]
    height = 0.8 / len(shown)
    positions = np.arange(len(summary), dtype=float)
    for i, column in enumerate(shown):
        ax.barh(positions + (i - (len(shown) - 1) / 2) * height,
                summary[column].to_numpy(dtype=float), height=height, label=column)
    ax.set_yticks(positions, [str(name) for name in summary.index])
    ax.invert_yaxis()
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("fraction")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(shown), frameon=False)
    return ax.figure


def _as_summary(summary_or_L: Any, names: Sequence[str] | None, gold: Any) -> pd.DataFrame:
    if isinstance(summary_or_L, pd.DataFrame):
        if "Coverage" not in summary_or_L.columns:
            raise InvalidParameterError(
                "plot_lf_summary takes a table from lf_summary (with a 'Coverage' column) or a "
                f"label matrix. Got a DataFrame with columns {list(summary_or_L.columns)}.")
        return summary_or_L
    return lf_summary(summary_or_L, names=names, gold=gold)


def _matrix_and_names(L: Any, names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    if hasattr(L, "L") and hasattr(L, "names"):
        L, names = L.L, list(L.names) if names is None else names
    matrix = dense_votes(L)
    ok = matrix.ndim == 2 and (matrix.dtype.kind in "iu" or matrix.size == 0)
    check_param(ok, "lf_summary", "L", "a 2-D integer label matrix (rows x LFs, -1 for "
                "abstain)", _describe(matrix))
    check_param(bool(matrix.size == 0 or matrix.min() >= ABSTAIN), "lf_summary", "L",
                "labels >= 0, or -1 for abstain", f"a label {matrix.min() if matrix.size else ''}")
    matrix = matrix.astype(np.int64, copy=False)
    if names is None:
        return matrix, [f"lf_{j}" for j in range(matrix.shape[1])]
    check_param(len(names) == matrix.shape[1], "lf_summary", "names",
                f"one name per LF ({matrix.shape[1]})", f"{len(names)} names")
    return matrix, [str(name) for name in names]


def _describe(matrix: np.ndarray) -> str:
    return f"an array of shape {matrix.shape} and dtype {matrix.dtype}"


def _fractions(matrix: np.ndarray, voted: np.ndarray,
               n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    votes_per_row = voted.sum(axis=1)
    highest = matrix.max(axis=1, initial=ABSTAIN)
    # the smallest label given: conflicts are rows whose LFs gave two different labels
    lowest = np.where(voted, matrix, highest[:, None]).min(axis=1, initial=_BIG)
    overlapped = votes_per_row > 1
    conflicted = overlapped & (highest != lowest)
    per_lf = [voted.sum(axis=0), (voted & overlapped[:, None]).sum(axis=0),
              (voted & conflicted[:, None]).sum(axis=0)]
    return tuple(_share(count, n_rows) for count in per_lf)  # type: ignore[return-value]


def _share(count: np.ndarray, total: int | np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(count / total)


def _polarities(matrix: np.ndarray, voted: np.ndarray) -> list[list[int]]:
    n_labels = int(matrix.max(initial=ABSTAIN)) + 1
    lf_of_vote = np.nonzero(voted)[1]
    counts = np.bincount(lf_of_vote * n_labels + matrix[voted],
                         minlength=matrix.shape[1] * n_labels)
    return [np.flatnonzero(row).tolist() for row in counts.reshape(matrix.shape[1], n_labels)]


def _gold_array(gold: Any, n_rows: int) -> np.ndarray:
    values = np.asarray(gold)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    numeric = values.dtype.kind in "iub" or (
        values.dtype.kind == "f" and bool(np.all(np.mod(values, 1) == 0)))
    check_param(values.ndim == 1 and len(values) == n_rows and (numeric or values.size == 0),
                "lf_summary", "gold", f"one integer label per row of L ({n_rows})",
                _describe(values))
    values = values.astype(np.int64)
    check_param(bool(values.size == 0 or values.min() >= ABSTAIN), "lf_summary", "gold",
                "labels >= 0, or -1 for unknown", f"a label {values.min() if values.size else ''}")
    return values


def _lf_tags(tags: Sequence[str], n_lfs: int) -> list[str]:
    ok = (not isinstance(tags, str) and len(tags) == n_lfs
          and all(isinstance(t, str) and t.strip() for t in tags))
    check_param(ok, "lf_summary", "tags", f"one non-empty str tag per LF ({n_lfs})",
                tags if isinstance(tags, str) else f"{len(tags)} values: {list(tags)[:5]}")
    return [normalize_tag(t) for t in tags]


def _tag_gold(gold: Any, tags: list[str], n_rows: int) -> np.ndarray:
    """Each LF's gold on each row (rows x LFs): 1 where the row's tags hold the LF's tag,
    0 where not, -1 where the row's tags are unknown."""
    rows = list(gold) if not isinstance(gold, str | dict) else None
    check_param(rows is not None and len(rows) == n_rows, "lf_summary", "gold",
                f"with tags, one collection of tags per row of L ({n_rows})",
                f"{type(gold).__name__} of length {len(gold) if rows is not None else '?'}")
    column = {tag: k for k, tag in enumerate(dict.fromkeys(tags))}
    has = np.zeros((n_rows, len(column)), dtype=np.int64)
    for i, row in enumerate(rows or ()):
        row_tags = _row_tags(row, i)
        if row_tags is None:
            has[i] = ABSTAIN
            continue
        has[i, [column[t] for t in row_tags if t in column]] = 1
    return has[:, [column[t] for t in tags]]


def _row_tags(row: Any, i: int) -> set[str] | None:
    if row is None or (isinstance(row, float) and np.isnan(row)):
        return None
    if isinstance(row, str):
        row = [row]
    check_param(isinstance(row, list | tuple | set | frozenset | np.ndarray), "lf_summary",
                "gold", "with tags, a list of tags (or None) per row", f"{row!r} in row {i}")
    return {normalize_tag(t) for t in row}


def _gold_columns(matrix: np.ndarray, voted: np.ndarray,
                  gold: np.ndarray) -> dict[str, np.ndarray]:
    """``gold``: rows x 1 (one label per row) or rows x LFs (each LF's own gold)."""
    hits = (voted & (matrix == gold)).sum(axis=0)
    votes = voted.sum(axis=0)
    judged = (voted & (gold != ABSTAIN)).sum(axis=0)
    # snorkel's formula, kept as is so that the floats agree to the last bit
    accuracy = 0.5 * (_share(2 * hits - votes, votes) + 1)
    accuracy = np.where(votes == 0, 0.0, accuracy)
    return {"Correct": hits.astype(np.int64), "Incorrect": (judged - hits).astype(np.int64),
            "Emp. Acc.": accuracy}
