"""Augmentation and LF votes on a dask DataFrame, run by whatever scheduler the user has.

:func:`augment` returns a lazy dask DataFrame: each partition is augmented by
:func:`textaug.chunk.augment_chunk`, a pure function of the partition and the run's
settings, so the rows equal those of the pandas :func:`textaug.augment` for the same seed,
however the frame is partitioned and wherever the partitions run (the threaded or process
scheduler, or a ``dask.distributed`` cluster). :func:`apply_lfs` is the same for the LF
applier, its fault counts gathered from the partitions.

The settings (TFs, policy, validators, labeler) travel as one object of the graph, named
by a hash of their pickle, and each process keeps the copy it first received: a
model-backed TF (its weights are never pickled) loads its model once per worker process,
not once per partition. A process keeps the last few settings it received (so a second
run with the same TFs reuses the loaded models). The threaded scheduler runs partitions in
threads that share one copy of the TFs. Dask itself is imported only when a function here
is called.

Examples
--------
>>> import dask
>>> import dask.dataframe as dd
>>> import pandas as pd
>>> from textaug import ApplyOnePolicy, transformation_function
>>> @transformation_function()
... def exclaim(x, rng):
...     return x.replace(text=x.text + "!" * (1 + rng.integers(3)))
>>> df = pd.DataFrame({"text": ["good movie", "bad plot", "fine"], "y": [1, 0, 1]})
>>> ddf = dd.from_pandas(df, npartitions=2)
>>> out, report = augment(ddf, [exclaim], ApplyOnePolicy(1), seed=0, return_report=True)
>>> out, report = dask.compute(out, report, scheduler="sync")
>>> out[["text", "y", "textaug_is_original"]].reset_index(drop=True)
           text  y  textaug_is_original
0    good movie  1                 True
1  good movie!!  1                False
2      bad plot  0                 True
3    bad plot!!  0                False
4          fine  1                 True
5         fine!  1                False
>>> report.output_rows
6
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Literal, cast

import pandas as pd

from textaug.apply import Augmenter, _refuse_evaluation_split, check_rows
from textaug.checks import check_frame
from textaug.chunk import RunSettings, _text_dtype, augment_chunk
from textaug.errors import ColumnNotFoundError, InvalidParameterError, check_param
from textaug.loading import require
from textaug.records import VERDICTS
from textaug.report import AugmentReport

__all__ = ["augment", "apply_lfs"]

# Settings (or LF plans) each process has received, by token; the few most recent are kept,
# so that a worker does not hold the models of every past run.
_KEEP = 4
_received: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()
_REPORT = "textaug.dask report"  # attrs key of a partition's report, until split off


def augment(
    ddf: Any,
    tfs: Sequence[Any] | Any,
    policy: Any = None,
    *,
    seed: int | None,
    text: str = "text",
    label: str | None = None,
    key: str | None = None,
    dedupe: bool = True,
    on_error: Literal["raise", "skip"] = "raise",
    validators: Sequence[Any] = (),
    max_attempts: int = 3,
    relabel: Any = None,
    return_report: bool = False,
) -> Any:
    """Augment a dask DataFrame lazily: the rows of :func:`textaug.augment`, partition by partition.

    Parameters
    ----------
    ddf
        A dask DataFrame; it is not modified.
    tfs, policy, text, label, key, dedupe, on_error, validators, max_attempts
        As for :func:`textaug.augment`, checked the same way when the graph is built.
    seed
        Root seed, an int: required, since a lazy graph may be computed again (a retry, a
        second ``compute``) and must give the same rows each time.
    relabel
        A :class:`~textaug.labeling.Labeler` fitted beforehand (``labeler.fit(train_df)``):
        no partition sees the whole frame to fit one.
    return_report
        Return ``(frame, report)``, ``report`` a lazy dask scalar whose value is the
        :class:`~textaug.report.AugmentReport` of the run, gathered from every partition
        (it equals pandas'); compute both at once, ``dask.compute(frame, report)``, so the
        work runs once.

    Returns
    -------
    A lazy dask DataFrame with the columns and dtypes of ``textaug.augment``'s output. Its
    rows, in order, are those of ``textaug.augment(ddf.compute(), ...)``; its index restarts
    at 0 in each partition (divisions unknown): ``reset_index(drop=True)`` after computing
    gives pandas' index. A :class:`~textaug.policy.ClassBalancedPolicy` needs
    ``counts=...``. Row keys must be unique across partitions, which is checked within
    each partition only (the index of ``dd.read_csv`` over several files restarts per
    file: pass ``key=``). Rows lost with ``keep_original=False`` are listed in
    ``report.unaugmented`` (no warning is raised from the workers).
    """
    if seed is None:
        raise InvalidParameterError(
            "textaug.dask.augment needs an int seed (a lazy graph may be computed again and "
            "must give the same rows): pass seed=0, or any int >= 0.")
    runner = Augmenter(tfs, policy, seed=seed, text=text, label=label, key=key, dedupe=dedupe,
                       on_error=on_error, validators=validators, max_attempts=max_attempts,
                       relabel=relabel)
    for _ in runner.stream(()):  # no frames: only the refusals a stream makes (policy, labeler)
        pass
    meta = _frame_meta(ddf, "augment")
    check_frame(meta, text, label, key)
    _refuse_evaluation_split(meta)
    return _build(ddf, runner, meta, return_report)


def _build(ddf: Any, runner: Augmenter, meta: pd.DataFrame, return_report: bool) -> Any:
    """The lazy output frame and, if asked, the lazy report: each partition's report rides
    in its output's ``attrs`` until the two are split, so the work runs once for both."""
    dask = require("dask", "dask")
    settings = runner._settings
    out_meta = _output_meta(settings, meta)
    token = _token(settings)
    shared = dask.delayed(settings, name=f"textaug-settings-{token}", traverse=False)
    made = ddf.map_partitions(_augment_part, shared, token, out_meta, meta=out_meta,
                              clear_divisions=True, enforce_metadata=False)
    out = made.map_partitions(_without_report, meta=out_meta, enforce_metadata=False)
    if not return_report:
        return out
    report = made.reduction(_report_of, _merge, split_every=False, meta=object,
                            aggregate_kwargs={"report": settings.new_report()})
    return out, report


def _output_meta(settings: RunSettings, meta: pd.DataFrame) -> pd.DataFrame:
    """The empty output frame: the columns and dtypes of a partition's output."""
    out, _ = augment_chunk(settings, meta)
    if VERDICTS in out.columns:  # text, which an empty list does not tell pandas
        out[VERDICTS] = out[VERDICTS].astype(_text_dtype())
    return out


def _augment_part(df: pd.DataFrame, settings: RunSettings, token: str,
                  meta: pd.DataFrame) -> pd.DataFrame:
    """One partition's output (the meta's dtypes when it is empty), its report in attrs."""
    settings = _received_copy(token, settings)
    check_frame(df, settings.text, settings.label, settings.key)
    _refuse_evaluation_split(df)
    check_rows(settings, df, set())  # within the partition: keys unique there
    out, report = augment_chunk(settings, df)
    if not len(out):  # an empty frame's columns would make pandas' concat widen the dtypes
        out = out.astype(meta.dtypes.to_dict())
    out.attrs[_REPORT] = report
    return out


def _without_report(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy(deep=False)
    out.attrs = {k: v for k, v in df.attrs.items() if k != _REPORT}
    return out


def _report_of(df: pd.DataFrame) -> pd.Series:
    """The partition's report; none for the empty frame dask passes to infer types (a
    partition's output has one even when empty, and its counts are then all 0)."""
    if _REPORT not in df.attrs and not len(df):
        return pd.Series([], dtype=object)
    return pd.Series([df.attrs[_REPORT]], dtype=object)


def _merge(reports: Any, report: AugmentReport) -> AugmentReport:
    """The partitions' reports (a frame or series of them, in partition order) added up."""
    for part in reports.to_numpy().ravel(order="F").tolist():
        report.merge(part)
    return report


def apply_lfs(ddf: Any, lfs: Sequence[Any], *, text: str = "text",
              fault_tolerant: bool = False) -> Any:
    """Run ``lfs`` on every row of a dask DataFrame, lazily: a ``dask.delayed`` LFResult.

    Its ``compute()`` (on the current scheduler, or with ``dask.compute(...,
    scheduler=...)``) gives the :class:`~textaug.labeling.applier.LFResult` of
    :func:`textaug.labeling.apply_lfs` on the computed frame: the same label matrix, in row
    order, and the fault counts of every partition added up.

    Parameters
    ----------
    ddf
        A dask DataFrame; it is not modified.
    lfs, text, fault_tolerant
        As for :func:`textaug.labeling.apply_lfs`.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from textaug.labeling.lf import regex_lf
    >>> ddf = dd.from_pandas(pd.DataFrame({"text": ["BERT", "GAN", "bert"]}), npartitions=2)
    >>> result = apply_lfs(ddf, [regex_lf("bert", r"(?i)bert", 1)]).compute(scheduler="sync")
    >>> result.L.ravel().tolist(), result.faults
    ([1, -1, 1], {'bert': 0})
    """
    from textaug.labeling.applier import _make_plan

    dask = require("dask", "dask")
    meta = _frame_meta(ddf, "apply_lfs")
    plan = _make_plan(list(lfs), text, fault_tolerant)
    if (plan.keywords or plan.regexes or plan.batched) and text not in meta.columns:
        raise ColumnNotFoundError(f"Column {text!r} not in DataFrame. Available columns: "
                                  f"{list(meta.columns)}. Pass text='your_text_column'.")
    token = _token(plan)
    shared = dask.delayed(plan, name=f"textaug-lf-plan-{token}", traverse=False)
    blocks = [dask.delayed(_label_part, pure=True)(part, shared, token)
              for part in ddf.to_delayed()]
    return dask.delayed(_gather_votes, pure=True)(plan.names, blocks)


def _label_part(df: pd.DataFrame, plan: Any, token: str) -> Any:
    from textaug.labeling.applier import label_chunk

    return label_chunk(_received_copy(token, plan), df)


def _gather_votes(names: tuple[str, ...], blocks: list[Any]) -> Any:
    """The partitions' label matrices stacked, their fault counts added up."""
    import numpy as np

    from textaug.labeling.applier import LFResult

    faults = dict.fromkeys(names, 0)
    for _, counted in blocks:
        for name, n in counted.items():
            faults[name] += n
    L = np.concatenate([b for b, _ in blocks]) if blocks else np.full((0, len(names)), -1)
    return LFResult(L, names, faults)


def _frame_meta(ddf: Any, owner: str) -> pd.DataFrame:
    """The empty pandas frame a dask DataFrame describes."""
    meta = getattr(ddf, "_meta", None)
    check_param(isinstance(meta, pd.DataFrame) and hasattr(ddf, "to_delayed"),
                f"textaug.dask.{owner}", "ddf", "a dask DataFrame (for a pandas one: "
                f"textaug.{'labeling.' if owner == 'apply_lfs' else ''}{owner})",
                type(ddf).__name__)
    return cast(pd.DataFrame, meta)


def _token(obj: Any) -> str:
    """A name for ``obj`` in the graph: a hash of its pickle (the same settings share the
    workers' copies across runs), or a fresh one where it does not pickle here."""
    cloudpickle = require("cloudpickle", "dask")
    try:
        return hashlib.blake2b(cloudpickle.dumps(obj), digest_size=16).hexdigest()
    except Exception:  # noqa: BLE001 - the threaded scheduler never pickles it
        return uuid.uuid4().hex


def _received_copy(token: str, obj: Any) -> Any:
    """The copy of ``obj`` this process received first (so its loaded models are reused)."""
    with _lock:
        kept = _received.setdefault(token, obj)
        _received.move_to_end(token)
        while len(_received) > _KEEP:
            _received.popitem(last=False)
    return kept
