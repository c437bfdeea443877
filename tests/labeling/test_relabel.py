"""Labeler and augment(..., relabel=labeler): augmented rows labelled by the LFs and label
model from their new text, with the source's label recorded beside it."""

from __future__ import annotations

import pickle
import random
import re

import numpy as np
import pandas as pd
import pytest

from textaug import Lexicon, augment, transformation_function
from textaug.apply import Augmenter
from textaug.errors import InvalidParameterError
from textaug.labeling import Labeler, keyword_lfs, regex_lf
from textaug.policy import ApplyAllPolicy, RandomPolicy
from textaug.tfs import random_deletion, random_swap
from textaug.validators import lf_agreement

SENTIMENT = [regex_lf("good", r"(?i)\bgood\b", 1, tag="pos"),
             regex_lf("great", r"(?i)\bgreat\b", 1, tag="pos"),
             regex_lf("bad", r"(?i)\bbad\b", 0, tag="neg")]


@transformation_function()
def good_to_bad(x, rng):
    return x.replace(text=re.sub(r"\bgood\b", "bad", x.text)) if "good" in x.text else None


@transformation_function()
def drop_adjectives(x, rng):
    text = re.sub(r"\b(good|great|bad) ", "", x.text)
    return x.replace(text=text) if text != x.text else None


@transformation_function()
def add_exclamation(x, rng):
    return x.replace(text=x.text + "!")


def _reviews() -> pd.DataFrame:
    return pd.DataFrame({"id": [10, 11, 12, 13],
                         "text": ["a good film", "a great and good cast", "a bad plot", "a film"],
                         "label": ["pos", "pos", "neg", "neg"]})


def test_labeler_names_classes_from_lf_tags_and_labels_new_rows() -> None:
    labeler = Labeler(SENTIMENT, model="majority", seed=0).fit(_reviews())
    assert labeler.fitted and labeler.classes_ == ["neg", "pos"] and not labeler.multi_label
    answer = labeler.label(pd.DataFrame({"text": ["bad", "good, great", "good but bad", "x"]}))
    assert answer.labels == ["neg", "pos", None, None]
    assert answer.tied.tolist() == [False, False, True, False]
    assert answer.voted.tolist() == [True, True, True, False]
    assert answer.voters[1] == ["good", "great"]


def test_labeler_classes_given_and_int_classes_without_names() -> None:
    plain = [regex_lf("good", r"good", 1), regex_lf("bad", r"bad", 0)]
    frame = pd.DataFrame({"text": ["good", "bad"]})
    assert Labeler(plain, "majority", seed=0).fit(frame).label(frame).labels == [1, 0]
    named = Labeler(plain, "majority", seed=0, classes=["no", "yes"]).fit(frame)
    assert named.label(frame).labels == ["yes", "no"]


def test_labeler_refuses_use_before_fit_and_bad_parameters() -> None:
    with pytest.raises(InvalidParameterError, match=r"not fitted yet: call labeler.fit"):
        Labeler(SENTIMENT, "majority").label(_reviews())
    with pytest.raises(InvalidParameterError, match="on_abstain"):
        Labeler(SENTIMENT, on_abstain="skip")
    with pytest.raises(InvalidParameterError, match="classes"):
        Labeler(SENTIMENT, classes=["only"])
    with pytest.raises(InvalidParameterError, match="model"):
        Labeler(SENTIMENT, model="snorkel")


def test_relabel_gives_the_new_texts_label_and_records_the_source_label() -> None:
    df = _reviews()
    before = df.copy()
    out, report = augment(df, [good_to_bad], ApplyAllPolicy(keep_original=True), seed=1,
                          label="label", key="id", relabel=Labeler(SENTIMENT, "majority"),
                          return_report=True)
    pd.testing.assert_frame_equal(df, before)
    made = out[~out["textaug_is_original"]]
    assert made["text"].tolist() == ["a bad film", "a great and bad cast"]
    # "a bad film": only 'bad' votes -> neg; "great and bad": a tie -> no evidence, kept pos
    assert made["label"].tolist() == ["neg", "pos"]
    assert made["textaug_source_label"].tolist() == ["pos", "pos"]
    assert made["textaug_label_confidence"].iloc[0] == 1.0
    assert np.isnan(made["textaug_label_confidence"].iloc[1])
    originals = out[out["textaug_is_original"]]
    assert originals["label"].tolist() == df["label"].tolist()
    assert originals["textaug_source_label"].tolist() == df["label"].tolist()
    assert originals["textaug_label_confidence"].isna().all()
    assert report.relabel == {"changed": 1, "abstained": 1}
    assert "relabelled by the labeler: changed 1, abstained 1" in str(report)


