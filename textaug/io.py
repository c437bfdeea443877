"""Read and write labelled tables: CSV, JSON Lines and Parquet, chosen by file suffix.

Reading changes no value. A CSV cell is read as the text it holds (``007``, ``NA`` and
``1.10`` stay as written: no type or missing-value guessing); a JSON Lines value keeps
its JSON type (integers of any size, floats to the last digit, strings that look like
dates); Parquet keeps its column types. In CSV a multi-label cell is a JSON list
(``["nlp", "cv"]``), or labels joined by ``label_sep``; :class:`LabelCells` parses a
label column for a run and gives back, for every row whose labels the run left alone,
the cell as it was written. :func:`write_table` writes a temporary file beside the
destination and renames it into place, so a file is either complete or not written.

For tables larger than memory, :func:`read_chunks` reads a table a chunk of rows at a
time (each value as :func:`read_table` reads it) and :class:`TableWriter` writes one chunk
after another to the temporary file, renamed into place when the last is written;
:func:`encode_chunk` turns a chunk into what the writer appends (CSV or JSON Lines bytes)
wherever it runs, so worker processes can encode their chunks and the writer only appends.

Examples
--------
>>> import tempfile, pandas as pd
>>> path = tempfile.mkdtemp() + "/rows.csv"
>>> write_table(pd.DataFrame({"id": ["007"], "text": ["a b"], "tags": [["x", "y"]]}), path)
>>> rows = read_table(path, label="tags")
>>> rows.loc[0, "id"], rows.loc[0, "tags"]
('007', ['x', 'y'])
"""

from __future__ import annotations

import ast
import contextlib
import errno
import io
import json
import math
import os
import stat
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np
import pandas as pd

from textaug.errors import (
    InvalidParameterError,
    MissingDependencyError,
    ResourceNotFoundError,
    check_param,
)
from textaug.records import as_labels

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
           ".pq": "parquet"}


def check_format(path: str | Path) -> str:
    """The format a path's suffix names; raises for an unknown suffix."""
    return _format(Path(path))


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidParameterError(
            f"Cannot tell the format of {str(path)!r} from its suffix. "
            f"Use one of {sorted(FORMATS)} (CSV, JSON Lines, Parquet)."
        )
    return fmt


def _needs_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError(
            "Parquet files need pyarrow: pip install 'textaug[parquet]'."
        ) from err


# -- reading --------------------------------------------------------------------------


def read_table(
    path: str | Path, *, label: str | None = None, label_sep: str | None = None,
) -> pd.DataFrame:
    """Read a table, every value as written; the ``label`` column's cells are parsed.

    Parameters
    ----------
    path
        A ``.csv``, ``.jsonl``/``.ndjson`` or ``.parquet``/``.pq`` file.
    label
        The label column: a JSON list cell becomes a list, an empty cell no labels.
    label_sep
        Split label cells on this separator (e.g. ``"|"``) instead of reading JSON lists.
    """
    path = Path(path)
    fmt = _readable(path)
    try:
        df = _READERS[fmt](path)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise _read_error(path, fmt, err) from err
    if df.empty:
        raise InvalidParameterError(f"Input file {str(path)!r} has a header but no rows.")
    if label is not None and label in df.columns:
        df[label] = pd.Series(parse_labels(df[label].tolist(), label_sep), index=df.index,
                              dtype=object)
    return df


def _readable(path: Path) -> str:
    """The format of ``path``, an existing, non-empty file."""
    fmt = _format(path)
    if not path.is_file():
        raise ResourceNotFoundError(f"Input file not found: {str(path)!r}. Check the path.")
    if path.stat().st_size == 0:
        raise InvalidParameterError(f"Input file {str(path)!r} is empty: it has no rows.")
    return fmt


def _read_error(path: Path, fmt: str, err: Exception) -> Exception:
    if isinstance(err, InvalidParameterError):
        return err
    return InvalidParameterError(f"Could not read {str(path)!r} as {fmt}: {err}")


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                       encoding="utf-8")


