"""The chat client and llm_paraphrase against a real loopback HTTP server."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from typing import Any

import pandas as pd
import pytest
from chat_server import Reply, Server, chat  # noqa: E402 - tests/ is on sys.path

import textaug
from textaug._rng import Rng
from textaug.errors import InvalidParameterError, MissingDependencyError
from textaug.llm import LLMError, OpenAIChatClient
from textaug.records import SOURCE, TFS, Record
from textaug.tfs.llm import llm_paraphrase, parse_paraphrases

KEY = "sk-test-SECRET-4242"
MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def client(server: Server, **kwargs: Any) -> OpenAIChatClient:
    settings = {"timeout": 2.0, "max_retries": 2, "backoff": 0.01, **kwargs}
    return OpenAIChatClient(server.url, "test-model", **settings)


def assert_no_key(*texts: object) -> None:
    for text in texts:
        assert KEY not in str(text)


# -- the client ---------------------------------------------------------------------------

def test_success_sends_model_seed_and_bearer_key(server):
    server.script = [chat("one", "two")]
    c = client(server)
    assert c.complete(MESSAGES, n=2, seed=7, temperature=0.5) == ["one", "two"]
    headers, body = server.requests[0]
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert body == {"model": "test-model", "messages": MESSAGES, "n": 2, "seed": 7,
                    "temperature": 0.5}
    assert_no_key(repr(c), pickle.dumps(c))


def test_no_key_in_env_sends_no_authorization(server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    server.script = [chat("ok")]
    client(server).complete(MESSAGES)
    assert "Authorization" not in server.requests[0][0]


@pytest.mark.parametrize("retry_after, least", [("0.3", 0.3), (None, 0.05)])
def test_429_then_success_waits(server, retry_after, least):
    headers = {"Retry-After": retry_after} if retry_after else {}
    server.script = [Reply(429, {"error": {"message": "slow down"}}, headers), chat("fine")]
    start = time.monotonic()
    assert client(server, backoff=0.05).complete(MESSAGES) == ["fine"]
    assert time.monotonic() - start >= least
    assert len(server.requests) == 2


def test_persistent_500_fails_after_max_retries(server):
    server.script = [Reply(500, "internal oops")]
    with pytest.raises(LLMError, match="HTTP 500 after 3 attempts: 'internal oops'") as err:
        client(server, max_retries=2).complete(MESSAGES)
    assert err.value.status == 500
    assert len(server.requests) == 3
    assert server.url in str(err.value) and "test-model" in str(err.value)


@pytest.mark.parametrize("status", [400, 401])
def test_4xx_is_not_retried_and_hides_the_key(server, status):
    message = f"Incorrect API key provided: {KEY}" if status == 401 else "bad 'temperature'"
    server.script = [Reply(status, {"error": {"message": message}})]
    with pytest.raises(LLMError, match=f"HTTP {status}") as err:
        client(server).complete(MESSAGES)
    assert len(server.requests) == 1 and err.value.status == status
    assert ("Incorrect API key provided: ***" if status == 401 else "bad 'temperature'") in str(
        err.value)
    assert_no_key(err.value, repr(err.value), err.value.__cause__)


def test_timeout_is_retried_then_reported(server):
    server.script = [Reply(delay=2.0, body={"choices": []})]
    start = time.monotonic()
    with pytest.raises(LLMError, match="did not answer .* in 2 attempt\\(s\\) with timeout=0.2s"):
        client(server, timeout=0.2, max_retries=1).complete(MESSAGES)
    assert time.monotonic() - start < 1.9  # two 0.2 s timeouts, not the server's 2 s
    assert len(server.requests) == 2


def test_timeout_then_success(server):
    server.script = [Reply(delay=0.5), chat("late but fine")]
    assert client(server, timeout=0.2).complete(MESSAGES) == ["late but fine"]


@pytest.mark.parametrize("reply, message", [
    (Reply(body="<html>not json</html>"), "not JSON: '<html>not json</html>'"),
    (Reply(body={"choices": []}), "no text in its choices"),
    (Reply(body={"choices": [{"message": {"content": None}}]}), "no text in its choices"),
    (Reply(body=[1, 2]), "no text in its choices"),
])
def test_invalid_200_bodies_are_clear_errors(server, reply, message):
    server.script = [reply]
    with pytest.raises(LLMError, match=message):
        client(server).complete(MESSAGES)
    assert len(server.requests) == 1


def test_unreachable_server_is_a_clear_error():
    srv = Server()
    srv.stop()  # the port is now closed
    with pytest.raises(LLMError, match="did not answer.*Check that the server is running"):
        client(srv, max_retries=1).complete(MESSAGES)


def test_concurrency_is_limited(server):
    server.script = [Reply(delay=0.1, body=chat("x").body)]
    answers = client(server, max_concurrency=3).complete_many([MESSAGES] * 9,
                                                              seeds=list(range(9)))
    assert answers == [["x"]] * 9
    assert server.peak == 3
    assert sorted(b["seed"] for _, b in server.requests) == list(range(9))


def test_complete_many_returns_errors_per_conversation(server):
    server.script = lambda body: (Reply(400, "no") if body["seed"] == 1 else chat("ok"))
    out = client(server).complete_many([MESSAGES] * 3, seeds=[0, 1, 2])
    assert out[0] == out[2] == ["ok"] and isinstance(out[1], LLMError)


def test_bad_parameters_fail_at_construction():
    with pytest.raises(InvalidParameterError, match="'base_url'"):
        OpenAIChatClient("localhost:8000", "m")
    with pytest.raises(InvalidParameterError, match="not the key itself") as err:
        OpenAIChatClient("http://x/v1", "m", api_key_env=KEY)
    assert_no_key(err.value)
    with pytest.raises(InvalidParameterError, match="'max_concurrency'"):
        OpenAIChatClient("http://x/v1", "m", max_concurrency=0)


def test_missing_httpx_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "httpx", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'textaug\[llm\]'"):
        OpenAIChatClient("http://127.0.0.1:9/v1", "m").complete(MESSAGES)


def test_importing_textaug_does_not_import_httpx():
    code = "import sys, textaug, textaug.tfs.llm; assert 'httpx' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- parsing ------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, expected", [
    ('{"paraphrases": ["a b", "c d"]}', ["a b", "c d"]),
    ('["a b"]', ["a b"]),
    ('Sure:\n```json\n{"paraphrases": ["a b"]}\n```\nEnjoy.', ["a b"]),
    ('Here you go: ["a b", "c d"] -- hope it helps', ["a b", "c d"]),
    ('<think>{"paraphrases": ["no"]}</think>{"paraphrases": ["yes"]}', ["yes"]),
    ("1. first one\n2) second one\n- 'third one'", ["first one", "second one", "third one"]),
    ('{"results": ["only list"]}', ["only list"]),
])
def test_parse_paraphrases_is_tolerant(answer, expected):
    assert parse_paraphrases(answer) == expected


@pytest.mark.parametrize("answer", ["I cannot help with that.", "", '{"paraphrases": []}'])
def test_unparseable_answers_raise(answer):
    with pytest.raises(LLMError, match="no paraphrases found"):
        parse_paraphrases(answer)


# -- the TF -------------------------------------------------------------------------------

def echo_server(body: dict[str, Any]) -> Reply:
    """Paraphrases that depend on the text and the seed; 'same' is echoed; 'junk' is junk."""
    text = body["messages"][1]["content"].rsplit("Text:\n", 1)[1]
    if text == "same":
        return chat(json.dumps({"paraphrases": ["same"]}))
    if text == "junk":
        return chat("I would rather not.")
    seed = body["seed"]
    return chat(json.dumps({"paraphrases": [f"{text} v{seed % 5}", f"{text} w{seed % 7}"]}))


def test_augment_with_provenance_then_rerun_from_cache(server, tmp_path):
    server.script = echo_server
    df = pd.DataFrame({"text": ["GANs for art", "a survey of RL", "same"],
                       "tags": ["cv", "rl", "other"]})

    def run() -> pd.DataFrame:
        tf = llm_paraphrase("test-model", base_url=server.url, cache=tmp_path / "c.sqlite",
                            keep=["GAN"], max_retries=0)
        return textaug.augment(df, [tf], policy=textaug.ApplyOnePolicy(n_per_original=2),
                               label="tags", seed=0)

    first = run()
    made = first[~first["textaug_is_original"]]
    assert len(made) == 4  # 'same' is not applicable
    assert set(made[SOURCE]) == {0, 1}
    assert set(made[TFS]) == {"llm_paraphrase"}
    assert all(t.startswith(("GANs for art ", "a survey of RL ")) for t in made["text"])
    prompts = [b["messages"][1]["content"] for _, b in server.requests]
    assert any("labelled 'cv'" in p and "'GAN'" in p for p in prompts)
    assert len(server.requests) == 6
    server.stop()
    second = run()
    pd.testing.assert_frame_equal(first, second)
    for path in tmp_path.iterdir():
        assert KEY.encode() not in path.read_bytes()


def test_same_seed_same_paraphrase_and_errors_stay_per_row(server):
    server.script = echo_server
    tf = llm_paraphrase("test-model", base_url=server.url, max_retries=0)
    records = [Record({"text": t}) for t in ("hello there", "junk", "same")]
    first = tf.apply_batch(records, [Rng(1), Rng(2), Rng(3)])
    again = tf.apply_batch(records, [Rng(1), Rng(2), Rng(3)])
    assert isinstance(first[0], Record) and first[0].text.startswith("hello there ")
    assert first[0].text == again[0].text
    assert isinstance(first[1], LLMError) and "I would rather not." in str(first[1])
    assert first[2] is None


def test_tf_pickles_without_key_and_still_works(server):
    server.script = echo_server
    tf = llm_paraphrase("test-model", base_url=server.url)
    blob = pickle.dumps(tf)
    assert KEY.encode() not in blob
    assert_no_key(repr(tf), tf.params)
    out = pickle.loads(blob)(Record({"text": "hello there"}), rng=5)
    assert out.text.startswith("hello there ")
    assert server.requests[0][0]["Authorization"] == f"Bearer {KEY}"


def test_tf_checks_parameters():
    with pytest.raises(InvalidParameterError, match="'n'"):
        llm_paraphrase("m", n=0)
    with pytest.raises(InvalidParameterError, match="'prompt'"):
        llm_paraphrase("m", prompt="no placeholder")
    with pytest.raises(InvalidParameterError, match="literal braces"):
        llm_paraphrase("m", prompt='{text} as {"json": 1}')
    with pytest.raises(InvalidParameterError, match="'keep'"):
        llm_paraphrase("m", keep=[""])
