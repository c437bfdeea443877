"""Augment one chunk of rows: a pure function of the chunk and the run's settings.

Rows become read-only records once; each (row, draw) of the policy is a candidate.
TFs run stage by stage over all candidates of the chunk, grouped by TF, so a batch
TF (a model) sees many records at once. Validators then judge the changed candidates
(:mod:`textaug.validate`); a rejected one is made again from its original, up to
``max_attempts`` times. Every draw takes a generator derived from (seed, row key,
draw, TF name, stage, attempt), so a row's output depends on nothing else: not on row
order, chunking, or which process runs it. With a labeler (``relabel``), each changed
candidate gets the label the labeler gives its new text before the validators judge it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

import numpy as np
import pandas as pd

from textaug._rng import OnTheFly, Rng, derive_seed_array, generators, hash_text, mix_many
from textaug.checks import check_text_column, row_keys
from textaug.errors import TransformError, ValidatorError
from textaug.frames import frame_from_arrays, text_array
from textaug.policy import BoundPolicy, ClassBalancedPolicy, Sequences
from textaug.records import (
    ATTEMPTS,
    IS_ORIGINAL,
    LABEL_CONFIDENCE,
    SOURCE,
    SOURCE_LABEL,
    TFS,
    VERDICTS,
    Record,
    column_records,
    private,
    private_each,
    same_value,
)
from textaug.report import AugmentReport, Rejection
from textaug.tf import TransformationFunction
from textaug.validate import describe, judge, rejection
from textaug.validators.base import Validator

_POLICY_SALT = hash_text("textaug.policy")


@dataclass(frozen=True)
class RunSettings:
    """Everything a chunk needs; picklable, so chunks can run in worker processes."""

    tfs: tuple[TransformationFunction, ...]
    policy: BoundPolicy
    seed: int
    text: str
    label: str | None
    key: str | None
    dedupe: bool
    on_error: str
    validators: tuple[Validator, ...] = ()
    max_attempts: int = 1
    relabel: Any = None  # a fitted textaug.labeling.Labeler

    def new_report(self) -> AugmentReport:
        return AugmentReport(self.seed, [tf.name for tf in self.tfs],
                             validator_names=[v.name for v in self.validators])


# The most candidates planned and run at once (whole rows; a row's draws stay together), so
# memory does not grow with rows x n_per_original.
MAX_BATCH = 4096


@dataclass
class _Candidates:
    """Parallel lists, one entry per (row, draw), for the rows at positions ``rows``."""

    rows: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # per row: the candidate after its last
    pos: list[int] = field(default_factory=list)
    draw: list[int] = field(default_factory=list)
    seq: list[tuple[int, ...]] = field(default_factory=list)
    current: list[Record | str | None] = field(default_factory=list)  # str: a new text (last stage)
    chain: list[tuple[str, ...]] = field(default_factory=list)
    attempt: list[int] = field(default_factory=list)
    log: dict[int, list[str]] = field(default_factory=dict)  # per attempt: validators' verdicts
    relabelled: dict[int, Any] = field(default_factory=dict)  # candidate -> Relabelled

    def add(self, rows: Sequence[int], seqs: Sequences, originals: list[Record]) -> None:
        """Add ``rows``, each drawing the TF sequences ``seqs``."""
        pos = list(rows) if len(seqs) == 1 else [p for p in rows for _ in seqs]
        n, first = len(pos), len(self.pos)
        self.rows += rows
        step = len(seqs)
        self.ends += range(first + step, first + n + 1, step) if step else [first] * len(rows)
        self.pos += pos
        self.draw += list(range(len(seqs))) * len(rows)
        self.seq += seqs * len(rows)
        self.current += [originals[p] for p in pos]
        self.chain += [()] * n
        self.attempt += [0] * n


@dataclass
class _Kept:
    """The output rows so far, in order: source position, the fields a TF changed (None:
    the original), TF chain, and where the run has validators or a labeler, attempts,
    verdict log and relabelling."""

    src: list[int] = field(default_factory=list)
    made: list[dict[str, Any] | None] = field(default_factory=list)  # changes, not records
    chains: list[str] = field(default_factory=list)
    fields: dict[Any, None] = field(default_factory=dict)  # what the changes touch, in order
    originals: int = 0  # how many rows are originals (a None in ``made``)
    attempts: list[int] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    relabelled: list[Any] = field(default_factory=list)  # Relabelled, or None (an original)

    def extra(self, attempt: int, log: str, relabelled: Any) -> None:
        """The attempts, verdict log and relabelling of the row added last (kept only
        where the run has validators or a labeler)."""
        self.attempts.append(attempt)
        self.logs.append(log)
        self.relabelled.append(relabelled)


def augment_chunk(settings: RunSettings, df: pd.DataFrame) -> tuple[pd.DataFrame, AugmentReport]:
    """The augmented rows of ``df`` (index from 0) and the report of this chunk."""
    report = settings.new_report()
    columns = {name: df[name] for name in df.columns}  # each df[name] makes a Series: once
    values = {name: column.tolist() for name, column in columns.items()}
    keys = row_keys(df, settings.key)
    check_text_column(columns[settings.text], keys, settings.text)
    originals = column_records(values, settings.text, settings.label, keys)
    row_seeds = derive_seed_array(settings.seed, keys)
    report.input_rows = len(originals)
    kept = _Kept()
    rejections: list[tuple[int, Rejection]] = []
    for cands in _plan(settings, originals, row_seeds):
        _run_attempts(settings, cands, keys, originals, row_seeds, report, rejections)
        _keep(settings, cands, keys, originals, kept, report)
    for _, rejected in sorted(rejections, key=lambda r: (r[0], r[1].draw, r[1].attempt)):
        report.add_rejection(rejected)  # in row order, whatever the chunking
    return _assemble(settings, df, columns, values, kept, report), report


def _plan(settings: RunSettings, originals: list[Record],
          row_seeds: np.ndarray) -> Iterator[_Candidates]:
    """The candidates of the rows, in batches of about ``MAX_BATCH`` (whole rows)."""
    fixed = settings.policy.fixed_sequences()
    if fixed is not None:  # every row gets the same sequences: plan a batch of rows at once
        per_batch = -(-MAX_BATCH // len(fixed)) if fixed else max(len(originals), 1)
        for lo in range(0, len(originals), per_batch):
            cands = _Candidates()
            cands.add(range(lo, min(lo + per_batch, len(originals))), fixed, originals)
            yield cands
        return
    uses_labels = isinstance(settings.policy.policy, ClassBalancedPolicy)
    sequences = settings.policy.sequences
    cands = _Candidates()
    for pos, policy_seed in enumerate(mix_many(row_seeds, _POLICY_SALT).tolist()):
        if len(cands.pos) >= MAX_BATCH:
            yield cands
            cands = _Candidates()
        rec = originals[pos]
        cands.add((pos,), sequences(Rng(policy_seed), rec.labels if uses_labels else ()),
                  originals)
    if cands.rows:
        yield cands


def _run_attempts(settings: RunSettings, cands: _Candidates, keys: list[Any],
                  originals: list[Record], row_seeds: np.ndarray, report: AugmentReport,
                  rejections: list[tuple[int, Rejection]]) -> None:
    """Run and judge the candidates; a rejected one is made again, up to ``max_attempts``."""
    accepted: dict[int, list[Record]] = {}
    pending = list(range(len(cands.pos)))
    for attempt in range(settings.max_attempts):
        for i in pending if attempt else ():  # a redraw starts again from the original
            cands.current[i], cands.chain[i] = originals[cands.pos[i]], ()
            cands.attempt[i] = attempt
        _run_stages(settings, cands, pending, keys, row_seeds, report)
        if settings.relabel is not None:
            _relabel(settings, cands, pending, originals, report)
        pending = _validate(settings, cands, pending, keys, originals, accepted, report,
                            rejections) if settings.validators else []
        if not pending:
            break
        if attempt + 1 < settings.max_attempts:
            report.retries += len(pending)
    for i in pending:
        cands.current[i] = None  # rejected on every attempt
        report.rejected_on_every_attempt += 1


def _run_stages(settings: RunSettings, cands: _Candidates, pending: list[int], keys: list[Any],
                row_seeds: np.ndarray, report: AugmentReport) -> None:
    """Run each pending candidate's TF sequence, stage by stage, grouped by TF."""
    salts = [hash_text(tf.name) for tf in settings.tfs]
    current, seq, chain, text = cands.current, cands.seq, cands.chain, settings.text
    # a text TF's new text is kept as a str, not a record, where nothing reads a record
    # after it: at a candidate's last stage, in a run without validators or a labeler
    bare = not settings.validators and settings.relabel is None
    # every candidate runs the same TFs: the common case, grouped at once
    same = seq[0] if len(pending) == len(seq) and seq and seq.count(seq[0]) == len(seq) else None
    for stage in range(len(same) if same is not None else
                       max((len(seq[i]) for i in pending), default=0)):
        groups: dict[int, list[int]] = {}
        if same is not None:
            if members := [i for i in pending if current[i] is not None]:
                groups[same[stage]] = members
        else:
            for i in pending:
                if stage < len(seq[i]) and current[i] is not None:
                    groups.setdefault(seq[i][stage], []).append(i)
        for t, members in groups.items():
            tf = settings.tfs[t]
            # grouped only if not None (no cast() call per record: this runs for every row)
            records: list[Record] = [current[i] for i in members]  # type: ignore[misc]
            plain = type(tf).apply_batch is TransformationFunction.apply_batch
            rngs = _draw_rngs(cands, members, row_seeds, salts[t], stage, plain)
            outs = tf.apply_batch_texts(records, rngs) if plain else tf.apply_batch(records, rngs)
            last = bare and (stage + 1 == len(same) if same is not None
                             else all(len(seq[i]) == stage + 1 for i in members))
            applied, failed, named = 0, 0, (tf.name,)
            for i, x, out in zip(members, records, outs, strict=True):
                if out is None:
                    continue
                if type(out) is str:  # a text TF's new text (an original's: its row's text)
                    if out != (x.text if chain[i] else x._row[text]):
                        applied += 1
                        current[i] = out if last else x.with_text(out)
                        chain[i] = chain[i] + named if chain[i] else named
                    continue
                made = _new_text(out, x)  # the common case, judged at once
                if made is None and isinstance(out, Record):
                    if not isinstance(out.text, str):
                        out = TypeError(f"it returned text {out.text!r}; a TF returns a str text")
                    elif _unchanged(out := _rebased(out, x), x):
                        continue
                    else:
                        made = out
                if made is not None:
                    applied += 1
                    current[i] = made
                    chain[i] = chain[i] + named if chain[i] else named
                    continue
                if not isinstance(out, BaseException):
                    out = TypeError(f"it returned {type(out).__name__}; a TF returns a Record "
                                    "or None")
                key = keys[cands.pos[i]]
                if settings.on_error == "raise":
                    raise TransformError(tf.name, key, out) from out
                report.add_error(key, tf.name, out)
                current[i] = None
                failed += 1
            counts = report.tfs[tf.name]
            counts.applied += applied
            counts.not_applicable += len(members) - applied - failed


