"""The weak-supervision commands: ``textaug label`` and ``textaug lf-report``.

Both build the same LFs: one keyword LF per tag of ``--lexicon`` (``keyword_lfs``) and one
regex LF per ``--regex LABEL=PATTERN``. Without ``--classes`` the task is multi-label
(each LF votes "has my tag" or abstains; a row's label is a list of tags); with
``--classes A,B,C`` it is single-label (each LF votes its class; a row's label is one
class name). ``label`` writes INPUT's rows as read plus the weak label, its confidence and
the LFs that voted; ``lf-report`` prints snorkel's LF summary table. :mod:`textaug.cli`
registers them (:func:`add_commands`) and runs them (:func:`run`).
"""

from __future__ import annotations

import argparse
import difflib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from textaug.cli_checks import check_label_sep, check_named_columns, refuse_overwriting_input
from textaug.errors import InvalidParameterError
from textaug.io import check_format, parse_labels, read_table, write_table
from textaug.labeling import ABSTAIN, apply_lfs, keyword_lfs, lf_summary, regex_lf, weak_label
from textaug.labeling.weak import MODELS
from textaug.lexicon import Lexicon, normalize_tag

COMMANDS = ("label", "lf-report")
LABEL_COLUMN = "weak_label"
SORTS = {"coverage": "Coverage", "overlaps": "Overlaps", "conflicts": "Conflicts",
         "correct": "Correct", "incorrect": "Incorrect", "accuracy": "Emp. Acc."}
LABEL_EXAMPLE = (
    "examples:\n"
    "  textaug label projects.csv -o weak.csv --lexicon lexicons/ml_aliases.json --gold tags\n"
    "  textaug label projects.csv -o weak.csv --lexicon lexicons/ml_aliases.json \\\n"
    "      --classes computer-vision,natural-language-processing \\\n"
    "      --regex 'computer-vision=(?i)\\bconvnets?\\b' --model dawid_skene --seed 0"
)
REPORT_EXAMPLE = (
    "example:\n"
    "  textaug lf-report projects.csv --lexicon lexicons/ml_aliases.json --gold tags \\\n"
    "      --sort coverage --top 20"
)
MODEL_HELP = (
    "how the votes become labels (default: majority). majority: the class (or, per tag, "
    "the vote) most LFs gave; dawid_skene: learns how far to trust each LF (EM); "
    "label_model: snorkel's LabelModel, which needs at least 3 LFs per tag (per task with "
    "--classes) and so fails with one keyword LF per tag unless --regex adds more"
)


class LFSet(NamedTuple):
    """The LFs of a run, what each votes on, and the task's classes (None: multi-label)."""

    lfs: list[Any]
    classes: list[str] | None
    n_keyword: int

    @property
    def tags(self) -> list[str]:
        """The tag (multi-label) or class (single-label) each LF votes on, in LF order."""
        return [lf.tag for lf in self.lfs]


# -- parsers ----------------------------------------------------------------------------


def add_commands(commands: Any) -> None:
    """Add ``label`` and ``lf-report`` to the ``textaug`` subparsers ``commands``."""
    raw = argparse.RawDescriptionHelpFormatter
    label = commands.add_parser(
        "label", help="weak labels from keyword and regex LFs", formatter_class=raw,
        epilog=LABEL_EXAMPLE, description=(
            "Label the texts of INPUT (CSV, JSON Lines or Parquet) with labeling functions:\n"
            "one keyword LF per tag of --lexicon, one regex LF per --regex. Writes INPUT's\n"
            "rows as read plus the label column (--label-column, default weak_label), its\n"
            "confidence (NAME_confidence) and the LFs that voted for it (NAME_lfs). Rows no\n"
            "LF labels are kept with an empty label (or dropped with --drop-abstained)."))
    label.add_argument("input", type=Path, metavar="INPUT", help="the texts to label")
    label.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT",
                       help="where to write the labelled table (format from its suffix)")
    _add_lf_options(label)
    label.add_argument("--model", choices=MODELS, default="majority", help=MODEL_HELP)
    label.add_argument("--label-column", default=LABEL_COLUMN, metavar="NAME",
                       help=f"the new label column (default: {LABEL_COLUMN}); it and "
                            "NAME_confidence, NAME_lfs must not be in INPUT")
    label.add_argument("--min-confidence", type=float, metavar="P",
                       help="leave a label (multi-label: a tag) whose probability is below P "
                            "out; a row left with none is unlabelled")
    label.add_argument("--drop-abstained", action="store_true",
                       help="leave unlabelled rows out of OUTPUT (they are counted either way)")
    label.add_argument("--seed", type=int, metavar="N",
                       help="seeds the label model (default: a fresh seed, printed)")
    label.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    report = commands.add_parser(
        "lf-report", help="print the LF summary table (coverage, overlaps, accuracy)",
        formatter_class=raw, epilog=REPORT_EXAMPLE, description=(
            "Run the LFs on INPUT and print snorkel's LF summary: per LF its polarity (the\n"
            "votes it gave), coverage, overlaps and conflicts, and with --gold COLUMN Correct,\n"
            "Incorrect and Emp. Acc. Multi-label, an LF is correct on a row where it voted\n"
            "and the row's gold tags hold its tag."))
    report.add_argument("input", type=Path, metavar="INPUT", help="the texts to run the LFs on")
    _add_lf_options(report)
    report.add_argument("--sort", choices=sorted(SORTS),
                        help="order LFs by this column, highest first (default: LF order)")
    report.add_argument("--top", type=int, metavar="N", help="print the first N LFs only")