def _read_jsonl(path: Path) -> pd.DataFrame:
    """One JSON object per line, every value kept as json made it."""
    records = list(_json_objects(path))
    frame = pd.DataFrame(records, dtype=object)
    for column in frame.columns:
        frame[column] = _lossless(frame[column])
    return frame


def _json_objects(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as err:
                raise InvalidParameterError(
                    f"Could not read {str(path)!r} as JSON Lines: line {number} is not valid "
                    f"JSON ({getattr(err, 'msg', 'nested too deeply')}). Each line must be one "
                    "JSON object.") from err
            if not isinstance(value, dict):
                raise InvalidParameterError(
                    f"Could not read {str(path)!r} as JSON Lines: line {number} is a JSON "
                    f"{type(value).__name__}, not an object. Each line must be one JSON object.")
            yield value


def _lossless(column: pd.Series) -> pd.Series:
    """The column as int64, float64 or bool where that holds every value exactly."""
    kind = pd.api.types.infer_dtype(column, skipna=False)
    if kind == "integer" and all(-(2**63) <= v < 2**63 for v in column):
        return column.astype("int64")
    if kind == "floating" and all(isinstance(v, float) for v in column):
        return column.astype("float64")
    if kind == "boolean":
        return column.astype(bool)
    return column


def _read_parquet(path: Path) -> pd.DataFrame:
    _needs_pyarrow()
    return pd.read_parquet(path)


_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}


def read_chunks(path: str | Path, chunk_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """Read a table ``chunk_size`` rows at a time, every value as :func:`read_table` reads it.

    CSV goes through pandas' chunked reader, JSON Lines line by line, Parquet batch by
    batch (pyarrow). The index runs on from chunk to chunk (0, 1, ... over the file), so a
    row's position is the same as in one read. Label cells are left as written (see
    :class:`LabelCells`). Missing files and empty files raise here, before any chunk.

    JSON Lines: a chunk's columns are those of the first chunk (a key first seen in a later
    chunk raises; a key that a whole chunk lacks is a missing value there), and each chunk's
    columns are typed on their own (int64, float64 or bool where every value fits).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> path = tempfile.mkdtemp() + "/rows.csv"
    >>> write_table(pd.DataFrame({"text": ["a", "b", "c"]}), path)
    >>> [chunk.index.tolist() for chunk in read_chunks(path, chunk_size=2)]
    [[0, 1], [2]]
    """
    path = Path(path)
    check_param(isinstance(chunk_size, int) and not isinstance(chunk_size, bool)
                and chunk_size >= 1, "read_chunks", "chunk_size", "an int >= 1", chunk_size)
    fmt = _readable(path)
    if fmt == "parquet":
        _needs_pyarrow()
    return _checked_chunks(path, fmt, chunk_size)


def _checked_chunks(path: Path, fmt: str, size: int) -> Iterator[pd.DataFrame]:
    rows = 0
    try:
        for chunk in _CHUNK_READERS[fmt](path, size):
            if chunk.empty:
                continue
            rows += len(chunk)
            yield chunk
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise _read_error(path, fmt, err) from err
    if not rows:
        raise InvalidParameterError(f"Input file {str(path)!r} has a header but no rows.")


def _csv_chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    with pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                     encoding="utf-8", chunksize=size) as reader:
        yield from reader


def _jsonl_chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    objects, columns, offset = _json_objects(path), None, 0
    while batch := list(islice(objects, size)):
        frame = pd.DataFrame(batch, dtype=object)
        if columns is None:
            columns = list(frame.columns)
        new = [c for c in frame.columns if c not in columns]
        if new:
            raise InvalidParameterError(
                f"Could not read {str(path)!r} as JSON Lines in chunks: key {new[0]!r} first "
                f"appears after row {offset}, but the columns are those of the first chunk. "
                "Give the first row every key, or read it in larger chunks.")
        frame = frame.reindex(columns=columns)
        for column in frame.columns:
            frame[column] = _lossless(frame[column])
        frame.index = pd.RangeIndex(offset, offset + len(frame))
        offset += len(frame)
        yield frame


