"""EDA operations: nlpaug against textaug, on the same texts, in one process.

Usage:
    python benchmarks/eda.py DATA [--rows N] [--repeats 3]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column. Pairs: nlpaug SynonymAug(aug_src="wordnet") against textaug's
synonym_replacement (only where nltk's part-of-speech tagger data is installed, which
SynonymAug needs), RandomWordAug(action="swap") against random_swap, and
RandomWordAug(action="delete") against random_deletion. Both sides change about 10% of the
words (nlpaug aug_p=0.1; textaug alpha=0.1). The operation is timed as each library runs
a list of texts: nlpaug's ``augment(texts)`` against the TF's ``apply_batch`` (one seeded
draw per text). The end-to-end figure runs ``textaug.augment`` on a DataFrame (one
augmentation per row), so it adds the applier: records, seeds, provenance columns.
Prints augmented texts per second and the ratios; WordNet loading is left out of both
sides, and textaug's synonym cache is reported cold (first pass) and warm.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

import textaug
from textaug import wordnet
from textaug._rng import Rng
from textaug.records import Record
from textaug.tfs.eda import synonyms_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alias_swap import load_texts  # noqa: E402


def rate(run, n: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return n / best


def textaug_rates(df: pd.DataFrame, tf, repeats: int) -> tuple[float, float]:
    """(operation, end to end) texts per second."""
    records = [Record({"text": t}) for t in df["text"]]
    op = rate(lambda: tf.apply_batch(records, [Rng(i) for i in range(len(records))]),
              len(records), repeats)
    policy = textaug.ApplyOnePolicy(n_per_original=1, keep_original=False)
    with warnings.catch_warnings():  # rows an operation cannot change are expected here
        warnings.simplefilter("ignore", textaug.TextaugWarning)
        full = rate(lambda: textaug.augment(df, [tf], policy, seed=0, dedupe=False), len(df),
                    repeats)
    return op, full


def nlpaug_synonym(texts: list[str], repeats: int) -> tuple[float | None, str]:
    import nlpaug.augmenter.word as naw

    try:
        aug = naw.SynonymAug(aug_src="wordnet", aug_p=0.1)
        aug.augment(texts[:2])
    except LookupError:
        return None, ("not run: nlpaug's SynonymAug needs nltk's averaged_perceptron_tagger "
                      "data, which is not installed here")
    return rate(lambda: aug.augment(texts), len(texts), repeats), ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    import nlpaug.augmenter.word as naw

    texts = load_texts(args.data)[: args.rows]
    df = pd.DataFrame({"text": texts})
    wordnet.load()  # both sides read WordNet through nltk; load it before timing
    print(f"data: {args.data} ({len(texts)} texts); augmented texts per second, best of "
          f"{args.repeats}")

    synonyms_of.cache_clear()
    wordnet.synonyms.cache_clear()
    sr = textaug.tfs.synonym_replacement(alpha_sr=0.1)
    cold, _ = textaug_rates(df, sr, 1)
    op, full = textaug_rates(df, sr, args.repeats)
    theirs, why = nlpaug_synonym(texts, args.repeats)
    report("synonym replacement", op, full, theirs, why)
    print(f"  (textaug's first pass, synonym cache cold: {cold:.0f} texts/s)")
    for action, tf in (("swap", textaug.tfs.random_swap(alpha_rs=0.1)),
                       ("delete", textaug.tfs.random_deletion(p_rd=0.1))):
        aug = naw.RandomWordAug(action=action, aug_p=0.1)
        theirs = rate(lambda aug=aug: aug.augment(texts), len(texts), args.repeats)
        report(f"random {action}", *textaug_rates(df, tf, args.repeats), theirs, "")


def report(name: str, op: float, full: float, theirs: float | None, why: str) -> None:
    ratios = (f"ratio {op / theirs:.1f}x (end to end {full / theirs:.1f}x)" if theirs else why)
    print(f"{name:20} textaug {op:8.0f} (end to end {full:7.0f}); nlpaug "
          f"{theirs or float('nan'):7.0f}; {ratios}")


if __name__ == "__main__":
    sys.exit(main())