def _add_lf_options(parser: argparse.ArgumentParser) -> None:
    lfs = parser.add_argument_group("labeling functions")
    lfs.add_argument("--lexicon", type=Path, required=True, metavar="PATH",
                     help="lexicon JSON (textaug's or Made With ML's tags.json): one keyword LF "
                          "per tag, e.g. the bundled lexicons/ml_aliases.json")
    lfs.add_argument("--regex", action="append", default=[], metavar="LABEL=PATTERN",
                     help="an LF voting LABEL where PATTERN (Python re, case-sensitive unless "
                          "it starts with (?i)) matches; repeat for several")
    lfs.add_argument("--classes", metavar="A,B,...",
                     help="single-label: one class per row out of these lexicon tags (each "
                          "keyword LF votes its class; a --regex LABEL must be one of them); "
                          "default: multi-label, a list of tags per row")
    cols = parser.add_argument_group("columns")
    cols.add_argument("--text-column", default="text", metavar="NAME",
                      help="column holding the text (default: text)")
    cols.add_argument("--gold", metavar="COLUMN",
                      help="a column of true labels to score against: JSON list cells (or "
                           "--label-sep) of tags; with --classes a class, or tags holding one")
    cols.add_argument("--key-column", metavar="NAME",
                      help="column of row ids naming rows in messages (default: row number)")
    cols.add_argument("--label-sep", metavar="SEP",
                      help='label cells hold labels joined by SEP (e.g. "|") instead of JSON '
                           "lists; list cells are written joined with it too")


# -- running ----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    """Run the ``label`` or ``lf-report`` command ``args`` names."""
    check_label_sep(args.label_sep)
    if args.command == "label":
        run_label(args)
    else:
        run_lf_report(args)


def run_label(args: argparse.Namespace) -> None:
    """Read INPUT, weak-label it, write OUTPUT atomically and print what was labelled."""
    refuse_overwriting_input(args.input, args.output)
    check_format(args.output)
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        raise InvalidParameterError(
            f"--min-confidence takes a probability in [0, 1]. Got {args.min_confidence}.")
    lf_set = build_lfs(args)
    df = read_table(args.input)
    _check_columns(args, list(df.columns))
    gold = _gold_cells(args, df)
    out, report = _weak_label(args, df, lf_set)
    name = args.label_column
    labels = out[name].tolist()
    if args.drop_abstained:
        out = out[out[name].notna()]
    write_table(_cells(out, [name, f"{name}_lfs"], args), args.output)
    args.written = args.output
    if not args.quiet:
        _print_label_summary(args, df, report, lf_set)
        if gold is not None:
            _print_scores(args, labels, gold, lf_set)
        print(f"wrote {len(out)} rows to {args.output}")


def _weak_label(args: argparse.Namespace, df: pd.DataFrame, lf_set: LFSet) -> tuple[Any, Any]:
    """``weak_label``'s frame (every row, labels as class names or tag lists) and report."""
    return weak_label(df, lf_set.lfs, model=args.model, label=args.label_column,
                      text=args.text_column, seed=args.seed, min_confidence=args.min_confidence,
                      multi_label=lf_set.classes is None, classes=lf_set.classes,
                      return_report=True)