def test_relabel_same_label_is_counted_and_keeps_the_cell() -> None:
    out, report = augment(_reviews(), [add_exclamation], seed=0, label="label", key="id",
                          relabel=Labeler(SENTIMENT, "majority"), return_report=True)
    made = out[~out["textaug_is_original"]]
    assert made["label"].tolist() == ["pos", "pos", "neg", "neg"]
    assert report.relabel == {"same": 3, "abstained": 1}  # "a film!": no LF votes


def test_on_abstain_drop_removes_candidates_without_evidence() -> None:
    labeler = Labeler(SENTIMENT, "majority", on_abstain="drop")
    with pytest.warns(UserWarning, match="4 rows yielded no augmentation"):
        out, report = augment(_reviews(), [drop_adjectives], ApplyAllPolicy(keep_original=False),
                              seed=0, label="label", key="id", relabel=labeler,
                              return_report=True)
    assert out.empty
    assert report.relabel == {"dropped": 3}  # "a film" has no adjective: no candidate
    assert sorted(report.unaugmented) == [10, 11, 12, 13]


def test_relabel_then_lf_agreement_judges_the_new_label() -> None:
    """relabel runs before the validators, so they judge the label the row will carry."""
    check = lf_agreement(SENTIMENT)
    made = ApplyAllPolicy(keep_original=False)
    with pytest.warns(UserWarning, match="rows yielded no augmentation"):
        out = augment(_reviews(), [good_to_bad], made, seed=0, label="label", key="id",
                      relabel=Labeler(SENTIMENT, "majority"), validators=[check])
    assert out["text"].tolist() == ["a bad film", "a great and bad cast"]
    assert out["label"].tolist() == ["neg", "pos"]
    # without relabel, the same validator rejects "a bad film" labelled pos
    with pytest.warns(UserWarning, match="rows yielded no augmentation"):
        plain = augment(_reviews(), [good_to_bad], made, seed=0, label="label", key="id",
                        validators=[check])
    assert plain["text"].tolist() == ["a great and bad cast"]


LEXICON = Lexicon({"generative-adversarial-networks": ["generative adversarial network", "gan"],
                   "natural-language-processing": ["natural language processing", "nlp"]})


@transformation_function()
def gan_to_nlp(x, rng):
    text = re.sub(r"\bGANs?\b", "NLP", x.text)
    return x.replace(text=text) if text != x.text else None


def test_multi_label_relabel_moves_tags_with_the_evidence() -> None:
    df = pd.DataFrame({"text": ["GANs for art", "GAN and NLP", "a poem about GAN"],
                       "tags": [["generative-adversarial-networks", "art"],
                                ["natural-language-processing"],
                                ["poetry"]]})
    labeler = Labeler(keyword_lfs(LEXICON), "majority")
    out = augment(df, [gan_to_nlp], ApplyAllPolicy(keep_original=False), seed=0, label="tags",
                  relabel=labeler)
    assert out["text"].tolist() == ["NLP for art", "NLP and NLP", "a poem about NLP"]
    assert out["tags"].tolist() == [
        ["art", "natural-language-processing"],  # gan evidence gone, nlp found; art untouched
        ["natural-language-processing"],  # the annotator's list had no gan tag: nothing to take
        ["poetry", "natural-language-processing"],
    ]
    assert out["textaug_source_label"].tolist() == df["tags"].tolist()


def test_multi_label_tags_without_evidence_in_either_text_stay() -> None:
    df = pd.DataFrame({"text": ["a survey"], "tags": [["natural-language-processing"]]})
    out, report = augment(df, [add_exclamation], ApplyAllPolicy(keep_original=False), seed=0,
                          label="tags", relabel=Labeler(keyword_lfs(LEXICON), "majority"),
                          return_report=True)
    assert out["tags"].tolist() == [["natural-language-processing"]]
    assert report.relabel == {"abstained": 1}


def test_unfitted_labeler_is_fitted_on_a_copy_seeded_by_the_run() -> None:
    labeler = Labeler(SENTIMENT, "dawid_skene")
    runner = Augmenter([good_to_bad], seed=5, label="label", key="id", relabel=labeler)
    first = runner.augment(_reviews())
    assert not labeler.fitted  # the user's labeler is left as it was
    second = augment(_reviews(), [good_to_bad], seed=5, label="label", key="id",
                     relabel=Labeler(SENTIMENT, "dawid_skene"))
    pd.testing.assert_frame_equal(first, second)


