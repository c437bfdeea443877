"""EDA operations: nlpaug against textaug, on the same texts, in one process.

Usage:
    python benchmarks/eda.py [DATA] [--rows N] [--repeats 10] [--parts 8]
                             [--cold-rows 500] [--cold-repeats 5] [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv);
``--quick`` runs small sizes to check the script works. Pairs: nlpaug
SynonymAug(aug_src="wordnet") against textaug's synonym_replacement (only where nltk's
part-of-speech tagger data is installed, which SynonymAug needs),
RandomWordAug(action="swap") against random_swap, and RandomWordAug(action="delete")
against random_deletion. Both sides change about 10% of the words (nlpaug aug_p=0.1;
textaug alpha=0.1).

Two workloads: one augmentation per text, and the paper's recommended ``n_aug`` for a
training set of this size (EDA's table 3: 8 for about 2,000 texts), each text repeated
``n_aug`` times in a row on nlpaug's side.

For swap and deletion the END-TO-END figures come first: what a user runs, ``textaug.augment``
on the whole DataFrame in one call (``ApplyOnePolicy(n_per_original=n_aug,
keep_original=False)``, so records, seeds, provenance columns and the output frame are in),
against nlpaug's ``augment`` on the whole list of texts; the two take turns, each its best
of ``--repeats``.

Then the operation alone: the TF's ``apply_batch`` (one seeded generator per text, made
inside the timing) against nlpaug's ``augment(texts)``. The texts are cut into ``--parts``
parts; each run is timed on each part in turn, the parts and runs taking turns within each
repeat, and a run's time is the sum over the parts of its best time on each. So a slow spell
on this noisy machine (it swings 30-100% from one minute to the next) spoils a few turns of
every run alike instead of a whole pass of one.
Swap and deletion run first, before nltk's WordNet is loaded (neither side reads it, and a
user of either has no WordNet in memory); synonym replacement runs last, with WordNet loaded
before timing on both sides, textaug's synonym cache reported cold (first pass) and warm.

First, the cold start, as a user meets it: the paper's N=500 workload (``--cold-rows`` texts,
``eda`` with the paper's alpha and n_aug for that size, 0.05 and 16) through
``textaug.augment``, each run in a fresh Python process. Cold: the process's first
``augment`` call (opening the synonym table, or loading WordNet, included; the import of
textaug and pandas is reported apart); warm: the best of two more calls in the same
process. Then ``n_jobs=2`` against ``n_jobs=1``, each the first call of a fresh process. The
runs take turns, ``--cold-repeats`` times; the ratios are given as best, median and range.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import pandas as pd

import textaug
from textaug import wordnet
from textaug._rng import Rng
from textaug.records import Record
from textaug.tfs.eda import eda_defaults, synonyms_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_texts, settle  # noqa: E402

Run = Callable[[int], object]  # times one part of the data: run(part)


def best_rates(runs: dict[str, tuple[Run, int]], repeats: int, parts: int) -> dict[str, float]:
    """Items per second of each ``(run, items)``: the sum over the parts of the best of
    ``repeats`` times on each; the parts and runs take turns."""
    best = {name: [float("inf")] * parts for name in runs}
    for _ in range(repeats):
        for part in range(parts):
            for name, (run, _) in runs.items():
                start = time.perf_counter()
                run(part)
                best[name][part] = min(best[name][part], time.perf_counter() - start)
    return {name: runs[name][1] / sum(best[name]) for name in runs}


def cut(items: list, parts: int) -> list[list]:
    """``items`` in ``parts`` consecutive slices of near-equal length."""
    bounds = [len(items) * k // parts for k in range(parts + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def op_run(tf: textaug.TransformationFunction, texts: list[str], n_aug: int,
           parts: int) -> tuple[Run, int]:
    """textaug's operation: ``apply_batch`` over each text ``n_aug`` times in a row."""
    batches = [[Record({"text": t}) for t in part for _ in range(n_aug)]
               for part in cut(texts, parts)]
    first = [0, *accumulate(map(len, batches))]  # each record keeps its seed whatever the parts

    def run(part: int) -> object:
        batch = batches[part]
        return tf.apply_batch(batch, [Rng(first[part] + i) for i in range(len(batch))])

    return run, len(texts) * n_aug


