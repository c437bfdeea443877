"""apply_lfs: the same label matrix as snorkel's PandasLFApplier, faults, odd input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.labeling.applier import LFError, LFResult, apply_lfs
from textaug.labeling.lf import ABSTAIN, keyword_lfs, labeling_function, regex_lf
from textaug.lexicon import Lexicon

DATA = Path(__file__).resolve().parents[2] / "textaug" / "data" / "projects.csv"


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    return pd.read_csv(DATA).head(200)


@labeling_function()
def long_text(x):
    return 0 if len(x.text.split()) > 30 else ABSTAIN


@labeling_function(resources={"word": "pytorch"})
def tagged(x, word):
    return 1 if word in x.tags else ABSTAIN


@labeling_function()
def fails_on_short(x):
    if len(x.text) < 80:
        raise ValueError("too short")
    return 1


def regexes() -> list:
    return [
        regex_lf("deep", r"\bdeep\b", 1),
        regex_lf("learn_i", r"(?i)learn", 2),  # a global inline flag
        regex_lf("earn", "earn", 3),  # inside every "learn" match of the one before
        regex_lf("double_letter", r"(\w)\1", 1),  # a back-reference
        regex_lf("model", r"(?P<m>models?)", 0, flags=re.IGNORECASE),  # a named group
        regex_lf("vision_or_image", r"(vision|image)s?", 1, flags=re.IGNORECASE),
        regex_lf("dotall", r"a.b", 0, flags=re.DOTALL),
        regex_lf("verbose", r"gan \s s", 1, flags=re.VERBOSE),
    ]


def snorkel_matrix(df: pd.DataFrame, lfs: list, **kwargs) -> np.ndarray:
    from snorkel.labeling import PandasLFApplier

    return PandasLFApplier(lfs).apply(df, progress_bar=False, **kwargs)


def test_equal_to_snorkel_on_the_bundled_projects(projects):
    lfs = [*keyword_lfs(Lexicon.default()), *regexes(), long_text, tagged]
    result = apply_lfs(projects, lfs)
    assert isinstance(result, LFResult) and result.names == tuple(lf.name for lf in lfs)
    np.testing.assert_array_equal(result.L, snorkel_matrix(projects, lfs))
    assert result.L.dtype == np.int_ and (result.L >= 0).sum() > 300
    assert result.faults == dict.fromkeys(result.names, 0)


def test_overlapping_regexes_each_vote():
    lfs = [regex_lf("abc", "abc", 0), regex_lf("bcd", "bcd", 1), regex_lf("cd", "c(d)", 2),
           regex_lf("empty", "x*", 3), regex_lf("none", "zzz", 4)]
    df = pd.DataFrame({"text": ["abcd", "bcd", "", "zz"]})
    expected = [[0, 1, 2, 3, -1], [-1, 1, 2, 3, -1], [-1, -1, -1, 3, -1], [-1, -1, -1, 3, -1]]
    assert apply_lfs(df, lfs).L.tolist() == expected
    np.testing.assert_array_equal(snorkel_matrix(df, lfs), expected)


def test_keyword_lfs_vote_in_one_pass_with_conflicts_kept():
    lex = Lexicon({"gan": ["generative adversarial network"], "nlp": ["nlproc"]})
    lfs = keyword_lfs(lex, labels=["gan", "nlp"])
    df = pd.DataFrame({"text": ["GANs for NLP", "gandalf", "", "nlproc"]})
    assert apply_lfs(df, lfs).L.tolist() == [[0, 1], [-1, -1], [-1, -1], [-1, 1]]


def test_snorkel_lfs_run_under_textaug(projects):
    from snorkel.labeling import labeling_function as snorkel_lf
    from snorkel.preprocess import preprocessor

    @preprocessor()
    def lower(x):
        x.text = x.text.lower()
        return x

    @snorkel_lf(resources={"n": 20})
    def few_words(x, n):
        return 1 if len(x.text.split()) < n else -1

    @snorkel_lf(pre=[lower])
    def says_pytorch(x):
        return 0 if "pytorch" in x.text else -1

    lfs = [few_words, says_pytorch, *regexes()[:2]]
    result = apply_lfs(projects, lfs)
    np.testing.assert_array_equal(result.L, snorkel_matrix(projects, lfs))
    assert (result.L[:, 1] == 0).sum() > 5


def test_a_raising_lf_without_fault_tolerance_names_the_lf_and_row():
    df = pd.DataFrame({"text": ["x" * 100, "short"]}, index=["a", "b"])
    with pytest.raises(LFError, match=r"LF 'fails_on_short' failed on row 'b': ValueError: too sh"
                                      r"ort\. .*fault_tolerant=True") as info:
        apply_lfs(df, [fails_on_short])
    assert info.value.lf_name == "fails_on_short" and info.value.row_key == "b"


def test_fault_tolerant_counts_faults_as_snorkel_does(projects):
    lfs = [fails_on_short, long_text]
    result = apply_lfs(projects, lfs, fault_tolerant=True)
    L, meta = snorkel_matrix(projects, lfs, fault_tolerant=True, return_meta=True)
    np.testing.assert_array_equal(result.L, L)
    assert result.faults == {"fails_on_short": meta.faults["fails_on_short"], "long_text": 0}
    assert result.faults["fails_on_short"] > 0


def test_votes_that_are_not_ints_are_faults_and_negatives_abstain():
    weird = labeling_function(name="weird")(lambda x: "yes")
    minus = labeling_function(name="minus")(lambda x: -5)
    df = pd.DataFrame({"text": ["t"]})
    assert apply_lfs(df, [weird, minus], fault_tolerant=True).faults == {"weird": 1, "minus": 0}
    assert apply_lfs(df, [minus]).L.tolist() == [[-1]]
    with pytest.raises(LFError, match="return an int label"):
        apply_lfs(df, [weird])


def test_empty_and_missing_texts_abstain():
    df = pd.DataFrame({"text": ["", None, float("nan"), "GAN"]})
    lfs = [*keyword_lfs(Lexicon({"gan": ["gans"]})), regex_lf("any", ".", 1),
           regex_lf("start", "^$", 2)]
    expected = [[-1, -1, 2], [-1, -1, 2], [-1, -1, 2], [1, 1, -1]]
    assert apply_lfs(df, lfs).L.tolist() == expected
    np.testing.assert_array_equal(snorkel_matrix(df, lfs), expected)


def test_empty_frame_and_no_lfs():
    empty = apply_lfs(pd.DataFrame({"text": []}), [long_text])
    assert empty.L.shape == (0, 1)
    assert apply_lfs(pd.DataFrame({"text": ["a"]}), []).L.shape == (1, 0)


def test_bad_input_is_refused_with_the_fix():
    df = pd.DataFrame({"title": ["a"]})
    with pytest.raises(ColumnNotFoundError, match=r"Column 'text' not in .*\['title'\]"):
        apply_lfs(df, [regex_lf("a", "a", 1)])
    assert apply_lfs(df, [regex_lf("a", "a", 1)], text="title").L.tolist() == [[1]]
    with pytest.raises(InvalidParameterError, match=r"unique; repeated: \['long_text'\]"):
        apply_lfs(df, [long_text, long_text])
    with pytest.raises(InvalidParameterError, match="labeling_function"):
        apply_lfs(df, [lambda x: 1])
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter of apply_lfs"):
        apply_lfs(df, [long_text], n_jobs=0)


def test_input_is_not_modified(projects):
    before = projects.copy()
    apply_lfs(projects, [*regexes(), tagged, long_text])
    pd.testing.assert_frame_equal(projects, before)


def test_n_jobs_gives_the_same_matrix(projects):
    lfs = [*keyword_lfs(Lexicon.default()), *regexes(), long_text]
    one = apply_lfs(projects, lfs)
    two = apply_lfs(projects, lfs, n_jobs=2)
    np.testing.assert_array_equal(one.L, two.L)
    local = labeling_function(name="local")(lambda x: 1)
    with pytest.raises(InvalidParameterError, match="do not pickle"):
        apply_lfs(projects, [local], n_jobs=2)


def test_sparse_holds_votes_plus_one(projects):
    pytest.importorskip("scipy")
    result = apply_lfs(projects, [*regexes(), long_text])
    matrix = result.sparse()
    assert matrix.nnz == (result.L >= 0).sum()
    np.testing.assert_array_equal(matrix.toarray() - 1, result.L)


def test_model_backed_lfs_vote_on_all_rows_in_one_call_and_faults_stay_per_row():
    import numpy as np

    from textaug.labeling.model_lfs import classifier_lf

    calls = []

    def spam_prob(texts):
        calls.append(len(texts))
        if any("boom" in t for t in texts):
            raise ValueError("cannot score")
        p = np.array([0.9 if "win" in t else 0.1 for t in texts])
        return np.stack([1 - p, p], axis=1)

    lf = classifier_lf(spam_prob, ["ham", "spam"], name="spam")
    df = pd.DataFrame({"text": ["win now", "lunch?", ""] * 10})
    assert apply_lfs(df, [lf]).L[:3, 0].tolist() == [1, 0, -1]
    assert calls == [20]  # one call for every non-blank row
    bad = pd.DataFrame({"text": ["win now", "boom", "lunch?"]}, index=[7, 8, 9])
    result = apply_lfs(bad, [lf], fault_tolerant=True)
    assert result.L[:, 0].tolist() == [1, -1, 0] and result.faults == {"spam": 1}
    with pytest.raises(LFError, match="LF 'spam' failed on row 8"):
        apply_lfs(bad, [lf])
