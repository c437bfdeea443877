"""AugmentedDataset: reproducible per epoch, the same in every DataLoader worker."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug.errors import ColumnNotFoundError, InvalidParameterError, TransformError
from textaug.integrations.torch import AugmentedDataset
from textaug.policy import ApplyEachPolicy, ClassBalancedPolicy, RandomPolicy
from textaug.tf import transformation_function
from textaug.tfs import char_noise, random_swap

TFS = [random_swap(0.3), char_noise()]
POLICY = RandomPolicy(n_per_original=2, sequence_length=2)


def _frame(n: int = 20) -> pd.DataFrame:
    words = ["cheap", "fast", "model", "reads", "every", "long", "review", "twice", "today"]
    texts = [" ".join(words[(i + j) % len(words)] for j in range(3 + i % 4)) for i in range(n)]
    return pd.DataFrame({"text": texts, "label": [i % 3 for i in range(n)]},
                        index=pd.Index([f"r{i}" for i in range(n)]))


def _items(ds: AugmentedDataset) -> list[dict]:
    return [ds[i] for i in range(len(ds))]


def test_epoch_zero_draws_augments_candidates() -> None:
    df = _frame()
    ds = AugmentedDataset(df, TFS, POLICY, seed=3, label="label")
    out = textaug.augment(df, TFS, POLICY, seed=3, label="label", dedupe=False)
    made = [(it["textaug_source"], it["text"], it["label"], it["textaug_tfs"])
            for it in _items(ds) if not it["textaug_is_original"]]
    variants = out[~out["textaug_is_original"]]
    assert made == list(variants[["textaug_source", "text", "label", "textaug_tfs"]]
                        .itertuples(index=False, name=None))
    assert len(ds) == 3 * len(df) and len(made) > len(df)
    assert [ds[3 * i]["text"] for i in range(len(df))] == df["text"].tolist()  # originals


def test_epochs_differ_and_replay() -> None:
    ds = AugmentedDataset(_frame(), TFS, POLICY, seed=1)
    first = _items(ds)
    ds.set_epoch(1)
    second = _items(ds)
    assert sum(a["text"] != b["text"] for a, b in zip(first, second, strict=True)) > 10
    ds.set_epoch(0)
    assert _items(ds) == first
    assert _items(AugmentedDataset(_frame(), TFS, POLICY, seed=1)) == first


def test_dataloader_two_workers_give_the_items_of_zero_workers() -> None:
    pytest.importorskip("torch")
    from torch.utils.data import DataLoader

    ds = AugmentedDataset(_frame(), TFS, POLICY, seed=7, label="label")
    ds.set_epoch(2)

    def load(workers: int) -> list[dict]:
        loader = DataLoader(ds, batch_size=4, num_workers=workers, collate_fn=list,
                            multiprocessing_context="fork" if workers else None)
        return [item for batch in loader for item in batch]

    alone = load(0)
    assert load(2) == alone == _items(ds)


def test_global_random_state_untouched() -> None:
    ds = AugmentedDataset(_frame(), TFS, POLICY, seed=0)
    state, np_state = random.getstate(), np.random.get_state()[1].tolist()
    _items(ds)
    assert random.getstate() == state and np.random.get_state()[1].tolist() == np_state


def test_torch_global_state_untouched() -> None:
    torch = pytest.importorskip("torch")
    ds = AugmentedDataset(_frame(), TFS, POLICY, seed=0)
    state = torch.get_rng_state()
    _items(ds)
    assert torch.equal(torch.get_rng_state(), state)


def test_rows_as_dicts_keyed_by_a_column_and_data_kept() -> None:
    df = _frame().reset_index(names="id")
    rows = df.to_dict("records")
    copy = [dict(r) for r in rows]
    by_rows = AugmentedDataset(rows, TFS, ApplyEachPolicy(), seed=4, key="id")
    by_frame = AugmentedDataset(df, TFS, ApplyEachPolicy(), seed=4, key="id")
    assert _items(by_rows) == _items(by_frame)
    assert rows == copy and df.equals(_frame().reset_index(names="id"))
    assert by_rows[-1] == by_rows[len(by_rows) - 1]


def test_hugging_face_dataset_gives_the_items_of_its_rows() -> None:
    datasets = pytest.importorskip("datasets")
    rows = _frame().reset_index(drop=True).to_dict("records")
    ds = datasets.Dataset.from_list(rows)
    assert _items(AugmentedDataset(ds, TFS, POLICY, seed=2)) == _items(
        AugmentedDataset(rows, TFS, POLICY, seed=2))


def test_errors_name_the_fix() -> None:
    with pytest.raises(InvalidParameterError, match="WeightedRandomSampler"):
        AugmentedDataset(_frame(), TFS, ClassBalancedPolicy(), seed=0, label="label")
    with pytest.raises(ColumnNotFoundError, match="body"):
        AugmentedDataset([{"body": "a b"}], TFS, seed=0)
    with pytest.raises(InvalidParameterError, match="seed"):
        AugmentedDataset(_frame(), TFS, seed=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="sequence of row dicts"):
        AugmentedDataset({"text": ["a"]}, TFS, seed=0)
    ds = AugmentedDataset(_frame(2), TFS, seed=0)
    with pytest.raises(IndexError, match="out of range"):
        ds[len(ds)]
    with pytest.raises(InvalidParameterError, match="epoch"):
        ds.set_epoch(-1)


def test_a_failing_tf_names_itself_and_the_row() -> None:
    @transformation_function()
    def fails(x):
        raise ValueError("nope")

    ds = AugmentedDataset(_frame(2), [fails], seed=0)
    with pytest.raises(TransformError, match="fails"):
        ds[1]


def test_importing_the_module_does_not_import_torch() -> None:
    code = ("import sys, textaug.integrations.torch; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