def _draw_rngs(cands: _Candidates, members: list[int], row_seeds: np.ndarray, tf_salt: int,
               stage: int, read_once: bool = False) -> Sequence[Rng]:
    """The generators of one TF's calls: each seeded by (row, draw, TF, stage) and, for a
    retry, the attempt (a retry draws afresh); derived for the whole group at once, and
    made as they are read where the TF reads each once (``read_once``)."""
    at = np.asarray(members, dtype=np.intp)
    pos, draw = np.asarray(cands.pos, dtype=np.intp)[at], np.asarray(cands.draw)[at]
    seeds = mix_many(row_seeds[pos], draw, tf_salt, stage)
    attempts = np.asarray(cands.attempt)[at]
    if attempts.any():
        seeds = np.where(attempts > 0, mix_many(seeds, attempts), seeds)
    return OnTheFly(seeds) if read_once else generators(seeds)


def _relabel(settings: RunSettings, cands: _Candidates, pending: list[int],
             originals: list[Record], report: AugmentReport) -> None:
    """Give each changed candidate the label the labeler gives its text (or drop it)."""
    made = [i for i in pending if cands.current[i] is not None and cands.chain[i]]
    records = [cast(Record, cands.current[i]) for i in made]
    answers = settings.relabel.relabel(records, [originals[cands.pos[i]] for i in made])
    for i, rec, answer in zip(made, records, answers, strict=True):
        cands.relabelled[i] = answer
        if answer.status == "dropped":
            cands.current[i] = None
            report.relabel["dropped"] += 1
        elif answer.status == "changed":
            cands.current[i] = rec.replace(label=answer.label)