def run_lf_report(args: argparse.Namespace) -> None:
    """Run the LFs on INPUT and print their summary table."""
    if args.top is not None and args.top < 1:
        raise InvalidParameterError(f"--top takes a number of LFs >= 1. Got {args.top}.")
    if args.sort in ("correct", "incorrect", "accuracy") and args.gold is None:
        raise InvalidParameterError(
            f"--sort {args.sort} needs gold labels: pass --gold COLUMN, or sort by coverage.")
    lf_set = build_lfs(args)
    df = read_table(args.input)
    _check_columns(args, list(df.columns))
    result = apply_lfs(df, lf_set.lfs, text=args.text_column)
    gold = _gold_cells(args, df)
    if gold is None:
        summary = lf_summary(result)
    elif lf_set.classes is None:
        summary = lf_summary(result, gold=[_tags_of(c) for c in gold], tags=lf_set.tags)
    else:
        summary = lf_summary(result, gold=_class_gold(gold, lf_set.classes).row_class)
    _print_report(args, summary, result.L, lf_set)


# -- LFs --------------------------------------------------------------------------------


def build_lfs(args: argparse.Namespace) -> LFSet:
    """The keyword LFs of ``--lexicon`` and the regex LFs of ``--regex``."""
    # the tags keyword_lfs votes on (it adds tag names; on this copy it adds nothing more)
    lexicon = Lexicon.from_json(args.lexicon).with_tag_names()
    classes = _classes(args.classes, list(lexicon.groups), args.lexicon)
    keywords = keyword_lfs(lexicon, labels=classes)
    regexes = []
    seen: dict[str, int] = {}
    for item in args.regex:
        label, pattern = _label_pattern(item, classes)
        seen[label] = seen.get(label, 0) + 1
        name = f"regex_{label}" + (f"_{seen[label]}" if seen[label] > 1 else "")
        vote = 1 if classes is None else classes.index(label)
        try:
            regexes.append(regex_lf(name, pattern, vote, tag=label))
        except InvalidParameterError as err:
            detail = str(err).split(": ", 1)[-1]
            raise InvalidParameterError(f"--regex {item}: {detail}") from err
    return LFSet([*keywords, *regexes], classes, len(keywords))


def _classes(spec: str | None, tags: list[str], lexicon: Path) -> list[str] | None:
    if spec is None:
        return None
    classes = [normalize_tag(c) for c in spec.split(",") if c.strip()]
    if len(classes) < 2 or len(set(classes)) < len(classes):
        raise InvalidParameterError(
            f"--classes takes two or more different tags joined by commas, e.g. --classes "
            f"computer-vision,natural-language-processing. Got {spec!r}.")
    unknown = [c for c in classes if c not in tags]
    if unknown:
        raise InvalidParameterError(
            f"--classes: {unknown} {'is not a tag' if len(unknown) == 1 else 'are not tags'} "
            f"of the lexicon {str(lexicon)!r}; pick tags it has"
            f"{_close(unknown[0], tags)} (it has {len(tags)}: {', '.join(tags[:8])}, ...).")
    return classes


def _close(word: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(word, choices, n=3)
    return f", e.g. {', '.join(near)}" if near else ""


def _label_pattern(item: str, classes: list[str] | None) -> tuple[str, str]:
    raw_label, sep, pattern = item.partition("=")
    label = normalize_tag(raw_label)
    if not sep or not label or not pattern:
        raise InvalidParameterError(
            "--regex takes LABEL=PATTERN, e.g. --regex 'computer-vision=(?i)\\bconvnets?\\b' "
            f"(single quotes keep the shell off the pattern). Got {item!r}.")
    if classes is not None and label not in classes:
        raise InvalidParameterError(
            f"--regex {item}: {raw_label!r} is not one of --classes {classes}; name one of "
            "them, or add it to --classes.")
    return label, pattern


# -- columns and gold -------------------------------------------------------------------


def _check_columns(args: argparse.Namespace, columns: list[Any]) -> None:
    check_named_columns(args.input, columns, (
        ("--text-column", args.text_column), ("--gold", args.gold),
        ("--key-column", args.key_column)))
    label = getattr(args, "label_column", None)  # lf-report writes no column
    if label is None:
        return
    if not label.strip():
        raise InvalidParameterError(f"--label-column takes a column name. Got {label!r}.")
    taken = [c for c in (label, f"{label}_confidence", f"{label}_lfs") if c in columns]
    if taken:
        raise InvalidParameterError(
            f"--label-column {label}: {str(args.input)!r} already has the column(s) {taken}, "
            "and textaug adds columns without replacing any: pass --label-column NEW_NAME.")


def _gold_cells(args: argparse.Namespace, df: pd.DataFrame) -> list[Any] | None:
    """The gold column's cells parsed: a list of labels, a single label, or None (unknown)."""
    if args.gold is None:
        return None
    cells = [None if _missing(c) else c for c in df[args.gold].tolist()]
    return parse_labels(cells, args.label_sep)


def _missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell))


