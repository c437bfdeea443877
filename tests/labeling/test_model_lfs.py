"""classifier_lf, embedding_lf and llm_lf: batch votes, one-record votes, apply_lfs, snorkel."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from chat_server import Reply, Server, chat  # tests/ is on sys.path

from textaug.cache import DiskCache
from textaug.errors import InvalidParameterError
from textaug.labeling.applier import LFError, apply_lfs
from textaug.labeling.lf import ABSTAIN
from textaug.labeling.model_lfs import (
    LLM_SYSTEM,
    ModelLF,
    classifier_lf,
    embedding_lf,
    llm_lf,
    parse_label,
)
from textaug.llm import LLMError

KEY = "sk-test-SECRET-4242"
HAM = ["lunch at noon", "see you at the meeting", "notes from class today",
       "call me after work", "the report is attached", "dinner with family tonight"]
SPAM = ["win money now", "free prize click here", "win a free cruise now",
        "cheap pills click now", "claim your free money", "you win a prize today"]
TEXTS = ["win free money", "meeting notes attached", "click here", "hello there"]


def snorkel_matrix(df: pd.DataFrame, lfs: list) -> np.ndarray:
    from snorkel.labeling import PandasLFApplier

    return PandasLFApplier(lfs).apply(df, progress_bar=False)


# -- classifier_lf ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline():
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression())
    return pipe.fit(HAM + SPAM, ["ham"] * len(HAM) + ["spam"] * len(SPAM))


def test_classifier_votes_the_index_of_the_predicted_class(pipeline):
    labels = ["spam", "ham"]  # not the order of classes_
    lf = classifier_lf(pipeline, labels)
    expected = [labels.index(p) for p in pipeline.predict(TEXTS)]
    assert lf.votes(TEXTS).tolist() == expected
    assert [lf({"text": t}) for t in TEXTS] == expected
    assert set(expected) == {0, 1}


def test_classifier_min_confidence_abstains_below_it(pipeline):
    top = pipeline.predict_proba(TEXTS).max(axis=1)
    cut = float(np.median(top))
    votes = classifier_lf(pipeline, ["ham", "spam"], min_confidence=cut).votes(TEXTS)
    assert ((votes == ABSTAIN) == (top < cut)).all()
    assert 0 < (votes == ABSTAIN).sum() < len(TEXTS)


def test_classifier_class_missing_from_labels_abstains(pipeline):
    lf = classifier_lf(pipeline, ["spam"])
    assert lf.votes(TEXTS).tolist() == [0 if p == "spam" else ABSTAIN
                                        for p in pipeline.predict(TEXTS)]
    with pytest.raises(InvalidParameterError, match="none of the classifier's classes"):
        classifier_lf(pipeline, ["news", "sport"])


def test_classifier_under_apply_lfs_and_snorkel(pipeline):
    df = pd.DataFrame({"text": [*TEXTS, "", None]})
    lf = classifier_lf(pipeline, ["ham", "spam"], min_confidence=0.5, name="tfidf_lr")
    L = apply_lfs(df, [lf]).L
    assert L[:, 0].tolist() == [*lf.votes(TEXTS).tolist(), ABSTAIN, ABSTAIN]
    pytest.importorskip("snorkel")
    np.testing.assert_array_equal(snorkel_matrix(df, [lf]), L)


def test_classifier_callable_and_blank_texts_cost_no_call():
    calls = []

    def probs(texts):
        calls.append(list(texts))
        return np.array([[0.1, 0.7, 0.2] if "b" in t else [0.4, 0.3, 0.3] for t in texts])

    lf = classifier_lf(probs, ["a", "b", "c"], min_confidence=0.35)
    assert lf.votes(["b!", " ", "x", ""]).tolist() == [1, ABSTAIN, 0, ABSTAIN]
    assert calls == [["b!", "x"]]
    assert lf({"text": "  "}) == ABSTAIN and len(calls) == 1


def test_classifier_bad_input_fails_in_one_line(pipeline):
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(InvalidParameterError, match="fit it before"):
        classifier_lf(LogisticRegression(), ["a", "b"])
    with pytest.raises(InvalidParameterError, match="min_confidence"):
        classifier_lf(pipeline, ["ham", "spam"], min_confidence=1.5)
    with pytest.raises(InvalidParameterError, match="repeats a label"):
        classifier_lf(pipeline, ["ham", "ham"])
    with pytest.raises(InvalidParameterError, match="labels"):
        classifier_lf(pipeline, "ham")
    with pytest.raises(InvalidParameterError, match="predict_proba"):
        classifier_lf(42, ["a"])
    wrong = classifier_lf(lambda texts: np.ones((len(texts), 3)), ["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"expected \(1, 2\)"):
        wrong.votes(["x"])


# -- embedding_lf ----------------------------------------------------------------------------

class Letters:
    """A picklable toy encoder (vowel counts) that counts the texts it embeds."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[t.count(c) for c in "aeiou"] for t in texts], dtype=float)


