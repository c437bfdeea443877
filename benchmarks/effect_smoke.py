"""A quick look at what EDA does for a classifier: none vs the EDA paper's settings.

Usage:
    python benchmarks/effect_smoke.py [DATA_DIR] [--size 500] [--seeds 2]
                                      [--models tfidf cnn] [--cache DIR]

DATA_DIR holds Made With ML's 4-class ``dataset.csv`` (train) and ``holdout.csv`` (test),
columns title, description and tag (default: /work/shared/data/madewithml/v2023_4class).
The text is title + " " + description, the label the tag. For each model, ``evaluate``
runs at one training size with SEEDS seeds, with no augmentation and with ``eda`` at the
paper's alpha and augmentations per original for that size (``eda_defaults``); it prints
the summary (mean accuracy, paired gain and its 95% interval) and the wall time. This is
a smoke run of the machinery, not the issue's full benchmark (``benchmarks/effect.py``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from textaug import ApplyOnePolicy
from textaug.evaluate.run import evaluate
from textaug.tfs import eda
from textaug.tfs.eda import eda_defaults

DEFAULT = Path("/work/shared/data/madewithml/v2023_4class")


def load(path: Path) -> pd.DataFrame:
    """The text (title + " " + description) and label (tag) of a Made With ML CSV."""
    df = pd.read_csv(path)
    text = df["title"].fillna("") + " " + df["description"].fillna("")
    return pd.DataFrame({"text": text.str.strip(), "label": df["tag"]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["tfidf", "cnn"])
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    train, test = load(args.data / "dataset.csv"), load(args.data / "holdout.csv")
    alpha, n_aug = eda_defaults(args.size)
    augmenters = {f"eda(alpha={alpha}, n={n_aug})": ([eda(alpha)], ApplyOnePolicy(n_aug))}
    print(f"train {len(train)} rows, test {len(test)} rows, size {args.size}, "
          f"{args.seeds} seeds")
    for model in args.models:
        started = time.perf_counter()
        result = evaluate(train, test, augmenters, model=model, sizes=[args.size],
                          seeds=args.seeds, progress=False, cache_dir=args.cache)
        wall = time.perf_counter() - started
        table = result.summary()[["size", "augmenter", "runs", "accuracy", "gain", "gain_low",
                                  "gain_high"]]
        seconds = result.runs.groupby("augmenter", sort=False)["seconds"].mean()
        table = table.assign(seconds_per_run=table["augmenter"].map(seconds))
        print(f"\nmodel {model}: {wall:.1f} s wall")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
