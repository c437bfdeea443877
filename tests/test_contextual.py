"""Contextual masked-LM substitution and insertion, run on a tiny BERT built locally.

The model (2 layers, hidden 32, random weights) and its WordPiece tokenizer (trained with
the tokenizers library on a few dozen sentences) are saved once per module; every test
runs the real TFs on them.
"""

from __future__ import annotations

import pickle
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug._rng import Rng
from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.protect import SpanColumn
from textaug.records import Record
from textaug.tfs.contextual import ContextualTF, contextual_insert, contextual_substitute
from textaug.tfs.eda import stopwords

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

TEXTS = [
    "Paris is a LARGE city; see https://example.org/paris for more.\nGreat models learn fast!",
    "Deep learning models classify images of cats and dogs.",
    "the movie was really good",
    "Graph networks learn embeddings",
]


@pytest.fixture(scope="module")
def tiny_dir(tiny_mlm: Path) -> Path:
    return tiny_mlm


def run(tf: ContextualTF, texts: list[str], seed: int = 0) -> list[str | None]:
    outs = tf.apply_batch([Record({"text": t}) for t in texts],
                          [Rng(seed + i) for i in range(len(texts))])
    return [o if o is None or isinstance(o, BaseException) else o.text for o in outs]


@pytest.fixture(scope="module")
def sub(tiny_dir: Path) -> ContextualTF:
    return contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu")


def test_same_seed_same_output_and_batches_agree(sub: ContextualTF, tiny_dir: Path) -> None:
    first = run(sub, TEXTS)
    assert first == run(sub, TEXTS)
    assert all(isinstance(t, str) for t in first) and first != TEXTS
    other = contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu", batch_size=1)
    assert run(other, TEXTS) == first


def test_cache_gives_the_same_rows_and_serves_a_rerun(sub: ContextualTF, tiny_dir: Path,
                                                      tmp_path: Path) -> None:
    cached = contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu",
                                   cache=tmp_path / "c.sqlite")
    assert run(cached, TEXTS) == run(sub, TEXTS)
    again = contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu",
                                  cache=tmp_path / "c.sqlite")
    assert run(again, TEXTS) == run(sub, TEXTS)
    assert again._loaded is None  # served from the cache: the model never loaded


def test_input_records_and_global_rngs_untouched(tiny_dir: Path) -> None:
    random.seed(1)
    np.random.seed(1)
    states = (random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state())
    tf = contextual_insert(str(tiny_dir), aug_p=0.5, device="cpu")
    records = [Record({"text": t, "tag": ["a"]}) for t in TEXTS]
    tf.apply_batch(records, [Rng(i) for i in range(len(records))])
    assert [r.text for r in records] == TEXTS and records[0]["tag"] == ["a"]
    assert random.getstate() == states[0]
    assert (np.random.get_state()[1] == states[1]).all()
    assert torch.equal(torch.get_rng_state(), states[2])


def test_pickles_before_and_after_loading(sub: ContextualTF, tiny_dir: Path) -> None:
    fresh = contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu")
    expected = run(sub, TEXTS)
    assert run(pickle.loads(pickle.dumps(fresh)), TEXTS) == expected
    assert sub._loaded is not None
    clone = pickle.loads(pickle.dumps(sub))
    assert clone._loaded is None and run(clone, TEXTS) == expected


def test_protected_terms_stopwords_urls_and_punctuation_stay(tiny_dir: Path) -> None:
    text = TEXTS[0]
    tf = contextual_substitute(str(tiny_dir), aug_p=1.0, device="cpu", protect=["great"])
    for seed in range(5):
        out = run(tf, [text], seed)[0]
        assert out is not None
        assert "https://example.org/paris" in out and "Great" in out
        assert out.count("\n") == 1 and out.endswith("!") and " for more.\nGreat " in out
        old, new = text.split(" "), out.split(" ")
        assert len(old) == len(new)  # every word replaced by one word, spacing kept
        for a, b in zip(old, new, strict=True):
            if a.strip(".;!").lower() in stopwords() or "://" in a:
                assert a == b
            # punctuation around a word and its casing stay
            assert a[-1].isalpha() == b[-1].isalpha() and a[:1].isupper() == b[:1].isupper()
            core = a.strip(".;!")
            if len(core) > 1 and core.isupper():
                assert b.strip(".;!").isupper()