def _tags_of(cell: Any) -> list[str] | None:
    """A gold cell as tags; None where unknown (an empty cell is a row with no tags)."""
    if cell is None:
        return None
    values = cell if isinstance(cell, list) else [cell]
    return [normalize_tag(v) for v in values if not _missing(v) and str(v).strip()]


class _ClassGold(NamedTuple):
    """Each row's gold class index: ``-1`` unknown, ``len(classes)`` none of the classes."""

    row_class: np.ndarray
    unknown: int
    ambiguous: int
    other: int


def _class_gold(cells: list[Any], classes: list[str]) -> _ClassGold:
    index = np.full(len(cells), ABSTAIN, dtype=np.int64)
    unknown = ambiguous = 0
    for i, cell in enumerate(cells):
        tags = _tags_of(cell)
        hits = sorted({classes.index(t) for t in tags or () if t in classes})
        if not tags:
            unknown += 1
        elif len(hits) > 1:
            ambiguous += 1
        else:
            index[i] = hits[0] if hits else len(classes)
    return _ClassGold(index, unknown, ambiguous, int((index == len(classes)).sum()))


# -- output -----------------------------------------------------------------------------


def _cells(out: pd.DataFrame, columns: list[str], args: argparse.Namespace) -> pd.DataFrame:
    """List cells joined with --label-sep in CSV (else as write_table writes lists)."""
    if args.label_sep is None or check_format(args.output) != "csv":
        return out
    joined = {c: out[c].map(lambda v: args.label_sep.join(v) if isinstance(v, list) else v)
              for c in columns}
    return out.assign(**joined)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "0%"


def _print_label_summary(args: argparse.Namespace, df: pd.DataFrame, report: Any,
                         lf_set: LFSet) -> None:
    rows = report.rows_in
    regexes = len(lf_set.lfs) - lf_set.n_keyword
    task = ("multi-label" if lf_set.classes is None
            else f"single-label over {len(lf_set.classes)} classes")
    print(f"textaug label: {rows} rows, {len(lf_set.lfs)} LFs ({lf_set.n_keyword} keyword, "
          f"{regexes} regex), {task}, model={args.model}, seed={report.seed}")
    voted = rows - len(report.abstained)
    print(f"  labelled {report.labelled} ({_share(report.labelled, rows)}); unlabelled "
          f"{rows - report.labelled}: {len(report.abstained)} no LF voted, {len(report.tied)} "
          f"tied, {len(report.low_confidence)} below --min-confidence")
    print(f"  coverage (rows with a vote): {_share(voted, rows)}")
    if report.unlabelled:
        keys = _keys(df, args.key_column, report.unlabelled)
        where = f"{args.key_column!r}" if args.key_column else "row number, from 0"
        more = ", ..." if len(report.unlabelled) > len(keys) else ""
        print(f"  unlabelled rows ({where}): {', '.join(map(str, keys))}{more}")


def _keys(df: pd.DataFrame, key: str | None, index: Sequence[Any], n: int = 8) -> list[Any]:
    """The first ``n`` of these rows (index labels): their row numbers, or their keys."""
    positions = sorted(df.index.get_indexer(pd.Index(list(index))).tolist())[:n]
    return positions if key is None else df[key].iloc[positions].tolist()


def _print_scores(args: argparse.Namespace, labels: list[Any], gold: list[Any],
                  lf_set: LFSet) -> None:
    if lf_set.classes is None:
        _print_tag_scores(args, labels, gold, set(lf_set.tags))
    else:
        _print_class_scores(args, labels, _class_gold(gold, lf_set.classes), lf_set.classes)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def tag_counts(labels: list[Any], gold: list[Any],
               votable: set[str] | None = None) -> tuple[int, int, int, int]:
    """Micro counts of weak tag lists against gold: true and false positives, false
    negatives, and rows judged. Rows of unknown gold (None) are left out; an unlabelled row
    predicts no tag, so its gold tags are false negatives. ``votable``: count only gold tags
    in it (the tags the LFs can give).

    Examples
    --------
    >>> tag_counts([["a", "b"], None, ["c"]], [["a"], ["b"], None])
    (1, 1, 1, 2)
    """
    tp = fp = fn = judged = 0
    for predicted, cell in zip(labels, gold, strict=True):
        truth = _tags_of(cell)
        if truth is None:
            continue
        judged += 1
        want = {t for t in truth if votable is None or t in votable}
        got = set(predicted or ())
        tp, fp, fn = tp + len(got & want), fp + len(got - set(truth)), fn + len(want - got)
    return tp, fp, fn, judged


