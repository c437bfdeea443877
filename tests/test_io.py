"""Tests of textaug.io: reading and writing CSV, JSON Lines and Parquet tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.io import read_table, write_table

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
    back = read_table(path, text="text", label="tags")
    assert list(back.columns) == list(frame.columns)
    assert back["id"].tolist() == ROWS["id"]
    assert back["text"].tolist() == ROWS["text"]
    assert back["score"].tolist() == ROWS["score"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_label_cells_come_back_as_lists(tmp_path, frame, fmt):
    path = tmp_path / f"rows.{fmt}"
    write_table(frame, path)
    tags = read_table(path, text="text", label="tags")["tags"].tolist()
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
    assert read_table(path, text="text")["text"].tolist() == ["123", "4.5"]


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
        read_table(path, text="text", label="tags")


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