def _validate(settings: RunSettings, cands: _Candidates, pending: list[int], keys: list[Any],
              originals: list[Record], accepted: dict[int, list[Record]],
              report: AugmentReport, rejections: list[tuple[int, Rejection]]) -> list[int]:
    """Judge the pending candidates that a TF changed; return the rejected ones."""
    made = [i for i in pending if cands.current[i] is not None and cands.chain[i]]
    judged = judge(settings.validators, [originals[cands.pos[i]] for i in made],
                   [cast(Record, cands.current[i]) for i in made], [cands.pos[i] for i in made],
                   accepted)
    rejected = []
    for i, verdicts in zip(made, judged, strict=True):
        tfs = ">".join(cands.chain[i])
        cands.log.setdefault(i, []).append(describe(verdicts))
        for name, verdict in verdicts:
            if verdict.error is None:
                report.add_verdict(tfs, name, verdict.accepted)
        refusal = rejection(verdicts)
        if refusal is None:
            continue
        name, verdict = refusal
        if verdict.error is not None:  # the validator raised: an error, as a TF's would be
            key = keys[cands.pos[i]]
            if settings.on_error == "raise":
                raise ValidatorError(name, key, verdict.error) from verdict.error
            report.add_validator_error(key, name, verdict.error)
            cands.current[i] = None
            continue
        rejected.append(i)
        rejections.append((cands.pos[i], Rejection(
            keys[cands.pos[i]], cands.draw[i], cands.attempt[i] + 1, tfs, name, verdict.reason,
            verdict.score, cast(Record, cands.current[i]).text)))
    return rejected


