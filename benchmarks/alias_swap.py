"""Alias swapping: the lesson's snorkel pipeline against textaug, same rows, one process.

Usage:
    python benchmarks/alias_swap.py [DATA] [--large-rows 100000] [--anchor-rows N] [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file
with a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv);
``--quick`` runs small sizes to check the script works. The anchor is the lesson's
code: a flat alias dict built from the tag file with inflect, one whole-word regex
search per alias per row, as a snorkel TF under PandasTFApplier with
ApplyOnePolicy(n_per_original=5, keep_original=True); its tag file is the bundled
lexicon's phrases (aliases and keywords, the phrases textaug looks for). textaug runs
swap_aliases with that lexicon under the same policy. Prints rows per second of each
and the ratio.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import inflect
import pandas as pd

import textaug
from textaug.lexicon import Lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_texts, settle  # noqa: E402


def lesson_tags(lexicon: Lexicon) -> dict[str, dict[str, list[str]]]:
    """The lexicon's phrases as the lesson's tag file gave them (lower case, every phrase a
    tag's alias: the lesson knew no keywords), so both sides look for the same phrases."""
    return {tag: {"aliases": phrases[1:]} for tag, phrases in lexicon.groups.items()}


def lesson_tf(tags: dict):
    """The lesson's flat_tags_dict, find_word and swap_aliases, as written there."""
    from snorkel.augmentation import transformation_function

    engine = inflect.engine()
    flat_tags_dict: dict[str, list[str]] = {}
    for tag, info in tags.items():
        tag = tag.replace("-", " ")
        aliases = [a.replace("-", " ") for a in info["aliases"]]
        if len(aliases):
            flat_tags_dict[tag] = aliases
        for alias in aliases:
            _aliases = aliases + [tag]
            _aliases.remove(alias)
            flat_tags_dict[alias] = _aliases
    for tag in list(flat_tags_dict):  # the lesson's can_be_singular / can_be_plural lists
        singular = engine.singular_noun(tag)
        flat_tags_dict[singular or engine.plural_noun(tag)] = flat_tags_dict[tag]

    def find_word(word, text):
        word = word.replace("+", "\\+")
        pattern = re.compile(rf"\b({word})\b", flags=re.IGNORECASE)
        return pattern.search(text)

    @transformation_function()
    def swap_aliases(x):
        matches = []
        for tag in flat_tags_dict:
            match = find_word(tag, x.text)
            if match:
                matches.append(match)
        if len(matches):
            match = random.choice(matches)
            tag = x.text[match.start():match.end()]
            choices = flat_tags_dict.get(tag, flat_tags_dict.get(tag.lower(), [tag]))
            x.text = f"{x.text[:match.start()]}{random.choice(choices)}{x.text[match.end():]}"
        return x

    return swap_aliases, len(flat_tags_dict)


def time_lesson(df: pd.DataFrame, tf) -> float:
    from snorkel.augmentation import ApplyOnePolicy, PandasTFApplier

    start = time.perf_counter()
    PandasTFApplier([tf], ApplyOnePolicy(n_per_original=5, keep_original=True)).apply(
        df, progress_bar=False)
    return len(df) / (time.perf_counter() - start)


def time_textaug(df: pd.DataFrame, label_aware: bool, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        tf = textaug.tfs.swap_aliases(label_aware=label_aware)  # cold caches each time
        start = time.perf_counter()
        textaug.augment(df, [tf], policy=textaug.ApplyOnePolicy(n_per_original=5), seed=0,
                        label="tags" if label_aware else None)
        best = min(best, time.perf_counter() - start)
    return len(df) / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--large-rows", type=int, default=100_000)
    parser.add_argument("--anchor-rows", type=int, default=None,
                        help="rows for the (slow) anchor; default all of DATA")
    args = parser.parse_args(argv)
    settle(args, large_rows=2_000, anchor_rows=40)

    texts = load_texts(args.data)
    tags = lesson_tags(Lexicon.default())
    all_tags = [sorted(tags) for _ in texts]  # every tag allowed: same work as the lesson
    df = pd.DataFrame({"text": texts, "tags": all_tags})
    anchor_df = df.iloc[: args.anchor_rows] if args.anchor_rows else df
    tf, n_patterns = lesson_tf(tags)

    print(f"data: {args.data} ({len(df)} rows); lesson alias dict: {n_patterns} entries")
    lesson = time_lesson(anchor_df[["text"]], tf)
    ours = time_textaug(anchor_df, label_aware=False)
    gated = time_textaug(anchor_df, label_aware=True)
    print(f"lesson (snorkel PandasTFApplier, regex per alias): {lesson:10.1f} rows/s "
          f"on {len(anchor_df)} rows")
    print(f"textaug swap_aliases:                             {ours:10.1f} rows/s")
    print(f"textaug swap_aliases, label-aware:                {gated:10.1f} rows/s")
    print(f"ratio textaug / lesson: {ours / lesson:.0f}x (label-aware: {gated / lesson:.0f}x)")

    reps = -(-args.large_rows // len(df))
    large = pd.concat([df] * reps, ignore_index=True).iloc[: args.large_rows]
    big = time_textaug(large, label_aware=False, repeats=1)
    print(f"{len(large)} rows (DATA repeated): textaug {big:10.1f} rows/s; "
          f"ratio against the lesson's rate above: {big / lesson:.0f}x "
          f"(the lesson is linear in rows: {len(large) / lesson / 60:.0f} min at its rate)")


if __name__ == "__main__":
    sys.exit(main())
