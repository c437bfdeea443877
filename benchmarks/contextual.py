"""Contextual substitution: nlpaug's ContextualWordEmbsAug against textaug, same texts, same model.

Usage:
    python benchmarks/contextual.py [DATA] [--rows N] [--model DIR] [--no-nlpaug] [--venv DIR]
                                    [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv);
``--quick`` runs small sizes without the nlpaug side (no virtual environment is made) to
check the script works. Without ``--model`` a small BERT-like masked LM (hidden 256, 4 layers,
random weights, a WordPiece tokenizer trained on the data's texts) is built in a
temporary folder; both sides load it from there and run on the CPU with aug_p=0.15 and
top_k=10. Model loading and a warm-up pass are outside the timings; the best of
``--repeats`` passes counts (this machine's load varies).

nlpaug 1.1.11's contextual augmenter fails under transformers 5 (it calls a private
tokenizer method), so its side runs in a subprocess in a virtual environment of its own
(created once, by default under ~/.cache/textaug/nlpaug-bench-venv, with nlpaug==1.1.11,
transformers<5 and torch==2.13.0) and is timed inside that subprocess.

Also timed: a cold textaug run with ``cache=`` a fresh SQLite file against a rerun that the
cache serves (a new TF, so the model never loads).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_texts, settle  # noqa: E402

from textaug._rng import Rng  # noqa: E402
from textaug.records import Record  # noqa: E402
from textaug.tfs.contextual import contextual_substitute  # noqa: E402

AUG_P, TOP_K = 0.15, 10
NLPAUG_SIDE = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import nlpaug.augmenter.word as naw
job = json.load(sys.stdin)
aug = naw.ContextualWordEmbsAug(model_path=job["model"], model_type="bert", action="substitute",
                                aug_p=job["aug_p"], top_k=job["top_k"], device="cpu",
                                batch_size=32)
best = float("inf")
for _ in range(job["repeats"] + 1):  # the first pass warms up
    start = time.perf_counter()
    out = aug.augment(job["texts"])
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "n": len(out)}))
"""


def build_model(texts: list[str], folder: Path, full_size: bool = False) -> None:
    """A random BERT masked LM (hidden 256, 4 layers; BERT-base's 768 and 12 with
    ``full_size``) with a tokenizer trained on ``texts``."""
    import torch
    import transformers
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    backend = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.train_from_iterator(texts, trainers.WordPieceTrainer(
        vocab_size=8000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        show_progress=False))
    cls, sep = backend.token_to_id("[CLS]"), backend.token_to_id("[SEP]")
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tokenizer = transformers.BertTokenizerFast(tokenizer_object=backend, model_max_length=512)
    hidden, layers = (768, 12) if full_size else (256, 4)
    config = transformers.BertConfig(vocab_size=backend.get_vocab_size(), hidden_size=hidden,
                                     num_hidden_layers=layers, num_attention_heads=hidden // 64,
                                     intermediate_size=4 * hidden, max_position_embeddings=512)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = transformers.BertForMaskedLM(config)
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)


def nlpaug_python(venv: Path) -> Path:
    """The bench venv's python, creating the venv (once) when it is missing."""
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} for nlpaug (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "nlpaug==1.1.11",
                        "transformers<5", "torch==2.13.0", "numpy", "pandas"], check=True)
    return python


def time_nlpaug(python: Path, model: Path, texts: list[str], repeats: int) -> float:
    """nlpaug's texts per second, best of ``repeats`` after a warm-up pass, timed inside its
    own process."""
    job = json.dumps({"model": str(model), "texts": texts, "aug_p": AUG_P, "top_k": TOP_K,
                      "repeats": repeats})
    done = subprocess.run([str(python), "-c", NLPAUG_SIDE], input=job, capture_output=True,
                          text=True, check=False, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    if done.returncode:
        raise RuntimeError(f"nlpaug side failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["n"] / result["seconds"]


def time_textaug(model: Path, texts: list[str], device: str = "cpu",
                 cache: Path | None = None, repeats: int = 0) -> float:
    """textaug's texts per second (``apply_batch``): with ``repeats``, the best of that many
    after loading the model and a warm-up pass; without, one run, loading included."""
    tf = contextual_substitute(str(model), aug_p=AUG_P, top_k=TOP_K, device=device,
                               cache=cache, local_files_only=True)
    records = [Record({"text": t}) for t in texts]
    best = float("inf")
    for _ in range(repeats + 1 if repeats else 1):
        start = time.perf_counter()
        tf.apply_batch(records, [Rng(i) for i in range(len(records))])
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-nlpaug", action="store_true", help="skip the nlpaug side")
    cache_home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parser.add_argument("--venv", type=Path, default=cache_home / "textaug" / "nlpaug-bench-venv")
    args = parser.parse_args(argv)
    settle(args, rows=16, repeats=1)
    args.no_nlpaug = args.no_nlpaug or args.quick

    texts = load_texts(args.data)[: args.rows]
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            model = Path(tmp) / "mlm"
            build_model(load_texts(args.data), model)
            print(f"model: a random BERT masked LM (hidden 256, 4 layers) built in {model}")
        print(f"data: {args.data} ({len(texts)} texts); aug_p={AUG_P}, top_k={TOP_K}, CPU; "
              f"texts per second, best of {args.repeats} after a warm-up pass")
        # The two sides take turns (twice each, best kept), so a slow spell on a noisy
        # machine hits both.
        rounds = 1 if args.no_nlpaug else 2
        ours = theirs = 0.0
        for _ in range(rounds):
            ours = max(ours, time_textaug(model, texts, repeats=args.repeats))
            if not args.no_nlpaug:
                theirs = max(theirs, time_nlpaug(nlpaug_python(args.venv), model, texts,
                                                 args.repeats))
        print(f"textaug contextual_substitute: {ours:8.1f} texts/s (batch_size 32)")
        if args.no_nlpaug:
            print("nlpaug: not run (--no-nlpaug)")
        else:
            print(f"nlpaug ContextualWordEmbsAug: {theirs:8.1f} texts/s (in a subprocess, in "
                  f"{args.venv}: nlpaug 1.1.11 needs transformers<5)")
            print(f"ratio: {ours / theirs:.1f}x")
        cache = Path(tmp) / "cache.sqlite"
        cold = time_textaug(model, texts, cache=cache)
        warm = time_textaug(model, texts, cache=cache)
        print(f"cache: cold run (model load included) {cold:8.1f} texts/s; rerun served from "
              f"the cache {warm:8.0f} texts/s; ratio {warm / cold:.0f}x")
        import torch

        if torch.cuda.is_available() and not args.quick:
            full = Path(tmp) / "mlm-full"
            build_model(load_texts(args.data), full, full_size=True)
            gpu = time_textaug(full, texts, device="cuda", repeats=args.repeats)
            print(f"textaug on {torch.cuda.get_device_name()}, a BERT-base-size model (random "
                  f"weights): {gpu:8.1f} texts/s")
        else:
            print("GPU: no CUDA device here (or a quick run); the GPU measurement was not run")


if __name__ == "__main__":
    sys.exit(main())
