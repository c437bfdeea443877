"""The leakage guard: check_splits against the exhaustive pairwise check, on a large train split.

Usage:
    python benchmarks/leakage.py [DATA] [--train-rows 100000] [--test-rows 10000]
                                        [--sample 2000] [--seed 0] [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv);
``--quick`` runs small sizes to check the script works. Base texts are mosaics of four
6-word runs drawn from the whole corpus, so that unrelated rows are far apart. The
training split is augmented as textaug would do it (each original plus three variants,
each by one of random_swap, random_deletion and keyboard_typos drawn at random, with
provenance columns); the test split holds other base texts. Then variants of some test
rows are planted into train at three strengths (light typos; deletions and typos; swaps
and heavy deletions), and each planted pair's true character 5-gram Jaccard similarity
is measured.

``check_splits(train=..., test=..., key="id")`` (MinHash LSH, every candidate checked
exactly) is timed, and its peak memory measured with tracemalloc in a second run. The
anchor is the exhaustive check, the exact Jaccard similarity of every (train, test) pair,
run on a random sample of ``--sample`` train rows and half as many test rows and scaled
up by the ratio of pair counts (its memory, the shingle sets, by the ratio of rows).
Prints both times, both peak memories, the speed ratio, the recall of planted pairs with
Jaccard >= 0.8 (target >= 0.95) and the number of reported pairs whose true Jaccard is
below 0.5 (target 0).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import textaug
from textaug.leakage import check_splits
from textaug.near_duplicates import jaccard, shingles
from textaug.records import IS_ORIGINAL, SOURCE, TFS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_texts, settle  # noqa: E402

THRESHOLD = 0.8
LEVELS = {  # planted variants of test rows, from nearly equal to far apart
    "light": [textaug.tfs.keyboard_typos(aug_p=0.05)],
    "medium": [textaug.tfs.random_deletion(p_rd=0.15), textaug.tfs.keyboard_typos(aug_p=0.15)],
    "heavy": [textaug.tfs.random_swap(alpha_rs=0.3), textaug.tfs.random_deletion(p_rd=0.4)],
}


def mosaics(words: list[str], n: int, rng: np.random.Generator, runs: int = 4,
            width: int = 6) -> list[str]:
    """``n`` texts, each ``runs`` runs of ``width`` consecutive corpus words."""
    starts = rng.integers(0, len(words) - width, size=(n, runs))
    return [" ".join(" ".join(words[s:s + width]) for s in row) for row in starts]


def build(texts: list[str], train_rows: int, test_rows: int,
          seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The augmented train split, the test split, and the planted pairs with their Jaccard."""
    rng = np.random.default_rng(seed)
    words = " ".join(texts).split()
    n_originals = train_rows // 4 + train_rows // 50 + 1  # a few variants are not applicable
    base = mosaics(words, n_originals + test_rows, rng)
    originals = pd.DataFrame({"id": range(n_originals), "text": base[:n_originals]})
    tfs = [textaug.tfs.random_swap(), textaug.tfs.random_deletion(), textaug.tfs.keyboard_typos()]
    policy = textaug.RandomPolicy(n_per_original=3, keep_original=True)
    train = textaug.augment(originals, tfs, policy, key="id", seed=seed,
                            dedupe=False).head(train_rows).copy()
    test = pd.DataFrame({"id": range(10_000_000, 10_000_000 + test_rows),
                         "text": base[n_originals:]})
    per_level = max(1, min(300, test_rows // 30))
    chosen = rng.choice(test_rows, size=per_level * len(LEVELS), replace=False)
    slots = rng.choice(train_rows, size=len(chosen), replace=False)
    planted = []
    for k, (row, slot) in enumerate(zip(chosen, slots, strict=True)):
        level = list(LEVELS)[k // per_level]
        text = perturb(test["text"].iat[row], LEVELS[level], seed=k)
        new_id = 20_000_000 + k
        train.iloc[slot, [train.columns.get_loc(c) for c in ("id", "text", SOURCE, IS_ORIGINAL,
                                                              TFS)]] = [new_id, text, new_id,
                                                                        True, "planted"]
        planted.append((new_id, test["id"].iat[row], level,
                        jaccard(text, test["text"].iat[row])))
    return train, test, pd.DataFrame(planted, columns=["train_id", "test_id", "level", "jaccard"])


def perturb(text: str, chain: list[textaug.TransformationFunction], seed: int) -> str:
    for step, tf in enumerate(chain):
        out = tf({"text": text}, rng=seed * 16 + step)
        text = text if out is None else out["text"]
    return text


def exhaustive(train_texts: list[str], test_texts: list[str]) -> list[tuple[int, int, float]]:
    """Exact Jaccard of every pair; the pairs at or above the threshold."""
    left = [shingles(t) for t in train_texts]
    right = [(j, shingles(t)) for j, t in enumerate(test_texts)]
    found = []
    for i, a in enumerate(left):
        for j, b in right:
            common = len(a & b)
            similarity = common / (len(a) + len(b) - common)
            if similarity >= THRESHOLD:
                found.append((i, j, similarity))
    return found


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def peak_mib(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--train-rows", type=int, default=100_000)
    parser.add_argument("--test-rows", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    settle(args, train_rows=600, test_rows=120, sample=60)

    texts = load_texts(args.data)
    seconds, (train, test, planted) = timed(
        lambda: build(texts, args.train_rows, args.test_rows, args.seed))
    counts = pd.cut(planted["jaccard"], [0, 0.5, THRESHOLD, 1.01], right=False)
    counts = counts.value_counts().sort_index()
    print(f"data: {args.data} ({len(texts)} texts); train {len(train):,} rows "
          f"({int((~train[IS_ORIGINAL]).sum()):,} augmented), test {len(test):,} rows; "
          f"built in {seconds:.1f} s")
    print(f"planted variants of test rows in train: {counts.iloc[2]} with Jaccard >= 0.8, "
          f"{counts.iloc[1]} in [0.5, 0.8), {counts.iloc[0]} below 0.5")

    def guard() -> Any:
        return check_splits(train=train, test=test, key="id", raise_on_leak=False)

    guard_s, report = timed(guard)
    guard_mib = peak_mib(guard)
    print(f"check_splits (MinHash LSH + exact check): {guard_s:.1f} s, peak memory "
          f"{guard_mib:.0f} MiB, {len(report.pairs)} pairs reported {report.counts}")

    rng = np.random.default_rng(args.seed + 1)
    n_a, n_b = min(args.sample, len(train)), min(max(1, args.sample // 2), len(test))
    sample_a = train["text"].to_numpy()[rng.choice(len(train), n_a, replace=False)].tolist()
    sample_b = test["text"].to_numpy()[rng.choice(len(test), n_b, replace=False)].tolist()
    sample_s, _ = timed(lambda: exhaustive(sample_a, sample_b))
    sample_mib = peak_mib(lambda: exhaustive(sample_a, sample_b))
    pair_ratio = len(train) * len(test) / (n_a * n_b)
    full_s = sample_s * pair_ratio
    full_mib = sample_mib * (len(train) + len(test)) / (n_a + n_b)
    print(f"exhaustive exact Jaccard: {n_a:,} x {n_b:,} sample {sample_s:.1f} s, peak memory "
          f"{sample_mib:.0f} MiB; scaled to {len(train):,} x {len(test):,}: {full_s:,.0f} s, "
          f"about {full_mib:,.0f} MiB")
    print(f"speed ratio exhaustive / check_splits: {full_s / guard_s:,.0f}x")

    reported = set(zip(report.pairs["key_a"], report.pairs["key_b"], strict=True))
    found = [(a, b) in reported for a, b in zip(planted["train_id"], planted["test_id"],
                                                 strict=True)]
    high = planted["jaccard"] >= THRESHOLD
    recall = float(np.mean(np.array(found)[high])) if high.any() else float("nan")
    texts_only = report.pairs[report.pairs["kind"] != "source"]
    true = [jaccard(a, b) for a, b in zip(texts_only["text_a"], texts_only["text_b"],
                                          strict=True)]
    print(f"recall of planted near-duplicates with Jaccard >= 0.8: {recall:.3f} "
          f"({sum(np.array(found)[high])}/{int(high.sum())}; target >= 0.95); planted below "
          f"0.8 reported: {sum(np.array(found)[~high])}")
    print(f"reported pairs with true Jaccard < 0.5: {sum(j < 0.5 for j in true)} (target 0); "
          f"reported pairs not planted: {len(reported) - sum(found)}")


if __name__ == "__main__":
    sys.exit(main())
