"""check_splits(): every kind of leak, keys from a column or the index, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug.errors import ColumnNotFoundError, InvalidParameterError, LeakageError
from textaug.io import read_table
from textaug.leakage import check_splits
from textaug.near_duplicates import jaccard
from textaug.records import IS_ORIGINAL, SOURCE, TFS
from textaug.splits import split

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "textaug" / "data" / "projects.csv"

TRAIN_TEXTS = ["Parking spots with YOLO and a camera", "BERT for legal text classification",
               "A survey of graph neural networks", "Gradient boosting explained simply"]
TEST_TEXTS = ["Speech recognition with CTC loss", "Topic models for short tweets"]


def frame(texts: list[str], ids: list[int], **columns) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "text": texts, "tags": [["ml", "cv"]] * len(texts),
                         **columns})


def augmented(df: pd.DataFrame, key: str | None = "id") -> pd.DataFrame:
    """Originals plus one changed copy each, with provenance, as augment() would make them."""
    keys = df[key] if key else pd.Series(df.index, index=df.index)
    originals = df.assign(**{SOURCE: keys, IS_ORIGINAL: True, TFS: ""})
    copies = originals.assign(text=originals["text"] + " (copy)", **{IS_ORIGINAL: False,
                                                                     TFS: "add_copy"})
    return pd.concat([originals, copies], ignore_index=True)


def test_clean_splits_give_an_ok_report():
    report = check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]), test=frame(TEST_TEXTS, [5, 6]),
                          key="id")
    assert report.ok and len(report.pairs) == 0 and str(report) == "No leakage across splits."
    assert report.counts == {"source": 0, "exact": 0, "normalized": 0, "near_duplicate": 0}


def test_text_leaks_of_each_kind_with_keys_from_a_column():
    test = frame(TEST_TEXTS + [TRAIN_TEXTS[0], "bert  FOR legal text classification",
                               "A survey of graph neural network"], [5, 6, 7, 8, 9])
    report = check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]), test=test, key="id",
                          raise_on_leak=False)
    pairs = report.pairs
    assert list(pairs.columns) == ["kind", "split_a", "key_a", "split_b", "key_b", "jaccard",
                                   "text_a", "text_b"]
    assert list(zip(pairs["kind"], pairs["key_a"], pairs["key_b"], strict=True)) == [
        ("exact", 1, 7), ("normalized", 2, 8), ("near_duplicate", 3, 9)]
    assert pairs["jaccard"].iloc[2] == pytest.approx(
        jaccard(TRAIN_TEXTS[2], "A survey of graph neural network"))
    assert report.counts["near_duplicate"] == 1 and not report.ok


def test_keys_from_the_index_and_near_duplicates_off():
    train = pd.DataFrame({"text": TRAIN_TEXTS}, index=["a", "b", "c", "d"])
    test = pd.DataFrame({"text": ["A survey of graph neural network", TRAIN_TEXTS[1]]},
                        index=["x", "y"])
    report = check_splits(train=train, test=test, near_duplicates=None, raise_on_leak=False)
    assert list(zip(report.pairs["kind"], report.pairs["key_a"], report.pairs["key_b"],
                    strict=True)) == [("exact", "b", "y")]


def test_plain_splits_sharing_index_labels_do_not_leak():
    train = pd.DataFrame({"text": TRAIN_TEXTS})
    test = pd.DataFrame({"text": TEST_TEXTS})  # index 0, 1 in both
    assert check_splits(train=train, test=test).ok


@pytest.mark.parametrize(("key", "expected"), [("id", [(5, 5), (6, 6)]),
                                                (None, [(4, 10), (5, 11)])])
def test_augmented_rows_whose_source_is_in_another_split_leak(key, expected):
    aug = augmented(frame(TRAIN_TEXTS + TEST_TEXTS, [1, 2, 3, 4, 5, 6]), key)
    moved = (aug["id"] >= 5) & ~aug[IS_ORIGINAL]  # copies of 5 and 6 in test, originals in train
    report = check_splits(train=aug[~moved], test=aug[moved], key=key, raise_on_leak=False)
    assert list(zip(report.pairs["kind"], report.pairs["key_a"], report.pairs["key_b"],
                    strict=True)) == [("source", *pair) for pair in expected]


def test_source_leaks_between_an_augmented_and_a_plain_split():
    train = augmented(frame(TRAIN_TEXTS, [1, 2, 3, 4]))
    test = frame(["Something else entirely", "Another unrelated text"], [2, 9])
    report = check_splits(train=train, test=test, key="id", raise_on_leak=False)
    assert list(zip(report.pairs["kind"], report.pairs["key_a"], report.pairs["key_b"],
                    strict=True)) == [("source", 2, 2), ("source", 2, 2)]
    assert report.pairs["jaccard"].isna().all()


def test_augmented_rows_with_their_source_elsewhere_unseen_are_fine():
    train = augmented(frame(TRAIN_TEXTS, [1, 2, 3, 4]))
    train = train[train[IS_ORIGINAL] == False]  # noqa: E712 - originals dropped, not leaked
    assert check_splits(train=train, test=frame(TEST_TEXTS, [5, 6]), key="id").ok


def test_error_lists_the_first_ten_pairs_and_the_count():
    shared = [f"shared text number {i} about parking" for i in range(12)]
    train = frame(shared + TRAIN_TEXTS, list(range(16)))
    test = frame(shared, list(range(100, 112)), split_note="held out")
    with pytest.raises(LeakageError) as caught:
        check_splits(train=train, test=test, key="id")
    message = str(caught.value)
    assert message.startswith("12 leaking pairs of rows across splits (exact 12). First 10:")
    assert "exact: train row id=0 'shared text number 0 about parking' <-> test row id=100" \
        in message
    assert "id=9 " in message and "id=10 " not in message
    assert isinstance(caught.value, ValueError)


def test_all_three_splits_are_compared_pairwise():
    train, val, test = (frame([t], [i]) for i, t in enumerate(TRAIN_TEXTS[:3]))
    val = pd.concat([val, frame([TRAIN_TEXTS[0]], [10])])
    test = pd.concat([test, frame([TRAIN_TEXTS[1].upper()], [11])])
    report = check_splits(train=train, val=val, test=test, key="id", raise_on_leak=False)
    assert list(zip(report.pairs["split_a"], report.pairs["split_b"], report.pairs["kind"],
                    strict=True)) == [("train", "val", "exact"), ("val", "test", "normalized")]


def test_empty_splits_are_fine():
    empty = frame([], [])
    assert check_splits(train=empty, test=frame(TEST_TEXTS, [5, 6]), key="id").ok
    assert check_splits(train=empty, val=empty, test=empty).ok


def test_multi_label_list_cells_do_not_get_in_the_way():
    train = frame(TRAIN_TEXTS, [1, 2, 3, 4])
    test = frame([TRAIN_TEXTS[3]], [5])
    assert isinstance(train["tags"].iloc[0], list)
    report = check_splits(train=train, test=test, key="id", raise_on_leak=False)
    assert report.counts["exact"] == 1


def test_missing_text_is_an_error_naming_the_column_split_and_rows():
    test = frame(["fine", np.nan, None], [7, 8, 9])
    with pytest.raises(InvalidParameterError,
                       match=r"'text' of the test split has 2 non-string.*rows 8: nan, 9: "):
        check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]), test=test, key="id")


def test_a_split_without_the_text_or_key_column_is_named():
    train = frame(TRAIN_TEXTS, [1, 2, 3, 4])
    test = frame(TEST_TEXTS, [5, 6]).rename(columns={"text": "body"})
    with pytest.raises(ColumnNotFoundError, match=r"'text' not in the test split.*'body'"):
        check_splits(train=train, test=test)
    with pytest.raises(ColumnNotFoundError, match=r"Key column 'uid' not in the train split"):
        check_splits(train=train, test=frame(TEST_TEXTS, [5, 6]), key="uid")


def test_bad_arguments_are_rejected():
    with pytest.raises(InvalidParameterError, match="at least two"):
        check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]))
    with pytest.raises(InvalidParameterError, match="test split must be a pandas DataFrame"):
        check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]), test=TEST_TEXTS)  # type: ignore
    with pytest.raises(InvalidParameterError, match="near_duplicates"):
        check_splits(train=frame(TRAIN_TEXTS, [1, 2, 3, 4]), test=frame(TEST_TEXTS, [5, 6]),
                     near_duplicates=1.5)


def augment_projects(df: pd.DataFrame) -> pd.DataFrame:
    return textaug.augment(df, [textaug.tfs.swap_aliases()], label="tags", key="id",
                           policy=textaug.ApplyOnePolicy(n_per_original=2, keep_original=True),
                           seed=0)


def test_split_then_augment_passes_and_augment_then_split_is_caught():
    df = read_table(PROJECTS, label="tags").astype({"id": int})
    train, test = split(df, test_size=0.2, stratify="tags", seed=0)
    augmented_train = augment_projects(train)
    assert len(augmented_train) > len(train)
    assert check_splits(train=augmented_train, test=test, key="id").ok

    whole = augment_projects(df)
    naive_test = whole.sample(frac=0.2, random_state=0)
    naive_train = whole.drop(naive_test.index)
    with pytest.raises(LeakageError) as caught:
        check_splits(train=naive_train, test=naive_test, key="id")
    report = check_splits(train=naive_train, test=naive_test, key="id", raise_on_leak=False)
    first = report.pairs.iloc[0]
    assert report.counts["source"] > 10
    assert f"{report.counts['source']} leaking pairs" in str(caught.value)
    assert (f"source: train row id={first.key_a} " in str(caught.value)
            and f"test row id={first.key_b} " in str(caught.value))
    leaked = set(report.pairs["key_b"])
    assert leaked <= set(naive_test["id"]) and leaked & set(naive_train["id"]) == leaked


def test_leakage_benchmark_runs_on_small_data(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "leakage.py"), str(PROJECTS),
         "--train-rows", "600", "--test-rows", "120", "--sample", "60"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    out = result.stdout
    assert "check_splits" in out and "exhaustive" in out and "speed ratio" in out
    assert "recall of planted near-duplicates with Jaccard >= 0.8:" in out
    assert "reported pairs with true Jaccard < 0.5: 0" in out