def test_embedding_votes_within_threshold_of_the_closest_example():
    lf = embedding_lf(["aaa", "ooo"], label=2, threshold=0.95, model=Letters())
    # cosines with the closest seed: 1, 1, 0.894 (a a e), 0 (iii)
    assert lf.votes(["a", "o o", "a a e", "iii"]).tolist() == [2, 2, ABSTAIN, ABSTAIN]
    assert embedding_lf(["aaa"], 2, 0.89, model=Letters()).votes(["a a e"]).tolist() == [2]
    assert lf.name == "embedding_2" and lf({"text": "o"}) == 2


def test_embedding_examples_are_embedded_once_and_not_pickled():
    encoder = Letters()
    lf = embedding_lf(["aaa", "ooo"], label=1, threshold=0.9, model=encoder)
    lf.votes(["a"])
    lf.votes(["o", "e"])
    lf({"text": "u"})
    assert encoder.seen == ["aaa", "ooo", "a", "o", "e", "u"]
    clone = pickle.loads(pickle.dumps(lf))
    assert clone.voter._seed_vectors is None
    assert clone.votes(["a", "e"]).tolist() == lf.votes(["a", "e"]).tolist() == [1, ABSTAIN]


def test_embedding_lf_on_a_tiny_transformers_encoder(tiny_mlm: Path):
    from textaug.validators.semantic import TransformersEncoder

    seeds = ["generative adversarial networks create realistic faces"]
    texts = ["a survey of deep learning models", "adversarial networks create faces",
             "the movie was really good", seeds[0]]
    vectors = TransformersEncoder(str(tiny_mlm))(seeds + texts)
    cosines = vectors[1:] @ vectors[0]
    cut = float(np.median(cosines))
    lf = embedding_lf(seeds, label=0, threshold=cut, model=str(tiny_mlm))
    assert lf.votes(texts).tolist() == [0 if c >= cut - 1e-6 else ABSTAIN for c in cosines]
    assert lf.votes([seeds[0]]).tolist() == [0]
    assert 0 < (lf.votes(texts) == ABSTAIN).sum() < len(texts)


def test_embedding_under_apply_lfs_and_snorkel():
    df = pd.DataFrame({"text": ["a", "iii", "", None, "o"]})
    lf = embedding_lf(["aaa", "ooo"], label=1, threshold=0.9, model=Letters())
    L = apply_lfs(df, [lf]).L
    assert L[:, 0].tolist() == [1, ABSTAIN, ABSTAIN, ABSTAIN, 1]
    pytest.importorskip("snorkel")
    np.testing.assert_array_equal(snorkel_matrix(df, [lf]), L)


def test_embedding_bad_input_fails_when_built():
    with pytest.raises(InvalidParameterError, match="examples"):
        embedding_lf([], 1, 0.5, model=Letters())
    with pytest.raises(InvalidParameterError, match="examples"):
        embedding_lf(["ok", " "], 1, 0.5, model=Letters())
    with pytest.raises(InvalidParameterError, match="threshold"):
        embedding_lf(["ok"], 1, 1.5, model=Letters())
    with pytest.raises(InvalidParameterError, match="label"):
        embedding_lf(["ok"], -1, 0.5, model=Letters())
    with pytest.raises(InvalidParameterError, match="model"):
        embedding_lf(["ok"], 1, 0.5, model=42)


# -- llm_lf ----------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def answer_by_text(body: dict) -> Reply:
    """positive for 'good', negative for 'bad', chatter otherwise."""
    text = body["messages"][-1]["content"].rsplit("\n", 1)[-1]
    if "good" in text:
        return chat("Label: Positive.")
    if "bad" in text:
        return chat('{"label": "negative"}')
    return chat("I am not sure, it could be either.")


def sentiment(server: Server, prompt: str | None = None, **kwargs: Any) -> ModelLF:
    settings = {"model": "test-model", "base_url": server.url, "max_retries": 1,
                "timeout": 2.0, **kwargs}
    return llm_lf("sentiment", prompt, ["negative", "positive"], **settings)