def test_same_output_for_any_chunking_and_workers() -> None:
    mixed = pd.DataFrame({"id": [0], "text": ["good actors in a bad plot"], "label": ["pos"]})
    df = pd.concat([_reviews(), mixed] * 30, ignore_index=True)  # deleting a word moves mixed
    df["id"] = range(len(df))
    labeler = Labeler(SENTIMENT, "majority", seed=0).fit(df)
    # built-in TFs: worker processes import them by name (this module may not be importable
    # there: a benchmark test puts benchmarks/, with its labeling.py, on sys.path)
    tfs, policy = [random_deletion(0.3), random_swap(0.3)], RandomPolicy(2, n_per_original=2)
    whole = augment(df, tfs, policy, seed=3, label="label", key="id", relabel=labeler)
    assert (whole["label"] != whole["textaug_source_label"]).any()
    runner = Augmenter(tfs, policy, seed=3, label="label", key="id", relabel=labeler)
    streamed = pd.concat(list(runner.stream(df, chunk_size=7)), ignore_index=True)
    pd.testing.assert_frame_equal(whole, streamed)
    two = augment(df, tfs, policy, seed=3, label="label", key="id", relabel=labeler, n_jobs=2)
    pd.testing.assert_frame_equal(whole, two)


def test_streaming_needs_a_fitted_labeler() -> None:
    runner = Augmenter([good_to_bad], label="label", key="id",
                       relabel=Labeler(SENTIMENT, "majority"))
    with pytest.raises(InvalidParameterError, match=r"fitted Labeler when streaming"):
        list(runner.stream(_reviews()))


def test_bad_relabel_arguments_are_refused_in_one_line() -> None:
    with pytest.raises(InvalidParameterError, match="pass label="):
        augment(_reviews(), [good_to_bad], relabel=Labeler(SENTIMENT, "majority"))
    with pytest.raises(InvalidParameterError, match="takes a textaug.labeling.Labeler"):
        augment(_reviews(), [good_to_bad], label="label", relabel=SENTIMENT)
    with pytest.raises(InvalidParameterError, match=r"reads text column 'body'"):
        augment(_reviews(), [good_to_bad], label="label",
                relabel=Labeler(SENTIMENT, "majority", text="body"))
    numbers = _reviews().assign(label=[1, 1, 0, 0])
    with pytest.raises(InvalidParameterError, match=r"labels \[1, 0\] the labeler does not give"):
        augment(numbers, [good_to_bad], label="label", relabel=Labeler(SENTIMENT, "majority"))


def test_int_labels_with_named_classes_match() -> None:
    numbers = _reviews().assign(label=np.array([1, 1, 0, 0], dtype=np.int64))
    with pytest.warns(UserWarning, match="rows yielded no augmentation"):
        out = augment(numbers, [good_to_bad], ApplyAllPolicy(keep_original=False), seed=0,
                      label="label", key="id",
                      relabel=Labeler(SENTIMENT, "majority", classes=[0, 1]))
    assert out["label"].tolist() == [0, 1] and out["label"].dtype == np.int64


def test_labeler_pickles_and_leaves_global_rng_alone() -> None:
    state, np_state = random.getstate(), np.random.get_state()
    labeler = Labeler(SENTIMENT, "dawid_skene", seed=0).fit(_reviews())
    again = pickle.loads(pickle.dumps(labeler))
    frame = pd.DataFrame({"text": ["good", "bad"]})
    assert again.label(frame).labels == labeler.label(frame).labels
    assert random.getstate() == state
    assert all(np.array_equal(a, b) for a, b in zip(np.random.get_state(), np_state,
                                                     strict=True) if isinstance(a, np.ndarray))


def test_trusted_source_labels_are_not_overruled_where_the_evidence_did_not_change() -> None:
    df = pd.DataFrame({"text": ["a good film"], "label": ["neg"]})  # the annotator says neg
    policy = ApplyAllPolicy(keep_original=False)
    trusted = augment(df, [add_exclamation], policy, seed=0, label="label",
                      relabel=Labeler(SENTIMENT, "majority"))
    assert trusted["label"].tolist() == ["neg"]
    assert np.isnan(trusted["textaug_label_confidence"].iloc[0])
    weak = augment(df, [add_exclamation], policy, seed=0, label="label",
                   relabel=Labeler(SENTIMENT, "majority", source_labels="weak"))
    assert weak["label"].tolist() == ["pos"]
    assert weak["textaug_label_confidence"].iloc[0] == 1.0


def test_trusted_tags_are_not_added_for_evidence_the_source_already_had() -> None:
    df = pd.DataFrame({"text": ["GAN and NLP"], "tags": [["generative-adversarial-networks"]]})
    policy = ApplyAllPolicy(keep_original=False)
    lfs = keyword_lfs(LEXICON)
    trusted = augment(df, [add_exclamation], policy, seed=0, label="tags",
                      relabel=Labeler(lfs, "majority"))
    assert trusted["tags"].tolist() == [["generative-adversarial-networks"]]
    weak = augment(df, [add_exclamation], policy, seed=0, label="tags",
                   relabel=Labeler(lfs, "majority", source_labels="weak"))
    assert weak["tags"].tolist() == [["generative-adversarial-networks",
                                      "natural-language-processing"]]
    with pytest.raises(InvalidParameterError, match="source_labels"):
        Labeler(lfs, source_labels="gold")
