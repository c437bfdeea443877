"""Augment a table file in bounded memory: read a chunk, augment it, append it to the output.

:func:`augment_file` is what ``textaug augment`` runs. It reads the input with
:func:`~textaug.io.read_chunks`, runs the chunks through the applier as
:meth:`Augmenter.stream <textaug.apply.Augmenter.stream>` does (row keys checked unique
across chunks as they pass, chunks in worker processes with ``n_jobs``) and appends each
output chunk to a :class:`~textaug.io.TableWriter`, so only a few chunks are in memory at
a time and the output appears complete or not at all. Row positions run on across
chunks, so every row gets the seed of a one-shot run: the output is the same for any
chunk size.
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

import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from textaug.apply import Augmenter
from textaug.checks import check_frame, row_keys
from textaug.errors import InvalidParameterError, TextaugWarning
from textaug.io import LabelCells, TableWriter, check_format, parse_labels, read_chunks
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


@dataclass
class _Labels:
    """Label cells parsed chunk by chunk, waiting for their chunk's output."""

    column: str | None
    key: str | None
    sep: str | None
    pending: deque[LabelCells] = field(default_factory=deque)
    first: LabelCells | None = None

    def parse(self, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            if self.column is not None:
                cells = LabelCells.read(frame[self.column].tolist(),
                                        row_keys(frame, self.key), self.sep)
                frame[self.column] = pd.Series(cells.parsed, index=frame.index, dtype=object)
                self.pending.append(cells)
                if self.first is None:
                    self.first = cells
            yield frame


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

    Parameters
    ----------
    runner
        The configured run; its text, label and key columns are read from the file. With
        ``n_jobs=k`` each read is ``chunk_size / k`` rows, so every worker has a chunk.
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
    labels = _Labels(settings.label, settings.key, label_sep)
    chunks = read_chunks(source, max(1, -(-chunk_size // runner.n_jobs)))
    first = next(chunks)
    if check_columns is not None:
        check_columns(list(first.columns))
    same_format = check_format(target) == check_format(source)
    csv_out = check_format(target) == "csv"
    examples = _Examples(n_examples)
    with warnings.catch_warnings(record=True) as caught, TableWriter(target) as writer:
        warnings.simplefilter("always", TextaugWarning)
        frames = _checked(runner, labels.parse(chain([first], chunks)))
        for out in runner._stream(frames, chunk_size, checked=True):  # noqa: SLF001
            if settings.label is not None:
                out[settings.label] = label_cells(out, settings.label, labels.pending.popleft(),
                                                  same_format, csv_out)
            writer.write(out)
            examples.add(out)
    return StreamedRun(writer.rows, runner.report_, [str(w.message) for w in caught],
                       labels.first, examples.frame())


def _checked(runner: Augmenter, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The chunks, each checked as :meth:`Augmenter.stream` checks them (columns, keys present
    and unique across chunks, labels), except that row positions are not collected: a
    chunk whose keys are positions in the file (a RangeIndex running on) cannot repeat an
    earlier chunk's, and a set of every position would grow with the file."""
    settings, seen = runner._settings, set[Any]()  # noqa: SLF001
    for frame in frames:
        check_frame(frame, settings.text, settings.label, settings.key)
        positions = settings.key is None and isinstance(frame.index, pd.RangeIndex)
        runner._check_rows(frame, set() if positions else seen)  # noqa: SLF001
        yield frame


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
        if len(self.sources) >= self.n or out.empty:
            return
        made = out.loc[~out[IS_ORIGINAL].astype(bool), SOURCE].drop_duplicates()
        chosen = made.head(self.n - len(self.sources)).tolist()
        if chosen:
            self.sources.update(chosen)
            self.parts.append(out[out[SOURCE].isin(chosen)])

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
