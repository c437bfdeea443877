"""lf_agreement: reject candidates the labeling functions vote against."""

from __future__ import annotations

import pandas as pd
import pytest

from textaug import Lexicon, augment, transformation_function
from textaug.errors import InvalidParameterError
from textaug.labeling.lf import keyword_lfs, regex_lf
from textaug.labeling.models import MajorityVote
from textaug.records import Record
from textaug.validators.lf_agreement import lf_agreement

LFS = [regex_lf("good", r"(?i)\bgood\b", 1), regex_lf("great", r"(?i)\bgreat\b", 1),
       regex_lf("bad", r"(?i)\bbad\b", 0), regex_lf("awful", r"(?i)\bawful\b", 0)]
LEX = Lexicon({"gan": ["generative adversarial network"], "cnn": ["convnet"],
               "nlp": ["nlproc"]})


def _pair(before: str, after: str, label: object) -> tuple[Record, Record]:
    return (Record({"text": before, "y": label}, "text", "y"),
            Record({"text": after, "y": label}, "text", "y"))


def _verdicts(check, pairs):  # type: ignore[no-untyped-def]
    return [v.accepted for v in check.check_batch([o for o, _ in pairs], [c for _, c in pairs])]


def test_single_label_rule() -> None:
    check = lf_agreement(LFS)
    assert check.needs_label
    pairs = [_pair("good", "a bad day", 1),          # only votes against: rejected
             _pair("good", "a good day", 1),         # votes for: accepted
             _pair("good", "a fine day", 1),         # every LF abstains: accepted
             _pair("good", "good but bad", 1),       # 1 for, 1 against: a tie is accepted
             _pair("good", "good, bad, awful", 1),     # outvoted: rejected
             _pair("good", "good, great, bad", 1)]   # 2 for, 1 against: accepted
    assert _verdicts(check, pairs) == [False, True, True, True, False, True]
    strict = lf_agreement(LFS, min_agreement=1.0)
    assert _verdicts(strict, pairs) == [False, True, True, False, False, False]


def test_rejection_names_the_lfs_and_score() -> None:
    verdict = lf_agreement(LFS).check(*_pair("good", "good, bad, awful", 1))
    assert not verdict.accepted and "bad voted 0" in verdict.reason
    assert verdict.score == pytest.approx(1 / 3)


def test_with_a_label_model() -> None:
    check = lf_agreement(LFS, model=MajorityVote(2), min_agreement=0.6)
    pairs = [_pair("good", "good but bad", 1), _pair("good", "good and great, bad", 1)]
    assert _verdicts(check, pairs) == [False, True]


def test_string_labels_map_through_keyword_lf_votes() -> None:
    lfs = keyword_lfs(LEX, labels=["gan", "cnn"])
    check = lf_agreement(lfs)
    assert _verdicts(check, [_pair("GAN", "a convnet", "gan"), _pair("GAN", "a GAN", "gan")]) \
        == [False, True]
    with pytest.raises(InvalidParameterError, match="not one class"):
        check.check(*_pair("GAN", "a GAN", "poetry"))


def test_multi_label_rule() -> None:
    check = lf_agreement(keyword_lfs(LEX))
    pairs = [_pair("A GAN", "A convnet", ["gan"]),               # new off-label tag: rejected
             _pair("A GAN and a convnet", "A GAN and a convnet net", ["gan"]),  # was there
             _pair("A GAN", "A picture", ["gan"]),               # its tag's evidence gone
             _pair("A poem", "A picture", ["gan"]),              # no evidence before either
             _pair("A GAN for nlproc", "A GAN for NLP", ["gan", "nlp"]),  # one tag still votes
             _pair("A GAN", "generative adversarial networks", ["gan"])]
    assert _verdicts(check, pairs) == [False, True, False, True, True, True]
    reason = check.check(*pairs[0]).reason
    assert "['cnn']" in reason


def test_bad_parameters() -> None:
    with pytest.raises(InvalidParameterError, match="min_agreement"):
        lf_agreement(LFS, min_agreement=1.5)
    with pytest.raises(InvalidParameterError, match="predict_proba"):
        lf_agreement(LFS, model=object())
    with pytest.raises(InvalidParameterError, match="at least one LF"):
        lf_agreement([])


@transformation_function()
def to_bad(x, rng):  # type: ignore[no-untyped-def]
    return x.replace(text=x.text.replace("good", "bad"))


def test_augment_rejects_candidates_the_lfs_vote_against() -> None:
    df = pd.DataFrame({"text": ["a good film", "good acting, great plot", "a good day"],
                       "y": [1, 1, 1]})
    plain = augment(df, [to_bad], seed=0, label="y")
    out, report = augment(df, [to_bad], seed=0, label="y", validators=[lf_agreement(LFS)],
                          max_attempts=1, return_report=True)
    assert "lf_agreement: accepted 1, rejected 2" in str(report)
    new = out[~out["textaug_is_original"]]
    assert (~plain["textaug_is_original"]).sum() == 3
    assert new["text"].tolist() == ["bad acting, great plot"]


def test_augment_needs_a_label_column() -> None:
    df = pd.DataFrame({"text": ["a good film"]})
    with pytest.raises(Exception, match="label"):
        augment(df, [to_bad], seed=0, validators=[lf_agreement(LFS)])


@transformation_function()
def to_lite(x):
    """Turns 'TF' into 'TF Lite': the text gains the tensorflow-lite tag's phrase."""
    return x.replace(text=x.text.replace("TF ", "TF Lite ")) if "TF " in x.text else None


def test_augment_multi_label_rejects_a_candidate_that_gains_another_tag() -> None:
    lex = Lexicon({"tensorflow": ["tf"], "tensorflow-lite": ["tf lite", "tflite"]})
    df = pd.DataFrame({"text": ["TF models", "TF Lite models"],
                       "tags": [["tensorflow"], ["tensorflow-lite"]]})
    plain = augment(df, [to_lite], seed=0, label="tags")
    assert plain.loc[~plain["textaug_is_original"], "text"].tolist() == [
        "TF Lite models", "TF Lite Lite models"]
    out = augment(df, [to_lite], seed=0, label="tags", max_attempts=1,
                  validators=[lf_agreement(keyword_lfs(lex))])
    # row 0 gains tensorflow-lite and loses its own tag's only vote; row 1 keeps its own
    assert out.loc[~out["textaug_is_original"], "text"].tolist() == ["TF Lite Lite models"]
