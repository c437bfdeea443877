"""What ``augment(..., relabel=labeler)`` changes, and what it costs.

Usage:
    python benchmarks/relabel.py [DATA] [--lexicon PATH] [--tf deletion|swap] [--n 3]
        [--rows N] [--repeats 3] [--examples 5] [--seed 0] [--quick]

DATA: Made With ML's projects.json or a CSV / JSON Lines file with ``text`` and ``tags``
(default: the bundled textaug/data/projects.csv). The rows, with their real tags, are
augmented ``--n`` times each through ``textaug.augment`` by one TF (``deletion``: EDA's
random deletion, p=0.2; ``swap``: ``swap_aliases``), once plainly and once with
``relabel=Labeler(keyword_lfs(lexicon), "majority")``, side by side in one process.
Printed: the relabel outcomes (rows whose tags changed, stayed, or on which the LFs gave no
evidence), the tags taken away and given per tag, the time of the relabelled run against the
plain one (best of ``--repeats``), and examples of changed rows.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

import textaug
from textaug.labeling import Labeler, keyword_lfs
from textaug.lexicon import normalize_tag
from textaug.tfs import random_deletion, swap_aliases

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_lexicon, load_projects, settle  # noqa: E402


def make_tf(name: str, lexicon: Any) -> Any:
    return random_deletion(p_rd=0.2) if name == "deletion" else swap_aliases(lexicon)


def best_time(run: Any, repeats: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return best, out


def tag_moves(made: pd.DataFrame) -> tuple[Counter[str], Counter[str]]:
    """Per tag: how often relabel took it away, and how often it gave it."""
    taken, given = Counter[str](), Counter[str]()
    for old, new in zip(made["textaug_source_label"], made["tags"], strict=True):
        before = {normalize_tag(t) for t in old}
        after = {normalize_tag(t) for t in new}
        taken.update(before - after)
        given.update(after - before)
    return taken, given


def examples(made: pd.DataFrame, originals: dict[Any, str], n: int) -> list[str]:
    changed = made[[list(a) != list(b) for a, b in
                    zip(made["tags"], made["textaug_source_label"], strict=True)]]
    lines = []
    for _, row in changed.head(n).iterrows():
        lines += [f"  source: {originals[row['textaug_source']][:110]!r}",
                  f"  made:   {row['text'][:110]!r}",
                  f"  tags:   {list(row['textaug_source_label'])} -> {list(row['tags'])}"]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--lexicon", type=Path, default=None)
    parser.add_argument("--tf", choices=("deletion", "swap"), default="deletion")
    parser.add_argument("--n", type=int, default=3)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    settle(args, rows=200, repeats=1)
    lexicon = load_lexicon(args.lexicon)
    texts, gold = load_projects(args.data)
    df = pd.DataFrame({"text": texts, "tags": gold})[: args.rows]
    tf = make_tf(args.tf, lexicon)
    policy = textaug.RandomPolicy(n_per_original=args.n, keep_original=False)
    labeler = Labeler(keyword_lfs(lexicon), "majority", seed=args.seed).fit(df)

    def run(relabel: Any) -> Any:
        with warnings.catch_warnings():  # rows with nothing to delete: counted below
            warnings.simplefilter("ignore", textaug.TextaugWarning)
            return textaug.augment(df, [tf], policy, seed=args.seed, label="tags",
                                   relabel=relabel, return_report=True)

    plain_s, _ = best_time(lambda: run(None), args.repeats)
    relabel_s, (made, report) = best_time(lambda: run(labeler), args.repeats)
    counts = report.relabel
    total = sum(counts.values()) or 1
    print(f"data: {args.data} ({len(df)} rows); {len(labeler.lfs)} keyword LFs; TF "
          f"{tf.name}, {args.n} per row; seed {args.seed}")
    print(f"augmented rows: {len(made)} (rows with none: {len(report.unaugmented)}); " + ", ".join(
        f"{status} {counts[status]} ({counts[status] / total:.1%})"
        for status in ("changed", "same", "abstained")))
    taken, given = tag_moves(made)
    print(f"tags taken away: {sum(taken.values())}; given: {sum(given.values())}")
    for tag, _ in (taken + given).most_common(8):
        print(f"  {tag:40} taken {taken[tag]:5}  given {given[tag]:5}")
    print(f"time: plain {plain_s:.2f} s, with relabel {relabel_s:.2f} s "
          f"({relabel_s / plain_s:.2f}x the plain run; best of {args.repeats})")
    print("examples of changed rows:")
    print("\n".join(examples(made, dict(enumerate(df["text"])), args.examples)))


if __name__ == "__main__":
    main()