def _keep(settings: RunSettings, cands: _Candidates, keys: list[Any],
          originals: list[Record], kept: _Kept, report: AugmentReport) -> None:
    """Add the batch's originals and kept augmentations, in input order, duplicates dropped.

    Attempts, verdict logs and relabelling are kept only where the run has validators or a
    labeler (the only runs whose frames show them).
    """
    current, chain, end, text = cands.current, cands.chain, 0, settings.text
    full = bool(settings.validators) or settings.relabel is not None
    src, made, chains = kept.src.append, kept.made.append, kept.chains.append
    joined: dict[tuple[str, ...], str] = {}
    keep_original, dedupe, n_made_total = settings.policy.keep_original, settings.dedupe, 0
    starts, fields, new_text = [0, *cands.ends[:-1]], kept.fields, False
    for pos, start, end in zip(cands.rows, starts, cands.ends, strict=True):  # draw order
        if keep_original:
            src(pos), made(None), chains("")
            kept.originals += 1
            if full:
                kept.extra(0, "", None)
        seen = {(originals[pos].text, ())} if dedupe else None
        n_made = 0
        for i in range(start, end):
            out = current[i]
            if out is None or not chain[i]:
                continue
            if isinstance(out, str):  # a text TF's new text
                changes, new_text = {text: out}, True
            else:
                changes = out._changes
                if len(changes) != 1 or text not in changes:
                    fields.update(dict.fromkeys(changes))
                else:
                    new_text = True
            if seen is not None:  # _dedupe_key's common case inlined: a new text alone
                made_key = ((changes[text], ()) if len(changes) == 1 and text in changes
                            else _dedupe_key(cast(Record, out), originals[pos]))
                if made_key in seen:
                    report.duplicates_dropped += 1
                    continue
                seen.add(made_key)
            src(pos), made(changes)
            tfs = joined.get(chain[i]) or joined.setdefault(chain[i], ">".join(chain[i]))
            chains(tfs)
            if full:
                _keep_details(cands, i, kept, report)
            n_made += 1
        if not n_made:
            report.unaugmented.append(keys[pos])
        n_made_total += n_made
    report.augmented_rows += n_made_total
    if new_text:
        fields[text] = None