def test_llm_votes_the_answered_label(server):
    server.script = answer_by_text
    lf = sentiment(server)
    assert lf.votes(["a good film", "a bad film", "a film", "a good film", ""]).tolist() == [
        1, 0, ABSTAIN, 1, ABSTAIN]
    assert len(server.requests) == 3  # one per distinct non-blank text
    headers, body = server.requests[0]
    assert body["model"] == "test-model" and body["temperature"] == 0.0
    assert body["messages"][0] == {"role": "system", "content": LLM_SYSTEM}
    assert "negative, positive" in body["messages"][1]["content"]
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert all(KEY not in str(b) for _, b in server.requests)


def test_llm_rerun_is_served_from_the_cache(server, tmp_path):
    server.script = answer_by_text
    df = pd.DataFrame({"text": ["good", "bad", "meh", "good"]})
    path = tmp_path / "llm.sqlite"
    first = apply_lfs(df, [sentiment(server, cache=path)]).L
    assert len(server.requests) == 3
    again = apply_lfs(df, [sentiment(server, cache=DiskCache(path))]).L
    assert len(server.requests) == 3  # no request on the rerun
    np.testing.assert_array_equal(first, again)
    assert first[:, 0].tolist() == [1, 0, ABSTAIN, 1]
    assert KEY.encode() not in path.read_bytes()
    other = sentiment(server, cache=path, prompt="Sentiment of: {text}")
    other.votes(["good"])
    assert len(server.requests) == 4  # another prompt is another cache entry


def test_llm_server_error_is_a_fault_or_an_error_and_is_not_cached(server, tmp_path):
    server.script = [Reply(500, "oops")]
    df = pd.DataFrame({"text": ["good", "bad"]})
    path = tmp_path / "llm.sqlite"
    result = apply_lfs(df, [sentiment(server, cache=path, max_retries=0)], fault_tolerant=True)
    assert result.L[:, 0].tolist() == [ABSTAIN, ABSTAIN]
    assert result.faults == {"sentiment": 2}
    with pytest.raises(LFError, match="'sentiment' failed on row 0: LLMError: .*HTTP 500"):
        apply_lfs(df, [sentiment(server, cache=path, max_retries=0)])
    with pytest.raises(LLMError, match="HTTP 500"):
        sentiment(server, max_retries=0).votes(["good"])
    server.script = answer_by_text
    assert sentiment(server, cache=path).votes(["good", "bad"]).tolist() == [1, 0]
    assert len(DiskCache(path)) == 2


def test_llm_lf_runs_under_snorkel_and_pickles(server):
    server.script = answer_by_text
    lf = pickle.loads(pickle.dumps(sentiment(server)))
    df = pd.DataFrame({"text": ["good", "meh"]})
    assert KEY not in str(pickle.dumps(lf))
    pytest.importorskip("snorkel")
    assert snorkel_matrix(df, [lf])[:, 0].tolist() == [1, ABSTAIN]


@pytest.mark.parametrize("answer, vote", [
    ("positive", 1), ("NEGATIVE", 0), ("'positive'", 1), ("**positive**", 1),
    ("The answer is: negative", 0), ("answer: positive.", 1), ('{"sentiment": "positive"}', 1),
    ("Let me think.\nnegative", 0), ("<think>positive?</think>\nnegative", 0),
    ("abstain", ABSTAIN), ("neutral", ABSTAIN), ("positive or negative", ABSTAIN),
    ("not positive", ABSTAIN), ("", ABSTAIN), ('{"a": "positive", "b": "negative"}', ABSTAIN),
])
def test_parse_label_is_tolerant_but_strict_about_meaning(answer, vote):
    assert parse_label(answer, ["negative", "positive"]) == vote


def test_llm_bad_settings_fail_when_built(server):
    with pytest.raises(InvalidParameterError, match="prompt"):
        llm_lf("x", "no placeholder", ["a"])
    with pytest.raises(InvalidParameterError, match="not a valid template"):
        llm_lf("x", "{text} {other}", ["a"])
    with pytest.raises(InvalidParameterError, match="abstain"):
        llm_lf("x", None, ["a", "Abstain"])
    with pytest.raises(InvalidParameterError, match="temperature"):
        llm_lf("x", None, ["a"], temperature=3)
    with pytest.raises(InvalidParameterError):
        llm_lf("x", None, ["a"], base_url="http://user:pw@host/v1")
    with pytest.raises(InvalidParameterError, match="cache"):
        llm_lf("x", None, ["a"], cache=42)
