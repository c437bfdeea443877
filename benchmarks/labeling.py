"""LF application: snorkel's PandasLFApplier against textaug's apply_lfs, on the same LFs.

Usage:
    python benchmarks/labeling.py [DATA] [--lexicon PATH] [--rows N] [--repeats 5] [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv). Three
workloads, each checked first to give the same label matrix on both sides: one keyword
LF per tag of the lexicon (``--lexicon``, default the bundled lexicons/ml_aliases.json:
70 tags; Made With ML's full tags.json gives 400), 20 regex LFs (a word each, as whole
words, any case) and 20 plain Python LFs (a substring test each). Each side runs the whole frame;
the runs take turns and each side's time is its best of ``--repeats``. The keyword LFs
under snorkel share the lexicon's per-text match cache (64 texts), so snorkel matches each
text once too, not once per LF: the ratio is the applier's, not the matcher's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from textaug.labeling.applier import apply_lfs
from textaug.labeling.lf import ABSTAIN, LabelingFunction, keyword_lfs, regex_lf
from textaug.lexicon import Lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_lexicon, load_texts, settle  # noqa: E402

WORDS = ["deep", "learning", "model", "image", "text", "data", "neural", "network", "python",
         "tensorflow", "pytorch", "detection", "classification", "generation", "transformer",
         "language", "vision", "training", "dataset", "tutorial"]


def contains(x: object, word: str) -> int:
    text = getattr(x, "text", "")
    return 1 if isinstance(text, str) and word in text.lower() else ABSTAIN


def workloads(lexicon: Lexicon) -> dict[str, list[LabelingFunction]]:
    keywords = keyword_lfs(lexicon)
    return {
        f"{len(keywords)} keyword LFs": list(keywords),
        "20 regex LFs": [regex_lf(f"re_{w}", rf"\b{w}\b", 1, flags=2) for w in WORDS],
        "20 Python LFs": [LabelingFunction(f"py_{w}", contains, {"word": w}) for w in WORDS],
    }


def best_times(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--lexicon", type=Path, default=None)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    settle(args, rows=20, repeats=1)

    from snorkel.labeling import PandasLFApplier

    lexicon = load_lexicon(args.lexicon)
    df = pd.DataFrame({"text": load_texts(args.data)[: args.rows]})
    print(f"data: {args.data} ({len(df)} texts); best of {args.repeats}, runs taking turns")
    for name, lfs in workloads(lexicon).items():
        snorkel = PandasLFApplier(lfs)
        ours = apply_lfs(df, lfs).L
        theirs = snorkel.apply(df, progress_bar=False)
        same = bool(np.array_equal(ours, theirs))
        times = best_times({"snorkel": lambda s=snorkel: s.apply(df, progress_bar=False),
                            "textaug": lambda lfs=lfs: apply_lfs(df, lfs)}, args.repeats)
        print(f"{name}: matrices equal: {same}; votes: {(ours >= 0).sum()}; "
              f"snorkel {times['snorkel'] * 1e3:.1f} ms, textaug {times['textaug'] * 1e3:.1f} ms, "
              f"ratio {times['snorkel'] / times['textaug']:.1f}x")
        if not same:
            raise SystemExit(f"{name}: the label matrices differ")


if __name__ == "__main__":
    main()
