"""Weak label quality against real tags, and label model fit time against snorkel's.

Usage:
    python benchmarks/labeling_quality.py [DATA] [--lexicon PATH] [--top 8] [--rows N]
        [--repeats 3] [--epochs 100] [--examples 4] [--seed 0] [--quick]

DATA is Made With ML's projects.json (title + description, and each project's real
``tags``) or a CSV/JSON Lines file with ``text`` and ``tags`` columns (a list or a JSON
list per row; default, or when DATA is missing: textaug/data/projects.csv). One keyword LF
per tag of the lexicon (``--lexicon``, default the bundled lexicons/ml_aliases.json;
Made With ML's full tags.json gives 400), applied with ``apply_lfs``.

The tags scored are the ``--top`` most frequent real tags among the lexicon's top-level
tags (those without parents). A tag's LFs are its own and those of every tag below it
(``computer-vision`` gets the LFs of ``object-detection``, ``3d``, ...); ``tag_matrices``
gives one binary matrix per scored tag and ``MultiLabel`` recombines the predictions of
majority vote, snorkel's LabelModel (``textaug.labeling.models.LabelModel``) and
Dawid-Skene. Printed per tag: the real count, the LFs, the coverage (share of rows with
at least one vote for the tag), then precision, recall and F1 of each model; then micro
and macro averages, the fit time of each model (best of ``--repeats``, all tags)
against snorkel's ``LabelModel`` fitted directly on the same matrices (with the same
seed: the probabilities are compared too), and examples where the weak labels are
wrong: false positives with the LFs that voted, false negatives with the real tags.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textaug.labeling.applier import apply_lfs
from textaug.labeling.lf import keyword_lfs
from textaug.labeling.models import (
    DawidSkene,
    LabelModel,
    LabelModelLike,
    MajorityVote,
    MultiLabel,
    tag_matrices,
)
from textaug.lexicon import Lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_lexicon, load_projects, settle  # noqa: E402

MODELS = ("majority", "label_model", "dawid_skene")
MIN_SNORKEL_LFS = 3
OTHER = "\x00other"
DIRECT = "snorkel LabelModel direct"  # the tag of LFs outside a scored tag's subtree


def scored_tags(lexicon: Lexicon, lf_tags: Sequence[str], gold: list[list[str]],
                top: int) -> list[str]:
    """The ``top`` most frequent real tags that have LFs and no parents in the lexicon."""
    counts = Counter(tag for tags in gold for tag in tags)
    candidates = [t for t in dict.fromkeys(lf_tags) if not lexicon.parents.get(t) and counts[t]]
    return sorted(candidates, key=lambda t: (-counts[t], t))[:top]


def subtree_matrices(lexicon: Lexicon, L: np.ndarray, lf_tags: Sequence[str],
                     tags: Sequence[str]) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """Per scored tag, the binary matrix of its LFs and those of the tags below it."""
    ancestors = [lexicon.ancestors(t) for t in lf_tags]
    Ls, columns = {}, {}
    for tag in tags:
        owners = [tag if tag in up else OTHER for up in ancestors]
        Ls[tag] = tag_matrices(L, owners)[tag]
        columns[tag] = [j for j, owner in enumerate(owners) if owner == tag]
    return Ls, columns


class SnorkelOrMajority:
    """Snorkel's LabelModel, or majority vote on a matrix of fewer than 3 LFs (snorkel's
    minimum: it raises on fewer)."""

    def __init__(self, seed: int, epochs: int) -> None:
        self.seed, self.epochs = seed, epochs
        self.model: LabelModelLike = MajorityVote()

    def fit(self, L: np.ndarray) -> SnorkelOrMajority:
        if L.shape[1] >= MIN_SNORKEL_LFS:
            self.model = LabelModel(seed=self.seed, n_epochs=self.epochs)
        self.model.fit(L)
        return self

    def predict_proba(self, L: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(L)


def factories(seed: int, epochs: int) -> dict[str, Callable[[], LabelModelLike]]:
    return {"majority": MajorityVote,
            "label_model": lambda: SnorkelOrMajority(seed, epochs),
            "dawid_skene": lambda: DawidSkene(seed=seed)}


def prf(predicted: np.ndarray, truth: np.ndarray) -> tuple[int, int, int]:
    """True positives, false positives, false negatives."""
    return (int((predicted & truth).sum()), int((predicted & ~truth).sum()),
            int((~predicted & truth).sum()))


def scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def quality_table(predictions: dict[str, dict[str, np.ndarray]], truth: dict[str, np.ndarray],
                  Ls: dict[str, np.ndarray]) -> list[str]:
    """One line per tag, then micro and macro averages over the tags."""
    head = " ".join(f"{m[:11] + ' P/R/F1':>26}" for m in MODELS)
    lines = [f"{'tag':<30} {'real':>5} {'LFs':>4} {'cover':>6} {head}"]
    totals = {m: np.zeros(3, dtype=int) for m in MODELS}
    per_tag: dict[str, list[tuple[float, float, float]]] = {m: [] for m in MODELS}
    for tag, L in Ls.items():
        cells = []
        for m in MODELS:
            counts = prf(predictions[m][tag], truth[tag])
            totals[m] += counts
            per_tag[m].append(scores(*counts))
            cells.append("{:>8.3f}{:>9.3f}{:>9.3f}".format(*per_tag[m][-1]))
        coverage = float((L != -1).any(axis=1).mean())
        lines.append(f"{tag:<30} {int(truth[tag].sum()):>5} {L.shape[1]:>4} "
                     f"{coverage:>6.3f} {' '.join(cells)}")
    micro = " ".join("{:>8.3f}{:>9.3f}{:>9.3f}".format(*scores(*totals[m])) for m in MODELS)
    macro = " ".join("{:>8.3f}{:>9.3f}{:>9.3f}".format(*np.mean(per_tag[m], axis=0))
                     for m in MODELS)
    lines.append(f"{'micro':<30} {'':>5} {'':>4} {'':>6} {micro}")
    lines.append(f"{'macro':<30} {'':>5} {'':>4} {'':>6} {macro}")
    return lines


def best_fit_times(fits: Mapping[str, Callable[[], Any]],
                   repeats: int) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Each fit's best wall-clock and best CPU time (this process, all threads) of
    ``repeats`` after a warm-up turn, the fits taking turns (so a load on the machine falls
    on all of them), and what each fit returned last."""
    best = {name: np.full(2, np.inf) for name in fits}
    fitted = {name: fit() for name, fit in fits.items()}  # an untimed warm-up turn
    for _ in range(repeats):
        for name, fit in fits.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fitted[name] = fit()
            spent = np.array([time.perf_counter() - wall, time.process_time() - cpu])
            best[name] = np.minimum(best[name], spent)
    return best, fitted


