"""Tests of textaug.io's chunked reader (read_chunks) and atomic chunk writer (TableWriter)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.io import TableWriter, read_chunks, read_table, write_table

FORMATS = ["csv", "jsonl", "parquet"]
SIZES = [1, 7, 1_000]


def frame(rows: int = 23, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"{i:03d}" for i in range(start, start + rows)],
        "text": [f"row {i}, with \"quotes\"\nand a new line" for i in range(start, start + rows)],
        "n": list(range(start, start + rows)),
        "tags": [["a", "b"][: i % 3] for i in range(start, start + rows)],
    })


def listed(df: pd.DataFrame) -> pd.DataFrame:
    """Label cells as lists (Parquet gives arrays), so frames compare."""
    return df.assign(tags=[list(t) for t in df["tags"]])


# -- read_chunks ----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_chunks_concatenate_to_read_table(tmp_path, fmt, size):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame(), path)
    chunks = list(read_chunks(path, chunk_size=size))
    assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
    assert sum(len(c) for c in chunks) == 23
    pd.testing.assert_frame_equal(pd.concat(chunks), read_table(path))


@pytest.mark.parametrize("fmt", FORMATS)
def test_index_runs_on_across_chunks(tmp_path, fmt):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame(10), path)
    assert [c.index.tolist() for c in read_chunks(path, 4)] == [[0, 1, 2, 3], [4, 5, 6, 7],
                                                                 [8, 9]]


def test_parquet_keeps_a_stored_index(tmp_path):
    path = tmp_path / "rows.parquet"
    frame(5).set_index("id").to_parquet(path)
    chunks = list(read_chunks(path, 2))
    assert pd.concat(chunks).index.tolist() == ["000", "001", "002", "003", "004"]


def test_csv_cells_stay_as_written(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("id,text\n007,NA\n1.10,\n", encoding="utf-8")
    chunks = list(read_chunks(path, 1))
    assert [c.loc[i, "id"] for i, c in enumerate(chunks)] == ["007", "1.10"]
    assert [c.loc[i, "text"] for i, c in enumerate(chunks)] == ["NA", ""]


def test_jsonl_key_missing_from_a_whole_chunk_is_missing_there(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "a", "n": 1}\n{"text": "b"}\n', encoding="utf-8")
    first, second = read_chunks(path, 1)
    assert first["n"].tolist() == [1]
    assert pd.isna(second.loc[1, "n"])
    assert list(second.columns) == ["text", "n"]


def test_jsonl_key_first_seen_in_a_later_chunk_is_refused(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b", "extra": 1}\n', encoding="utf-8")
    chunks = read_chunks(path, 1)
    next(chunks)
    with pytest.raises(InvalidParameterError, match="key 'extra' first appears after row 1"):
        next(chunks)


def test_bad_jsonl_line_names_the_line(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="line 2 is not valid JSON"):
        list(read_chunks(path, 1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_without_rows_is_refused(tmp_path, fmt):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame(0), path)
    with pytest.raises(InvalidParameterError, match="no rows"):
        list(read_chunks(path, 5))


def test_missing_and_empty_files_raise_before_any_chunk(tmp_path):
    with pytest.raises(ResourceNotFoundError, match="not found"):
        read_chunks(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InvalidParameterError, match="is empty"):
        read_chunks(tmp_path / "empty.csv")


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_chunk_size_is_checked(tmp_path, size):
    path = tmp_path / "rows.csv"
    write_table(frame(3), path)
    with pytest.raises(InvalidParameterError, match="chunk_size"):
        read_chunks(path, size)


# -- TableWriter ----------------------------------------------------------------------


def write_in_chunks(path: Path, df: pd.DataFrame, size: int) -> TableWriter:
    with TableWriter(path) as writer:
        for start in range(0, len(df), size):
            writer.write(df.iloc[start:start + size])
    return writer


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_chunked_write_reads_back_as_write_table(tmp_path, fmt, size):
    df = frame()
    writer = write_in_chunks(tmp_path / f"chunked.{fmt}", df, size)
    write_table(df, tmp_path / f"whole.{fmt}")
    assert writer.rows == len(df)
    chunked, whole = read_table(tmp_path / f"chunked.{fmt}"), read_table(tmp_path / f"whole.{fmt}")
    pd.testing.assert_frame_equal(listed(chunked), listed(whole))
    if fmt != "parquet":
        whole_bytes = (tmp_path / f"whole.{fmt}").read_bytes()
        assert (tmp_path / f"chunked.{fmt}").read_bytes() == whole_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"chunked.{fmt}", f"whole.{fmt}"]


def test_parquet_has_a_row_group_per_chunk(tmp_path):
    import pyarrow.parquet as pq

    write_in_chunks(tmp_path / "out.parquet", frame(), 7)
    assert pq.ParquetFile(tmp_path / "out.parquet").num_row_groups == 4


def test_parquet_later_chunks_are_cast_to_the_first_schema(tmp_path):
    path = tmp_path / "out.parquet"
    with TableWriter(path) as writer:
        writer.write(pd.DataFrame({"x": [1.5, 2.0], "tags": [["a"], ["b"]]}))
        writer.write(pd.DataFrame({"x": [3], "tags": [[]]}))  # int64 and list<null>
    back = read_table(path)
    assert back["x"].tolist() == [1.5, 2.0, 3.0]
    assert [list(t) for t in back["tags"]] == [["a"], ["b"], []]


def assert_untouched(folder: Path, name: str, before: bytes | None) -> None:
    """Only the file as it was (or none) is in ``folder``: no temporary file left."""
    names = sorted(p.name for p in folder.iterdir())
    if before is None:
        assert names == []
    else:
        assert names == [name]
        assert (folder / name).read_bytes() == before


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_error_mid_stream_leaves_no_file(tmp_path, fmt, existing):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / f"out.{fmt}"
    before = None
    if existing:
        write_table(frame(2, start=90), path)
        before = path.read_bytes()
    with pytest.raises(RuntimeError, match="disk on fire"), TableWriter(path) as writer:
        writer.write(frame(5))
        raise RuntimeError("disk on fire")
    assert_untouched(folder, path.name, before)


def test_schema_clash_is_one_clear_error_and_no_file(tmp_path):
    path = tmp_path / "out.parquet"
    clash = r"rows 2 to 2 do not fit the Parquet column types of the rows before"
    with pytest.raises(InvalidParameterError, match=clash), TableWriter(path) as writer:
        writer.write(pd.DataFrame({"x": [1, 2]}))
        writer.write(pd.DataFrame({"x": ["three"]}))
    assert list(tmp_path.iterdir()) == []


def test_columns_must_match_the_first_chunk(tmp_path):
    path = tmp_path / "out.csv"
    same = "Every chunk needs the same columns"
    with pytest.raises(InvalidParameterError, match=same), TableWriter(path) as writer:
        writer.write(pd.DataFrame({"a": [1], "b": [2]}))
        writer.write(pd.DataFrame({"b": [3], "a": [4]}))
    assert list(tmp_path.iterdir()) == []


def test_commit_keeps_permissions_of_the_file_written_over(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("{}\n")
    os.chmod(path, 0o640)
    write_in_chunks(path, frame(3), 2)
    assert path.stat().st_mode & 0o777 == 0o640
    assert [json.loads(line)["n"] for line in path.read_text().splitlines()] == [0, 1, 2]


def test_nothing_written_gives_an_empty_table_with_the_header(tmp_path):
    with TableWriter(tmp_path / "out.csv") as writer:
        writer.write(frame(0))
    assert (tmp_path / "out.csv").read_text() == "id,text,n,tags\n"


def test_parquet_holds_chunks_until_a_column_type_is_known(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "out.parquet"
    with TableWriter(path) as writer:
        writer.write(pd.DataFrame({"tags": [[], []], "note": [None, None]}))
        writer.write(pd.DataFrame({"tags": [["a"]], "note": ["x"]}))
    write_table(pd.DataFrame({"tags": [[], [], ["a"]], "note": [None, None, "x"]}),
                tmp_path / "whole.parquet")
    schema, whole = pq.read_schema(path), pq.read_schema(tmp_path / "whole.parquet")
    assert schema.equals(whole, check_metadata=False)
    assert pa_string(schema.field("note").type)
    assert read_table(path, label="tags")["tags"].tolist() == [[], [], ["a"]]


def pa_string(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def test_parquet_hold_is_bounded(tmp_path):
    path = tmp_path / "out.parquet"
    clash = "rows 2 to 2 do not fit"
    with pytest.raises(InvalidParameterError, match=clash), TableWriter(path, hold_rows=2) as w:
        w.write(pd.DataFrame({"note": [None, None]}))  # held rows reach the bound: written
        w.write(pd.DataFrame({"note": ["x"]}))
    assert list(tmp_path.iterdir()) == []


def test_parquet_mixed_types_in_a_chunk_are_one_clear_error(tmp_path):
    path = tmp_path / "out.parquet"
    with pytest.raises(InvalidParameterError, match="rows 0 to 1 .* mix types in a column"), \
            TableWriter(path) as writer:
        writer.write(pd.DataFrame({"x": [1, "two"]}, dtype=object))
    assert list(tmp_path.iterdir()) == []
