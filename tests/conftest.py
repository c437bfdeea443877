"""Shared fixtures: small labelled frames, simple TFs, tiny local models."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from textaug import transformation_function
from textaug.cli import main

BENCHMARKS = str(Path(__file__).resolve().parents[1] / "benchmarks")


def _without_benchmarks() -> None:
    """Benchmark scripts put benchmarks/ on sys.path when a test loads them; there, its
    labeling.py would shadow the tests/labeling package in worker processes (which import
    test modules by name to unpickle their TFs and LFs)."""
    sys.path[:] = [p for p in sys.path if p != BENCHMARKS]


def pytest_collection_finish(session: pytest.Session) -> None:
    _without_benchmarks()  # test modules that load a benchmark at import time


def load_script(path: Path) -> ModuleType:
    """A benchmark script loaded as a module named after its file, registered in
    ``sys.modules`` (where its dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _sys_path_kept() -> Iterator[None]:
    saved = list(sys.path)  # benchmarks/ already left it after collection
    yield
    sys.path[:] = saved


@transformation_function()
def add_bang(x, rng):
    """Append one to three '!' (random), so draws differ."""
    return x.replace(text=x.text + "!" * (1 + rng.integers(3)))


@transformation_function()
def shout(x):
    """Upper-case the text; not applicable when it already is."""
    return None if x.text.isupper() else x.replace(text=x.text.upper())


@transformation_function()
def never(x):
    """Never applicable."""
    return None


@transformation_function()
def explode(x):
    """Raise on texts containing 'boom'."""
    if "boom" in x.text:
        raise ValueError("boom found")
    return x.replace(text=x.text + " ok")


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [10, 11, 12, 13, 14, 15],
        "text": ["the movie was good", "a survey of reinforcement learning for nlp tasks",
                 "GANs for art", "boom goes the model", "short", "CNNs and RNNs compared"],
        "tags": [["review"], ["reinforcement-learning", "natural-language-processing"],
                 ["generative-adversarial-networks"], ["other"], ["other"],
                 ["convolutional-neural-networks", "recurrent-neural-networks"]],
        "score": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
        "flag": pd.array([True, False, True, None, False, True], dtype="boolean"),
    })


@pytest.fixture
def server() -> Iterator[Any]:
    """The loopback chat server (tests/chat_server.py), stopped after the test."""
    from chat_server import Server  # tests/ is on sys.path, as the LLM tests import it

    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture
def run(capsys):
    """Call ``main`` in-process; return (exit code, stdout, stderr)."""

    def call(*argv: object) -> tuple[int, str, str]:
        rc = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return call


# -- tiny models, built locally (random weights) for the model-backed TFs --------------

MLM_SENTENCES = [
    "the quick brown fox jumps over the lazy dog",
    "a survey of deep learning models for natural language processing",
    "graph neural networks learn node embeddings from neighbours",
    "Paris is the capital of France and a large city",
    "convolutional networks classify images of cats and dogs",
    "we train a transformer model on a large corpus of text",
    "reinforcement learning agents play games and learn policies",
    "the movie was really good and the actors were great",
    "generative adversarial networks create realistic faces",
    "speech recognition converts audio into written words",
    "object detection finds cars people and bicycles in photos",
    "a simple baseline beats complex models on small datasets",
] * 3


@pytest.fixture(scope="session")
def tiny_mlm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer BERT masked LM (hidden 32, random weights) and its WordPiece tokenizer."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    backend = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    backend.train_from_iterator(MLM_SENTENCES, trainers.WordPieceTrainer(
        vocab_size=300, special_tokens=specials, show_progress=False))
    cls, sep = backend.token_to_id("[CLS]"), backend.token_to_id("[SEP]")
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tokenizer = transformers.BertTokenizerFast(tokenizer_object=backend, model_max_length=48)
    config = transformers.BertConfig(vocab_size=backend.get_vocab_size(), hidden_size=32,
                                     num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=64, max_position_embeddings=48)
    with torch.random.fork_rng(devices=[]):  # leave the global torch RNG as it was
        torch.manual_seed(0)
        model = transformers.BertForMaskedLM(config)
    folder = tmp_path_factory.mktemp("tiny-mlm")
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


MARIAN_SENTENCES = ["the movie was good", "a great plot", "the film is bad",
                    "the actors were not bad at all", "der film war gut", "ein schlecht und gut"]


def build_marian(folder: Path, seed: int) -> str:
    """A 1-layer Marian model (d_model 32) and a word-level tokenizer trained on a few
    sentences, saved to ``folder``."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    backend = Tokenizer(models.WordLevel(unk_token="<unk>"))
    backend.normalizer = normalizers.Lowercase()
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.train_from_iterator(MARIAN_SENTENCES, trainers.WordLevelTrainer(
        special_tokens=["<pad>", "</s>", "<unk>"], show_progress=False))
    backend.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", 1)])
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", pad_token="<pad>", eos_token="</s>")
    config = transformers.MarianConfig(
        vocab_size=backend.get_vocab_size(), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=128, decoder_start_token_id=0,
        pad_token_id=0, eos_token_id=1)
    with torch.random.fork_rng():  # leave the global torch RNG as it was
        torch.manual_seed(seed)
        model = transformers.MarianMTModel(config)
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="session")
def tiny_marian_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """Two tiny Marian models (there and back) with word-level tokenizers."""
    return (build_marian(tmp_path_factory.mktemp("en-xx"), 0),
            build_marian(tmp_path_factory.mktemp("xx-en"), 1))


@pytest.fixture
def lexicon(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The test module's ``LEXICON`` (a tags.json-style dict) written as a JSON file."""
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(request.module.LEXICON), encoding="utf-8")
    return path