def fit_new(factory: Callable[[], LabelModelLike], L: np.ndarray) -> Any:
    return factory().fit(L)


def snorkel_fit(L: np.ndarray, seed: int, epochs: int) -> Any:
    """Snorkel's LabelModel fitted directly (it seeds the global generators itself)."""
    from snorkel.labeling.model import LabelModel as SnorkelLabelModel

    model = SnorkelLabelModel(cardinality=2, verbose=False)
    model.fit(L, seed=seed, n_epochs=epochs, progress_bar=False)
    return model


def fit_times(Ls: dict[str, np.ndarray], seed: int, epochs: int, repeats: int) -> list[str]:
    """Each model's fit time over the tags with at least 3 LFs against snorkel's LabelModel
    fitted directly on the same matrices."""
    Ls = {tag: L for tag, L in Ls.items() if L.shape[1] >= MIN_SNORKEL_LFS}
    if not Ls:
        return [f"fit time: no tag has the {MIN_SNORKEL_LFS} LFs snorkel's LabelModel needs"]
    made = {**factories(seed, epochs), "label_model": lambda: LabelModel(seed=seed,
                                                                         n_epochs=epochs)}
    times, gap = {name: np.zeros(2) for name in [*MODELS, DIRECT]}, 0.0
    for L in Ls.values():
        fits = {m: partial(fit_new, made[m], L) for m in MODELS}
        fits[DIRECT] = partial(snorkel_fit, L, seed, epochs)
        seconds, fitted = best_fit_times(fits, repeats)
        times = {name: times[name] + seconds[name] for name in times}
        ours, theirs = fitted["label_model"], fitted[DIRECT]
        gap = max(gap, float(np.abs(ours.predict_proba(L) - theirs.predict_proba(L)).max()))
    lines = [f"fit time over the {len(Ls)} tags with >= {MIN_SNORKEL_LFS} LFs ({epochs} epochs, "
             f"best of {repeats} after a warm-up, taking turns; ratio = snorkel direct / model):",
             f"  {'':<25} {'wall ms':>9} {'ratio':>8} {'CPU ms':>9} {'ratio':>8}"]
    for name, spent in times.items():
        wall, cpu = np.maximum(spent, 1e-9)
        lines.append(f"  {name:<25} {wall * 1e3:9.1f} {times[DIRECT][0] / wall:7.1f}x "
                     f"{cpu * 1e3:9.1f} {times[DIRECT][1] / cpu:7.1f}x")
    lines.append(f"  label_model vs snorkel direct, same seed: max |P difference| {gap:.2e}")
    return lines


