"""split(): related rows stay together, sizes and labels balance, inputs stay untouched."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.io import read_table
from textaug.leakage import check_splits
from textaug.splits import split

PROJECTS = Path(__file__).resolve().parents[1] / "textaug" / "data" / "projects.csv"


@pytest.fixture
def projects() -> pd.DataFrame:
    return read_table(PROJECTS, label="tags").astype({"id": int})


def where(frames: tuple[pd.DataFrame, ...], label) -> str:
    (name,) = [f.attrs["textaug_split"] for f in frames if label in f.index]
    return name


def test_sizes_marks_and_columns(projects):
    train, val, test = split(projects, test_size=0.2, val_size=0.1, seed=0)
    assert (len(train), len(val), len(test)) == (280, 40, 80)
    assert [f.attrs["textaug_split"] for f in (train, val, test)] == ["train", "val", "test"]
    assert all(list(f.columns) == list(projects.columns) for f in (train, val, test))
    labels = [*train.index, *val.index, *test.index]
    assert sorted(labels) == sorted(projects.index)
    assert list(test.index) == sorted(test.index)  # input order within a split
    assert len(split(projects, seed=0)) == 2


def test_input_is_not_modified_and_outputs_are_copies(projects):
    projects.attrs["origin"] = "projects.csv"
    before = projects.copy()
    train, test = split(projects, stratify="tags", seed=0)
    pd.testing.assert_frame_equal(projects, before)
    assert projects.attrs == {"origin": "projects.csv"}
    assert train.attrs == {"origin": "projects.csv", "textaug_split": "train"}
    first = test.index[0]
    test.loc[first, "text"] = "changed"
    assert projects.loc[first, "text"] == before.loc[first, "text"]


def test_groups_duplicates_and_near_duplicates_stay_together():
    base = [f"project {w} with {v} and a long enough description" for w in "abcdefghij"
            for v in ("cnn", "rnn", "gbm", "svm")]
    df = pd.DataFrame({"text": base + ["PROJECT a WITH cnn and a long enough description",
                                       "project a with cnn and a long enough descriptions",
                                       base[5]],
                       "doc": list(range(40)) + [100, 101, 7]})
    df.loc[[12, 30], "doc"] = 99  # two rows of one source document
    for seed in range(5):
        frames = split(df, test_size=0.3, group="doc", seed=seed)
        assert where(frames, 12) == where(frames, 30)  # group
        assert where(frames, 0) == where(frames, 40) == where(frames, 41)  # normalised, near
        assert where(frames, 5) == where(frames, 42) == where(frames, 7)  # exact text, group


def test_near_duplicates_none_links_only_equal_texts():
    df = pd.DataFrame({"text": [f"text number {i} about {i * 7} things" for i in range(30)]})
    sizes = {len(split(df, near_duplicates=None, seed=s)[1]) for s in range(3)}
    assert sizes == {6}
    linked = split(df, near_duplicates=0.3, seed=0)  # these texts are alike at 0.3
    assert 0 in {len(f) for f in linked}


def test_same_rows_in_any_order_give_the_same_split(projects):
    shuffled = projects.sample(frac=1, random_state=5)
    for seed in (0, 1):
        a = split(projects, stratify="tags", seed=seed)
        b = split(shuffled, stratify="tags", seed=seed)
        assert [set(f.index) for f in a] == [set(f.index) for f in b]
    assert set(split(projects, seed=0)[1].index) != set(split(projects, seed=1)[1].index)


def test_single_label_stratification_keeps_class_shares():
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 15 + ["d"] * 5
    df = pd.DataFrame({"text": [f"row {i} of class {y} {i * i}" for i, y in enumerate(labels)],
                       "y": labels}, index=[f"r{i}" for i in range(100)])
    train, test = split(df, test_size=0.2, stratify="y", near_duplicates=None, seed=3)
    assert Counter(test["y"]) == {"a": 10, "b": 6, "c": 3, "d": 1}
    assert train.index[0] == "r0"  # index labels are kept


def test_multi_label_stratification_beats_chance(projects):
    train, test = split(projects, test_size=0.2, stratify="tags", seed=0)
    total = Counter(tag for tags in projects["tags"] for tag in tags)
    held = Counter(tag for tags in test["tags"] for tag in tags)
    common = [tag for tag, n in total.items() if n >= 30]
    errors = np.abs(np.array([held[tag] / total[tag] for tag in common]) - 0.2)
    # a random 20% split (df.sample) is off by 0.034 on average for these tags
    assert errors.mean() < 0.02 and errors.max() < 0.06, errors.round(3)


def test_tuple_and_missing_labels_are_fine():
    df = pd.DataFrame({"text": [f"sentence {i} {'x' * i}" for i in range(20)],
                       "tags": [("a", "b"), None, ["b"], np.nan, "a"] * 4})
    train, test = split(df, test_size=0.25, stratify="tags", seed=0)
    assert len(test) == 5 and len(train) == 15


def test_split_output_passes_the_leakage_guard(projects):
    copies = projects.sample(30, random_state=0).assign(
        text=lambda d: d["text"].str.upper() + "  ", id=lambda d: d["id"] + 10_000)
    df = pd.concat([projects, copies], ignore_index=True)
    train, val, test = split(df, test_size=0.2, val_size=0.2, stratify="tags", seed=0)
    assert check_splits(train=train, val=val, test=test, key="id").ok


def test_empty_frame_gives_empty_splits():
    empty = pd.DataFrame({"text": pd.Series([], dtype=object), "y": pd.Series([], dtype=int)})
    train, val, test = split(empty, val_size=0.1, stratify="y")
    assert len(train) == len(val) == len(test) == 0
    assert list(test.columns) == ["text", "y"] and test.attrs["textaug_split"] == "test"


def test_missing_texts_are_an_error_naming_the_rows():
    df = pd.DataFrame({"text": ["fine", None, np.nan]}, index=["a", "b", "c"])
    with pytest.raises(InvalidParameterError, match=r"'text' has 2 non-string.*'b': nan, 'c': nan"):
        split(df)


@pytest.mark.parametrize("param", ["text", "stratify", "group"])
def test_missing_columns_name_the_column_and_the_available_ones(param):
    df = pd.DataFrame({"body": ["a"], "label": ["x"]})
    kwargs = {"text": "body", param: "nope"}
    with pytest.raises(ColumnNotFoundError, match=r"'nope' not in DataFrame.*\['body', 'label'\]"):
        split(df, **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"test_size": 0}, "test_size"), ({"test_size": 1.0}, "test_size"),
    ({"test_size": 20}, "test_size"), ({"test_size": True}, "test_size"),
    ({"val_size": -0.1}, "val_size"), ({"test_size": 0.5, "val_size": 0.5}, "below 1"),
    ({"near_duplicates": 0}, "near_duplicates"), ({"seed": -1}, "seed"),
])
def test_bad_parameters_are_rejected(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        split(pd.DataFrame({"text": ["a", "b"]}), **kwargs)


def test_not_a_dataframe_is_rejected():
    with pytest.raises(InvalidParameterError, match="DataFrame"):
        split(["a", "b"])  # type: ignore[arg-type]
