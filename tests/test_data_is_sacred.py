"""The caller's data is sacred: any text dtype works, mutable cells are never shared or
edited, a TF that changes only the label counts, bad keys and frames are refused before
any work (issue 11, items 4-7)."""

from __future__ import annotations

import pandas as pd
import pytest

from textaug import (
    ApplyOnePolicy,
    InvalidParameterError,
    augment,
    transformation_function,
)
from textaug.tfs import random_swap

TEXTS = ["the quick brown fox jumps", "a b c d e f g", "the quick brown fox jumps"]


@pytest.mark.parametrize("dtype", [object, "str", "string", "string[pyarrow]", "category"])
def test_text_columns_of_any_dtype_are_augmented(dtype):
    df = pd.DataFrame({"text": pd.Series(TEXTS, dtype=dtype)})
    out, report = augment(df, [random_swap()], ApplyOnePolicy(2), seed=0, return_report=True)
    made = out[~out["textaug_is_original"]]
    assert made["text"].notna().all() and (made["textaug_tfs"] == "random_swap").all()
    assert out["textaug_tfs"].notna().all()
    assert report.augmented_rows == len(made) > 0
    assert type(out["text"].dtype) is type(df["text"].dtype)
    if dtype == "category":  # provenance never takes the text column's dtype
        assert not isinstance(out["textaug_tfs"].dtype, pd.CategoricalDtype)
        assert set(made["text"]) <= set(out["text"].cat.categories)


