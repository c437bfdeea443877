"""The applier: policy x TFs over a DataFrame, with provenance and a report.

Rows become read-only records once; each (row, draw) is a candidate. TFs run stage
by stage over all candidates of a chunk, so a batch TF (a model) sees many records
at once. Every draw takes a generator derived from (seed, row key, draw, TF name,
stage), so a row's augmentations do not depend on row order, chunking or other rows.
The output keeps every input column with its dtype and adds the provenance columns
``textaug_source`` (the source row's key), ``textaug_is_original`` and ``textaug_tfs``
(the chain of TFs that changed the row, ``>``-separated).

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
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from textaug._rng import Rng, derive_seed, fresh_seed, hash_text, mix
from textaug.errors import (
    ColumnNotFoundError,
    InvalidParameterError,
    TextaugWarning,
    TransformError,
    check_param,
)
from textaug.interop import as_policy, as_tf
from textaug.policy import ClassBalancedPolicy
from textaug.records import IS_ORIGINAL, PROVENANCE_COLUMNS, SOURCE, TFS, Record, as_labels
from textaug.report import AugmentReport
from textaug.tf import TransformationFunction

_POLICY_SALT = hash_text("textaug.policy")


class Augmenter:
    """A configured augmentation run; see :func:`augment` for the parameters.

    ``augment(df)`` returns the augmented frame; ``stream(frames)`` yields one per
    chunk for data that does not fit in memory. ``report_`` holds the last run's
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
    ) -> None:
        tf_list = [tfs] if not isinstance(tfs, Sequence) else list(tfs)
        self.tfs: list[TransformationFunction] = [as_tf(tf) for tf in tf_list]
        names = [tf.name for tf in self.tfs]
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
        for param, value in (("text", text), ("label", label), ("key", key)):
            check_param(value is None or isinstance(value, str), "augment", param,
                        "a column name (str)", value)
        needy = [tf.name for tf in self.tfs if tf.needs_label]
        if needy and label is None:
            raise InvalidParameterError(
                f"TFs {needy} read the row's labels: pass label='your_label_column' "
                "(or build them with label_aware=False)."
            )
        self.policy = as_policy(policy, names)
        self.bound = self.policy.bind(names)
        self.tfs = [self.tfs[names.index(name)] for name in self.bound.tf_names]
        self.seed = fresh_seed() if seed is None else int(seed)
        self.text, self.label, self.key = text, label, key
        self.dedupe, self.on_error, self.progress = dedupe, on_error, progress
        self._tf_salts = [hash_text(tf.name) for tf in self.tfs]
        self.report_ = AugmentReport(self.seed, [tf.name for tf in self.tfs])

    def augment(self, df: pd.DataFrame) -> pd.DataFrame:
        """Augment a whole frame; the input is never modified."""
        _check_frame(df, self.text, self.label, self.key)
        chunk = 5_000 if self.progress else max(len(df), 1)
        unfitted = isinstance(self.policy, ClassBalancedPolicy) and self.policy.counts is None
        if not unfitted:
            return pd.concat(list(self.stream(df, chunk_size=chunk)))
        saved = self.policy, self.bound
        self.policy = self._fitted(df)
        self.bound = self.policy.bind(saved[1].tf_names)
        try:
            return pd.concat(list(self.stream(df, chunk_size=chunk)))
        finally:
            self.policy, self.bound = saved

    def stream(
        self, data: pd.DataFrame | Iterable[pd.DataFrame], chunk_size: int = 10_000
    ) -> Iterator[pd.DataFrame]:
        """Yield the augmented rows chunk by chunk; concatenated, they equal :meth:`augment`.

        ``data`` is a frame (cut into ``chunk_size`` rows) or any iterable of frames,
        such as ``pd.read_csv(path, chunksize=10_000)``.
        """
        check_param(isinstance(chunk_size, int) and chunk_size >= 1, "stream", "chunk_size",
                    "an int >= 1", chunk_size)
        if isinstance(self.policy, ClassBalancedPolicy) and self.policy.counts is None:
            raise InvalidParameterError(
                "ClassBalancedPolicy needs the label counts of the whole split when streaming: "
                "pass ClassBalancedPolicy(counts=...)."
            )
        self.report_ = AugmentReport(self.seed, [tf.name for tf in self.tfs])
        frames = _chunks(data, chunk_size) if isinstance(data, pd.DataFrame) else data
        total = len(data) if isinstance(data, pd.DataFrame) else None
        seen_keys: set[Any] = set()
        offset = 0
        with _progress(self.progress, total) as bar:
            for frame in frames:
                _check_frame(frame, self.text, self.label, self.key)
                out = self._run(frame, offset, seen_keys)
                offset += len(out)
                bar.update(len(frame))
                yield out
        self._warn_if_rows_lost()

    def _fitted(self, df: pd.DataFrame) -> ClassBalancedPolicy:
        if self.label is None:
            raise InvalidParameterError("ClassBalancedPolicy needs label='your_label_column'.")
        policy = copy.copy(self.policy)
        assert isinstance(policy, ClassBalancedPolicy)
        return policy.fit(as_labels(v) for v in df[self.label].tolist())

    def _run(self, df: pd.DataFrame, offset: int, seen_keys: set[Any]) -> pd.DataFrame:
        report = self.report_
        keys = df[self.key].tolist() if self.key else df.index.tolist()
        _check_keys(keys, self.key, seen_keys)
        texts = df[self.text].tolist()
        _check_texts(texts, keys, self.text)
        columns = list(df.columns)
        rows = [dict(zip(columns, values, strict=True))
                for values in zip(*(df[c].tolist() for c in columns), strict=True)]
        report.input_rows += len(rows)

        text_f, label_f = self.text, self.label
        originals = [Record(row, text_f, label_f) for row in rows]
        row_seeds = [derive_seed(self.seed, k) for k in keys]
        uses_labels = isinstance(self.policy, ClassBalancedPolicy)
        sequences = self.bound.sequences
        cand_pos: list[int] = []
        cand_draw: list[int] = []
        cand_seq: list[tuple[int, ...]] = []
        for pos, rec in enumerate(originals):
            labels = rec.labels if uses_labels else ()
            for draw, seq in enumerate(sequences(Rng(mix(row_seeds[pos], _POLICY_SALT)), labels)):
                cand_pos.append(pos)
                cand_draw.append(draw)
                cand_seq.append(seq)

        current: list[Record | None] = [originals[p] for p in cand_pos]
        chains: list[list[str]] = [[] for _ in cand_pos]
        self._run_stages(cand_pos, cand_draw, cand_seq, current, chains, keys, row_seeds)
        return self._assemble(df, keys, originals, cand_pos, current, chains, offset)

    def _run_stages(self, cand_pos, cand_draw, cand_seq, current, chains, keys, row_seeds):
        report, tfs, salts = self.report_, self.tfs, self._tf_salts
        longest = max(map(len, cand_seq), default=0)
        for stage in range(longest):
            groups: dict[int, list[int]] = {}
            for i, seq in enumerate(cand_seq):
                if stage < len(seq) and current[i] is not None:
                    groups.setdefault(seq[stage], []).append(i)
            for t, members in groups.items():
                tf, salt = tfs[t], salts[t]
                records = [current[i] for i in members]
                rngs = [Rng(mix(row_seeds[cand_pos[i]], cand_draw[i], salt, stage))
                        for i in members]
                counts = report.tfs[tf.name]
                for i, x, out in zip(members, records, tf.apply_batch(records, rngs),
                                     strict=True):
                    if isinstance(out, BaseException):
                        key = keys[cand_pos[i]]
                        if self.on_error == "raise":
                            raise TransformError(tf.name, key, out) from out
                        report.add_error(key, tf.name, out)
                        current[i] = None
                    elif out is None or _unchanged(out := _rebased(out, x), x):
                        counts.not_applicable += 1
                    else:
                        counts.applied += 1
                        current[i] = out
                        chains[i].append(tf.name)

    def _assemble(self, df, keys, originals, cand_pos, current, chains, offset):
        report = self.report_
        src: list[int] = []
        made: list[Record | None] = []
        chain_text: list[str] = []
        keep = self.bound.keep_original
        by_row: list[list[int]] = [[] for _ in originals]
        for i, pos in enumerate(cand_pos):
            by_row[pos].append(i)
        for pos, rec in enumerate(originals):
            if keep:
                src.append(pos)
                made.append(None)
                chain_text.append("")
            seen = {rec.text} if self.dedupe else None
            n_made = 0
            for i in by_row[pos]:
                out = current[i]
                if out is None or not chains[i]:
                    continue
                if seen is not None:
                    if out.text in seen:
                        report.duplicates_dropped += 1
                        continue
                    seen.add(out.text)
                src.append(pos)
                made.append(out)
                chain_text.append(">".join(chains[i]))
                n_made += 1
            if not n_made:
                report.unaugmented.append(keys[pos])
            report.augmented_rows += n_made
        key_index = pd.Index(df[self.key]) if self.key else df.index
        out_df = _build_frame(df, key_index, src, made, chain_text, offset, df[self.text].dtype)
        report.output_rows += len(out_df)
        return out_df

    def _warn_if_rows_lost(self) -> None:
        lost = self.report_.unaugmented
        if lost and not self.bound.keep_original:
            warnings.warn(
                f"{len(lost)} rows yielded no augmentation and keep_original=False, so they are "
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
        Drop augmentations identical to their original or to an earlier sibling.
    on_error
        ``"raise"`` stops at the first TF error; ``"skip"`` counts it in the report.
    progress
        Show a progress bar.
    return_report
        Return ``(frame, report)`` instead of the frame alone.
    """
    runner = Augmenter(tfs, policy, seed=seed, text=text, label=label, key=key, dedupe=dedupe,
                       on_error=on_error, progress=progress)
    out = runner.augment(df)
    return (out, runner.report_) if return_report else out


def _unchanged(out: Record, x: Record) -> bool:
    """Whether ``out`` holds the same values as ``x`` (a TF that changed nothing)."""
    if out._changes is x._changes:
        return True
    return all(name in out._changes for name in x._changes) and all(
        name in x and _same(x[name], value) for name, value in out._changes.items())


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other values without a single truth value
        return False


def _rebased(out: Record, x: Record) -> Record:
    """Keep records as (source row, changes) even if a TF built a fresh one."""
    if out._row is x._row:
        return out
    base = x._row
    changes = {k: v for k, v in out.items() if k not in base or base[k] is not v}
    return Record(base, x.text_field, x.label_field, changes)


def _build_frame(df, keys, src, made, chain_text, offset, text_dtype) -> pd.DataFrame:
    """The output rows: input columns (dtypes kept) with TF changes, plus provenance."""
    take = np.asarray(src, dtype=np.intp)
    out = df.take(take)
    fields: dict[str, None] = {}
    for rec in made:
        if rec is not None:
            fields.update(dict.fromkeys(rec._changes))
    for name in fields:
        values = df[name].tolist() if name in df.columns else [None] * len(df)
        column = [values[p] if rec is None or name not in rec._changes else rec._changes[name]
                  for p, rec in zip(src, made, strict=True)]
        out[name] = _column(column, df[name].dtype if name in df.columns else None)
    out.index = pd.RangeIndex(offset, offset + len(out))
    out[SOURCE] = pd.Series(keys.take(take), index=out.index)
    out[IS_ORIGINAL] = np.fromiter((rec is None for rec in made), dtype=bool, count=len(made))
    out[TFS] = _column(chain_text, text_dtype)
    return out


def _column(values: list[Any], dtype: Any) -> Any:
    if dtype is None:
        return values
    try:
        return pd.array(values, dtype=dtype)
    except (TypeError, ValueError):
        return pd.array(values, dtype=object)


def _chunks(df: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    yield df.iloc[:size]
    for start in range(size, len(df), size):
        yield df.iloc[start:start + size]


class _progress:  # noqa: N801
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


def _check_frame(df: Any, text: str, label: str | None, key: str | None) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InvalidParameterError(f"augment() takes a pandas DataFrame. Got {type(df).__name__}.")
    for role, name in (("text", text), ("label", label), ("key", key)):
        if name is not None and name not in df.columns:
            raise ColumnNotFoundError(
                f"{role.capitalize()} column {name!r} not in DataFrame. "
                f"Available columns: {list(df.columns)}. Pass {role}='...' to name it."
            )
    if not df.columns.is_unique:
        dupes = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise InvalidParameterError(
            f"The DataFrame has duplicate column names {dupes}; rename them.")
    present = [c for c in PROVENANCE_COLUMNS if c in df.columns]
    if present:
        raise InvalidParameterError(
            f"The DataFrame already has provenance columns {present}: it looks augmented. "
            "Augment the original training split, or drop these columns first."
        )


def _check_keys(keys: list[Any], key: str | None, seen: set[Any]) -> None:
    fresh = set(keys)
    if len(fresh) == len(keys) and seen.isdisjoint(fresh):
        seen |= fresh
        return
    dupes = [k for k, n in Counter(keys).items() if n > 1] + list(fresh & seen)
    where = f"key column {key!r}" if key else "The DataFrame index"
    fix = ("pass key='...' naming a column of unique row ids, or df.reset_index(drop=True)"
           if key is None else "make the key column unique or name another one")
    raise InvalidParameterError(
        f"{where} has duplicate values (first: {sorted(set(map(repr, dupes)))[:5]}); rows are "
        f"seeded and traced by key, so keys must be unique: {fix}."
    )


def _check_texts(texts: list[Any], keys: list[Any], column: str) -> None:
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        shown = ", ".join(f"{keys[i]!r}: {texts[i]!r}" for i in bad[:5])
        raise InvalidParameterError(
            f"Text column {column!r} has {len(bad)} non-string values ({shown}). "
            f"Drop or fill them first, e.g. df.dropna(subset=[{column!r}])."
        )