def wrong_examples(texts: list[str], gold: list[list[str]], predicted: dict[str, np.ndarray],
                   truth: dict[str, np.ndarray], L: np.ndarray, names: Sequence[str],
                   columns: dict[str, list[int]], count: int, seed: int) -> list[str]:
    """Up to ``count`` false positives (with the LFs that voted) and false negatives."""
    rng = np.random.default_rng(seed)
    cases = {"false positive": [(tag, i) for tag in truth
                                for i in np.flatnonzero(predicted[tag] & ~truth[tag])],
             "false negative": [(tag, i) for tag in truth
                                for i in np.flatnonzero(~predicted[tag] & truth[tag])]}
    lines = []
    for kind, found in cases.items():
        picks = (rng.choice(len(found), size=min(count, len(found)), replace=False).tolist()
                 if found else [])
        lines.append(f"{kind}s of label_model: {len(found)} (tag, row) pairs; "
                     f"{len(picks)} of them:")
        for k in sorted(picks):
            tag, i = found[k]
            voted = [names[j] for j in columns[tag] if L[i, j] != -1]
            lines.append(f"  [{tag}] row {i}: {texts[i][:110]!r}")
            lines.append(f"      voted: {', '.join(voted) or 'no LF of the tag'}; "
                         f"real tags: {', '.join(gold[i])}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--lexicon", type=Path, default=None)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--examples", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=100,
                        help="snorkel LabelModel's n_epochs (default 100, snorkel's)")
    args = parser.parse_args(argv)
    settle(args, rows=200, repeats=1, epochs=5)

    lexicon = load_lexicon(args.lexicon)
    texts, gold = load_projects(args.data)
    texts, gold = texts[: args.rows], gold[: args.rows]
    lfs = keyword_lfs(lexicon)
    lexicon = lfs[0].lexicon
    result = apply_lfs(pd.DataFrame({"text": texts}), lfs)
    lf_tags = [lf.tag for lf in lfs]
    tags = scored_tags(lexicon, lf_tags, gold, args.top)
    Ls, columns = subtree_matrices(lexicon, result.L, lf_tags, tags)
    truth = {tag: np.array([tag in row for row in gold]) for tag in tags}
    predictions = {}
    for name, factory in factories(args.seed, args.epochs).items():
        picked = MultiLabel(factory).fit(Ls).predict(Ls)
        predictions[name] = {tag: np.array([tag in row for row in picked]) for tag in tags}
    print(f"data: {args.data} ({len(texts)} projects); {len(lfs)} keyword LFs; "
          f"the {len(tags)} most frequent top-level real tags; seed {args.seed}")
    print("\n".join(quality_table(predictions, truth, Ls)))
    few = [tag for tag, L in Ls.items() if L.shape[1] < MIN_SNORKEL_LFS]
    if few:
        print(f"label_model on tags with fewer than {MIN_SNORKEL_LFS} LFs (snorkel's minimum) "
              f"is majority vote: {', '.join(few)}")
    print("\n".join(fit_times(Ls, args.seed, args.epochs, args.repeats)))
    print("\n".join(wrong_examples(texts, gold, predictions["label_model"], truth, result.L,
                                   result.names, columns, args.examples, args.seed)))


if __name__ == "__main__":
    main()
