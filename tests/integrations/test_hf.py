"""augment_batch in Dataset.map: the rows of augment, whatever the batch size."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import textaug
from textaug.errors import InvalidParameterError
from textaug.integrations.hf import augment_batch
from textaug.policy import ClassBalancedPolicy, RandomPolicy
from textaug.tfs import char_noise, random_swap

datasets = pytest.importorskip("datasets")

TFS = [random_swap(0.3), char_noise()]
POLICY = RandomPolicy(n_per_original=3, sequence_length=2)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    datasets.disable_progress_bars()


def _frame(n: int = 23) -> pd.DataFrame:
    words = ["cheap", "fast", "model", "reads", "every", "long", "review", "twice", "today"]
    texts = [" ".join(words[(i + j) % len(words)] for j in range(3 + i % 4)) for i in range(n)]
    return pd.DataFrame({"id": [f"r{i}" for i in range(n)], "text": texts,
                         "label": [i % 3 for i in range(n)]})


def _rows(out: pd.DataFrame) -> list[tuple]:
    return list(out.itertuples(index=False, name=None))


def _mapped(ds, fn, batch_size: int, **options) -> pd.DataFrame:
    return ds.map(fn, batched=True, batch_size=batch_size, **options).to_pandas()


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_with_indices_equals_augment_for_any_batch_size(batch_size: int) -> None:
    df = _frame().drop(columns="id")
    expected = textaug.augment(df, TFS, POLICY, seed=5, label="label")
    fn = augment_batch(TFS, POLICY, seed=5, label="label")
    out = _mapped(datasets.Dataset.from_pandas(df), fn, batch_size, with_indices=True)
    assert list(out.columns) == list(expected.columns)
    assert _rows(out) == _rows(expected)
    assert (~out["textaug_is_original"]).sum() > len(df)  # variants were made


def test_key_column_equals_augment_and_validators_columns_kept() -> None:
    df = _frame()
    options = {"seed": 2, "key": "id", "validators": [lambda a, b: len(b.text) > 10]}
    expected = textaug.augment(df, TFS, POLICY, **options)
    fn = augment_batch(TFS, POLICY, **options)
    small, big = (_mapped(datasets.Dataset.from_pandas(df), fn, size) for size in (3, 1000))
    assert "textaug_verdicts" in small.columns
    assert _rows(small) == _rows(big) == _rows(expected)
    assert fn.report_.input_rows == 2 * len(df)  # the two maps, in this process


def test_num_proc_two_gives_the_same_rows() -> None:
    df = _frame().drop(columns="id")
    fn = augment_batch(TFS, POLICY, seed=9)
    ds = datasets.Dataset.from_pandas(df)
    one = _mapped(ds, fn, 4, with_indices=True)
    two = _mapped(ds, fn, 4, with_indices=True, num_proc=2)
    assert _rows(one) == _rows(two)


def test_without_key_or_indices_the_error_names_the_fix() -> None:
    fn = augment_batch(TFS, seed=0)
    with pytest.raises(InvalidParameterError, match="with_indices=True"):
        fn({"text": ["a b c"]})


def test_bad_options_fail_when_built() -> None:
    with pytest.raises(InvalidParameterError, match="seed"):
        augment_batch(TFS, seed=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="num_proc"):
        augment_batch(TFS, seed=0, n_jobs=2)
    with pytest.raises(InvalidParameterError, match="counts"):
        augment_batch(TFS, ClassBalancedPolicy(), seed=0, label="label")


def test_input_batch_is_not_modified() -> None:
    batch = {"text": ["one two three", "four five six"], "label": [0, 1]}
    copy = {k: list(v) for k, v in batch.items()}
    augment_batch(TFS, POLICY, seed=0)(batch, [0, 1])
    assert batch == copy


def test_importing_the_module_does_not_import_datasets() -> None:
    code = ("import sys, textaug.integrations.hf; "
            "assert 'datasets' not in sys.modules, 'datasets imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_features_such_as_class_labels_are_kept() -> None:
    features = datasets.Features({"text": datasets.Value("string"),
                                  "label": datasets.ClassLabel(names=["neg", "pos"])})
    ds = datasets.Dataset.from_dict({"text": ["one two three", "four five six"],
                                     "label": [0, 1]}, features=features)
    out = ds.map(augment_batch(TFS, POLICY, seed=0), batched=True, batch_size=1,
                 with_indices=True)
    assert out.features["label"] == features["label"]
    assert out.features["textaug_is_original"] == datasets.Value("bool")