def end_to_end_run(tf: textaug.TransformationFunction, texts: list[str],
                   n_aug: int) -> tuple[Run, int]:
    """``textaug.augment`` on the whole frame in one call, as a user runs it: ``n_aug``
    augmentations per row, originals left out (nlpaug returns none either)."""
    policy = textaug.ApplyOnePolicy(n_per_original=n_aug, keep_original=False)
    frame = pd.DataFrame({"text": texts})

    def run(part: int) -> None:
        with warnings.catch_warnings():  # rows an operation cannot change are expected here
            warnings.simplefilter("ignore", textaug.TextaugWarning)
            textaug.augment(frame, [tf], policy, seed=0, dedupe=False)

    return run, len(texts) * n_aug


def nlpaug_run(aug: object, texts: list[str], n_aug: int, parts: int) -> tuple[Run, int]:
    """nlpaug's ``augment`` over each text ``n_aug`` times in a row."""
    batches = [[t for t in part for _ in range(n_aug)] for part in cut(texts, parts)]
    return (lambda part: aug.augment(batches[part])), len(texts) * n_aug  # type: ignore[attr-defined]


# One fresh process: import, then augment the first `rows` texts `calls` times, timing each.
CHILD = """
import json, sys, time, warnings
from pathlib import Path
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import pandas as pd
import textaug
from texts import load_texts
imported = time.perf_counter() - start
rows, n_jobs, calls = map(int, sys.argv[3:6])
frame = pd.DataFrame({"text": load_texts(Path(sys.argv[2]))[:rows]})
alpha, n_aug = textaug.tfs.eda_defaults(rows)
times = []
for _ in range(calls):
    tf = textaug.tfs.eda(alpha=alpha)
    policy = textaug.ApplyOnePolicy(n_per_original=n_aug, keep_original=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", textaug.TextaugWarning)
        begin = time.perf_counter()
        out = textaug.augment(frame, [tf], policy, seed=0, dedupe=False, n_jobs=n_jobs)
        times.append(time.perf_counter() - begin)
loaded = [name for name in ("nltk", "inflect") if name in sys.modules]
print(json.dumps({"import": imported, "times": times, "rows": len(out), "loaded": loaded}))
"""


