"""Trust in the LLM client and TF: no secret leaves, no answer or server can hang a row.

Everything runs against the loopback chat server (tests/chat_server.py). The parsing checks
run each adversarial answer under a hang guard (tests/hangs.py): not a
timing assertion, since the parser needs milliseconds on these texts while a quadratic step
takes minutes on them.
"""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from typing import Any

import pandas as pd
import pytest
from chat_server import Reply, Server, chat  # noqa: E402 - tests/ is on sys.path
from hangs import finishes

import textaug
from textaug._rng import Rng
from textaug.errors import InvalidParameterError
from textaug.llm import MAX_WAIT, LLMError, OpenAIChatClient
from textaug.records import Record
from textaug.tfs.llm import llm_paraphrase, parse_paraphrases

pytest.importorskip("httpx")

KEY = "-".join(["sk", "trust", "SECRET", "90210"])  # never whole in the source a traceback quotes
MESSAGES = [{"role": "user", "content": "hi"}]


def client(server: Server, **kwargs: Any) -> OpenAIChatClient:
    settings = {"timeout": 2.0, "max_retries": 0, "backoff": 0.01, **kwargs}
    return OpenAIChatClient(server.url, "test-model", **settings)


def shown(err: BaseException) -> str:
    """All a user may see of an error: its message, repr and traceback with its causes."""
    return "".join([str(err), repr(err), *traceback.format_exception(err)])


def paraphrase(body: dict[str, Any]) -> Reply:
    text = body["messages"][1]["content"].rsplit("Text:\n", 1)[1]
    return chat(json.dumps({"paraphrases": [f"{text}, said again"]}))


# -- 9: a key with surrounding whitespace works; a key with inner control characters is refused

def test_key_ending_in_a_newline_is_stripped_and_never_shown(server, monkeypatch, caplog):
    monkeypatch.setenv("OPENAI_API_KEY", KEY + "\n")
    caplog.set_level(logging.DEBUG)
    server.script = [chat("fine"), Reply(401, {"error": {"message": f"bad key {KEY}"}})]
    c = client(server)
    assert c.complete(MESSAGES) == ["fine"]
    assert server.requests[0][0]["Authorization"] == f"Bearer {KEY}"
    tf = llm_paraphrase("test-model", base_url=server.url, max_retries=0)
    df = pd.DataFrame({"text": ["GANs for art", "a survey of RL"]})
    out, report = textaug.augment(df, [tf], seed=0, on_error="skip", return_report=True)
    assert report.errors_total == 2
    assert "Check the API key in the environment variable 'OPENAI_API_KEY'" in str(
        report.errors[0])
    for seen in (str(report), report.errors, out.to_csv(), repr(c), pickle.dumps(c),
                 pickle.dumps(tf), caplog.text):
        assert KEY not in str(seen)


@pytest.mark.parametrize("inner", ["\n", "\r", "\t", " ", "\u00e9"])
def test_key_with_an_inner_control_character_is_refused_unseen(server, monkeypatch, inner):
    head, tail = "sk-" + "x9" * 4, "y7" * 4
    monkeypatch.setenv("OPENAI_API_KEY", head + inner + tail)
    with pytest.raises(LLMError, match="environment variable 'OPENAI_API_KEY'") as err:
        client(server).complete(MESSAGES)
    assert head not in shown(err.value) and tail not in shown(err.value)
    assert "base_url" not in str(err.value)
    assert server.requests == []  # refused before anything was sent


# -- 10: nothing that may be a key is echoed, kept or written ----------------------------------

def test_server_message_is_redacted_before_it_is_cut(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    message = "x" * 190 + KEY + " is not a valid key"  # the cut at 200 falls inside the key
    server.script = [Reply(401, {"error": {"message": message}})]
    with pytest.raises(LLMError, match="HTTP 401") as err:
        client(server).complete(MESSAGES)
    assert KEY[:6] not in shown(err.value)
    assert "x" * 190 + "***" in str(err.value)


@pytest.mark.parametrize("value", [
    "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
    "gsk_4fJ2kLmN8pQrS1tUvWxYz0aBcDeFgHiJkLmNoPqRsTuVwXyZ12",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStU",
    "sk_live_51HqLyjWDarjtT1zdp7dcXYZ",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "OPENAI_KEY_0123456789abcdefABCDEF0123",
])
def test_api_key_env_that_looks_like_a_key_is_refused(value):
    for make in (lambda: OpenAIChatClient("http://x/v1", "m", api_key_env=value),
                 lambda: llm_paraphrase("m", api_key_env=value)):
        with pytest.raises(InvalidParameterError, match="pass the NAME of the variable") as err:
            make()
        assert value not in shown(err.value) and value[4:12] not in shown(err.value)


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "hf_token",
                                  "GROQ_API_KEY_2", "MyCompanyLLMKey", "_KEY"])