def _print_tag_scores(args: argparse.Namespace, labels: list[Any], gold: list[Any],
                      votable: set[str]) -> None:
    tp, fp, fn, judged = tag_counts(labels, gold)
    p, r, f = _prf(tp, fp, fn)
    print(f"  against --gold {args.gold} ({judged} rows with gold; an unlabelled row predicts "
          "no tag, so its gold tags count as missed):")
    print(f"    all {tp + fn} gold tags: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f} (micro)")
    tp, fp, fn, _ = tag_counts(labels, gold, votable)
    p, r, f = _prf(tp, fp, fn)
    print(f"    the {tp + fn} gold tags the LFs can give ({len(votable)} tags): precision "
          f"{p:.3f}, recall {r:.3f}, F1 {f:.3f} (micro)")


def _print_class_scores(args: argparse.Namespace, labels: list[Any], gold: _ClassGold,
                        classes: list[str]) -> None:
    judged = gold.row_class != ABSTAIN
    predicted = np.array([ABSTAIN if v is None else classes.index(v) for v in labels])
    pred, truth = predicted[judged], gold.row_class[judged]
    made = pred != ABSTAIN
    right = int((pred == truth).sum())
    left = [f"{gold.unknown} without gold"] if gold.unknown else []
    left += [f"{gold.ambiguous} whose gold holds several of --classes"] if gold.ambiguous else []
    other = f" ({gold.other} hold none of --classes: any label there is wrong)"
    print(f"  against --gold {args.gold}: {len(truth)} rows judged{other if gold.other else ''}"
          f"{'; left out: ' + ', '.join(left) if left else ''}")
    print(f"    accuracy {_ratio(right, len(truth))} over the judged rows (an unlabelled row "
          f"counts as wrong); {_ratio(right, int(made.sum()))} over the {int(made.sum())} of "
          "them labelled")
    width = max(len(c) for c in classes)
    print(f"    {'class':{width}}  precision  recall     F1  gold  labelled")
    for k, name in enumerate(classes):
        tp = int(((pred == k) & (truth == k)).sum())
        p, r, f = _prf(tp, int((pred == k).sum()) - tp, int((truth == k).sum()) - tp)
        print(f"    {name:{width}}  {p:9.3f}  {r:6.3f}  {f:5.3f}  {int((truth == k).sum()):4d}"
              f"  {int((pred == k).sum()):8d}")


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def _print_report(args: argparse.Namespace, summary: pd.DataFrame, L: np.ndarray,
                  lf_set: LFSet) -> None:
    if args.sort is not None:
        summary = summary.sort_values(SORTS[args.sort], ascending=False, kind="stable")
    shown = summary if args.top is None else summary.head(args.top)
    rows = len(L)
    voted = int((L != ABSTAIN).any(axis=1).sum())
    task = "multi-label" if lf_set.classes is None else f"classes {lf_set.classes}"
    print(f"textaug lf-report: {len(summary)} LFs on {rows} rows ({task}); a row has a vote "
          f"from some LF in {_share(voted, rows)}")
    if args.gold is not None and lf_set.classes is None:
        print(f"Correct: rows where the LF voted and --gold {args.gold} holds its tag.")
    print(shown.to_string(float_format=lambda v: f"{v:.4f}"))
    if len(shown) < len(summary):
        print(f"({len(shown)} of {len(summary)} LFs shown; --top {args.top})")


# -- errors -----------------------------------------------------------------------------

_HINTS = tuple((re.compile(pattern), cli) for pattern, cli in (
    (r"\bmodel=(['\"])(\w+)\1", r"--model \2"),
    (r"\blabel=(['\"])[^'\"]*\1", "--label-column NAME"),
    (r"\bor add LFs\b", "or add LFs (--regex LABEL=PATTERN)"),
))


def cli_spelling(message: str) -> str:
    """``message`` with the library's keyword hints spelled as this command's options.

    Examples
    --------
    >>> print(cli_spelling("pass model='majority' or model='dawid_skene', or add LFs."))
    pass --model majority or --model dawid_skene, or add LFs (--regex LABEL=PATTERN).
    """
    for pattern, cli in _HINTS:
        message = pattern.sub(cli, message)
    return message
