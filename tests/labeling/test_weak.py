"""weak_label: LF votes -> a labelled DataFrame with every row kept or listed."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textaug import Lexicon, augment, split
from textaug.errors import InvalidParameterError
from textaug.labeling.lf import ABSTAIN, keyword_lfs, labeling_function, regex_lf
from textaug.labeling.models import MajorityVote
from textaug.labeling.weak import WeakLabelReport, weak_label
from textaug.tfs import swap_aliases

PROJECTS = Path(__file__).resolve().parents[2] / "textaug" / "data" / "projects.csv"
LFS = [regex_lf("gpu", r"(?i)\bgpu\b", 1), regex_lf("cuda", r"(?i)\bcuda\b", 1),
       regex_lf("cpu", r"(?i)\bcpu\b", 0)]


def _df() -> pd.DataFrame:
    return pd.DataFrame({"text": ["GPU and CUDA", "GPU or CPU", "a CPU box", "a poem",
                                  "CUDA on a CPU host with a GPU"], "n": [1, 2, 3, 4, 5]},
                        index=["a", "b", "c", "d", "e"])


def test_majority_labels_confidence_and_voters() -> None:
    out, report = weak_label(_df(), LFS, model="majority", return_report=True)
    assert out["label"].tolist() == [1, None, 0, None, 1]
    np.testing.assert_allclose(out["label_confidence"], [1.0, np.nan, 1.0, np.nan, 2 / 3])
    assert out["label_lfs"].tolist() == [["gpu", "cuda"], [], ["cpu"], [], ["gpu", "cuda"]]
    assert isinstance(report, WeakLabelReport)
    assert (report.rows_in, report.labelled) == (5, 3)
    assert report.abstained == ("d",) and report.tied == ("b",)
    assert report.coverage == {"gpu": 0.6, "cuda": 0.4, "cpu": 0.6}


def test_input_not_modified_and_columns_kept() -> None:
    df = _df()
    before = df.copy()
    out = weak_label(df, LFS, model="majority")
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(out[list(df.columns)], before)
    assert list(out.columns) == ["text", "n", "label", "label_confidence", "label_lfs"]


def test_drop_abstained_lists_every_dropped_row() -> None:
    out, report = weak_label(_df(), LFS, model="majority", drop_abstained=True,
                             return_report=True)
    assert out.index.tolist() == ["a", "c", "e"]
    assert set(out.index) | set(report.unlabelled) == set(_df().index)
    assert report.dropped and report.labelled == len(out)


def test_min_confidence_treats_weak_labels_as_abstains() -> None:
    out, report = weak_label(_df(), LFS, model="majority", min_confidence=0.8,
                             return_report=True)
    assert out.loc["e", "label"] is None and np.isnan(out.loc["e", "label_confidence"])
    assert out.loc["e", "label_lfs"] == []
    assert report.low_confidence == ("e",) and report.labelled == 2
    kept = weak_label(_df(), LFS, model="majority", min_confidence=0.8, drop_abstained=True)
    assert kept.index.tolist() == ["a", "c"]


def test_multi_label_from_keyword_lfs() -> None:
    lex = Lexicon({"gan": ["generative adversarial network"], "cnn": ["convnet"],
                   "nlp": ["nlproc"]})
    df = pd.DataFrame({"text": ["A GAN made of convnets", "nlproc tricks", "a poem"]})
    out, report = weak_label(df, keyword_lfs(lex), model="dawid_skene", seed=0,
                             return_report=True)
    assert report.multi_label
    assert out["label"].tolist() == [["gan", "cnn"], ["nlp"], None]
    assert out["label_lfs"].tolist()[:2] == [["keyword_gan", "keyword_cnn"], ["keyword_nlp"]]
    assert report.abstained == (2,)
    assert 0.5 < out["label_confidence"][0] <= 1


def test_multi_label_min_confidence_drops_weak_tags() -> None:
    lfs = keyword_lfs(Lexicon({"gan": ["generative adversarial network"], "cnn": ["convnet"]}))
    L_model = MajorityVote(2)
    df = pd.DataFrame({"text": ["GAN", "convnet"]})
    out = weak_label(df, lfs, model=L_model, min_confidence=0.5, multi_label=True)
    assert out["label"].tolist() == [["gan"], ["cnn"]]


def test_multi_label_needs_tags() -> None:
    with pytest.raises(InvalidParameterError, match=r"have no \.tag"):
        weak_label(_df(), LFS, model="majority", multi_label=True)


def _lm_df() -> pd.DataFrame:
    texts = ["GPU and CUDA", "a CPU box", "GPU with CPU", "CUDA only", "CPU CUDA GPU"] * 6
    return pd.DataFrame({"text": texts})


@pytest.mark.parametrize("model", ["dawid_skene", "label_model"])
def test_seed_determinism_and_global_rng_untouched(model: str) -> None:
    random.seed(5)
    np.random.seed(5)
    state_py, state_np = random.getstate(), np.random.get_state()
    first = weak_label(_lm_df(), LFS, model=model, seed=3)
    assert random.getstate() == state_py
    assert np.array_equal(np.random.get_state()[1], state_np[1])
    again = weak_label(_lm_df(), LFS, model=model, seed=3)
    pd.testing.assert_frame_equal(first, again)
    _, report = weak_label(_lm_df(), LFS, model=model, return_report=True)
    assert isinstance(report.seed, int)


def test_model_object_is_used() -> None:
    out = weak_label(_df(), LFS, model=MajorityVote(cardinality=3))
    assert out["label"].tolist() == [1, None, 0, None, 1]


def test_fault_tolerant_lf_abstains_and_is_counted() -> None:
    @labeling_function()
    def fragile(x):  # type: ignore[no-untyped-def]
        if "poem" in x.text:
            raise ValueError("no poems")
        return ABSTAIN

    with pytest.raises(Exception, match="fragile"):
        weak_label(_df(), [*LFS, fragile], model="majority")
    out, report = weak_label(_df(), [*LFS, fragile], model="majority", fault_tolerant=True,
                             return_report=True)
    assert report.faults["fragile"] == 1 and out.loc["d", "label"] is None


@pytest.mark.parametrize("column", ["label", "label_confidence", "label_lfs"])
def test_existing_label_column_is_refused(column: str) -> None:
    df = _df().assign(**{column: 0})
    with pytest.raises(InvalidParameterError, match="already has column"):
        weak_label(df, LFS, model="majority")
    assert "weak_label" in weak_label(df, LFS, model="majority", label="weak_label").columns


def test_bad_parameters() -> None:
    with pytest.raises(InvalidParameterError, match="model"):
        weak_label(_df(), LFS, model="vote")
    with pytest.raises(InvalidParameterError, match="fit"):
        weak_label(_df(), LFS, model=object())
    with pytest.raises(InvalidParameterError, match="min_confidence"):
        weak_label(_df(), LFS, model="majority", min_confidence=2)
    with pytest.raises(InvalidParameterError, match="seed"):
        weak_label(_df(), LFS, model="majority", seed="0")
    with pytest.raises(InvalidParameterError, match="at least 3 LFs"):
        weak_label(_df(), LFS[:2], model="label_model")


def test_empty_frame() -> None:
    out, report = weak_label(_df().iloc[:0], LFS, model="majority", return_report=True)
    assert len(out) == 0 and report.rows_in == 0 and "label" in out.columns


def test_weak_labels_feed_split_and_augment() -> None:
    df = pd.read_csv(PROJECTS).drop(columns="tags")
    lexicon = Lexicon.default()
    labelled, report = weak_label(df, keyword_lfs(lexicon), model="majority", seed=0,
                                  drop_abstained=True, return_report=True)
    assert len(labelled) + len(report.unlabelled) == len(df) and len(labelled) > 100
    train, test = split(labelled, test_size=0.2, seed=0)
    out = augment(train, [swap_aliases(lexicon, label_aware=True)], seed=0, label="label")
    new = out[~out["textaug_is_original"]]
    assert len(new) > 0 and new["label"].map(bool).all()
    allowed = {tag for tags in train["label"] for tag in lexicon.allowed_tags(tuple(tags))}
    swapped = [m.tag for t in new["text"] for m in lexicon.find(t)]
    assert set(swapped) & allowed


def test_single_label_classes_are_named_by_the_lfs_tags_or_classes() -> None:
    lex = Lexicon({"gan": ["generative adversarial network"], "nlp": ["nlproc"]})
    df = pd.DataFrame({"text": ["GANs", "NLP", "GANs for NLP", "a poem"]})
    out = weak_label(df, keyword_lfs(lex, labels=["gan", "nlp"]), model="majority", seed=0)
    assert out["label"].tolist() == ["gan", "nlp", None, None]  # a tie is no label
    plain = weak_label(df, LFS[:2] + [regex_lf("nlp", r"NLP", 0)], model="majority", seed=0,
                       classes=["text", "vision"])
    assert plain["label"].tolist() == [None, "text", "text", None]