def _parquet_chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file, offset = pq.ParquetFile(path), 0
    try:
        for batch in file.iter_batches(batch_size=size):
            frame = pa.Table.from_batches([batch]).to_pandas()
            if isinstance(frame.index, pd.RangeIndex):  # else the index stored in the file
                frame.index = pd.RangeIndex(offset, offset + len(frame))
            offset += len(frame)
            yield frame
    finally:
        file.close()


_CHUNK_READERS: dict[str, Callable[[Path, int], Iterator[pd.DataFrame]]] = {
    "csv": _csv_chunks, "jsonl": _jsonl_chunks, "parquet": _parquet_chunks}


# -- label cells ----------------------------------------------------------------------


def parse_labels(cells: Sequence[Any], sep: str | None = None) -> list[Any]:
    """The labels each cell holds: a JSON (or Python) list cell becomes a list, a cell
    split on ``sep`` when given, an empty cell no labels; other values stay as they are.

    Examples
    --------
    >>> parse_labels(['["nlp", "cv"]', "nlp", "", "NA"])
    [['nlp', 'cv'], 'nlp', [], 'NA']
    >>> parse_labels(["nlp | cv", "nlp"], sep="|")
    [['nlp', 'cv'], ['nlp']]
    """
    if sep is not None and (not isinstance(sep, str) or not sep):
        raise InvalidParameterError(
            f"The 'label_sep' parameter of read_table must be a non-empty str such as '|'. "
            f"Got {sep!r}.")
    return [_parse_cell(value, sep) for value in cells]


def _parse_cell(value: Any, sep: str | None) -> Any:
    if isinstance(value, np.ndarray | tuple):  # Parquet gives arrays
        return value.tolist() if isinstance(value, np.ndarray) else list(value)
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if not stripped:
        return []
    if sep is not None:
        return [part.strip() for part in stripped.split(sep) if part.strip()]
    if stripped.startswith("[") and stripped.endswith("]"):
        for parse in (json.loads, ast.literal_eval):
            try:
                parsed = parse(stripped)
            except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
                continue
            if isinstance(parsed, list | tuple):
                return list(parsed)
    return value


@dataclass(frozen=True)
class LabelCells:
    """A label column as written, by row key, and the labels each cell holds.

    A run sees :attr:`parsed`; :meth:`restore` turns the labels of the output rows back
    into cells: the source row's cell as written wherever the labels are still the
    source's, else the new labels (joined with ``sep`` when it is given).

    Examples
    --------
    >>> cells = LabelCells.read([" nlp|cv ", ""], keys=["007", "008"], sep="|")
    >>> cells.parsed
    [['nlp', 'cv'], []]
    >>> cells.restore([["nlp", "cv"], ["nlp"], []], sources=["007", "007", "008"])
    [' nlp|cv ', 'nlp', '']
    """

    sep: str | None
    parsed: list[Any]
    cells: dict[Any, tuple[Any, tuple[Any, ...]]]  # key -> (cell as written, its labels)

    @classmethod
    def read(cls, cells: Sequence[Any], keys: Sequence[Any], sep: str | None) -> LabelCells:
        """Parse ``cells``, the label column in row order, ``keys`` the rows' keys."""
        parsed = parse_labels(cells, sep)
        by_key = {key: (cell, as_labels(labels))
                  for key, cell, labels in zip(keys, cells, parsed, strict=True)}
        return cls(sep, parsed, by_key)

    def restore(self, labels: Sequence[Any], sources: Sequence[Any]) -> list[Any]:
        """The cells to write for output rows with these labels and source keys."""
        out = []
        for value, source in zip(labels, sources, strict=True):
            cell, before = self.cells[source]
            out.append(cell if as_labels(value) == before else self.encode(value))
        return out

    def encode(self, labels: Any) -> Any:
        """Labels as a cell: joined with ``sep`` when given, else as they are."""
        if self.sep is None or isinstance(labels, str) or not _is_listy(labels):
            return labels
        return self.sep.join(str(label) for label in as_labels(labels))