def test_plausible_variable_names_are_accepted(name):
    assert OpenAIChatClient("http://x/v1", "m", api_key_env=name).api_key_env == name


@pytest.mark.parametrize("url", [
    "https://user:sk-SECRET-1@api.example.com/v1",
    "https://sk-SECRET-1@api.example.com/v1",
    "https://api.example.com/v1?api-key=sk-SECRET-1",
    "https://api.example.com/v1#sk-SECRET-1",
])
def test_base_url_holding_a_secret_is_refused(url):
    for make in (lambda: OpenAIChatClient(url, "m"), lambda: llm_paraphrase("m", base_url=url)):
        with pytest.raises(InvalidParameterError, match="'base_url'.*api_key_env") as err:
            make()
        assert "SECRET" not in shown(err.value)
        assert "https://api.example.com/v1" in str(err.value)


def test_completion_echoing_the_key_is_redacted_in_output_and_cache(server, monkeypatch,
                                                                    tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    server.script = [chat(json.dumps({"paraphrases": [f"my key is {KEY}, ok"]}))]
    tf = llm_paraphrase("test-model", base_url=server.url, cache=tmp_path / "c.sqlite")
    out = textaug.augment(pd.DataFrame({"text": ["GANs for art"]}), [tf], seed=0)
    assert out["text"].tolist() == ["GANs for art", "my key is ***, ok"]
    assert KEY.encode() not in (tmp_path / "c.sqlite").read_bytes()
    assert KEY not in out.to_csv()


def test_a_short_dummy_key_does_not_blank_completions(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ollama")  # local servers take any key
    server.script = [chat("run it with ollama")]
    assert client(server).complete(MESSAGES) == ["run it with ollama"]


# -- 12: parsing is linear and answers are capped ----------------------------------------------

N = 200_000
ADVERSARIAL = {
    "think_openers": "<think>" * (N // 7),
    "fence_then_spaces": "```" + " " * N,
    "fence_openers": "```json\n" * (N // 8),
    "nested_lists": "[" * N,
    "nested_objects": '{"a":' * (N // 5),
    "list_openers": "[a" * (N // 2),
    "unterminated_string": '["' + "a" * N,
    "strings_then_junk": '["a", ' * (N // 6) + "x",
    "quotes_and_brackets": '["[' * (N // 3),
    "newlines": "\n" * N + "x",
    "spaces_in_an_item": "- a" + " " * N + "b",
    "bullets": "- \n" * (N // 3),
    "numbers": "1." * (N // 2),
}


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_parse_paraphrases_is_linear_on_adversarial_answers(kind):
    def parse() -> list[str] | LLMError:
        try:
            return parse_paraphrases(ADVERSARIAL[kind])
        except LLMError as err:
            return err

    found = finishes(parse, f"parse_paraphrases on a {N // 1000} KB {kind!r} answer")
    assert isinstance(found, LLMError | list)


def test_json_search_still_finds_the_first_list_after_broken_json():
    answer = '[[[ {"x": [1, 2} ["a", ] {"paraphrases": ["one", "two"],} ["late"]'
    assert finishes(lambda: parse_paraphrases(answer * 3000), "parse") == ["one", "two"]
    assert parse_paraphrases('{"meta": 1, "x": {"paraphrases": ["deep"]}}') == ["deep"]
    assert parse_paraphrases('See [1] and {x}: ["a \\" [b", "c"]') == ['a " [b', "c"]


def test_many_distinct_paraphrases_are_chosen_among_in_linear_time(server):
    many = [f"paraphrase number {i}" for i in range(40_000)]
    server.script = [chat(json.dumps({"paraphrases": many}))]
    tf = llm_paraphrase("test-model", base_url=server.url, max_answer_chars=2_000_000)
    out = finishes(lambda: tf(Record({"text": "hello"}), rng=0), "choosing a paraphrase")
    assert out.text in set(many)


def test_answer_longer_than_max_answer_chars_fails_its_row_only(server):
    def reply(body: dict[str, Any]) -> Reply:
        text = body["messages"][1]["content"].rsplit("Text:\n", 1)[1]
        size = 5000 if text == "long" else 10
        return chat(json.dumps({"paraphrases": ["z" * size]}))

    server.script = reply
    tf = llm_paraphrase("test-model", base_url=server.url, max_answer_chars=1000)
    outs = tf.apply_batch([Record({"text": "long"}), Record({"text": "short"})],
                          [Rng(0), Rng(1)])
    assert isinstance(outs[0], LLMError)
    assert "max_answer_chars=1000" in str(outs[0]) and "5" in str(outs[0])
    assert isinstance(outs[1], Record) and outs[1].text == "z" * 10


def test_max_answer_chars_is_checked():
    with pytest.raises(InvalidParameterError, match="'max_answer_chars'"):
        llm_paraphrase("m", max_answer_chars=0)


# -- 13: timeout bounds a request, deadline bounds a row ---------------------------------------

def test_a_trickling_server_is_cut_at_timeout(server):
    server.script = [Reply(body=chat("a slow but valid answer").body, trickle=0.02)]
    with pytest.raises(LLMError, match=r"did not answer .* with timeout=0\.3s"):
        client(server, timeout=0.3).complete(MESSAGES)  # the full answer takes over 4 s


def test_retry_after_past_the_deadline_fails_at_once(server):
    server.script = [Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "99999"})]
    with pytest.raises(LLMError, match=r"Retry-After.*deadline=30") as err:
        client(server, max_retries=3, deadline=30).complete(MESSAGES)
    assert err.value.status == 429
    assert len(server.requests) == 1


def test_backoff_past_the_deadline_fails_at_once(server):
    server.script = [Reply(500, "oops")]
    with pytest.raises(LLMError, match=r"deadline=1") as err:
        client(server, max_retries=3, backoff=30, deadline=1).complete(MESSAGES)
    assert err.value.status == 500
    assert len(server.requests) == 1


def test_deadline_bounds_the_retries_of_a_row(server):
    server.script = [Reply(delay=1.5, body={"choices": []})]
    with pytest.raises(LLMError, match=r"deadline=0\.5s"):
        client(server, timeout=0.2, max_retries=20, deadline=0.5).complete(MESSAGES)
    assert 2 <= len(server.requests) <= 3  # 0.5 s holds two 0.2 s attempts and part of a third


def test_deadline_defaults_from_timeout_and_retries_and_reaches_the_tf(server):
    assert client(server, timeout=10, max_retries=2).deadline == 3 * 10 + MAX_WAIT
    tf = llm_paraphrase("m", base_url=server.url, deadline=7.5)
    assert tf.client.deadline == 7.5
    with pytest.raises(InvalidParameterError, match="'deadline'"):
        client(server, deadline=0)


def test_the_decoder_is_tried_at_a_bounded_number_of_openers(monkeypatch):
    # a failed decode counts the lines before it (a pass over the text): tried at every
    # opener of '["[' * N it made the search quadratic (39 s for 1 MB)
    import textaug.tfs.llm as llm

    calls = []

    class Counting(json.JSONDecoder):
        def raw_decode(self, s, idx=0):
            calls.append(idx)
            return super().raw_decode(s, idx)

    monkeypatch.setattr(llm, "_DECODER", Counting())
    with pytest.raises(LLMError):
        parse_paraphrases('["[' * 20_000)
    assert 0 < len(calls) <= llm._MAX_DECODES
    assert parse_paraphrases('["[' * 2_000 + ' {"paraphrases": ["found"]}') == ["found"]
    deep = "[" * (llm._MAX_DEPTH + 50) + '["a", "b"]'
    assert parse_paraphrases(deep) == ["a", "b"]
