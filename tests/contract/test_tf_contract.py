"""Every TF textaug exports passes the same checks (the contract users rely on)."""

from __future__ import annotations

import copy
import pickle
import random
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odd_texts import TEXTS  # noqa: E402 - tests/ is on sys.path

import textaug
from textaug.records import Record
from textaug.tfs import FACTORIES, MODEL_BACKED


def _nlpaug_swap():
    import nlpaug.augmenter.word as naw

    return textaug.tfs.from_nlpaug(naw.RandomWordAug(action="swap"))


def _all_tfs():
    tfs = {name: factory() for name, factory in FACTORIES.items() if name not in MODEL_BACKED}
    tfs["from_nlpaug"] = _nlpaug_swap()
    return tfs


TFS = _all_tfs()
LABELS = ["natural-language-processing", "computer-vision", "machine-learning"]
SEEDS = (0, 1, 7)


def record(text: str) -> Record:
    return Record({"text": text, "tags": list(LABELS), "n": 1}, label="tags")


def global_state():
    torch = sys.modules.get("torch")
    return (random.getstate(), np.random.get_state()[1].tobytes(),
            torch.random.get_rng_state().numpy().tobytes() if torch else None)


def run(tf, text, seed):
    out = tf(record(text), rng=seed)
    assert out is None or (isinstance(out, Record) and isinstance(out.text, str))
    return None if out is None else out.text


def test_every_factory_is_covered():
    assert set(TFS) | MODEL_BACKED == set(textaug.tfs.__all__) - {"eda_defaults"}


@pytest.mark.parametrize("name", sorted(TFS))
@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_odd_inputs_never_crash_and_are_deterministic(name, kind):
    tf = TFS[name]
    for seed in SEEDS:
        assert run(tf, TEXTS[kind], seed) == run(tf, TEXTS[kind], seed)
    if not TEXTS[kind].strip():
        assert run(tf, TEXTS[kind], 0) is None


@pytest.mark.parametrize("name", sorted(TFS))
def test_input_is_never_mutated_and_global_state_untouched(name):
    row = {"text": TEXTS["plain"], "tags": list(LABELS), "n": 1}
    before_row, before_state = copy.deepcopy(row), global_state()
    x = Record(row, label="tags")
    for seed in SEEDS:
        TFS[name](x, rng=seed)
    assert row == before_row and dict(x) == before_row
    assert global_state() == before_state


@pytest.mark.parametrize("name", sorted(TFS))
def test_pickled_tf_gives_the_same_output(name):
    clone = pickle.loads(pickle.dumps(TFS[name]))
    for seed in SEEDS:
        assert run(clone, TEXTS["plain"], seed) == run(TFS[name], TEXTS["plain"], seed)


@pytest.mark.parametrize("name", sorted(TFS))
def test_applies_to_ordinary_text(name):
    outputs = {run(TFS[name], TEXTS["plain"], seed) for seed in range(10)}
    assert outputs - {None, TEXTS["plain"]}, f"{name} never changed an ordinary sentence"


@pytest.mark.parametrize("name", sorted(TFS))
def test_one_megabyte_text(name):
    text = (TEXTS["plain"] + " ") * (1_000_000 // (len(TEXTS["plain"]) + 1))
    run(TFS[name], text, 0)  # returns a str or None, in time linear in the text


@pytest.mark.parametrize("name", sorted(TFS))
def test_runs_through_augment_with_provenance(name):
    df = pd.DataFrame({"text": [TEXTS["plain"], TEXTS["urls"], TEXTS["empty"]],
                       "tags": [LABELS] * 3})
    out, report = textaug.augment(df, [TFS[name]], textaug.ApplyOnePolicy(n_per_original=2),
                                  seed=0, label="tags", return_report=True)
    assert out["textaug_is_original"].sum() == 3
    assert report.tfs[TFS[name].name].errored == 0
    pd.testing.assert_frame_equal(
        out, textaug.augment(df, [TFS[name]], textaug.ApplyOnePolicy(n_per_original=2), seed=0,
                             label="tags"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=80), seed=st.integers(0, 2**32), name=st.sampled_from(sorted(TFS)))
def test_property_any_text_any_seed(text, seed, name):
    assert run(TFS[name], text, seed) == run(TFS[name], text, seed)
