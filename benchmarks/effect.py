"""Does augmentation help? none vs the EDA paper's settings vs textaug's recommended policy.

Usage:
    python benchmarks/effect.py [DATA_DIR] [--sizes 500 2000] [--seeds 5]
                                [--models cnn tfidf] [--cache DIR] [--quick]

DATA_DIR holds one folder per data set, each with ``train.txt`` and ``test.txt``
(``label<TAB>text`` lines; ``benchmarks/to_labelled_text.py`` writes Made With ML's
4-class data so), or is such a folder itself. For each data set, training size and
model, ``textaug.evaluate`` trains on seeded stratified subsamples of the training
split (a size larger than the split is all of it) with three augmenters: ``none``,
``eda-paper`` (``eda`` with the paper's alpha and augmentations per original for the
size, ``eda_defaults``) and ``recommended`` (``recommended_policy(size)``). It prints
the mean test accuracy of each, the paired gain over ``none`` (same subsample and
seed) with its 95% interval, in points, and the mean seconds a run took (augmenting
and training; for a cached run, as recorded when it was made); then the same averaged
over the data sets, and the wall time. Every run is cached under ``--cache`` (default
~/.cache/textaug/effect), so an interrupted benchmark resumes and a rerun prints at
once. ``--quick`` (or ``TEXTAUG_BENCH_QUICK=1``): size 40, 2 seeds, tfidf (a smoke
test of the script, not a measurement). Without DATA_DIR, or where it holds no data set,
it says so and uses the bundled projects (see ``benchmarks/to_labelled_text.py``),
written under the cache folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from textaug import ApplyOnePolicy
from textaug.evaluate.recommend import recommended_policy
from textaug.evaluate.run import Evaluation, evaluate
from textaug.tfs.eda import eda, eda_defaults

DEFAULT_CACHE = Path.home() / ".cache" / "textaug" / "effect"
COLUMNS = ["size", "augmenter", "runs", "accuracy", "gain", "gain_low", "gain_high"]
POINTS = ["accuracy", "gain", "gain_low", "gain_high"]
QUICK_ENV = "TEXTAUG_BENCH_QUICK"


def read_labelled(path: Path) -> pd.DataFrame:
    """The text and label columns of a ``label<TAB>text`` file (other lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t", 1) for line in handle]
    rows = [row for row in rows if len(row) == 2 and row[0] and row[1].strip()]
    return pd.DataFrame({"text": [r[1] for r in rows], "label": [r[0] for r in rows]})


def read_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The train and test frames of one data set folder."""
    return read_labelled(folder / "train.txt"), read_labelled(folder / "test.txt")


def data_sets(data_dir: Path | None, scratch: Path) -> list[Path]:
    """The data set folders under ``data_dir`` (or ``data_dir`` itself), by name; else
    the bundled projects, written under ``scratch``."""
    if data_dir is None or not data_dir.exists():
        why = "no DATA_DIR given" if data_dir is None else f"{data_dir} not found"
        return [_bundled(why, scratch)]
    if (data_dir / "train.txt").is_file():
        return [data_dir]
    found = sorted(p for p in data_dir.iterdir() if (p / "train.txt").is_file()
                   and (p / "test.txt").is_file()) if data_dir.is_dir() else []
    if not found:
        raise SystemExit(f"No data set in {data_dir}: it needs folders with train.txt and "
                         "test.txt (label<TAB>text lines); see benchmarks/to_labelled_text.py.")
    return found


def _bundled(why: str, scratch: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from to_labelled_text import BUNDLED, bundled

    print(f"{why}: using the bundled {BUNDLED}", file=sys.stderr)
    return bundled(scratch)


def augmenters(size: int) -> dict[str, Any]:
    """The augmenters compared at one training size (``none`` is added by evaluate)."""
    alpha, n_aug = eda_defaults(size)
    return {"eda-paper": ([eda(alpha)], ApplyOnePolicy(n_aug)),
            "recommended": recommended_policy(size)}


def table(result: Evaluation) -> pd.DataFrame:
    """The summary's columns, accuracy and gains in points."""
    out = result.summary()[COLUMNS].copy()
    out[POINTS] = out[POINTS] * 100
    return out


def run_one(train: pd.DataFrame, test: pd.DataFrame, size: int, model: str, seeds: int,
            cache: Path | None) -> pd.DataFrame:
    """The table of one data set, size and model."""
    result = evaluate(train, test, augmenters(size), model=model, sizes=[size], seeds=seeds,
                      progress=False, cache_dir=cache)
    seconds = result.runs.groupby("augmenter", sort=False)["seconds"].mean()
    found = table(result)
    return found.assign(s_per_run=found["augmenter"].map(seconds))


def show(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False, float_format=lambda v: f"{v:.2f}")


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    started, tables = time.perf_counter(), []
    for folder in data_sets(args.data, args.cache / "data"):
        train, test = read_folder(folder)
        print(f"data set {folder.name}: train {len(train)}, test {len(test)}, "
              f"{test['label'].nunique()} labels", flush=True)
        for size in sorted({min(s, len(train)) for s in args.sizes}):
            for model in args.models:
                began = time.perf_counter()
                found = run_one(train, test, size, model, args.seeds, args.cache)
                whole = " (the whole training split)" if size == len(train) else ""
                print(f"\n{folder.name}, size {size}{whole}, model {model}, {args.seeds} seeds "
                      f"({time.perf_counter() - began:.0f} s):\n{show(found.drop(columns='size'))}",
                      flush=True)
                tables.append(found.assign(data=folder.name, model=model))
    print(f"\naverage over data sets (accuracy and gain in points):\n{show(average(tables))}")
    print(f"\nwall time {time.perf_counter() - started:.0f} s")


def average(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Per model, size and augmenter: the mean over data sets of accuracy and gain."""
    every = pd.concat(tables, ignore_index=True)
    grouped = every.groupby(["model", "size", "augmenter"], sort=False)
    out = grouped[["accuracy", "gain"]].mean()
    out.insert(0, "data_sets", grouped["data"].nunique())
    return out.reset_index()


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=None)
    parser.add_argument("--sizes", nargs="+", type=int, default=[500, 2000])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--models", nargs="+", default=["cnn", "tfidf"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--quick", action="store_true",
                        default=os.environ.get(QUICK_ENV, "") not in ("", "0"),
                        help="size 40, 2 seeds, tfidf: checks the script, measures nothing "
                             f"(also set by {QUICK_ENV}=1)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.seeds, args.models = [40], 2, ["tfidf"]
    if min(args.sizes) < 1 or args.seeds < 1:
        parser.error("--sizes and --seeds must be >= 1")
    return args


if __name__ == "__main__":
    main(sys.argv[1:])
