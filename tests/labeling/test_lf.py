"""LFs: the decorator, keyword and regex LFs, and textaug LFs under snorkel's applier."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from textaug.errors import InvalidParameterError
from textaug.labeling.lf import (
    ABSTAIN,
    KeywordLF,
    LabelingFunction,
    RegexLF,
    keyword_lfs,
    labeling_function,
    regex_lf,
)
from textaug.lexicon import Lexicon
from textaug.records import Record

LEX = Lexicon({"generative-adversarial-networks": ["gan"],
               "natural-language-processing": ["nlp", "nlproc"],
               "computer-vision": ["cv", "vision"]})


@labeling_function(resources={"word": "gpu"})
def mentions(x, word):
    return 1 if word in x.text.lower() else ABSTAIN


def test_decorated_lf_takes_every_row_kind():
    rows = [Record({"text": "a GPU"}), {"text": "a GPU"}, pd.Series({"text": "a GPU"}),
            SimpleNamespace(text="a GPU")]
    assert [mentions(row) for row in rows] == [1, 1, 1, 1]
    assert mentions({"text": "a CPU"}) == ABSTAIN
    assert mentions.name == "mentions" and isinstance(mentions, LabelingFunction)


def test_lf_sees_a_read_only_record():
    @labeling_function()
    def sneaky(x):
        x.text = "changed"
        return 0

    with pytest.raises(AttributeError, match="read-only"):
        sneaky({"text": "t"})


def test_signature_checked_at_definition():
    with pytest.raises(InvalidParameterError, match=r"parameters \['word'\] with no default"):
        labeling_function()(lambda x, word: 0)
    with pytest.raises(InvalidParameterError, match="does not take"):
        labeling_function(resources={"other": 1})(lambda x: 0)
    with pytest.raises(InvalidParameterError, match="parentheses"):
        labeling_function(lambda x: 0)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="first positional parameter"):
        LabelingFunction("kw", lambda *, x: 0)


def test_pre_runs_before_the_lf_and_must_return_a_record():
    lower = LabelingFunction("has_gpu", lambda x: 1 if "gpu" in x.text else ABSTAIN,
                             pre=[lambda x: x.replace(text=x.text.lower())])
    assert lower({"text": "GPU"}) == 1
    broken = LabelingFunction("broken", lambda x: 1, pre=[lambda x: x.text])
    with pytest.raises(TypeError, match="return x.replace"):
        broken({"text": "GPU"})


def test_with_text_reads_another_column():
    lf = mentions.with_text("title")
    assert lf({"title": "GPU", "text": "none"}) == 1
    assert mentions({"title": "GPU", "text": "none"}) == ABSTAIN


def test_keyword_lfs_match_whole_words_in_either_number():
    gan = {lf.tag: lf for lf in keyword_lfs(LEX)}["generative-adversarial-networks"]
    assert isinstance(gan, KeywordLF) and gan.name == "keyword_generative-adversarial-networks"
    assert gan({"text": "Training GANs on art"}) == 1
    assert gan({"text": "generative adversarial networks"}) == 1
    assert gan({"text": "gandalf the grey"}) == ABSTAIN
    assert gan({"text": ""}) == ABSTAIN
    assert gan({"text": float("nan")}) == ABSTAIN


def test_tags_without_aliases_match_their_own_name():
    lex = Lexicon({"pytorch": ["torch"]}, parents={"deep-learning": [], "computer-vision": [],
                                                   "torch": [], "pytorch": []})
    lfs = {lf.tag: lf for lf in keyword_lfs(lex)}
    assert list(lfs) == ["deep-learning", "computer-vision", "pytorch"]  # "torch" is an alias
    assert len({id(lf.lexicon) for lf in lfs.values()}) == 1
    text = {"text": "Deep-learning for computer visions in Torch"}
    assert [lf(text) for lf in lfs.values()] == [1, 1, 1]
    assert lfs["deep-learning"]({"text": "deeply learning"}) == ABSTAIN
    assert len(lex) == 1  # the caller's lexicon is unchanged


def test_keyword_lfs_votes():
    assert {lf.tag: lf.vote for lf in keyword_lfs(LEX)} == dict.fromkeys(LEX.groups, 1)
    lfs = keyword_lfs(LEX, labels=["computer-vision", "Natural Language Processing"])
    assert [(lf.tag, lf.vote) for lf in lfs] == [("computer-vision", 0),
                                                ("natural-language-processing", 1)]
    assert lfs[1]({"text": "NLP and vision"}) == 1 and lfs[0]({"text": "NLP and vision"}) == 0
    mapped = keyword_lfs(LEX, labels={"computer-vision": 3})
    assert [(lf.tag, lf.vote) for lf in mapped] == [("computer-vision", 3)]


def test_keyword_lfs_refuse_bad_input():
    with pytest.raises(InvalidParameterError, match=r"tags \['robotics'\] have no phrases"):
        keyword_lfs(LEX, labels=["robotics"])
    with pytest.raises(InvalidParameterError, match="list of tags"):
        keyword_lfs(LEX, labels="computer-vision")
    with pytest.raises(InvalidParameterError, match="ints >= 0"):
        keyword_lfs(LEX, labels={"computer-vision": -1})
    with pytest.raises(InvalidParameterError, match="Lexicon"):
        keyword_lfs({"cv": ["vision"]})  # type: ignore[arg-type]


def test_regex_lf():
    lf = regex_lf("bert", r"\bbert\b", 2, flags=re.IGNORECASE)
    assert isinstance(lf, RegexLF) and lf.vote == 2
    assert [lf({"text": t}) for t in ["BERT rocks", "roberta", ""]] == [2, -1, -1]
    assert regex_lf("compiled", re.compile("x+y"), 0)({"text": "xxy"}) == 0
    with pytest.raises(InvalidParameterError, match="does not compile"):
        regex_lf("bad", "(", 1)
    with pytest.raises(InvalidParameterError, match="must be a str"):
        regex_lf("bytes", b"x", 1)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="'label' parameter of regex_lf"):
        regex_lf("neg", "x", -1)


@pytest.mark.parametrize("pattern", [r"(a+)+", r"(a*)*b", r"(\w+\s?)+$", r"(?:\d+)*x",
                                     r"((ab)*)+", r"(x|a+)+", r"^(\w+\s?)*$",
                                     r"(?=(a+)+)b"])
def test_regex_lf_refuses_exponential_backtracking(pattern):
    with pytest.raises(InvalidParameterError, match="exponential time"):
        regex_lf("slow", pattern, 1)


@pytest.mark.parametrize("pattern", [r"\bbert\b", r"(\w+\s)+", r"(vision|image)s?", r"(?:ab)+",
                                     r"(a++)+", r"(?>a+)+", r"\d{3}-\d+", r"a+b+", r"(a+){2}",
                                     r"(?i)learn", r"(\w)\1", "x*", r"[a-z]+(?:-[a-z]+)*"])
def test_regex_lf_takes_patterns_that_cannot_blow_up(pattern):
    assert regex_lf("fine", pattern, 1).pattern.pattern == pattern


def test_textaug_lfs_run_under_snorkel():
    from snorkel.labeling import PandasLFApplier

    df = pd.DataFrame({"text": ["GANs and NLP", "a GPU", "", "gandalf"]})
    lfs = [*keyword_lfs(LEX), regex_lf("gpu", r"(?i)gpu", 1), mentions]
    L = PandasLFApplier(lfs).apply(df, progress_bar=False)
    expected = np.array([[1, 1, -1, -1, -1],
                         [-1, -1, -1, 1, 1],
                         [-1, -1, -1, -1, -1],
                         [-1, -1, -1, -1, -1]])
    np.testing.assert_array_equal(L, expected)