def test_uncased_model_keeps_the_text_and_restores_casing(tiny_dir: Path) -> None:
    tf = contextual_substitute(str(tiny_dir), aug_p=0.01, max_words=1, device="cpu")
    text = "Paris and Rome are LARGE cities."
    for seed in range(6):
        out = run(tf, [text], seed)[0]
        assert out is not None
        changed = [(a, b) for a, b in zip(text.split(), out.split(), strict=True) if a != b]
        assert len(changed) == 1
        a, b = changed[0]
        assert a.lower() != b.lower() and a[:1].isupper() == b[:1].isupper()
        assert a != "LARGE" or b.isupper()


def test_insert_adds_words_after_chosen_ones(tiny_dir: Path) -> None:
    tf = contextual_insert(str(tiny_dir), aug_p=0.01, max_words=1, device="cpu")
    text = "Graph networks learn embeddings, fast."
    out = run(tf, [text])[0]
    assert out is not None and len(out.split()) == len(text.split()) + 1
    assert out.endswith("fast.") or out.endswith("fast " + out.split()[-1])
    assert all(w in out for w in ("Graph", "networks", "learn", "embeddings"))


def test_odd_texts_do_not_crash(sub: ContextualTF) -> None:
    outs = run(sub, ["", "word", "🙂🙂", "the of and", "a [MASK] here", "x " * 200 + "end",
                     "models " * 100])
    assert outs[0] is None and outs[2] is None and outs[3] is None and outs[4] is None
    assert not any(isinstance(o, BaseException) for o in outs)
    long_out = outs[6]
    assert long_out is not None and long_out.split()[-50:] == ["models"] * 50  # window: 46 tokens


def test_missing_model_names_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-model")
    tf = contextual_substitute(missing, local_files_only=True, device="cpu")
    with pytest.raises(ResourceNotFoundError, match="no-such-model"):
        tf.loaded()


def test_bad_parameters_fail_when_built() -> None:
    with pytest.raises(InvalidParameterError, match="'aug_p' parameter of contextual_subst"):
        contextual_substitute(aug_p=0)
    with pytest.raises(InvalidParameterError, match="'top_k'"):
        contextual_insert(top_k=0)
    with pytest.raises(InvalidParameterError, match="'max_words'"):
        contextual_insert(max_words=0)
    with pytest.raises(InvalidParameterError, match="'protect'"):
        contextual_insert(protect=[SpanColumn("keep")])


def test_import_does_not_load_torch() -> None:
    import subprocess

    code = ("import sys, textaug.tfs.contextual; "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_augment_rows_have_provenance(tiny_dir: Path) -> None:
    df = pd.DataFrame({"text": TEXTS, "label": [0, 1, 0, 1]})
    tf = contextual_substitute(str(tiny_dir), aug_p=0.5, device="cpu")
    out = textaug.augment(df, [tf], textaug.ApplyOnePolicy(n_per_original=1, keep_original=True),
                          seed=0)
    assert df["text"].tolist() == TEXTS
    made = out[~out["textaug_is_original"]]
    assert len(made) >= 3 and set(made["textaug_source"]) <= set(df.index)
    assert all(chain == ["contextual_substitute"] or chain == ("contextual_substitute",)
               or chain == "contextual_substitute" for chain in made["textaug_tfs"])
    assert (made["text"] != df.loc[made["textaug_source"], "text"].to_numpy()).all()


def test_head_at_the_masks_matches_the_full_forward(sub: ContextualTF) -> None:
    lm = sub.loaded()
    assert lm.head is not None
    enc = lm.tokenizer(["graph [MASK] learn", "a [MASK] of [MASK] models"], padding=True,
                       return_tensors="pt")
    where = enc["input_ids"] == lm.tokenizer.mask_token_id
    with torch.inference_mode():
        full = lm.model(**enc).logits[where]
        masked = lm.head(lm.model.base_model(**enc).last_hidden_state[where])
    assert torch.allclose(full, masked, atol=1e-5)


def test_benchmark_smoke_without_nlpaug(tiny_dir: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import contextual as bench  # benchmarks/contextual.py
    finally:
        sys.path.pop(0)
    data = tmp_path / "texts.csv"
    pd.DataFrame({"text": TEXTS * 2}).to_csv(data, index=False)
    bench.main([str(data), "--rows", "6", "--model", str(tiny_dir), "--no-nlpaug",
                "--repeats", "1"])
    out = capsys.readouterr().out
    assert "textaug contextual_substitute:" in out and "nlpaug: not run" in out
    assert "rerun served from the cache" in out