def fresh_process(data: Path, rows: int, n_jobs: int, calls: int) -> dict:
    """Run :data:`CHILD` in a new interpreter; its timings."""
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run([sys.executable, "-c", CHILD, here, str(data), str(rows), str(n_jobs),
                           str(calls)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def spread(values: list[float]) -> str:
    return (f"best {max(values):.2f}x, median {statistics.median(values):.2f}x, "
            f"range {min(values):.2f}-{max(values):.2f}x")


def cold_start(data: Path, rows: int, repeats: int) -> None:
    """Cold against warm throughput, and n_jobs=2 against n_jobs=1, each in fresh processes."""
    alpha, n_aug = eda_defaults(rows)
    print(f"cold start: {rows} texts x {n_aug} augmentations (eda, alpha {alpha}) through "
          f"augment, {repeats} turns of fresh processes")
    cold, warm, ratios, jobs = [], [], [], []
    for _ in range(repeats):
        run = fresh_process(data, rows, 1, 3)
        first, rest = run["times"][0], min(run["times"][1:])
        cold.append(run["rows"] / first)
        warm.append(run["rows"] / rest)
        ratios.append(rest / first)
        one = fresh_process(data, rows, 1, 1)["times"][0]
        two = fresh_process(data, rows, 2, 1)["times"][0]
        jobs.append(one / two)
    print(f"  cold (first augment call of a fresh process) {max(cold):7.0f} augmentations/s "
          f"(best; range {min(cold):.0f}-{max(cold):.0f}); warm {max(warm):7.0f} "
          f"(range {min(warm):.0f}-{max(warm):.0f}); import of textaug and pandas "
          f"{run['import']:.2f} s, apart; loaded: {', '.join(run['loaded']) or 'no nltk/inflect'}")
    print(f"  cold / warm throughput: {spread(ratios)} (target >= 0.80)")
    print(f"  n_jobs=2 / n_jobs=1 speed (first call of a fresh process each): {spread(jobs)} "
          "(target > 1)")


def nlpaug_synonym(texts: list[str]):
    import nlpaug.augmenter.word as naw

    try:
        aug = naw.SynonymAug(aug_src="wordnet", aug_p=0.1)
        aug.augment(texts[:2])
    except LookupError:
        return None
    return aug


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--cold-rows", type=int, default=500,
                        help="texts of the cold-start workload (default: the paper's N=500)")
    parser.add_argument("--cold-repeats", type=int, default=5)
    args = parser.parse_args(argv)
    settle(args, rows=6, repeats=1, parts=2, cold_rows=20, cold_repeats=1)
    cold_start(args.data, args.cold_rows, args.cold_repeats)

    import nlpaug.augmenter.word as naw

    texts = load_texts(args.data)[: args.rows]
    n_aug = eda_defaults(len(texts))[1]
    words = sum(len(text.split()) for text in texts) / max(len(texts), 1)
    print(f"data: {args.data} ({len(texts)} texts of {words:.1f} words on average; the paper's "
          f"n_aug for this size: {n_aug}); augmented texts per second, best of {args.repeats} "
          f"on each of {args.parts} parts, runs taking turns (nlpaug's time grows with the "
          "words of a text, textaug's is nearly flat under about 15: see the README)")
    # Swap and deletion first, in a process without nltk's WordNet, as their users' are (about
    # 500,000 objects that slowed textaug's side by a few per cent); then synonyms, WordNet loaded
    pairs: list[tuple[str, textaug.TransformationFunction, object]] = [
        ("random swap", textaug.tfs.random_swap(alpha_rs=0.1),
         naw.RandomWordAug(action="swap", aug_p=0.1)),
        ("random delete", textaug.tfs.random_deletion(p_rd=0.1),
         naw.RandomWordAug(action="delete", aug_p=0.1)),
    ]
    for name, tf, aug in pairs:
        whole = {"end to end": end_to_end_run(tf, texts, 1),
                 "nlpaug": nlpaug_run(aug, texts, 1, 1),
                 f"end to end x{n_aug}": end_to_end_run(tf, texts, n_aug),
                 f"nlpaug x{n_aug}": nlpaug_run(aug, texts, n_aug, 1)}
        report_end_to_end(name, best_rates(whole, args.repeats, 1), n_aug)
        compare_operations(name, tf, aug, texts, n_aug, args)

    wordnet.load()  # both sides read WordNet through nltk here; loaded before timing
    sr = textaug.tfs.synonym_replacement(alpha_sr=0.1)
    synonyms_of.cache_clear()
    wordnet.synonyms.cache_clear()
    cold = best_rates({"cold": op_run(sr, texts, 1, 1)}, 1, 1)["cold"]
    compare_operations("synonym replacement", sr, nlpaug_synonym(texts), texts, n_aug, args)
    print(f"  (textaug's first pass, synonym cache cold: {cold:.0f} texts/s)")


def compare_operations(name: str, tf: textaug.TransformationFunction, aug: object,
                       texts: list[str], n_aug: int, args: argparse.Namespace) -> None:
    """The operation alone (``apply_batch``) against nlpaug's, where there is one."""
    runs = {"op": op_run(tf, texts, 1, args.parts),
            f"op x{n_aug}": op_run(tf, texts, n_aug, args.parts)}
    if aug is not None:
        runs["nlpaug"] = nlpaug_run(aug, texts, 1, args.parts)
        runs[f"nlpaug x{n_aug}"] = nlpaug_run(aug, texts, n_aug, args.parts)
    report(name, best_rates(runs, args.repeats, args.parts), n_aug)


def report_end_to_end(name: str, rates: dict[str, float], n_aug: int) -> None:
    one, many = rates["end to end"], rates[f"end to end x{n_aug}"]
    theirs, theirs_many = rates["nlpaug"], rates[f"nlpaug x{n_aug}"]
    print(f"{name:20} END TO END (augment on the whole frame): one per text {one:7.0f} vs "
          f"nlpaug {theirs:7.0f}, ratio {one / theirs:.1f}x; x{n_aug} per text {many:7.0f} vs "
          f"{theirs_many:7.0f}, ratio {many / theirs_many:.1f}x")


def report(name: str, rates: dict[str, float], n_aug: int) -> None:
    op, many = rates["op"], rates[f"op x{n_aug}"]
    theirs, theirs_many = rates.get("nlpaug"), rates.get(f"nlpaug x{n_aug}")
    if theirs is None or theirs_many is None:
        print(f"{name:20} textaug {op:8.0f} (x{n_aug}: {many:.0f}); "
              "nlpaug not run: its SynonymAug needs nltk's averaged_perceptron_tagger data, "
              "which is not installed here")
        return
    print(f"{name:20} operation alone: textaug {op:8.0f}; nlpaug {theirs:7.0f}; "
          f"ratio {op / theirs:.1f}x; x{n_aug} per text: {many:.0f} vs {theirs_many:.0f}, "
          f"ratio {many / theirs_many:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