def test_categorical_text_keeps_its_dtype_in_chunks_and_workers():
    df = pd.DataFrame({"text": pd.Series(TEXTS * 4, dtype="category")})
    one = augment(df, [random_swap()], seed=3)
    chunked = augment(df, [random_swap()], seed=3, progress=False, n_jobs=2)
    assert isinstance(chunked["text"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(one, chunked)


@transformation_function()
def edit_in_place(x):
    """Edits the cells it reads, as a careless TF would."""
    x["meta"]["seen"] = True
    x.tags.append("extra")
    return x.replace(text=x.text + "!")


def test_a_tf_editing_mutable_cells_changes_neither_the_input_nor_the_output():
    df = pd.DataFrame({"text": ["good", "bad"], "tags": [["a"], ["b", "c"]],
                       "meta": [{"k": 1}, {"k": 2}]})
    before = df.copy(deep=True)
    out = augment(df, [edit_in_place], ApplyOnePolicy(2), seed=0, label="tags", dedupe=False)
    pd.testing.assert_frame_equal(df, before)
    assert df["meta"][0] == {"k": 1} and df["tags"][1] == ["b", "c"]
    assert list(out["tags"]) == [["a"], ["a"], ["a"], ["b", "c"], ["b", "c"], ["b", "c"]]


def test_output_rows_never_share_mutable_cells_with_the_input_or_each_other():
    df = pd.DataFrame({"text": ["good movie"], "tags": [["a"]], "meta": [{"k": [1]}]})
    out = augment(df, [edit_in_place], ApplyOnePolicy(2), seed=0, label="tags", dedupe=False)
    out.loc[0, "meta"]["k"].append(2)
    out.loc[1, "tags"].append("z")
    assert df.loc[0, "meta"] == {"k": [1]} and df.loc[0, "tags"] == ["a"]
    assert out.loc[2, "tags"] == ["a"] and out.loc[2, "meta"] == {"k": [1]}


@transformation_function()
def relabel(x):
    """Changes only the label, as snorkel TFs may."""
    return x.replace(label="positive" if x.label == "negative" else "negative")


def test_a_tf_that_changes_only_the_label_makes_a_row():
    df = pd.DataFrame({"text": ["fine", "bad"], "label": ["positive", "negative"]})
    out = augment(df, [relabel], ApplyOnePolicy(3), seed=0, label="label")
    made = out[~out["textaug_is_original"]]
    assert made[["text", "label"]].values.tolist() == [["fine", "negative"], ["bad", "positive"]]


@transformation_function()
def square(x):
    """snorkel's applier test: a TF that squares a number column."""
    return x.replace(num=x.num ** 2)


def test_a_tf_that_changes_another_column_makes_a_row_and_duplicates_still_drop():
    df = pd.DataFrame({"text": ["a", "b"], "num": [2, 3]})
    out, report = augment(df, [square], ApplyOnePolicy(2), seed=0, return_report=True)
    assert out["num"].tolist() == [2, 4, 3, 9]
    assert report.duplicates_dropped == 2


def test_record_key_is_the_source_rows_key():
    seen = []

    @transformation_function()
    def note_key(x):
        seen.append(x.key)

    augment(pd.DataFrame({"id": ["007", "x"], "text": ["a", "b"]}), [note_key], key="id", seed=0)
    augment(pd.DataFrame({"text": ["a"]}, index=[42]), [note_key], seed=0)
    assert seen == ["007", "x", 42]


@pytest.mark.parametrize("keys", [[1.0, float("nan"), float("nan")], ["a", None, "b"],
                                  [1, 2, pd.NA]])
def test_missing_keys_are_refused_before_any_work(keys):
    df = pd.DataFrame({"id": pd.Series(keys, dtype=object), "text": ["a", "b", "c"]})
    with pytest.raises(InvalidParameterError, match=r"Key column 'id' has \d missing values"):
        augment(df, [edit_in_place], key="id", seed=0)
    with pytest.raises(InvalidParameterError, match=r"DataFrame index has \d missing values"):
        augment(df.set_index("id"), [edit_in_place], seed=0)


def test_labels_written_as_text_lists_are_refused_with_their_rows():
    df = pd.DataFrame({"id": [7, 8], "text": ["a", "b"], "tags": [["x"], '["a", "b"']})
    with pytest.raises(InvalidParameterError, match=r"1 cells that look like lists .*8: '\["):
        augment(df, [edit_in_place], key="id", label="tags", seed=0)


def test_multiindex_rows_and_columns_are_refused_before_any_tf_runs():
    calls = []

    @transformation_function()
    def count(x):
        calls.append(1)

    df = pd.DataFrame({"text": ["a", "b"], "k": [1, 2], "j": [3, 4]}).set_index(["k", "j"])
    with pytest.raises(InvalidParameterError, match=r"MultiIndex \(levels \['k', 'j'\]\)"):
        augment(df, [count], seed=0)
    wide = pd.DataFrame([["a", 1]], columns=pd.MultiIndex.from_tuples([("t", "x"), ("n", "y")]))
    with pytest.raises(InvalidParameterError, match="MultiIndex columns"):
        augment(wide, [count], text="t", seed=0)
    assert calls == []
    assert len(augment(df.reset_index(), [count], seed=0)) == 2


def test_candidates_run_in_bounded_batches_with_the_same_rows(monkeypatch):
    import textaug.chunk
    from textaug.tf import TransformationFunction

    sizes = []

    class Counting(TransformationFunction):
        def apply_batch(self, records, rngs):
            sizes.append(len(records))
            return super().apply_batch(records, rngs)

    def bang(x, rng):
        return x.replace(text=x.text + "!" * (1 + rng.integers(50)))

    tf = Counting(bang, name="bang")
    df = pd.DataFrame({"text": [f"row {i}" for i in range(40)]})
    whole = augment(df, [tf], ApplyOnePolicy(25), seed=1)  # 1,000 candidates in one batch
    assert sizes == [1000]
    sizes.clear()
    monkeypatch.setattr(textaug.chunk, "MAX_BATCH", 100)
    batched = augment(df, [tf], ApplyOnePolicy(25), seed=1)
    assert max(sizes) <= 100 + 25 and sum(sizes) == 1000 and len(sizes) == 10
    pd.testing.assert_frame_equal(whole, batched)


def test_absurd_numbers_of_augmentations_are_refused_up_front():
    df = pd.DataFrame({"text": ["a b c"]})
    for n in (10**9, 10**30):
        with pytest.raises(InvalidParameterError, match="an int from 0 to 10,000"):
            augment(df, [random_swap()], ApplyOnePolicy(n), seed=0)
