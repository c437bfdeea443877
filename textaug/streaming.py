"""Augment a table file in bounded memory: read a chunk, augment it, append it to the output.

:func:`augment_file` is what ``textaug augment`` runs. It reads the input with
:func:`~textaug.io.read_chunks`, runs the chunks through the applier as
:meth:`Augmenter.stream <textaug.apply.Augmenter.stream>` does (row keys checked unique
across chunks as they pass, chunks in worker processes with ``n_jobs``) and appends each
output chunk to a :class:`~textaug.io.TableWriter`, so only a few chunks are in memory at
a time and the output appears complete or not at all. Everything done to one chunk alone
(label cells parsed and restored, rows checked, augmented and encoded as the output
format's bytes) runs in the worker (:class:`ChunkWriter`), so with ``n_jobs=k`` this
process only reads, checks keys across chunks and appends, and k workers keep busy.
Row positions run on across chunks, so every row gets the seed of a one-shot run: the
output is the same for any chunk size.
:func:`fit_balanced` is the first pass a :class:`~textaug.policy.ClassBalancedPolicy`
needs, counting the labels chunk by chunk.

Examples
--------
>>> import tempfile, pandas as pd
>>> from textaug import ApplyOnePolicy, transformation_function
>>> from textaug.apply import Augmenter
>>> from textaug.io import read_table, write_table
>>> @transformation_function()
... def exclaim(x):
...     return x.replace(text=x.text + "!")
>>> folder = tempfile.mkdtemp()
>>> write_table(pd.DataFrame({"text": ["a", "b", "c"]}), folder + "/in.csv")
>>> runner = Augmenter([exclaim], ApplyOnePolicy(), seed=0)
>>> augment_file(runner, folder + "/in.csv", folder + "/out.jsonl", chunk_size=2).rows
6
>>> read_table(folder + "/out.jsonl")["text"].tolist()
['a', 'a!', 'b', 'b!', 'c', 'c!']
"""

from __future__ import annotations

import dataclasses
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, cast

import pandas as pd

from textaug.apply import Augmenter, _concat, check_rows
from textaug.checks import check_frame, check_keys, row_keys
from textaug.chunk import RunSettings, augment_chunk
from textaug.errors import InvalidParameterError, TextaugWarning
from textaug.io import (
    EncodedChunk,
    LabelCells,
    TableWriter,
    check_format,
    encode_chunk,
    parse_labels,
    read_chunks,
)
from textaug.policy import ClassBalancedPolicy
from textaug.records import IS_ORIGINAL, SOURCE, as_labels
from textaug.report import AugmentReport


@dataclass
class StreamedRun:
    """What :func:`augment_file` did: rows written, the run's report, its warnings, the
    label cells of the first chunk (``None`` without a label column) and the rows of the
    first ``n_examples`` augmented sources with their originals."""

    rows: int
    report: AugmentReport
    warnings: list[str]
    first_labels: LabelCells | None
    examples: pd.DataFrame = field(repr=False)


def augment_file(
    runner: Augmenter,
    source: str | Path,
    target: str | Path,
    *,
    label_sep: str | None = None,
    chunk_size: int = 10_000,
    check_columns: Callable[[list[Any]], None] | None = None,
    n_examples: int = 3,
) -> StreamedRun:
    """Augment the table at ``source`` with ``runner`` and write it to ``target``, a chunk
    at a time.

    This process reads the chunks, checks their columns and keys and writes what comes
    back, in order; the rest of each chunk's work (its label cells parsed, its rows
    checked and augmented, its label cells restored, its rows encoded for ``target``)
    runs where the chunk is augmented: in a worker process with ``n_jobs``.

    Parameters
    ----------
    runner
        The configured run; its text, label and key columns are read from the file. With
        ``n_jobs=k`` each chunk read is cut into ``k`` parts, one per worker, whose outputs
        are put back together: the file (Parquet row groups included) is the same for
        any ``k``.
    source, target
        Table files (CSV, JSON Lines, Parquet, by suffix); ``target`` is written
        atomically. Label cells are parsed as :class:`~textaug.io.LabelCells` (``label_sep``)
        and written back as they were wherever the run left a row's labels alone.
    chunk_size
        Rows read at a time.
    check_columns
        Called with the columns of the first chunk before any work.
    n_examples
        How many augmented sources to keep, with their originals, in the result.
    """
    settings = runner._settings  # noqa: SLF001 - the columns the runner was built for
    chunks = read_chunks(source, chunk_size)
    first = next(chunks)
    if check_columns is not None:
        check_columns(list(first.columns))
    out_format = check_format(target)
    work = ChunkWriter(label_sep, out_format == check_format(source), out_format, n_examples)
    examples, split = _Examples(n_examples), _Split(runner.n_jobs)
    with warnings.catch_warnings(record=True) as caught, TableWriter(target) as writer:
        warnings.simplefilter("always", TextaugWarning)
        frames = split.parts(_checked(runner, chain([first], chunks)))
        done = runner._stream(frames, chunk_size, checked=True, work=work)  # noqa: SLF001
        for parts, like in split.joined(done):
            for part in parts:
                for category, message in part.warnings:
                    warnings.warn(message, category, stacklevel=1)
                examples.add(part.examples)
            writer.write(_joined([part.chunk for part in parts], like))
            runner.report_.keep_first_unaugmented()  # memory flat however long the file
    return StreamedRun(writer.rows, runner.report_, [str(w.message) for w in caught],
                       _labels(first, settings, label_sep), examples.frame())