# -- writing --------------------------------------------------------------------------


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` in the format its suffix names, creating parent folders.

    The rows go to a temporary file in the destination folder, which is renamed into
    place once complete: a failed write leaves no partial file and any previous file as
    it was. A file written over keeps its permissions; a symlink keeps pointing where it
    did, at the new contents.
    """
    path = Path(path)
    fmt = _format(path)
    if fmt == "parquet":
        _needs_pyarrow()
    with written_whole(path) as handle:
        _WRITERS[fmt](df, handle)


@contextlib.contextmanager
def written_whole(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary handle whose bytes become ``path`` only when the block ends without error:
    they go to a temporary file beside it, synced and renamed into place; on any error it
    is removed and a previous file stays as it was. A file written over keeps its
    permissions; a symlink keeps pointing where it did, at the new contents.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "page.html"
    >>> with written_whole(page) as handle:
    ...     _ = handle.write(b"<p>hi</p>")
    >>> page.read_bytes()
    b'<p>hi</p>'
    """
    path = Path(path)
    target, temp, handle = _open_beside(path)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as err:
        temp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _write_error(path, err) from err
        raise


def _open_beside(path: Path) -> tuple[Path, Path, IO[bytes]]:
    """The file to write (a symlink's target), a new temporary file beside it, its handle."""
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp, handle = _temporary_beside(target)
    except OSError as err:
        raise _write_error(path, err) from err
    return target, temp, handle


def _write_error(path: Path, err: OSError) -> OSError:
    """One line naming the destination, what went wrong and what to do."""
    full = err.errno in (errno.ENOSPC, errno.EDQUOT)
    fix = "free some space or choose another path" if full else "choose another path"
    where = err.filename if isinstance(err.filename, str) else None
    if where and Path(where).name.startswith(f".{Path(path).name}."):
        where = None  # the temporary file: an implementation detail
    detail = f"{err.strerror or err}" + (f" ({where!r})" if where else "")
    return OSError(f"Could not write {str(path)!r}: {detail}. Nothing was written there; {fix}.")


def _temporary_beside(target: Path) -> tuple[Path, IO[bytes]]:
    """A new file next to ``target`` with ``target``'s permissions (or 0666 less the umask)."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    if mode is not None:
        os.chmod(fd, mode)
    return temp, os.fdopen(fd, "wb")


def _write_csv(df: pd.DataFrame, handle: IO[bytes], header: bool = True) -> None:
    encoded = [c for c in df.columns if df[c].dtype == object and df[c].map(_is_listy).any()]
    out = df.assign(**{c: df[c].map(_json_cell) for c in encoded}) if encoded else df
    out.to_csv(handle, index=False, header=header, encoding="utf-8")


def _write_jsonl(df: pd.DataFrame, handle: IO[bytes]) -> None:
    """One JSON object per row: values as json writes them, a missing (NaN) value left out."""
    columns = [str(c) for c in df.columns]
    for values in zip(*(df[c].tolist() for c in df.columns), strict=True):
        row = {c: v for c, v in zip(columns, values, strict=True) if not _missing(v)}
        line = json.dumps(row, ensure_ascii=False, default=_json_default)
        handle.write(line.encode("utf-8") + b"\n")


def _write_parquet(df: pd.DataFrame, handle: IO[bytes]) -> None:
    df.to_parquet(handle, index=False)


_WRITERS: dict[str, Callable[[pd.DataFrame, IO[bytes]], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


@dataclass(frozen=True, eq=False)
class EncodedChunk:
    """A chunk of rows made ready for a :class:`TableWriter` by :func:`encode_chunk`, which
    can run in another process: CSV and JSON Lines as the bytes to append (``header``: the
    CSV header line, written before the first chunk only), Parquet as the frame."""

    format: str
    columns: list[Any]
    rows: int
    header: bytes = b""
    body: bytes = b""
    frame: pd.DataFrame | None = None


def encode_chunk(df: pd.DataFrame, fmt: str) -> EncodedChunk:
    """``df`` as a :class:`TableWriter` of format ``fmt`` (``"csv"``, ``"jsonl"`` or
    ``"parquet"``) writes it; the writer then appends the bytes as they are.

    Examples
    --------
    >>> chunk = encode_chunk(pd.DataFrame({"text": ["a"], "tags": [["x"]]}), "csv")
    >>> chunk.header.splitlines(), chunk.body.splitlines(), chunk.rows
    ([b'text,tags'], [b'a,"[""x""]"'], 1)
    """
    columns = list(df.columns)
    if fmt == "parquet":
        return EncodedChunk(fmt, columns, len(df), frame=df)
    body = io.BytesIO()
    if fmt == "csv":
        header = io.BytesIO()
        _write_csv(df.iloc[:0], header)
        _write_csv(df, body, header=False)
        return EncodedChunk(fmt, columns, len(df), header.getvalue(), body.getvalue())
    if fmt == "jsonl":
        _write_jsonl(df, body)
        return EncodedChunk(fmt, columns, len(df), body=body.getvalue())
    raise InvalidParameterError(
        f"encode_chunk takes fmt 'csv', 'jsonl' or 'parquet'. Got {fmt!r}.")


class TableWriter:
    """Write a table chunk by chunk; the file appears complete or not at all.

    Chunks go to a temporary file beside ``path``: CSV and JSON Lines appended, Parquet one
    row group per chunk through ``pyarrow.parquet.ParquetWriter``, with the schema of the
    first chunks (those whose columns are all missing values or empty lists are held back,
    up to ``hold_rows`` rows, until a later chunk tells their type) and later chunks cast to
    it. :meth:`commit` renames the file into place; :meth:`abort`, or an error inside
    ``with``, removes it and leaves ``path`` as it was. The file gets
    :func:`write_table`'s permissions and symlink handling.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> path = tempfile.mkdtemp() + "/rows.jsonl"
    >>> with TableWriter(path) as writer:
    ...     writer.write(pd.DataFrame({"text": ["a", "b"]}))
    ...     writer.write(pd.DataFrame({"text": ["c"]}))
    >>> writer.rows, read_table(path)["text"].tolist()
    (3, ['a', 'b', 'c'])
    """

    def __init__(self, path: str | Path, *, hold_rows: int = 100_000) -> None:
        self.path = Path(path)
        self.format = _format(self.path)
        if self.format == "parquet":
            _needs_pyarrow()
        self._target, self._temp, self._handle = _open_beside(self.path)
        self._columns: list[Any] | None = None
        self._parquet: _ParquetChunks | None = None
        self._hold_rows = hold_rows
        self.rows = 0

    def write(self, chunk: pd.DataFrame | EncodedChunk) -> None:
        """Append the rows of ``chunk``, a frame or one :func:`encode_chunk` made for this
        format; its columns must be the first chunk's, in order."""
        first = self._columns is None
        columns = list(chunk.columns)
        if first:
            self._columns = columns
        elif columns != self._columns:
            self.abort()
            raise InvalidParameterError(
                f"Could not write {str(self.path)!r}: a chunk has columns {columns}, "
                f"the first had {self._columns}. Every chunk needs the same columns, in order.")
        with self._aborting():
            if isinstance(chunk, pd.DataFrame):
                chunk = encode_chunk(chunk, self.format)
            elif chunk.format != self.format:
                raise InvalidParameterError(
                    f"Could not write {str(self.path)!r}: a chunk was encoded as "
                    f"{chunk.format}, not {self.format}. Encode it with "
                    f"encode_chunk(frame, {self.format!r}).")
            self._append(chunk, first)
        self.rows += chunk.rows

    def _append(self, chunk: EncodedChunk, first: bool) -> None:
        if chunk.frame is None:
            if first:
                self._handle.write(chunk.header)
            self._handle.write(chunk.body)
            return
        if self._parquet is None:
            self._parquet = _ParquetChunks(self.path, self._handle, self._hold_rows)
        self._parquet.write(chunk.frame, self.rows)

    def commit(self) -> None:
        """Finish the file and rename it into place."""
        with self._aborting():
            if self._parquet is not None:
                self._parquet.close()
            elif self.format == "parquet":  # nothing written: an empty table
                _write_parquet(pd.DataFrame(), self._handle)
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._temp, self._target)

    def abort(self) -> None:
        """Remove the temporary file; ``path`` stays as it was."""
        if self._parquet is not None:
            parquet, self._parquet = self._parquet, None
            with contextlib.suppress(Exception):  # the error that brought us here matters
                parquet.close()
        self._handle.close()
        self._temp.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _aborting(self) -> Iterator[None]:
        """Any error: remove the temporary file; an OS error in one line naming ``path``."""
        try:
            yield
        except BaseException as err:
            self.abort()
            if isinstance(err, OSError):
                raise _write_error(self.path, err) from err
            raise

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


class _ParquetChunks:
    """Row groups through a ParquetWriter opened once the schema's types are known."""

    def __init__(self, path: Path, handle: IO[bytes], hold_rows: int) -> None:
        self.path, self.handle, self.hold_rows = path, handle, hold_rows
        self.held: list[Any] = []  # tables waiting for the type of an all-missing column
        self.writer: Any = None

    def write(self, df: pd.DataFrame, start: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pa.Table.from_pandas(df, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
            raise self._clash(start, len(df), err) from err
        if self.writer is not None:
            self.writer.write_table(self._cast(table, self.writer.schema, start))
            return
        self.held.append(table)
        schema = self._schema()
        if not _has_null_type(schema) or sum(t.num_rows for t in self.held) >= self.hold_rows:
            self.writer = pq.ParquetWriter(self.handle, schema)
            self._flush(schema, start)

    def _schema(self) -> Any:
        import pyarrow as pa

        try:
            return pa.unify_schemas([t.schema for t in self.held], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
            raise self._clash(0, sum(t.num_rows for t in self.held), err) from err

    def _flush(self, schema: Any, start: int) -> None:
        start -= sum(t.num_rows for t in self.held[:-1])
        for table in self.held:
            self.writer.write_table(self._cast(table, schema, start))
            start += table.num_rows
        self.held = []

    def _cast(self, table: Any, schema: Any, start: int) -> Any:
        import pyarrow as pa

        if table.schema.equals(schema, check_metadata=False):
            return table
        try:
            return table.cast(schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError) as err:
            raise self._clash(start, table.num_rows, err) from err

    def _clash(self, start: int, rows: int, err: Exception) -> InvalidParameterError:
        return InvalidParameterError(
            f"Could not write {str(self.path)!r}: rows {start} to {start + rows - 1} do not fit "
            f"the Parquet column types of the rows before, or mix types in a column "
            f"({' '.join(str(err).split())}). Give each column values of one type.")

    def close(self) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            schema = self._schema()
            self.writer = pq.ParquetWriter(self.handle, schema)
            self._flush(schema, sum(t.num_rows for t in self.held[:-1]))
        self.writer.close()


def _has_null_type(schema: Any) -> bool:
    """Whether a field's type (or a list's items, a struct's fields) is still unknown."""
    import pyarrow as pa

    def unknown(kind: Any) -> bool:
        if pa.types.is_null(kind):
            return True
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return unknown(kind.value_type)
        if pa.types.is_struct(kind):
            return any(unknown(kind.field(i).type) for i in range(kind.num_fields))
        return False

    return any(unknown(field.type) for field in schema)


def _missing(value: Any) -> bool:
    return (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _json_default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat"):  # dates and timestamps
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} value is not JSON serializable: {value!r}")


def _is_listy(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray | dict)


def _json_cell(value: Any) -> Any:
    if not _is_listy(value):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    items = value.tolist() if isinstance(value, np.ndarray) else list(value)
    return json.dumps(items, ensure_ascii=False, default=_json_default)
