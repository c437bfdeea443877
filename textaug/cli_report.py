"""The ``textaug report`` command: one self-contained HTML page about an augmentation.

``textaug report AUGMENTED.csv -o report.html [--evaluation runs.csv]`` reads what
``textaug augment`` wrote (CSV, JSON Lines or Parquet) and writes the page of
:func:`textaug.evaluate.html_report.report_html`: counts per TF chain, TF and validator,
diversity figures, examples with their edits marked and, with ``--evaluation``, the
runs' summary and accuracy plot. :mod:`textaug.cli` registers it (:func:`add_commands`)
and runs it (:func:`run`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from textaug.cli_checks import check_named_columns, refuse_overwriting_input
from textaug.errors import InvalidParameterError
from textaug.evaluate.html_report import write_report
from textaug.io import read_table
from textaug.records import IS_ORIGINAL, SOURCE, TFS

COMMANDS = ("report",)
SUFFIXES = (".html", ".htm")
EXAMPLE = (
    "example:\n"
    "  textaug augment textaug/data/projects.csv -o out/aug.csv --text-column text \\\n"
    "      --label-column tags --tf swap_aliases --n-per-original 5 --keep-original --seed 0\n"
    "  textaug report out/aug.csv -o out/report.html --n 20"
)


def add_commands(commands: Any) -> None:
    """Add ``report`` to the ``textaug`` subparsers ``commands``."""
    report = commands.add_parser(
        "report", help="write an HTML page about an augmentation (and an evaluation)",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLE, description=(
            "Write one self-contained HTML page (inline CSS and SVG, no network) about\n"
            "AUGMENTED, the output of 'textaug augment': variants per TF chain, per TF and\n"
            "per validator, diversity figures (distinct-n, self-BLEU, edit distance) and\n"
            "originals with their variants, edits marked. With --evaluation, also the\n"
            "evaluation's summary and its accuracy-against-size plot."))
    report.add_argument("input", type=Path, metavar="AUGMENTED",
                        help="the output of 'textaug augment' (kept originals give the diffs)")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT",
                        help="where to write the page (.html); written whole or not at all")
    report.add_argument("--evaluation", type=Path, metavar="RUNS",
                        help="an evaluation's runs (CSV or other table with the columns size, "
                             "augmenter, seed, accuracy and optionally macro_f1)")
    report.add_argument("--text-column", default="text", metavar="NAME",
                        help="column holding the text (default: text)")
    report.add_argument("--encoder", metavar="MODEL",
                        help="add the mean cosine to the original and the spread of the "
                             "variants, embedded by MODEL: a transformers model id or folder "
                             "(mean pooling); sentence-transformers/all-MiniLM-L6-v2 uses the "
                             "packaged copy of textaug[encoder], offline")
    report.add_argument("--n", type=int, default=50, metavar="N",
                        help="how many originals the examples show (default: 50)")
    report.add_argument("--seed", type=int, metavar="N",
                        help="pick the examples at random with this seed (default: the first N)")
    report.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> None:
    """Read AUGMENTED (and RUNS), write the page atomically, say where it went."""
    if args.output.suffix.lower() not in SUFFIXES:
        raise InvalidParameterError(
            "The report is an HTML page: give -o a path ending in .html. "
            f"Got {str(args.output)!r}.")
    if args.n < 1:
        raise InvalidParameterError(f"--n takes a number of originals >= 1. Got {args.n}.")
    for source in (args.input, args.evaluation):
        if source is not None:
            refuse_overwriting_input(source, args.output)
    augmented = read_table(args.input)
    check_named_columns(args.input, list(augmented.columns),
                        [("--text-column", args.text_column)])
    _check_provenance(args.input, list(augmented.columns))
    runs = read_table(args.evaluation) if args.evaluation is not None else None
    write_report(args.output, augmented, text=args.text_column, n=args.n, evaluation=runs,
                 seed=args.seed, encoder=args.encoder, title=f"textaug report: {args.input.name}")
    args.written = args.output
    if not args.quiet:
        print(f"wrote {args.output}")


def _check_provenance(source: Path, columns: list[Any]) -> None:
    missing = [c for c in (SOURCE, IS_ORIGINAL, TFS) if c not in columns]
    if missing:
        raise InvalidParameterError(
            f"{str(source)!r} lacks the provenance column(s) {missing} that 'textaug augment' "
            "writes: give the report the output of 'textaug augment'.")
