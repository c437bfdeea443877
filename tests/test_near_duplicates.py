"""Near-duplicate detection: exact checks, agreement with datasketch and with brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from datasketch import MinHash

from textaug.errors import InvalidParameterError
from textaug.near_duplicates import (
    jaccard,
    lsh_bands,
    near_duplicate_pairs,
    normalize,
    shingle_hashes,
    shingles,
    signatures,
)

WORDS = ["model", "data", "graph", "vision", "speech", "parking", "neural", "survey", "tensor",
         "robust", "sparse", "kernel", "forest", "boosting", "attention", "transformer",
         "summary", "caption", "detect", "segment"]


def texts_with_variants(n_base: int = 40, seed: int = 0) -> list[str]:
    """Distinct word salads, each followed by edits of itself at several strengths."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_base):
        words = list(rng.choice(WORDS, size=14))
        out.append(" ".join(words))
        for edits in (1, 2, 4, 7):
            changed = list(words)
            for pos in rng.choice(len(words), size=edits, replace=False):
                changed[pos] = str(rng.choice(WORDS))
            out.append(" ".join(changed))
    return out


def brute_force(left: list[str], right: list[str] | None, threshold: float) -> set[tuple]:
    pairs = (itertools.combinations(range(len(left)), 2) if right is None
             else itertools.product(range(len(left)), range(len(right))))
    other = left if right is None else right
    return {(i, j) for i, j in pairs if jaccard(left[i], other[j]) >= threshold}


def test_normalize_casefolds_and_collapses_whitespace():
    assert normalize("  Straße\t\nIS   big ") == "strasse is big"


def test_jaccard_is_exact_on_shingle_sets():
    assert jaccard("abcde", "abcdf", ngram=3) == pytest.approx(2 / 4)
    assert jaccard("Hello  World", "hello world") == 1.0
    assert jaccard("abc", "abd", ngram=5) == 0.0  # short texts: one shingle each, unequal


def test_short_and_empty_texts_are_one_shingle():
    assert shingles("Hi", ngram=5) == {"hi"}
    assert shingles("", ngram=5) == {""}
    assert near_duplicate_pairs(["", "  ", "Hi", "hi"]) == [(0, 1, 1.0), (2, 3, 1.0)]


@pytest.mark.parametrize("text", ["parking spots for cars", "ab", "naïve café ✓ 😀 text"])
def test_signatures_equal_datasketch_minhash(text):
    minhash = MinHash(num_perm=64, seed=7, hashfunc=int)
    minhash.update_batch(shingle_hashes(text))
    assert np.array_equal(signatures([text], num_perm=64, seed=7)[0], minhash.hashvalues)


def test_signature_of_a_text_does_not_depend_on_its_neighbours():
    texts = texts_with_variants(3)
    together = signatures(texts)
    assert all(np.array_equal(together[i], signatures([t])[0]) for i, t in enumerate(texts))


def test_lsh_bands_find_a_pair_at_the_threshold_almost_surely():
    for threshold in (0.3, 0.5, 0.8, 0.95):
        bands, rows = lsh_bands(threshold, 128)
        assert bands * rows <= 128 and bands >= 2
        assert 1 - (1 - threshold**rows) ** bands >= 0.98


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_within_one_list_agrees_with_brute_force(threshold):
    texts = texts_with_variants()
    found = near_duplicate_pairs(texts, threshold=threshold)
    truth = brute_force(texts, None, threshold)
    assert all(i < j and sim >= threshold for i, j, sim in found)
    assert all(sim == pytest.approx(jaccard(texts[i], texts[j])) for i, j, sim in found)
    got = {(i, j) for i, j, _ in found}
    assert got <= truth and len(got) >= 0.95 * len(truth) and len(truth) > 20


@pytest.mark.parametrize("swap", [False, True])
def test_across_two_lists_pairs_are_left_right(swap):
    texts = texts_with_variants(20)
    left, right = texts[::3], [t.upper() + " !" for t in texts[1::2]]
    if swap:  # the smaller side is indexed either way; positions stay (left, right)
        left, right = right, left
    found = near_duplicate_pairs(left, right, threshold=0.6)
    truth = brute_force(left, right, 0.6)
    assert {(i, j) for i, j, _ in found} <= truth and len(found) >= 0.95 * len(truth) > 5


def test_row_order_does_not_change_the_pairs():
    texts = texts_with_variants(20)
    order = np.random.default_rng(1).permutation(len(texts))
    shuffled = [texts[k] for k in order]
    found = {frozenset((texts[i], texts[j])) for i, j, _ in near_duplicate_pairs(texts)}
    again = {frozenset((shuffled[i], shuffled[j])) for i, j, _ in near_duplicate_pairs(shuffled)}
    assert found == again


def test_empty_inputs_give_no_pairs():
    assert near_duplicate_pairs([]) == []
    assert near_duplicate_pairs([], ["a text"]) == []


@pytest.mark.parametrize("bad", [None, math.nan, 3])
def test_non_string_texts_are_an_error_naming_the_position(bad):
    with pytest.raises(InvalidParameterError, match=r"right\[1\]"):
        near_duplicate_pairs(["a text"], ["other", bad])


@pytest.mark.parametrize("params", [{"threshold": 0}, {"threshold": 1.5}, {"ngram": 0},
                                    {"num_perm": 2}, {"seed": -1}])
def test_bad_parameters_are_rejected(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        near_duplicate_pairs(["a", "b"], **params)