def _keep_details(cands: _Candidates, i: int, kept: _Kept, report: AugmentReport) -> None:
    """The attempts, verdict log and relabelling of kept candidate ``i``."""
    relabelled, log = cands.relabelled.get(i), cands.log.get(i)
    kept.extra(cands.attempt[i] + 1, " | ".join(f"attempt {a}: {line}"
                                                for a, line in enumerate(log, 1)) if log else "",
               relabelled)
    if relabelled is not None:
        report.relabel[relabelled.status] += 1


def _assemble(settings: RunSettings, df: pd.DataFrame, columns: dict[Any, pd.Series],
              values: dict[Any, list[Any]], kept: _Kept, report: AugmentReport) -> pd.DataFrame:
    """The output frame of the kept rows (``columns``: the chunk's columns, ``values``:
    their values, as read once)."""
    key_index = pd.Index(columns[settings.key]) if settings.key else df.index
    frame = _build_frame(df, columns, values, key_index, kept)
    if settings.validators:
        frame[ATTEMPTS] = np.asarray(kept.attempts, dtype=np.int64)
        frame[VERDICTS] = kept.logs
    if settings.relabel is not None:
        _relabel_columns(frame, values[settings.label], kept)
    report.output_rows = len(frame)
    return frame


def _relabel_columns(frame: pd.DataFrame, labels: list[Any], kept: _Kept) -> None:
    """The label each row's source had, and the labeler's confidence in the row's label."""
    frame[SOURCE_LABEL] = pd.Series([private(labels[p]) for p in kept.src], index=frame.index,
                                    dtype=object)
    frame[LABEL_CONFIDENCE] = np.array([np.nan if r is None else r.confidence
                                        for r in kept.relabelled], dtype=float)


def _build_frame(df: pd.DataFrame, columns: dict[Any, pd.Series], values: dict[Any, list[Any]],
                 keys: pd.Index, kept: _Kept) -> pd.DataFrame:
    """Input columns (dtypes kept) with the TFs' changes, plus the provenance columns."""
    src, made, changed = kept.src, kept.made, kept.fields
    take = np.asarray(src, dtype=np.intp)
    index = pd.RangeIndex(len(take))
    out_columns: dict[Any, Any] = {}
    for name in [*columns, *(name for name in changed if name not in columns)]:
        source = columns.get(name)
        if name in changed:
            before = values[name] if source is not None else [None] * len(df)
            column = [before[p] if changes is None or name not in changes else changes[name]
                      for p, changes in zip(src, made, strict=True)]
            out_columns[name] = _changed_column(column, None if source is None else source.dtype,
                                                index)
        else:
            out_columns[name] = _unshared(pd.Series(cast(pd.Series, source).array.take(take),
                                                    index=index, name=name))
    # arrays, not Series (each Series costs about 40 us more, per chunk, than its array)
    provenance = {SOURCE: _taken(keys, take),
                  IS_ORIGINAL: np.array([changes is None for changes in made], dtype=bool)
                  if kept.originals else np.zeros(len(made), dtype=bool),
                  # provenance has its own dtype (the default for text), never the input's
                  TFS: text_array(kept.chains, _text_dtype())}
    out = frame_from_arrays(out_columns | provenance, index)  # made here: no copy
    out.attrs = copy.deepcopy(df.attrs)  # as pandas carries them: the split's mark stays
    return out


def _taken(keys: pd.Index, take: np.ndarray) -> Any:
    """``keys.take(take)``; of a RangeIndex (the common key), worked out as the int64 array
    that it is, without building an Index.

    >>> _taken(pd.RangeIndex(10, 20, 2), np.array([0, 3])).tolist()
    [10, 16]
    """
    if type(keys) is pd.RangeIndex:
        return take.astype(np.int64) * keys.step + keys.start
    return keys.take(take)


def _changed_column(values: list[Any], dtype: Any, index: pd.Index) -> Any:
    """A changed column as :func:`column_like` makes it, each row's mutable cells its own;
    text (a str dtype) as an array, which costs less than a Series (about 40 us a chunk)."""
    if isinstance(dtype, pd.StringDtype):
        try:
            return text_array(values, dtype)
        except (TypeError, ValueError):
            pass  # as column_like says
    return _unshared(column_like(values, dtype, index))


@cache
def _text_dtype() -> Any:
    """The dtype pandas gives a column of text (``str`` in pandas 3, ``object`` before)."""
    return pd.Series(["text"]).dtype


