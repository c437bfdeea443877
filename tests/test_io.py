"""Tests of textaug.io: reading and writing CSV, JSON Lines and Parquet tables."""

from __future__ import annotations

import csv
import errno
import json
import os
import stat

import pandas as pd
import pytest

from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.io import LabelCells, read_table, write_table

FORMATS = ["csv", "jsonl", "parquet"]

ROWS = {
    "id": [1, 2, 3],
    "text": ["Intro to NLP.", "GANs for art.", "A survey of CV."],
    "tags": [["natural-language-processing", "tutorial"], ["gan"], []],
    "score": [0.5, 1.0, 2.25],
}


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS)


def write_csv(path, header, *lines):
    """Write a CSV file by hand, so reading is tested independently of write_table."""
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def assert_all_lists(values):
    types = [type(v).__name__ for v in values]
    assert all(isinstance(v, list) for v in values), f"label cells are not lists: {types}"


# -- round trips ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_columns_and_values(tmp_path, frame, fmt):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame, path)
    back = read_table(path, label="tags")
    as_read = str if fmt == "csv" else (lambda v: v)  # CSV cells are read as the text they hold
    assert list(back.columns) == list(frame.columns)
    assert back["id"].tolist() == [as_read(v) for v in ROWS["id"]]
    assert back["text"].tolist() == ROWS["text"]
    assert back["score"].tolist() == [as_read(v) for v in ROWS["score"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_label_cells_come_back_as_lists(tmp_path, frame, fmt):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame, path)
    tags = read_table(path, label="tags")["tags"].tolist()
    assert_all_lists(tags)
    assert tags == ROWS["tags"]


def test_csv_stores_label_lists_as_json(tmp_path, frame):
    path = tmp_path / "rows.csv"
    write_table(frame, path)
    cells = pd.read_csv(path)["tags"].tolist()
    assert [json.loads(c) for c in cells] == ROWS["tags"]


def test_write_table_creates_parent_folders(tmp_path, frame):
    path = tmp_path / "a" / "b" / "rows.jsonl"
    write_table(frame, path)
    assert path.is_file()


def test_write_table_does_not_modify_the_frame(tmp_path, frame):
    before = frame.copy(deep=True)
    write_table(frame, tmp_path / "rows.csv")
    pd.testing.assert_frame_equal(frame, before)


# -- label cells ----------------------------------------------------------------------


def test_json_list_label_cells_are_parsed(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags",
                     'x,"[""a"", ""b""]"', 'y,"[]"', "z,single")
    tags = read_table(path, label="tags")["tags"].tolist()
    assert tags == [["a", "b"], [], "single"]


def test_label_sep_splits_cells(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags", "x,a|b", "y, c | d ", "z,e")
    tags = read_table(path, label="tags", label_sep="|")["tags"].tolist()
    assert tags == [["a", "b"], ["c", "d"], ["e"]]


def test_python_literal_list_cell_is_parsed(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags", "x,\"['a', 'b']\"")
    assert read_table(path, label="tags")["tags"].tolist() == [["a", "b"]]


def test_label_cells_left_alone_without_label_column(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags", 'x,"[""a""]"')
    assert read_table(path)["tags"].tolist() == ['["a"]']


def test_jsonl_label_lists_are_lists(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "x", "tags": ["a", "b"]}) + "\n", encoding="utf-8")
    tags = read_table(path, label="tags")["tags"].tolist()
    assert tags == [["a", "b"]]


def test_numeric_looking_csv_text_is_read_as_text(tmp_path):
    path = write_csv(tmp_path / "in.csv", "id,text", "1,123", "2,4.5")
    assert read_table(path)["text"].tolist() == ["123", "4.5"]


# -- errors ---------------------------------------------------------------------------


def test_missing_file_raises_resource_not_found(tmp_path):
    with pytest.raises(ResourceNotFoundError, match="not found"):
        read_table(tmp_path / "missing.csv")


def test_missing_file_error_is_also_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_table(tmp_path / "missing.jsonl")


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_file_raises_invalid_parameter(tmp_path, fmt):
    path = tmp_path / f"empty.{fmt}"
    path.write_bytes(b"")
    with pytest.raises(InvalidParameterError, match="empty"):
        read_table(path)


def test_header_only_csv_raises_invalid_parameter(tmp_path):
    path = write_csv(tmp_path / "header.csv", "id,text,tags")
    with pytest.raises(InvalidParameterError, match="no rows"):
        read_table(path, label="tags")


@pytest.mark.parametrize("name", ["rows.txt", "rows", "rows.json"])
def test_unknown_suffix_raises_invalid_parameter_on_read(tmp_path, name):
    path = tmp_path / name
    path.write_text("text\nx\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="suffix"):
        read_table(path)


def test_unknown_suffix_raises_invalid_parameter_on_write(tmp_path, frame):
    with pytest.raises(InvalidParameterError, match="suffix"):
        write_table(frame, tmp_path / "rows.txt")
    assert not (tmp_path / "rows.txt").exists()


def test_errors_are_builtin_value_errors(tmp_path):
    path = tmp_path / "rows.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError):
        read_table(path)


# -- values come back as they were written (issue 11, item 1) ---------------------------

CSV_CELLS = ["007", "NA", "None", "null", "n/a", "1.10", "", " padded ", "nan", "1e5", "TRUE"]


def test_csv_cells_are_read_as_written(tmp_path):
    header = ",".join(f"c{i}" for i in range(len(CSV_CELLS)))
    path = write_csv(tmp_path / "in.csv", header, ",".join(CSV_CELLS))
    assert read_table(path).iloc[0].tolist() == CSV_CELLS


def test_csv_round_trip_keeps_every_cell(tmp_path):
    header = ",".join(f"c{i}" for i in range(len(CSV_CELLS)))
    source = write_csv(tmp_path / "in.csv", header, ",".join(CSV_CELLS))
    target = tmp_path / "out.csv"
    write_table(read_table(source), target)
    with target.open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1] == CSV_CELLS


JSON_ROWS = [
    {"id": 2**53 + 1, "x": 0.1 + 0.2, "day": "2020-01-01", "nested": {"a": [1, {"b": None}]},
     "text": "naïve café ☕ 東京", "flag": True, "n": 1, "mixed": 1, "tags": ["a", "b"]},
    {"id": 2**64 + 7, "x": 1e-300, "day": "2020-01-02T10:00:00", "nested": [],
     "text": "second", "flag": False, "n": -5, "mixed": 1.5, "tags": []},
    {"id": 3, "x": 1.0, "day": "1/2/2020", "nested": None, "text": "", "flag": True, "n": 0,
     "mixed": None, "tags": "single"},
]


def test_jsonl_round_trip_keeps_every_value_and_type(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in JSON_ROWS]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    write_table(read_table(source, label="tags"), target)
    assert target.read_text(encoding="utf-8").splitlines() == lines


def test_jsonl_missing_keys_stay_missing(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "a", "n": 1}\n{"text": "b"}\n', encoding="utf-8")
    write_table(read_table(source), tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == source.read_text()


def test_jsonl_keeps_numeric_columns_numeric(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"n": 1, "x": 0.5}\n{"n": 2, "x": 1.5}\n', encoding="utf-8")
    frame = read_table(source)
    assert frame["n"].dtype == "int64" and frame["x"].dtype == "float64"


def test_jsonl_bad_line_is_named(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="line 2"):
        read_table(source)


def test_parquet_round_trip_keeps_types(tmp_path):
    frame = pd.DataFrame({"i": [2**62, -1], "f": [0.1 + 0.2, float("inf")], "s": ["007", "NA"],
                          "l": [["a", "b"], []]})
    write_table(frame, tmp_path / "rows.parquet")
    back = read_table(tmp_path / "rows.parquet", label="l")
    assert back.dtypes[["i", "f"]].tolist() == ["int64", "float64"]
    assert back["i"].tolist() == frame["i"].tolist()
    assert back["f"].tolist() == frame["f"].tolist()
    assert back["s"].tolist() == ["007", "NA"]
    assert back["l"].tolist() == [["a", "b"], []]


def test_empty_label_cell_means_no_labels(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags", "x,", "y,a|b")
    assert read_table(path, label="tags", label_sep="|")["tags"].tolist() == [[], ["a", "b"]]
    assert read_table(path, label="tags")["tags"].tolist() == [[], "a|b"]


def test_label_cells_restore_the_cells_as_written():
    cells = LabelCells.read(['["a","b"]', " c | d ", "", "NA"], keys=[0, 1, 2, 3], sep=None)
    assert cells.parsed == [["a", "b"], " c | d ", [], "NA"]
    written = cells.restore([["a", "b"], " c | d ", [], "NA", ["new"], []], [0, 1, 2, 3, 0, 3])
    assert written == ['["a","b"]', " c | d ", "", "NA", ["new"], []]


def test_label_cells_join_changed_labels_with_the_separator():
    cells = LabelCells.read([" c | d ", "e"], keys=["k1", "k2"], sep="|")
    assert cells.parsed == [["c", "d"], ["e"]]
    assert cells.restore([["c", "d"], ["e", "f"]], ["k1", "k2"]) == [" c | d ", "e|f"]


def test_empty_label_separator_is_refused(tmp_path):
    path = write_csv(tmp_path / "in.csv", "text,tags", "x,a")
    with pytest.raises(InvalidParameterError, match="label_sep"):
        read_table(path, label="tags", label_sep="")


# -- a written file is complete or absent (issue 11, item 3) -----------------------------


class Explosive:
    """A cell that cannot be written."""

    def __str__(self) -> str:
        raise RuntimeError("this cell cannot be written")

    __repr__ = __str__


def big_frame_with_a_bad_last_cell() -> pd.DataFrame:
    texts: list[object] = [f"row {i} " + "x" * 200 for i in range(5000)]
    texts[-1] = Explosive()
    return pd.DataFrame({"text": texts})


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_failed_write_leaves_no_partial_file(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    with pytest.raises(Exception, match="cannot be written|not JSON"):
        write_table(big_frame_with_a_bad_last_cell(), target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_write_keeps_the_previous_file(tmp_path, frame, fmt, monkeypatch):
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"previous contents")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left") as info:
        write_table(frame, target)
    assert str(target) in str(info.value)
    assert target.read_bytes() == b"previous contents"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_new_file_gets_the_usual_permissions(tmp_path, frame):
    mask = os.umask(0o022)
    try:
        write_table(frame, tmp_path / "rows.csv")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "rows.csv").stat().st_mode) == 0o644


def test_overwritten_file_keeps_its_permissions(tmp_path, frame):
    target = tmp_path / "rows.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_table(frame, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_writing_through_a_symlink_updates_its_target(tmp_path, frame):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_table(frame, link)
    assert link.is_symlink()
    assert read_table(real)["text"].tolist() == ROWS["text"]