def _checked(runner: Augmenter, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The chunks, their columns checked and their keys unique across chunks (the rest of
    :meth:`Augmenter.stream`'s checks runs with the chunk's work, see :class:`ChunkWriter`).
    A chunk whose keys are positions in the file (a RangeIndex running on) cannot repeat an
    earlier chunk's, so positions are not collected: a set of every one would grow with
    the file."""
    settings, seen = runner._settings, set[Any]()  # noqa: SLF001
    for frame in frames:
        check_frame(frame, settings.text, settings.label, settings.key)
        if settings.key is not None or not isinstance(frame.index, pd.RangeIndex):
            check_keys(row_keys(frame, settings.key), settings.key, seen)
        yield frame


@dataclass
class _Split:
    """Each chunk cut into ``n`` parts (one per worker), and the parts' results gathered
    again, with the chunk's columns and dtypes (an empty frame), chunk by chunk."""

    n: int
    sizes: deque[tuple[int, pd.DataFrame]] = field(default_factory=deque)

    def parts(self, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            size = -(-len(frame) // self.n)
            self.sizes.append((-(-len(frame) // size), frame.iloc[:0]))
            yield from (frame.iloc[start:start + size] for start in range(0, len(frame), size))

    def joined(self, done: Iterator[WrittenChunk]
               ) -> Iterator[tuple[list[WrittenChunk], pd.DataFrame]]:
        for first in done:
            count, like = self.sizes.popleft()
            yield [first, *islice(done, count - 1)], like


def _joined(parts: list[EncodedChunk], like: pd.DataFrame) -> EncodedChunk:
    """The parts of a chunk as one: as :func:`~textaug.io.encode_chunk` encodes the chunk's
    whole output (a Parquet row group per chunk; categories as one chunk's)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if first.frame is not None:
        frames = [cast(pd.DataFrame, part.frame) for part in parts]
        return encode_chunk(_concat(frames, like), first.format)
    return dataclasses.replace(first, rows=sum(part.rows for part in parts),
                               body=b"".join(part.body for part in parts))


def _labels(frame: pd.DataFrame, settings: RunSettings, sep: str | None) -> LabelCells | None:
    """The label cells of ``frame``; ``None`` without a label column."""
    if settings.label is None:
        return None
    return LabelCells.read(frame[settings.label].tolist(), row_keys(frame, settings.key), sep)


@dataclass
class WrittenChunk:
    """What :class:`ChunkWriter` made of a chunk: the output rows encoded for the file, the
    rows of the chunk's first augmented sources (see :class:`_Examples`) and the warnings
    raised while it worked, as (category, message)."""

    chunk: EncodedChunk
    examples: pd.DataFrame
    warnings: list[tuple[type[Warning], str]]


@dataclass(frozen=True)
class ChunkWriter:
    """A chunk's work for :func:`augment_file`, picklable so that it runs in a worker:
    parse the label cells (``label_sep``), check the rows (keys, labels), augment them,
    write back the label cells the run left alone (``same_format``: as the input had them)
    and encode the output rows for a ``out_format`` file.

    Examples
    --------
    >>> from textaug import ApplyOnePolicy, transformation_function
    >>> @transformation_function()
    ... def shout(x):
    ...     return x.replace(text=x.text.upper())
    >>> runner = Augmenter([shout], ApplyOnePolicy(), seed=0, label="tags")
    >>> frame = pd.DataFrame({"text": ["hi"], "tags": ['["a"]']})
    >>> done, report = ChunkWriter(None, True, "csv", 3)(runner._settings, frame)
    >>> done.chunk.body.decode().splitlines()
    ['hi,"[""a""]",0,True,', 'HI,"[""a""]",0,False,shout']
    """

    label_sep: str | None
    same_format: bool
    out_format: str
    n_examples: int

    def __call__(self, settings: RunSettings,
                 frame: pd.DataFrame) -> tuple[WrittenChunk, AugmentReport]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", TextaugWarning)
            cells = _labels(frame, settings, self.label_sep)
            if cells is not None:  # a new frame: the caller's chunk stays as it was read
                frame = frame.assign(**{cast(str, settings.label): pd.Series(
                    cells.parsed, index=frame.index, dtype=object)})
            check_rows(settings, frame, set())
            out, report = augment_chunk(settings, frame)
            if cells is not None:
                out[settings.label] = label_cells(out, cast(str, settings.label), cells,
                                                  self.same_format, self.out_format == "csv")
            chunk = encode_chunk(out, self.out_format)
        made = [(w.category, str(w.message)) for w in caught]
        return WrittenChunk(chunk, _Examples.rows(out, self.n_examples), made), report


def label_cells(out: pd.DataFrame, column: str, labels: LabelCells, same_format: bool,
                csv_out: bool) -> pd.Series:
    """The label column to write: in INPUT's format every cell the run left alone as it
    was written; in CSV changed labels joined with the separator, when given."""
    values = out[column].tolist()
    if same_format:
        cells = labels.restore(values, out[SOURCE].tolist())
    else:
        cells = [labels.encode(v) for v in values] if csv_out else values
    return pd.Series(cells, index=out.index, dtype=object)


class _Examples:
    """The rows of the first ``n`` augmented sources (originals included), chunk by chunk."""

    def __init__(self, n: int) -> None:
        self.n, self.sources, self.parts = n, set[Any](), list[pd.DataFrame]()

    def add(self, out: pd.DataFrame) -> None:
        """Keep the rows of ``out``'s first augmented sources, while fewer than ``n`` are kept."""
        if len(self.sources) >= self.n or out.empty:
            return
        chosen = self._first_made(out, self.n - len(self.sources))
        if chosen:
            self.sources.update(chosen)
            self.parts.append(out[out[SOURCE].isin(chosen)])

    @classmethod
    def rows(cls, out: pd.DataFrame, n: int) -> pd.DataFrame:
        """The rows of ``out``'s first ``n`` augmented sources: all that :meth:`add` can keep
        of ``out``."""
        return out[out[SOURCE].isin(cls._first_made(out, n))] if n and not out.empty else out[:0]

    @staticmethod
    def _first_made(out: pd.DataFrame, n: int) -> list[Any]:
        made = out.loc[~out[IS_ORIGINAL].astype(bool), SOURCE].drop_duplicates()
        return made.head(n).tolist()

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.parts) if self.parts else pd.DataFrame(columns=[IS_ORIGINAL, SOURCE])


def fit_balanced(policy: ClassBalancedPolicy, source: str | Path, label: str | None, *,
                 label_sep: str | None = None, chunk_size: int = 10_000) -> ClassBalancedPolicy:
    """``policy`` with the label counts of the whole file, read chunk by chunk (a first
    pass); a policy that has counts already is returned as it is.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from textaug.io import write_table
    >>> path = tempfile.mkdtemp() + "/in.csv"
    >>> write_table(pd.DataFrame({"text": ["a", "b", "c"], "y": ["x", "x", "z"]}), path)
    >>> fit_balanced(ClassBalancedPolicy(), path, "y", chunk_size=2).counts
    {'x': 2, 'z': 1}
    """
    if policy.counts is not None:
        return policy
    if label is None:
        raise InvalidParameterError("ClassBalancedPolicy needs label='your_label_column'.")
    return policy.fit(as_labels(cell) for chunk in read_chunks(source, chunk_size)
                      for cell in parse_labels(chunk[label].tolist(), label_sep))
