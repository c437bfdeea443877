"""The applier: policy x TFs over a DataFrame, with provenance and a report.

The output keeps every input column with its dtype and adds the provenance columns
``textaug_source`` (the source row's key), ``textaug_is_original`` and ``textaug_tfs``
(the TFs that changed the row, ``>``-separated). Chunks are augmented independently
(see :mod:`textaug.chunk`), so streaming, and running chunks in several worker
processes, give exactly the rows of a one-shot run.

Examples
--------
>>> import pandas as pd
>>> from textaug import ApplyOnePolicy, transformation_function
>>> @transformation_function()
... def exclaim(x, rng):
...     return x.replace(text=x.text + "!" * (1 + rng.integers(3)))
>>> df = pd.DataFrame({"text": ["good movie", "bad plot"], "y": [1, 0]})
>>> out = augment(df, [exclaim], policy=ApplyOnePolicy(n_per_original=2), seed=0)
>>> out[["text", "y", "textaug_source", "textaug_is_original"]].head(3)
           text  y  textaug_source  textaug_is_original
0    good movie  1               0                 True
1  good movie!!  1               0                False
2   good movie!  1               0                False
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from textaug._pool import process_pool
from textaug._rng import fresh_seed
from textaug.checks import check_frame, check_keys, check_labels, row_keys
from textaug.chunk import RunSettings, augment_chunk, column_like
from textaug.errors import InvalidParameterError, LeakageError, TextaugWarning, check_param
from textaug.interop import as_policy, as_tf
from textaug.policy import ClassBalancedPolicy
from textaug.records import SPLIT_MARK, as_labels
from textaug.report import AugmentReport
from textaug.validators.base import as_validator

EVALUATION_SPLITS = ("val", "test")
# What augments one chunk: the settings and the chunk in, what it made and the report out.
ChunkWork = Callable[[RunSettings, pd.DataFrame], tuple[Any, AugmentReport]]


class Augmenter:
    """A configured augmentation run; see :func:`augment` for the parameters.

    ``augment(df)`` returns the augmented frame; ``stream(frames)`` yields one frame
    per chunk for data that does not fit in memory. ``report_`` holds the last run's
    :class:`~textaug.report.AugmentReport`.
    """

    def __init__(
        self,
        tfs: Sequence[Any] | Any,
        policy: Any = None,
        *,
        seed: int | None = None,
        text: str = "text",
        label: str | None = None,
        key: str | None = None,
        dedupe: bool = True,
        on_error: Literal["raise", "skip"] = "raise",
        progress: bool = False,
        n_jobs: int = 1,
        validators: Sequence[Any] = (),
        max_attempts: int = 3,
        relabel: Any = None,
    ) -> None:
        tf_list = [as_tf(tf) for tf in ([tfs] if not isinstance(tfs, Sequence) else tfs)]
        names = [tf.name for tf in tf_list]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            raise InvalidParameterError(
                f"TF names must be unique; {clashes} appear more than once. "
                "Give each its own name, e.g. swap_aliases(name='swap_aliases_p50')."
            )
        check_param(seed is None or (isinstance(seed, int | np.integer)
                                     and not isinstance(seed, bool) and seed >= 0),
                    "augment", "seed", "None or an int >= 0", seed)
        check_param(on_error in ("raise", "skip"), "augment", "on_error",
                    "'raise' or 'skip'", on_error)
        check_param(isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and n_jobs >= 1,
                    "augment", "n_jobs", "an int >= 1", n_jobs)
        for param, value in (("text", text), ("label", label), ("key", key)):
            check_param(value is None or isinstance(value, str), "augment", param,
                        "a column name (str)", value)
        check_param(isinstance(max_attempts, int) and not isinstance(max_attempts, bool)
                    and max_attempts >= 1, "augment", "max_attempts", "an int >= 1", max_attempts)
        checks = [as_validator(v) for v in ([validators] if callable(validators) else validators)]
        check_names = [v.name for v in checks]
        if len(set(check_names)) < len(check_names):
            raise InvalidParameterError(
                f"Validator names must be unique; got {check_names}. Build them with name='...' "
                "(for a plain function: textaug.validators.validator(name='...')(function)).")
        needy = [tf.name for tf in tf_list if tf.needs_label]
        if needy and label is None:
            raise InvalidParameterError(
                f"TFs {needy} read the row's labels: pass label='your_label_column' "
                "(or build them with label_aware=False)."
            )
        needy = [v.name for v in checks if v.needs_label]
        if needy and label is None:
            raise InvalidParameterError(
                f"Validators {needy} read the row's labels: pass label='your_label_column'.")
        _check_relabel(relabel, text, label)
        self.policy = as_policy(policy, names)
        bound = self.policy.bind(names)
        self.tfs = tuple(tf_list[names.index(name)] for name in bound.tf_names)
        self.seed = fresh_seed() if seed is None else int(seed)
        self.progress, self.n_jobs = progress, n_jobs
        self._settings = RunSettings(self.tfs, bound, self.seed, text, label, key, dedupe,
                                     on_error, tuple(checks), max_attempts if checks else 1,
                                     relabel)
        self.report_ = self._settings.new_report()

    def augment(self, df: pd.DataFrame) -> pd.DataFrame:
        """Augment a whole frame; the input is never modified."""
        s = self._settings
        check_frame(df, s.text, s.label, s.key)
        _refuse_evaluation_split(df)
        chunk = max(len(df), 1)
        if self.n_jobs > 1:  # a few chunks per worker, so that every worker has work
            chunk = -(-chunk // (4 * self.n_jobs))
        if self.progress or self.n_jobs > 1:
            chunk = min(chunk, 5_000)
        self._check_rows(df, set())  # all of them before any work, so no chunk is checked again
        saved = self.policy, self._settings
        if isinstance(self.policy, ClassBalancedPolicy) and self.policy.counts is None:
            self.policy = self._fitted(df)
            s = dataclasses.replace(s, policy=self.policy.bind(s.policy.tf_names))
        if s.relabel is not None and not s.relabel.fitted:
            s = dataclasses.replace(s, relabel=self._fitted_labeler(df))
        self._settings = s
        try:
            return _concat(list(self._stream(df, chunk, checked=True)), df)
        finally:
            self.policy, self._settings = saved

    def stream(
        self, data: pd.DataFrame | Iterable[pd.DataFrame], chunk_size: int = 10_000
    ) -> Iterator[pd.DataFrame]:
        """Yield the augmented rows chunk by chunk; concatenated, they equal :meth:`augment`.

        ``data`` is a frame (cut into ``chunk_size`` rows), a dask DataFrame (one chunk
        per partition, computed one at a time), or any iterable of frames, such as
        ``pd.read_csv(path, chunksize=10_000)``.
        """
        yield from self._stream(data, chunk_size, checked=False)

    def _stream(self, data: pd.DataFrame | Iterable[pd.DataFrame], chunk_size: int,
                checked: bool, work: ChunkWork = augment_chunk) -> Iterator[Any]:
        """:meth:`stream`; ``checked``: ``augment`` has checked the whole frame already.
        ``work`` augments a chunk, in a worker process with ``n_jobs``: :func:`augment_chunk`,
        or a picklable callable that does more there and returns what it made and the report
        (an output frame's index is renumbered here, anything else is yielded as it is)."""
        check_param(isinstance(chunk_size, int) and chunk_size >= 1, "stream", "chunk_size",
                    "an int >= 1", chunk_size)
        if isinstance(self.policy, ClassBalancedPolicy) and self.policy.counts is None:
            raise InvalidParameterError(
                "ClassBalancedPolicy needs the label counts of the whole split when streaming: "
                "pass ClassBalancedPolicy(counts=...)."
            )
        if self._settings.relabel is not None and not self._settings.relabel.fitted:
            raise InvalidParameterError(
                "relabel needs a fitted Labeler when streaming (augment fits one on the whole "
                "frame, a stream has no whole frame): call labeler.fit(train_df) first.")
        self.report_ = self._settings.new_report()
        frames = _chunks(data, chunk_size) if isinstance(data, pd.DataFrame) else _frames(data)
        total = len(data) if isinstance(data, pd.DataFrame) else None
        offset = 0
        with _progress(self.progress, total) as bar:
            for out, part in self._map(iter(frames) if checked else self._checked(frames), work):
                if isinstance(out, pd.DataFrame):
                    out.index = pd.RangeIndex(offset, offset + len(out))
                    offset += len(out)
                self.report_.merge(part)
                bar.update(part.input_rows)
                yield out
        self._warn_if_rows_lost()

    def _checked(self, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        s, seen = self._settings, set[Any]()
        for frame in frames:
            check_frame(frame, s.text, s.label, s.key)
            _refuse_evaluation_split(frame)
            self._check_rows(frame, seen)
            yield frame

    def _check_rows(self, frame: pd.DataFrame, seen: set[Any]) -> None:
        check_rows(self._settings, frame, seen)

    def _map(self, frames: Iterator[pd.DataFrame],
             work: ChunkWork) -> Iterator[tuple[Any, AugmentReport]]:
        """Chunks in order, run here or in ``n_jobs`` processes (a few chunks in flight)."""
        if self.n_jobs == 1:
            yield from (work(self._settings, frame) for frame in frames)
            return
        with _worker_pool(self.n_jobs, self._settings, work) as pool:
            pending: deque[Future[tuple[Any, AugmentReport]]] = deque()
            for frame in frames:
                pending.append(pool.submit(_work_here, frame))
                if len(pending) >= 2 * self.n_jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def _fitted(self, df: pd.DataFrame) -> ClassBalancedPolicy:
        label = self._settings.label
        if label is None:
            raise InvalidParameterError("ClassBalancedPolicy needs label='your_label_column'.")
        policy = copy.copy(self.policy)
        assert isinstance(policy, ClassBalancedPolicy)
        return policy.fit(as_labels(v) for v in df[label].tolist())

    def _fitted_labeler(self, df: pd.DataFrame) -> Any:
        """A copy of the labeler fitted on the whole frame (seeded by the run's seed when it
        has none), its labels checked against the frame's."""
        labeler = copy.deepcopy(self._settings.relabel)
        if labeler.seed is None:
            labeler.seed = self.seed
        labeler.fit(df)
        label = cast(str, self._settings.label)
        labeler.check_labels(df[label].tolist(), label)
        return labeler

    def _warn_if_rows_lost(self) -> None:
        lost = self.report_.unaugmented
        if lost and not self._settings.policy.keep_original:
            warnings.warn(
                f"{self.report_.unaugmented_total} rows yielded no augmentation and "
                "keep_original=False, so they are "
                f"not in the output (first: {lost[:5]}). See report.unaugmented.",
                TextaugWarning,
                stacklevel=3,
            )


def augment(
    df: pd.DataFrame,
    tfs: Sequence[Any] | Any,
    policy: Any = None,
    *,
    seed: int | None = None,
    text: str = "text",
    label: str | None = None,
    key: str | None = None,
    dedupe: bool = True,
    on_error: Literal["raise", "skip"] = "raise",
    progress: bool = False,
    n_jobs: int = 1,
    validators: Sequence[Any] = (),
    max_attempts: int = 3,
    relabel: Any = None,
    return_report: bool = False,
) -> Any:
    """Augment the rows of ``df`` with ``tfs`` under ``policy``; return a new frame.

    Parameters
    ----------
    df
        The training split. It is never modified.
    tfs
        textaug TFs (or snorkel TFs), by unique name.
    policy
        A textaug or snorkel policy; default ``RandomPolicy()`` (one draw per row).
    seed
        Root seed; ``None`` draws one and records it in the report.
    text, label, key
        Columns holding the text, the label(s) and a unique row key (default: the index).
    dedupe
        Drop augmentations identical to their original or to an earlier sibling, in the
        text and every other field a TF changed (a TF may change the label alone). A TF
        that changes nothing makes no row either way.
    on_error
        ``"raise"`` stops at the first TF error; ``"skip"`` counts it in the report.
    progress
        Show a progress bar.
    n_jobs
        Worker processes; the output is the same for any number.
    validators
        Label-preservation checks (:mod:`textaug.validators`, or callables
        ``(original, candidate) -> Verdict | bool``), run in order on every changed
        candidate. The output then has ``textaug_attempts`` and ``textaug_verdicts``
        columns, and the report counts verdicts per TF x validator.
    max_attempts
        With validators: how many times a rejected candidate is made again from its
        original with a fresh draw before it is given up (1: never redrawn).
    relabel
        A :class:`~textaug.labeling.Labeler`: each augmented row gets the label its LFs and
        label model give its new text where the augmentation changed their answer
        (multi-label: per tag; ``Labeler(source_labels="weak")``: wherever they give one);
        where they give no evidence the source's label stays, or the candidate is dropped
        with ``Labeler(on_abstain="drop")``. This happens before the validators judge the
        candidate. An unfitted labeler is fitted, as a copy, on ``df``.
        Originals keep their labels. The output gains ``textaug_source_label`` (the
        source row's label) and ``textaug_label_confidence`` (the labeler's, ``NaN`` for
        originals and where it gave no label); the report counts the rows by outcome.
    return_report
        Return ``(frame, report)`` instead of the frame alone.
    """
    runner = Augmenter(tfs, policy, seed=seed, text=text, label=label, key=key, dedupe=dedupe,
                       on_error=on_error, progress=progress, n_jobs=n_jobs,
                       validators=validators, max_attempts=max_attempts, relabel=relabel)
    out = runner.augment(df)
    return (out, runner.report_) if return_report else out


def check_rows(settings: RunSettings, frame: pd.DataFrame, seen: set[Any]) -> None:
    """Keys present and unique (``seen``: those of earlier chunks, added to), no label a
    list written as text, labels known to a fitted labeler."""
    keys = row_keys(frame, settings.key)
    check_keys(keys, settings.key, seen)
    if settings.label is not None:
        check_labels(frame[settings.label].tolist(), keys, settings.label)
    if settings.relabel is not None and settings.relabel.fitted:
        settings.relabel.check_labels(frame[cast(str, settings.label)].tolist(),
                                      settings.label)


def _check_relabel(relabel: Any, text: str, label: str | None) -> None:
    """A labeler with ``relabel``, ``fitted`` and ``check_labels``, reading ``text``."""
    if relabel is None:
        return
    if not all(callable(getattr(relabel, name, None)) for name in ("relabel", "check_labels")):
        raise InvalidParameterError(
            f"relabel takes a textaug.labeling.Labeler (LFs and a label model). Got "
            f"{type(relabel).__name__}: build one with Labeler(lfs, model=...).")
    if label is None:
        raise InvalidParameterError(
            "relabel writes the label column: pass label='your_label_column'.")
    if getattr(relabel, "text", text) != text:
        raise InvalidParameterError(
            f"The labeler reads text column {relabel.text!r} but augment's is {text!r}: build "
            f"it with Labeler(..., text={text!r}).")


def _refuse_evaluation_split(df: pd.DataFrame) -> None:
    """Augmenting a validation or test split leaks its variants into the evaluation."""
    split = df.attrs.get(SPLIT_MARK)
    if split in EVALUATION_SPLITS:
        raise LeakageError(
            f"This DataFrame is the {split!r} split made by textaug.split: augment only the "
            "training split, or the evaluation measures the augmentation instead of the model. "
            f"If it really is training data, drop the mark: df.attrs.pop({SPLIT_MARK!r})."
        )


def _concat(parts: list[pd.DataFrame], like: pd.DataFrame) -> pd.DataFrame:
    """The chunks as one frame; categorical columns stay categorical (pandas would make
    chunks with different categories plain text), with the same categories as one chunk."""
    if len(parts) == 1:  # one chunk: already a new frame, its categories as column_like made them
        return parts[0]
    out = pd.concat(parts)
    for name, dtype in like.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype) and out[name].dtype != dtype:
            out[name] = column_like(out[name].tolist(), dtype, out.index)
    return out


# In a worker process of ``_map``: the run's settings and chunk work, given once when the
# worker starts. A chunk then travels alone, and what a TF builds on first use (a lexicon's
# matcher) is built once per worker, not again for every chunk from freshly unpickled settings.
_worker_job: tuple[RunSettings, ChunkWork] | None = None


def _worker_pool(n_jobs: int, settings: RunSettings, work: ChunkWork) -> ProcessPoolExecutor:
    """``n_jobs`` processes, each holding ``settings`` and ``work`` for :func:`_work_here`."""
    return process_pool(n_jobs, _start_worker, (settings, work))


def _start_worker(settings: RunSettings, work: ChunkWork) -> None:
    global _worker_job  # noqa: PLW0603 - this worker process's job, set once as it starts
    _worker_job = (settings, work)


def _work_here(frame: pd.DataFrame) -> tuple[Any, AugmentReport]:
    """Run this worker's chunk work on ``frame``."""
    assert _worker_job is not None, "a chunk sent to a process that was not started for it"
    settings, work = _worker_job
    return work(settings, frame)


def _frames(data: Any) -> Iterable[pd.DataFrame]:
    """Frames from an iterable of frames, or the partitions of a dask DataFrame."""
    if hasattr(data, "npartitions") and hasattr(data, "partitions"):
        return (data.partitions[i].compute() for i in range(data.npartitions))
    return data


def _chunks(df: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    if len(df) <= size:  # one chunk: the frame itself (chunks are read, never written)
        yield df
        return
    yield df.iloc[:size]
    for start in range(size, len(df), size):
        yield df.iloc[start:start + size]


class _progress:  # noqa: N801 - a context manager used like a function
    def __init__(self, enabled: bool, total: int | None) -> None:
        self.enabled, self.total = enabled, total

    def __enter__(self) -> Any:
        if not self.enabled:
            self.bar: Any = _NoBar()
        else:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=self.total, unit="row", desc="textaug")
        return self.bar

    def __exit__(self, *exc: object) -> None:
        self.bar.close()


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass
