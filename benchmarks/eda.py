"""EDA operations: nlpaug against textaug, on the same texts, in one process.

Usage:
    python benchmarks/eda.py DATA [--rows N] [--repeats 3]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column. Pairs: nlpaug SynonymAug(aug_src="wordnet") against textaug's
synonym_replacement (only where nltk's part-of-speech tagger data is installed, which
SynonymAug needs), RandomWordAug(action="swap") against random_swap, and
RandomWordAug(action="delete") against random_deletion. Both sides change about 10% of the
words (nlpaug aug_p=0.1; textaug alpha=0.1). textaug runs through textaug.augment (one
augmentation per text), so its figure includes the applier and the provenance columns.
Prints augmented texts per second for each pair and the ratio; WordNet loading is left
out of both sides, and textaug's synonym cache is reported cold (first pass) and warm.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

import textaug
from textaug import wordnet
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


def textaug_rate(df: pd.DataFrame, tf, repeats: int) -> float:
    policy = textaug.ApplyOnePolicy(n_per_original=1, keep_original=False)
    return rate(lambda: textaug.augment(df, [tf], policy, seed=0, dedupe=False), len(df), repeats)


def nlpaug_synonym(texts: list[str], repeats: int) -> tuple[float | None, str]:
    import nlpaug.augmenter.word as naw

    try:
        aug = naw.SynonymAug(aug_src="wordnet", aug_p=0.1)
        aug.augment(texts[:2])
    except LookupError as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return None, f"not run: nlpaug's SynonymAug needs nltk tagger data ({reason[:80]})"
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
    cold = textaug_rate(df, textaug.tfs.synonym_replacement(alpha_sr=0.1), 1)
    warm = textaug_rate(df, textaug.tfs.synonym_replacement(alpha_sr=0.1), args.repeats)
    theirs, why = nlpaug_synonym(texts, args.repeats)
    ratio = f"ratio {warm / theirs:.1f}x (cold {cold / theirs:.1f}x)" if theirs else why
    print(f"synonym replacement: textaug {warm:9.0f} (first pass, cold cache: {cold:.0f}); "
          f"nlpaug {theirs or float('nan'):9.0f}; {ratio}")

    for action, tf in (("swap", textaug.tfs.random_swap(alpha_rs=0.1)),
                       ("delete", textaug.tfs.random_deletion(p_rd=0.1))):
        aug = naw.RandomWordAug(action=action, aug_p=0.1)
        theirs = rate(lambda aug=aug: aug.augment(texts), len(texts), args.repeats)
        ours = textaug_rate(df, tf, args.repeats)
        print(f"random {action:6}: textaug {ours:9.0f}; nlpaug {theirs:9.0f}; "
              f"ratio {ours / theirs:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
