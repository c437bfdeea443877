"""Every model-backed TF keeps the contract of the rule-based ones, on tiny local models.

Same seed, same output with the cache off and on (and a rerun from the cache); the input
record is not mutated; the global random, numpy and torch generators are untouched; the
TF pickles; odd inputs never crash. The LLM runs against a loopback chat server.
"""

from __future__ import annotations

import copy
import hashlib
import json
import pickle
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from chat_server import Reply, Server, chat  # noqa: E402 - tests/ is on sys.path
from odd_texts import TEXTS  # noqa: E402

from textaug.records import Record
from textaug.tfs import (
    MODEL_BACKED,
    back_translate,
    contextual_insert,
    contextual_substitute,
    llm_paraphrase,
)

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("httpx")


def paraphrases(body: dict[str, Any]) -> Reply:
    """Two paraphrases that depend only on the request (its text and seed)."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:8]
    return chat(json.dumps({"paraphrases": [f"A rewording {digest}", f"Said again {digest}"]}))


@pytest.fixture(scope="module")
def chat_api() -> Iterator[Server]:
    server = Server()
    server.script = paraphrases
    yield server
    server.stop()


@pytest.fixture(scope="module")
def makers(tiny_mlm: Path, tiny_marian_pair: tuple[str, str],
           chat_api: Server) -> dict[str, Callable[..., Any]]:
    """Each model-backed factory with its tiny model; keyword arguments go through."""
    return {
        "contextual_substitute": lambda **kw: contextual_substitute(str(tiny_mlm), aug_p=0.5,
                                                                    device="cpu", **kw),
        "contextual_insert": lambda **kw: contextual_insert(str(tiny_mlm), aug_p=0.5,
                                                            device="cpu", **kw),
        "back_translate": lambda **kw: back_translate(tiny_marian_pair, max_new_tokens=6,
                                                      device="cpu", **kw),
        "llm_paraphrase": lambda **kw: llm_paraphrase("test-model", base_url=chat_api.url,
                                                      timeout=5.0, **kw),
    }


def test_every_model_backed_factory_is_covered(makers):
    assert set(makers) == MODEL_BACKED


def record(text: str) -> Record:
    return Record({"text": text, "label": "pos", "n": 1}, label="label")


def run(tf: Any, text: str, seed: int) -> str | None:
    out = tf(record(text), rng=seed)
    assert out is None or (isinstance(out, Record) and isinstance(out.text, str))
    return None if out is None else out.text


def global_state() -> tuple[Any, ...]:
    torch = sys.modules["torch"]
    return (random.getstate(), np.random.get_state()[1].tobytes(),
            torch.random.get_rng_state().numpy().tobytes())


@pytest.mark.parametrize("name", sorted(MODEL_BACKED))
def test_same_seed_same_output_with_the_cache_off_and_on(name, makers, tmp_path):
    plain, cached = makers[name](), makers[name](cache=tmp_path / "cache.sqlite")
    outs = [run(plain, TEXTS["plain"], seed) for seed in (0, 1, 2)]
    assert outs == [run(plain, TEXTS["plain"], seed) for seed in (0, 1, 2)]
    assert any(out is not None for out in outs)
    assert [run(cached, TEXTS["plain"], seed) for seed in (0, 1, 2)] == outs
    rerun = makers[name](cache=tmp_path / "cache.sqlite")
    assert [run(rerun, TEXTS["plain"], seed) for seed in (0, 1, 2)] == outs
    assert rerun._loaded is None  # served from the cache: the model never loaded


@pytest.mark.parametrize("name", sorted(MODEL_BACKED))
def test_no_mutation_and_global_generators_untouched(name, makers):
    tf = makers[name]()
    x = record(TEXTS["plain"])
    before_row, before_state = copy.deepcopy(dict(x)), global_state()
    tf(x, rng=3)
    assert dict(x) == before_row and global_state() == before_state


@pytest.mark.parametrize("name", sorted(MODEL_BACKED))
def test_pickles_before_and_after_loading(name, makers):
    tf = makers[name]()
    expected = run(tf, TEXTS["plain"], 5)
    assert run(pickle.loads(pickle.dumps(makers[name]())), TEXTS["plain"], 5) == expected
    assert run(pickle.loads(pickle.dumps(tf)), TEXTS["plain"], 5) == expected


@pytest.mark.parametrize("name", sorted(MODEL_BACKED))
@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_odd_inputs_never_crash_and_are_deterministic(name, kind, makers):
    tf = makers[name]()
    text = TEXTS[kind]
    assert run(tf, text, 0) == run(tf, text, 0)
    if not text.strip():
        assert run(tf, text, 0) is None


@pytest.mark.parametrize("name", sorted(MODEL_BACKED))
def test_each_is_a_command_line_tf(name, tiny_mlm, tiny_marian_pair, chat_api, run, tmp_path):
    options = {
        "contextual_substitute": [f"model={tiny_mlm}", "aug_p=0.5"],
        "contextual_insert": [f"model={tiny_mlm}", "aug_p=0.5"],
        "back_translate": [f"model={json.dumps(list(tiny_marian_pair))}", "max_new_tokens=6"],
        "llm_paraphrase": ["model=test-model", f"base_url={chat_api.url}"],
    }[name]
    source = tmp_path / "in.csv"
    source.write_text("text\nthe movie was good\na great plot with good actors\n")
    argv = ["augment", source, "-o", tmp_path / "out.csv", "--tf", name, "--seed", "0",
            "--tf-option", f"cache={tmp_path / 'cache.sqlite'}", "-q"]
    for option in options:
        argv += ["--tf-option", option]
    rc, _, err = run(*argv)
    assert rc == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    assert set(out["textaug_tfs"].fillna("")) <= {"", name} and len(out) >= 2
