"""back_translate on a pair of tiny, randomly initialised Marian models built locally.

The models translate to gibberish, which is all these tests need: the loading path,
batching, per-row reproducible variants, the cache, pickling and the applier. The pair
is built once per module (about 1 s after the transformers import).
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug._rng import Rng
from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.records import IS_ORIGINAL, SOURCE, TFS, Record
from textaug.tfs.back_translation import GumbelNoise, back_translate, pick_variant

TEXTS = ["the movie was good", "a great plot", "schlecht", "the actors were not bad at all"]
FAST = {"max_new_tokens": 6, "local_files_only": True}


@pytest.fixture(scope="module")
def pair(tiny_marian_pair: tuple[str, str]) -> Iterator[tuple[str, str]]:
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small runs 2-3x faster on one thread
    yield tiny_marian_pair
    torch.set_num_threads(threads)


def run(tf, texts=TEXTS, seeds=None) -> list[str | None]:
    seeds = range(len(texts)) if seeds is None else seeds
    outcomes = tf.apply_batch([Record({"text": t}) for t in texts], [Rng(s) for s in seeds])
    for out in outcomes:
        if isinstance(out, BaseException):
            raise out
    return [None if out is None else out.text for out in outcomes]


@pytest.mark.parametrize("sample", [False, True])
def test_same_seed_same_output_and_rows_do_not_depend_on_their_batch(pair, sample) -> None:
    tf = back_translate(pair, sample=sample, batch_size=3, **FAST)
    first = run(tf)
    assert first == run(back_translate(pair, sample=sample, batch_size=3, **FAST))
    assert any(out is not None for out in first)
    alone = [run(tf, [t], [s])[0] for s, t in enumerate(TEXTS)]
    assert alone == first
    assert run(tf, TEXTS[::-1], range(len(TEXTS))[::-1]) == first[::-1]


@pytest.mark.parametrize("sample", [False, True])
def test_draws_of_one_text_differ(pair, sample) -> None:
    tf = back_translate(pair, sample=sample, **FAST)
    outputs = run(tf, ["the movie was good"] * 12, range(12))
    assert len(set(outputs)) >= 2


def test_cache_gives_the_same_rows_and_a_rerun_loads_no_model(pair, tmp_path) -> None:
    path = tmp_path / "cache.sqlite"
    uncached = run(back_translate(pair, **FAST))
    assert run(back_translate(pair, cache=path, **FAST)) == uncached
    rerun = back_translate(pair, cache=path, **FAST)
    assert run(rerun) == uncached
    assert rerun._loaded is None
    other = back_translate(pair, cache=path, num_beams=2, **FAST)  # params key the cache
    run(other)
    assert other._loaded is not None


@pytest.mark.parametrize("sample", [False, True])
def test_input_and_global_rng_state_untouched(pair, sample) -> None:
    torch = pytest.importorskip("torch")
    tf = back_translate(pair, sample=sample, **FAST)
    rows = [{"text": t, "id": i} for i, t in enumerate(TEXTS)]
    records = [Record(row) for row in rows]
    states = random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state()
    outcomes = tf.apply_batch(records, [Rng(s) for s in range(len(records))])  # loads, too
    assert random.getstate() == states[0]
    assert np.array_equal(np.random.get_state()[1], states[1])
    assert torch.equal(torch.get_rng_state(), states[2])
    assert rows == [{"text": t, "id": i} for i, t in enumerate(TEXTS)]
    assert [r.text for r in records] == TEXTS and not any(r.changes for r in records)
    assert any(isinstance(out, Record) and out["id"] == i for i, out in enumerate(outcomes))


def test_pickles_before_and_after_loading(pair) -> None:
    tf = back_translate(pair, **FAST)
    expected = run(pickle.loads(pickle.dumps(tf)))
    assert run(tf) == expected and tf._loaded is not None
    clone = pickle.loads(pickle.dumps(tf))
    assert clone._loaded is None and run(clone) == expected


def test_pivot_choice_is_reproducible_per_row(pair) -> None:
    a, b = pair
    pivots = [(a, b), (b, a)]
    tf = back_translate(pivots=pivots, **FAST)
    seeds = range(8)
    chosen = [Rng(s).integers(2) for s in seeds]
    assert set(chosen) == {0, 1}
    texts = ["the movie was good"] * 8
    by_pair = {i: run(back_translate(pivots[i], **FAST), texts, seeds) for i in (0, 1)}
    assert run(tf, texts, seeds) == [by_pair[c][k] for k, c in enumerate(chosen)]


def test_odd_texts_do_not_crash(pair) -> None:
    tf = back_translate(pair, **FAST)
    outputs = run(tf, ["", "   ", "😀🎉", "good", "x " * 300], range(5))
    assert outputs[:2] == [None, None]
    assert all(out is None or isinstance(out, str) for out in outputs)


def test_gumbel_noise_samples_the_softmax_within_the_nucleus() -> None:
    torch = pytest.importorskip("torch")
    probs = torch.tensor([0.6, 0.3, 0.1])
    scores = probs.log().repeat(4000, 1)
    picks = GumbelNoise(list(range(4000)), 1.0, 1.0)(None, scores).argmax(-1)
    assert torch.allclose(torch.bincount(picks, minlength=3) / 4000, probs, atol=0.03)
    nucleus = GumbelNoise(list(range(4000)), 1.0, 0.7)(None, scores).argmax(-1)
    assert set(nucleus.tolist()) == {0, 1}  # 0.6 < 0.7: the second token is in, the third out
    again = GumbelNoise(list(range(4000)), 1.0, 1.0)(None, scores).argmax(-1)
    assert torch.equal(picks, again)


def test_an_identical_round_trip_is_not_applicable() -> None:
    assert pick_variant(["same", "same"], "same", Rng(0)) is None
    assert pick_variant(["", "other"], "same", Rng(0)) == "other"


def test_missing_or_empty_model_folder_names_the_model(pair, tmp_path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(ResourceNotFoundError, match="missing"):
        back_translate((pair[0], missing))
    empty = tmp_path / "empty"
    empty.mkdir()
    tf = back_translate((str(empty), pair[1]), **FAST)
    with pytest.raises(ResourceNotFoundError, match="empty"):
        tf(Record({"text": "the movie"}), Rng(0))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"model": "en-de"}, "'model' parameter"),
    ({"model": ("a", "b"), "pivots": [("c", "d")]}, "not both"),
    ({"pivots": []}, "'pivots' parameter"),
    ({"num_beams": 0}, "'num_beams' parameter"),
    ({"top_p": 0}, "'top_p' parameter"),
    ({"temperature": -1.0}, "'temperature' parameter"),
    ({"max_new_tokens": 1.5}, "'max_new_tokens' parameter"),
])
def test_bad_parameters_fail_when_built(kwargs, match) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        back_translate(**kwargs)


def test_augment_adds_rows_with_provenance(pair) -> None:
    df = pd.DataFrame({"id": [1, 2], "text": TEXTS[:2], "label": ["pos", "pos"]})
    kept = df.copy()
    out = textaug.augment(df, [back_translate(pair, **FAST)],
                          policy=textaug.ApplyOnePolicy(n_per_original=2), seed=0)
    new = out[~out[IS_ORIGINAL]]
    assert list(out[out[IS_ORIGINAL]]["text"]) == TEXTS[:2]
    assert 1 <= len(new) <= 4 and set(new[SOURCE]) <= {0, 1}
    assert set(new[TFS]) == {"back_translate"} and (new["label"] == "pos").all()
    assert all(t not in TEXTS[:2] for t in new["text"])
    pd.testing.assert_frame_equal(df, kept)
