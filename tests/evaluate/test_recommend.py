"""recommended_policy: an augmenter that evaluate, augment and Augmenter all run, the one
the grid in benchmarks/choose_policy.py measured."""

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import load_script
from textaug import augment
from textaug.errors import InvalidParameterError
from textaug.evaluate.recommend import Recommendation, recommended_policy
from textaug.evaluate.run import augmenter_spec, evaluate

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ["the striker scored a late goal in the cup final tonight",
         "our team lost the away match after a long season",
         "bake the bread in a hot oven for forty minutes",
         "stir the tomato sauce slowly and season it with salt"]


def frame(n):
    labels = ["sport", "sport", "food", "food"]
    return pd.DataFrame({"text": [f"{TEXTS[i % 4]} {i}" for i in range(n)],
                         "label": [labels[i % 4] for i in range(n)]})


@pytest.mark.parametrize("size", [1, 50, 500, 2_000, 1_000_000])
def test_every_size_gets_tfs_a_policy_and_validators(size):
    rec = recommended_policy(size)
    assert isinstance(rec, Recommendation) and isinstance(rec, tuple) and len(rec) == 3
    assert [tf.name for tf in rec.tfs] == ["random_swap", "random_deletion"]
    assert rec.n_per_original == 4 and rec.validators == ()
    spec = augmenter_spec("recommended", rec)
    assert spec.tfs == rec.tfs and spec.policy is rec.policy


def test_each_call_builds_new_objects():
    first, second = recommended_policy(500), recommended_policy(500)
    assert first.tfs[0] is not second.tfs[0] and first.policy is not second.policy


@pytest.mark.parametrize("bad", [0, -5, 1.5, True, "500", None])
def test_a_bad_size_is_refused_in_one_line(bad):
    with pytest.raises(InvalidParameterError, match="train_size.*an int >= 1"):
        recommended_policy(bad)


def test_augment_and_an_augmenter_run_it_alike_and_leave_the_input_and_global_rngs():
    df = frame(12)
    before = df.copy(deep=True)
    states = random.getstate(), np.random.get_state()[1].copy()
    rec = recommended_policy(len(df))
    out = augment(df, **rec.kwargs(), seed=3)
    pd.testing.assert_frame_equal(df, before)
    assert random.getstate() == states[0]
    assert np.array_equal(np.random.get_state()[1], states[1])
    assert len(df) < len(out) <= 5 * len(df)
    pd.testing.assert_frame_equal(rec.augmenter(seed=3).augment(df), out)
    pd.testing.assert_frame_equal(augment(df, **recommended_policy(12).kwargs(), seed=3), out)
    originals = set(df["text"])
    variants = out.loc[~out["text"].isin(originals), "text"]
    assert len(variants) > len(df)  # most rows get several distinct variants
    for text in variants:
        assert len(text.split()) <= len(TEXTS[0].split()) + 1  # swaps and deletions only


def test_evaluate_runs_it_as_an_augmenter():
    train, test = frame(40), frame(8)
    result = evaluate(train, test, {"recommended": recommended_policy(20)}, model="tfidf",
                      sizes=[20], seeds=2, progress=False)
    runs = result.runs.set_index(["augmenter", "seed"])
    assert list(result.runs["augmenter"].unique()) == ["none", "recommended"]
    for seed in (0, 1):
        assert runs.loc[("none", seed), "train_rows"] == 20
        assert 20 < runs.loc[("recommended", seed), "train_rows"] <= 100


def test_it_is_the_grid_candidate_the_module_notes_report():
    grid = load_script(ROOT / "benchmarks" / "choose_policy.py").candidates()
    measured = augmenter_spec("rs-rd a.1 n4", grid["rs-rd a.1 n4"])
    assert augmenter_spec("recommended", recommended_policy(500)).config() == measured.config()