# What pandas' infer_dtype says of an object column that cannot hold a mutable value.
_SCALAR_KINDS = frozenset({"empty", "string", "bytes", "integer", "floating", "mixed-integer-float",
                           "decimal", "complex", "boolean", "datetime", "date", "timedelta",
                           "time"})


def _unshared(column: pd.Series) -> pd.Series:
    """The column with each row's own copy of a mutable cell (list, dict, array), so that
    editing an output cell never edits the caller's frame or another row."""
    if column.dtype != np.dtype(object) or pd.api.types.infer_dtype(
            column, skipna=True) in _SCALAR_KINDS:
        return column
    return pd.Series(private_each(column.tolist()), index=column.index, dtype=object)


def column_like(values: list[Any], dtype: Any, index: pd.Index | None = None) -> pd.Series:
    """``values`` in the input column's dtype where they fit it, else as objects (a new
    column: as pandas infers). A categorical column gains the new values as categories."""
    if dtype is None:
        return pd.Series(values, index=index)
    if isinstance(dtype, pd.CategoricalDtype):
        fresh = pd.Index(values).difference(dtype.categories).dropna()
        dtype = pd.CategoricalDtype(dtype.categories.append(fresh), ordered=dtype.ordered)
    try:
        return pd.Series(values, index=index, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Series(values, index=index, dtype=object)


def _dedupe_key(out: Record, original: Record) -> tuple[Any, ...]:
    """What makes a candidate a duplicate: its text, and its other fields that differ from
    the original's (a TF may change the label alone)."""
    changes = out._changes
    if len(changes) == 1 and out.text_field in changes:  # the common case: the text alone
        return changes[out.text_field], ()
    other = [(name, _hashable(value)) for name, value in changes.items()
             if name != out.text_field
             and (name not in original or not same_value(original.raw(name), value))]
    return out.text, tuple(sorted(other, key=lambda item: item[0]))


def _hashable(value: Any) -> Any:
    """A hashable stand-in equal for equal values (lists, dicts, sets, arrays included)."""
    if isinstance(value, list | tuple):
        return tuple(map(_hashable, value))
    if isinstance(value, dict):
        return tuple(sorted(((repr(k), _hashable(v)) for k, v in value.items()),
                            key=lambda item: item[0]))
    if isinstance(value, set | frozenset):
        return frozenset(map(_hashable, value))
    if isinstance(value, np.ndarray):
        return value.dtype.str, value.shape, value.tobytes()
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _new_text(out: Any, x: Record) -> Record | None:
    """``out`` when it is what most TFs return, ``x.replace(text=...)`` of an original
    with a new str text; None for anything else (judged the long way)."""
    if type(out) is not Record or out._row is not x._row or x._changes or out.key != x.key:
        return None
    changes = out._changes
    if len(changes) != 1:
        return None
    ((name, value),) = changes.items()
    if name != out.text_field or type(value) is not str:
        return None
    before = x._row.get(name, _MISSING)
    return out if type(before) is str and value != before else None


def _unchanged(out: Record, x: Record) -> bool:
    """Whether ``out`` holds the same values as ``x`` (a TF that changed nothing)."""
    mine, theirs = out._changes, x._changes
    if mine is theirs:
        return True
    if not theirs and len(mine) == 1:  # an original's text changed (or not): the common case
        name, value = next(iter(mine.items()))
        before = x._row.get(name, _MISSING)
        if type(value) is str and type(before) is str:
            return value == before
    for name, value in mine.items():  # a loop, not all(...): this runs for every output
        if name not in x or not same_value(x.raw(name), value):
            return False
    return all(name in mine for name in theirs)


def _rebased(out: Record, x: Record) -> Record:
    """Keep records as (source row, changes) even if a TF built a fresh one."""
    if out._row is x._row:
        return out if out.key == x.key else Record(x._row, x.text_field, x.label_field,
                                                   out._changes, x.key)
    base = x._row
    changes = {k: v for k in out if (v := out.raw(k)) is not base.get(k, _MISSING)
               and (k not in base or not same_value(base[k], v))}
    return Record(base, x.text_field, x.label_field, changes, x.key)


_MISSING = object()
