"""The grid that chose ``textaug.evaluate.recommend.recommended_policy``.

Usage:
    python benchmarks/choose_policy.py [DATA_FOLDER] [--size 500] [--seeds 5 6 7 8 9]
                                       [--models cnn tfidf] [--only NAME ...] [--cache DIR]
                                       [--quick]

DATA_FOLDER holds ``train.txt`` and ``test.txt`` (``label<TAB>text`` lines, as
``benchmarks/to_labelled_text.py`` writes them). For each model, ``evaluate`` runs every
candidate augmenter below at one training size with the given seeds, paired with no
augmentation, and prints the mean accuracy and the paired gain (mean and 95% interval),
in points, best gain first, and the wall time. The default seeds, 5 to 9, are not
those ``benchmarks/effect.py`` reports (0 to 4): the policy is chosen on other
subsamples than the ones its gain is measured on. Runs are cached (default ~/.cache/textaug/effect,
the cache ``benchmarks/effect.py`` uses), so a rerun or the effect benchmark reuses them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from textaug import ApplyOnePolicy, RandomPolicy
from textaug.evaluate.run import evaluate
from textaug.tfs.eda import eda, random_deletion, random_insertion, random_swap, synonym_replacement
from textaug.validators import negation_preserved, not_identical

DEFAULT_CACHE = Path.home() / ".cache" / "textaug" / "effect"  # benchmarks/effect.py's
QUICK_ENV = "TEXTAUG_BENCH_QUICK"
QUICK_CANDIDATES = ["eda-paper a.05 n16", "eda a.1 n4 +val", "sr-rs-rd a.1 n4", "rs-rd a.1 n4"]


def read_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The train and test frames of a folder of label<TAB>text files."""
    frames = []
    for name in ("train.txt", "test.txt"):
        with (folder / name).open(encoding="utf-8") as handle:
            rows = [line.rstrip("\n").split("\t", 1) for line in handle]
        rows = [row for row in rows if len(row) == 2 and row[0] and row[1].strip()]
        frames.append(pd.DataFrame({"text": [r[1] for r in rows], "label": [r[0] for r in rows]}))
    return frames[0], frames[1]


def table(result: Any) -> pd.DataFrame:
    """The summary's columns, accuracy and gains in points."""
    out = result.summary()[["size", "augmenter", "runs", "accuracy", "gain", "gain_low",
                            "gain_high"]].copy()
    for column in ("accuracy", "gain", "gain_low", "gain_high"):
        out[column] = (out[column] * 100).round(2)
    return out


def checks() -> list[Any]:
    """The cheap label-preservation validators of the grid."""
    return [not_identical(), negation_preserved()]


def candidates() -> dict[str, Any]:
    """Name -> (tfs, policy[, validators]): the grid."""
    def ops(alpha: float, insert: bool = True, replace: bool = True) -> list[Any]:
        tfs = [random_swap(alpha), random_deletion(alpha)]
        tfs += [synonym_replacement(alpha)] if replace else []
        return tfs + ([random_insertion(alpha)] if insert else [])

    return {
        "eda-paper a.05 n16": ([eda(0.05)], ApplyOnePolicy(16)),
        "eda a.05 n4": ([eda(0.05)], ApplyOnePolicy(4)),
        "eda a.05 n8": ([eda(0.05)], ApplyOnePolicy(8)),
        "eda a.1 n2": ([eda(0.1)], ApplyOnePolicy(2)),
        "eda a.1 n4": ([eda(0.1)], ApplyOnePolicy(4)),
        "eda a.1 n8": ([eda(0.1)], ApplyOnePolicy(8)),
        "eda a.1 n16": ([eda(0.1)], ApplyOnePolicy(16)),
        "eda a.2 n4": ([eda(0.2)], ApplyOnePolicy(4)),
        "eda a.1 n4 +val": ([eda(0.1)], ApplyOnePolicy(4), checks()),
        "eda a.1 n8 +val": ([eda(0.1)], ApplyOnePolicy(8), checks()),
        "eda a.05 n16 +val": ([eda(0.05)], ApplyOnePolicy(16), checks()),
        "sr-rs-rd a.1 n4": (ops(0.1, insert=False), RandomPolicy(1, 4)),
        "sr-rs-rd a.1 n2 +val": (ops(0.1, insert=False), RandomPolicy(1, 2), checks()),
        "sr-rs-rd a.1 n4 +val": (ops(0.1, insert=False), RandomPolicy(1, 4), checks()),
        "sr-rs-rd a.1 n8 +val": (ops(0.1, insert=False), RandomPolicy(1, 8), checks()),
        "sr-rs-rd a.1 n16 +val": (ops(0.1, insert=False), RandomPolicy(1, 16), checks()),
        "sr-rs-rd a.2 n8 +val": (ops(0.2, insert=False), RandomPolicy(1, 8), checks()),
        "rs-rd a.1 n4": (ops(0.1, insert=False, replace=False), RandomPolicy(1, 4)),
        "rs-rd a.1 n8": (ops(0.1, insert=False, replace=False), RandomPolicy(1, 8)),
    }


def data_folder(data: Path | None, scratch: Path) -> Path:
    """``data``, or the bundled projects written under ``scratch`` (saying so)."""
    if data is not None and data.exists():
        return data
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from to_labelled_text import BUNDLED, bundled

    why = "no DATA_FOLDER given" if data is None else f"{data} not found"
    print(f"{why}: using the bundled {BUNDLED}", file=sys.stderr)
    return bundled(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=None)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--seeds", nargs="+", type=int, default=[5, 6, 7, 8, 9])
    parser.add_argument("--models", nargs="+", default=["cnn", "tfidf"])
    parser.add_argument("--only", nargs="+", default=None)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--quick", action="store_true",
                        default=os.environ.get(QUICK_ENV, "") not in ("", "0"))
    args = parser.parse_args()
    if args.quick:
        args.size, args.seeds, args.models = 40, [5], ["tfidf"]
        args.only = args.only or QUICK_CANDIDATES
    args.data = data_folder(args.data, args.cache / "data")
    train, test = read_folder(args.data)
    grid = {k: v for k, v in candidates().items() if args.only is None or k in args.only}
    print(f"{args.data}: train {len(train)}, test {len(test)}, size {args.size}, "
          f"seeds {args.seeds}", flush=True)
    for model in args.models:
        started = time.perf_counter()
        result = evaluate(train, test, grid, model=model, sizes=[args.size], seeds=args.seeds,
                          progress=False, cache_dir=args.cache)
        found = table(result).sort_values("gain", ascending=False, kind="stable")
        print(f"\nmodel {model} ({time.perf_counter() - started:.0f} s wall; cached runs are "
              f"read, not timed):\n{found.to_string(index=False)}", flush=True)


if __name__ == "__main__":
    main()
