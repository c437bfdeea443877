"""The ``textaug`` command line.

Example: ``textaug augment projects.csv -o out.csv --label-column tags
--tf swap_aliases --n-per-original 5 --seed 0``. Run ``textaug augment --help``.
The weak-supervision commands ``label`` and ``lf-report`` live in :mod:`textaug.cli_label`,
the HTML page ``report`` in :mod:`textaug.cli_report`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import inspect
import json
import pickle
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import textaug
import textaug.tfs
import textaug.validators
from textaug import cli_label, cli_report
from textaug.apply import Augmenter
from textaug.cli_checks import check_label_sep, check_named_columns, refuse_overwriting_input
from textaug.errors import InvalidParameterError, TextaugError
from textaug.io import LabelCells, check_format, read_chunks
from textaug.policy import (
    ApplyAllPolicy,
    ApplyEachPolicy,
    ApplyOnePolicy,
    ClassBalancedPolicy,
    Policy,
    RandomPolicy,
)
from textaug.records import IS_ORIGINAL, SOURCE
from textaug.report import AugmentReport
from textaug.streaming import augment_file, fit_balanced

POLICIES = ("one", "all", "each", "random", "balanced")
LABEL_SEPARATORS = ("|", ";", ",")  # looked for in label cells when no row's labels matched
EXAMPLE = (
    "example:\n"
    "  textaug augment projects.csv -o out.csv --text-column text --label-column tags \\\n"
    "      --tf swap_aliases --n-per-original 5 --keep-original --seed 0"
)


def tf_factories() -> dict[str, Callable[..., Any]]:
    """The TF factories the command line offers, by name."""
    return dict(textaug.tfs.FACTORIES)


def validator_factories() -> dict[str, Callable[..., Any]]:
    """The validator factories the command line offers, by name."""
    factories = dict(textaug.validators.FACTORIES)
    factories["classifier_agreement"] = _classifier_agreement
    return factories


def _classifier_agreement(model: str, *, min_confidence: float | None = None,
                          classes: list[Any] | None = None, batch_size: int = 256,
                          name: str = "classifier_agreement") -> Any:
    """classifier_agreement with ``model`` a path to a saved classifier (joblib or pickle)."""
    path = Path(model)
    if not path.is_file():
        raise InvalidParameterError(
            "--validator classifier_agreement needs --validator-option model=PATH, a saved "
            f"classifier (joblib.dump or pickle.dump of a fitted model); {model!r} is not a file.")
    try:  # joblib (scikit-learn's way to save models) also reads plain pickles
        from joblib import load
    except ImportError:
        with path.open("rb") as handle:  # loading a pickle runs its code: only your own models
            classifier = pickle.load(handle)  # noqa: S301
    else:
        classifier = load(path)
    return textaug.validators.classifier_agreement(
        classifier, min_confidence=min_confidence, classes=classes, batch_size=batch_size,
        name=name)


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line with a pointer to ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"textaug: error: {message} (see '{self.prog} --help')\n")


def _version() -> str:
    try:
        return importlib.metadata.version("textaug")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return textaug.__version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="textaug",
        description="Make more labelled training text from the text you have, reproducibly.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"{EXAMPLE}\n\nTFs: {', '.join(sorted(tf_factories()))}\n"
            "Run 'textaug augment --help' for every option.\n\n"
            "Weak labels: 'textaug label INPUT -o OUTPUT --lexicon PATH' labels texts with "
            "keyword\nand regex LFs, 'textaug lf-report INPUT --lexicon PATH' prints their "
            "summary table\n(see 'textaug label --help', 'textaug lf-report --help').\n\n"
            "Inspection: 'textaug report AUGMENTED -o report.html' writes an HTML page of the\n"
            "variants, their edits and diversity (see 'textaug report --help')."
        ),
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"textaug {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    aug = commands.add_parser(
        "augment",
        help="augment a table of labelled texts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Augment the texts in INPUT (CSV, JSON Lines or Parquet) and write the result to\n"
            "OUTPUT with provenance columns (textaug_source, textaug_is_original, textaug_tfs).\n"
            "Augment your training split only: split first, so no variant of a text lands in\n"
            "another split."
        ),
        epilog=EXAMPLE,
    )
    aug.add_argument("input", type=Path, metavar="INPUT", help="the training split to augment")
    aug.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT",
                     help="where to write the augmented table (format from its suffix)")
    cols = aug.add_argument_group("columns")
    cols.add_argument("--text-column", default="text", metavar="NAME",
                      help="column holding the text (default: text)")
    cols.add_argument("--label-column", metavar="NAME",
                      help='column holding the label; a JSON list cell ("[\\"a\\", \\"b\\"]") '
                           "is multi-label, an empty cell has none")
    cols.add_argument("--label-sep", metavar="SEP",
                      help='split label cells on SEP (e.g. "|") instead of reading JSON lists; '
                           "labels a TF changes are written joined with SEP")
    cols.add_argument("--key-column", metavar="NAME",
                      help="column of unique row ids (default: the row number)")
    tfs = aug.add_argument_group("transformations")
    tfs.add_argument("--tf", action="append", dest="tfs", metavar="NAME",
                     choices=sorted(tf_factories()),
                     help=f"a TF to apply; repeat for several (default: swap_aliases). "
                          f"Choices: {', '.join(sorted(tf_factories()))}")
    tfs.add_argument("--tf-option", action="append", default=[], metavar="KEY=VALUE",
                     help="a parameter for each TF that takes it (VALUE read as JSON, else "
                          "text), e.g. p=0.5; TF.KEY=VALUE targets one TF")
    tfs.add_argument("--lexicon", type=Path, metavar="PATH",
                     help="alias lexicon JSON for swap_aliases (default: bundled ML aliases)")
    tfs.add_argument("--no-label-aware", action="store_true",
                     help="swap aliases even where the row's labels lack their tag")
    checks = aug.add_argument_group("validation")
    checks.add_argument("--validator", action="append", dest="validators", default=[],
                        metavar="NAME", choices=sorted(validator_factories()),
                        help="keep a candidate only if it passes this check; repeat for several, "
                             f"run in order. Choices: {', '.join(sorted(validator_factories()))}")
    checks.add_argument("--validator-option", action="append", default=[], metavar="KEY=VALUE",
                        help="a parameter for each validator that takes it (VALUE read as JSON, "
                             "else text), e.g. max_changed=0.3; NAME.KEY=VALUE targets one")
    checks.add_argument("--max-attempts", type=int, default=3, metavar="N",
                        help="draws per candidate until one passes the validators (default: 3)")
    pol = aug.add_argument_group("policy")
    pol.add_argument("--policy", choices=POLICIES,
                     help="one: the first TF n times; all: every TF in order; each: every TF "
                          "alone; random: random TF sequences; balanced: more for rare labels "
                          "(default: one for a single TF, else random)")
    pol.add_argument("--n-per-original", type=int, default=1, metavar="N",
                     help="augmentations per row (default: 1)")
    pol.add_argument("--sequence-length", type=int, default=1, metavar="N",
                     help="TFs chained per augmentation, random/balanced policies (default: 1)")
    keep = pol.add_mutually_exclusive_group()
    keep.add_argument("--keep-original", dest="keep_original", action="store_true", default=True,
                      help="also write the original rows (default)")
    keep.add_argument("--no-keep-original", dest="keep_original", action="store_false",
                      help="write only the augmented rows")
    pol.add_argument("--n-jobs", type=int, default=1, metavar="N",
                     help="worker processes, each augmenting CHUNK_SIZE/N rows at a time; the "
                          "output is the same for any N (default: 1)")
    pol.add_argument("--seed", type=int, metavar="N",
                     help="root seed; the same seed gives the same output (default: a fresh "
                          "seed, printed so the run can be repeated)")
    out = aug.add_argument_group("output")
    out.add_argument("--no-dedupe", action="store_true",
                     help="keep augmentations that repeat a sibling (or, after a chain of "
                          "TFs, their original); a TF that changes nothing still makes no row")
    out.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                     help="stop at a TF error, or skip and count it (default: raise)")
    out.add_argument("--chunk-size", type=int, default=10_000, metavar="ROWS",
                     help="rows read, augmented and written at a time, so memory stays flat "
                          "however large INPUT is; the output is the same for any size. OUTPUT "
                          "appears only once complete. --policy balanced first reads INPUT once "
                          "to count the labels (default: 10000)")
    out.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="progress bar with rows per second, on stderr (default: when stderr "
                          "is a terminal and not -q)")
    out.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    cli_label.add_commands(commands)
    cli_report.add_commands(commands)
    return parser


class _Option(NamedTuple):
    """One ``KEY=VALUE`` for a factory, and how the user spelled it."""

    target: str | None
    key: str
    value: Any
    spelling: str


class _Kind(NamedTuple):
    """TFs or validators: their flags and nouns on the command line."""

    flag: str
    option: str
    noun: str
    placeholders: dict[str, str]


TF_KIND = _Kind("--tf", "--tf-option", "TFs", {"model": "NAME"})
VALIDATOR_KIND = _Kind("--validator", "--validator-option", "validators", {"model": "PATH"})


def _parse_options(items: Sequence[str], flag: str) -> list[_Option]:
    options = []
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise InvalidParameterError(f"{flag} takes KEY=VALUE. Got {item!r}.")
        target, _, key = key.rpartition(".")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        options.append(_Option(target or None, key, value, f"{flag} {item}"))
    return options


def build_tfs(args: argparse.Namespace) -> list[Any]:
    options = _parse_options(args.tf_option, "--tf-option")
    if args.lexicon is not None:
        options.append(_Option(None, "lexicon", args.lexicon, f"--lexicon {args.lexicon}"))
    if args.no_label_aware:
        options.append(_Option(None, "label_aware", False, "--no-label-aware"))
    return _build(tf_factories(), _tf_names(args), options, TF_KIND)


def _tf_names(args: argparse.Namespace) -> list[str]:
    return list(args.tfs or ["swap_aliases"])


def build_validators(args: argparse.Namespace) -> list[Any]:
    options = _parse_options(args.validator_option, "--validator-option")
    if options and not args.validators:
        raise InvalidParameterError("--validator-option given without --validator NAME.")
    return _build(validator_factories(), args.validators, options, VALIDATOR_KIND)


def _build(factories: dict[str, Callable[..., Any]], names: list[str], options: list[_Option],
           kind: _Kind) -> list[Any]:
    """Call each named factory with the options it takes; every option must be used."""
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidParameterError(
            f"{kind.flag} {twice[0]} is given twice: name each of the {kind.noun} once "
            "(--n-per-original N makes more augmentations per row).")
    used: set[int] = set()
    chosen = []
    for name in names:
        params = inspect.signature(factories[name]).parameters
        mine = [i for i, o in enumerate(options) if o.target in (None, name) and o.key in params]
        used.update(mine)
        chosen.append((name, [options[i] for i in mine]))
    unused = [f"{o.target + '.' if o.target else ''}{o.key}"
              for i, o in enumerate(options) if i not in used]
    if unused:
        takes = {n: list(inspect.signature(factories[n]).parameters) for n in names}
        raise InvalidParameterError(f"Options {unused} are not parameters of the chosen "
                                    f"{kind.noun}; they take: {takes}.")
    return [_call(factories[name], name, mine, kind) for name, mine in chosen]


def _call(factory: Callable[..., Any], name: str, options: list[_Option], kind: _Kind) -> Any:
    """``factory`` called with ``options``; its complaints in the command line's words."""
    kwargs = {o.key: o.value for o in options}
    needed = [p.name for p in inspect.signature(factory).parameters.values()
              if p.default is p.empty and p.name not in kwargs
              and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if needed:
        needs = " and ".join(f"{kind.option} {p}={kind.placeholders.get(p, 'VALUE')}"
                             for p in needed)
        raise InvalidParameterError(f"{kind.flag} {name} needs {needs}.")
    try:
        return factory(**kwargs)
    except TextaugError:
        raise
    except (TypeError, ValueError) as err:
        if not options:
            raise
        given = ", ".join(o.spelling for o in options)
        raise InvalidParameterError(
            f"{kind.flag} {name} cannot use {given} ({type(err).__name__}: {err}). Check the "
            "value: VALUE is read as JSON (0.5, true, [\"a\"]), else as text.") from err


# augment()'s keyword hints in library errors, and what to type on the command line instead
_AUGMENT_HINTS = tuple((re.compile(pattern), cli) for pattern, cli in (
    (r"\bon_error=(['\"])(skip|raise)\1", r"--on-error \2"),
    (r"\blabel=(['\"])[^'\"]*\1", "--label-column NAME"),
    (r"\bkey=(['\"])[^'\"]*\1", "--key-column NAME"),
    (r"\btext=(['\"])[^'\"]*\1", "--text-column NAME"),
    (r"\blabel_aware=False\b", "--no-label-aware"),
    (r"\bkeep_original=True\b", "--keep-original"),
    (r"\bkeep_original=False\b", "--no-keep-original"),
    (r",? e\.g\. df\.dropna\(subset=\[[^\]]*\]\)", ""),
    (r"=Lexicon\(\.\.\.\)", "=PATH"),
    (r"The '(n_per_original|sequence_length|max_attempts|n_jobs|seed)' parameter of \w+",
     lambda m: f"--{m[1].replace('_', '-')}"),
))


def cli_spelling(message: str, *, tf_params: set[str], validator_params: set[str]) -> str:
    """``message`` with its Python hints spelled as command-line options.

    ``on_error='skip'`` becomes ``--on-error skip``, ``label='...'`` ``--label-column
    NAME``, and a parameter of a chosen TF (validator) ``--tf-option`` (``--validator-option``).

    Examples
    --------
    >>> cli_spelling("Pass on_error='skip', or raise timeout=.", tf_params={"timeout"},
    ...              validator_params=set())
    'Pass --on-error skip, or raise --tf-option timeout=.'
    """
    for pattern, cli in _AUGMENT_HINTS:
        message = pattern.sub(cli, message)
    for option, params in (("--tf-option", tf_params), ("--validator-option", validator_params)):
        if params:
            names = "|".join(sorted(map(re.escape, params), key=len, reverse=True))
            message = re.sub(rf"(?<![\w.-])(?<!-option )({names})=", rf"{option} \1=", message)
    return message


def _option_params(factories: dict[str, Callable[..., Any]], names: list[str]) -> set[str]:
    return {p for n in names if n in factories for p in inspect.signature(factories[n]).parameters}


def build_policy(args: argparse.Namespace, n_tfs: int) -> Policy:
    kind = args.policy or ("one" if n_tfs == 1 else "random")
    n, keep, length = args.n_per_original, args.keep_original, args.sequence_length
    if kind == "one":
        return ApplyOnePolicy(n, keep)
    if kind == "all":
        return ApplyAllPolicy(n, keep)
    if kind == "each":
        return ApplyEachPolicy(n, keep)
    if kind == "random":
        return RandomPolicy(length, n, keep)
    return ClassBalancedPolicy(sequence_length=length, keep_original=keep)


def _check_columns(args: argparse.Namespace, columns: list[Any], tfs: list[Any],
                   checks: list[Any]) -> None:
    """Column problems in the command line's own words."""
    check_named_columns(args.input, columns, (
        ("--text-column", args.text_column), ("--label-column", args.label_column),
        ("--key-column", args.key_column)))
    needy = [tf.name for tf in tfs if tf.needs_label]
    if needy and args.label_column is None:
        raise InvalidParameterError(
            f"{', '.join(needy)} reads each row's labels: pass --label-column NAME, or "
            "--no-label-aware to swap regardless of labels."
        )
    needy = [check.name for check in checks if check.needs_label]
    if needy and args.label_column is None:
        raise InvalidParameterError(
            f"The validators {', '.join(needy)} read each row's labels: pass --label-column NAME.")
    if args.policy == "balanced" and args.label_column is None:
        raise InvalidParameterError(
            "--policy balanced draws more for rows of rare labels: pass --label-column NAME.")


def run_augment(args: argparse.Namespace) -> None:
    """Read INPUT a chunk at a time, augment each, append it to OUTPUT (renamed into place
    once complete) and print what was made."""
    refuse_overwriting_input(args.input, args.output)
    check_format(args.output)
    check_label_sep(args.label_sep)
    if args.chunk_size < 1:
        raise InvalidParameterError(
            f"--chunk-size takes a number of rows, 1 or more (e.g. 10000). Got {args.chunk_size}.")
    tfs = build_tfs(args)
    checks = build_validators(args)
    policy = build_policy(args, len(tfs))
    _check_columns(args, list(next(read_chunks(args.input, 1)).columns), tfs, checks)
    if isinstance(policy, ClassBalancedPolicy):  # a first pass over INPUT counts the labels
        policy = fit_balanced(policy, args.input, args.label_column, label_sep=args.label_sep,
                              chunk_size=args.chunk_size)
    progress = (sys.stderr.isatty() and not args.quiet) if args.progress is None \
        else args.progress
    runner = Augmenter(tfs, policy, seed=args.seed, text=args.text_column,
                       label=args.label_column, key=args.key_column,
                       dedupe=not args.no_dedupe, on_error=args.on_error, progress=progress,
                       n_jobs=args.n_jobs, validators=checks, max_attempts=args.max_attempts)
    done = augment_file(runner, args.input, args.output, label_sep=args.label_sep,
                        chunk_size=args.chunk_size)
    args.written = args.output
    hints = done.warnings
    if done.first_labels is not None:
        hints += _separator_hint(tfs, done.report, done.first_labels)
    for hint in hints:
        print(f"textaug: warning: {hint}", file=sys.stderr)
    if not args.quiet:
        print(done.report)
        print(f"wrote {done.rows} rows to {args.output}")
        _print_examples(done.examples, args.text_column)


def _separator_hint(tfs: list[Any], report: AugmentReport, labels: LabelCells) -> list[str]:
    """A hint when label-aware TFs changed no row and the label cells (of the first chunk)
    look like joined labels."""
    idle = [tf.name for tf in tfs if tf.needs_label and report.tfs[tf.name].applied == 0]
    if not idle or labels.sep is not None:
        return []
    cells = [c for c, _ in labels.cells.values()
             if isinstance(c, str) and not c.strip().startswith("[")]
    seen = Counter(sep for cell in cells for sep in LABEL_SEPARATORS if sep in cell)
    if not seen:
        return []
    sep = seen.most_common(1)[0][0]
    example = next(cell for cell in cells if sep in cell)
    return [f"{', '.join(idle)} changed no row, and label cells such as {example!r} contain "
            f"{sep!r}: if it separates labels, pass --label-sep \"{sep}\"."]


def _print_examples(out: Any, text: str, n: int = 3) -> None:
    """The first augmentation of the first ``n`` augmented rows, around what changed."""
    made = out[~out[IS_ORIGINAL]].drop_duplicates(SOURCE).head(n)
    if made.empty:
        return
    originals = out[out[IS_ORIGINAL]].set_index(SOURCE)[text]
    print("examples:")
    for source, new in zip(made[SOURCE], made[text], strict=True):
        old = originals.get(source, "")
        start = _first_difference(old, new)
        print(f"  - {_window(old, start)}\n    → {_window(new, start)}")


def _first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _window(text: str, focus: int, before: int = 30, width: int = 100) -> str:
    start = max(0, focus - before)
    if start:  # begin at a word (the text before ``focus`` is the same in both versions)
        start = text.find(" ", start, focus) + 1 or start
    piece = " ".join(text[start:start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``textaug`` command; returns the exit status."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the subcommand's usage error, pointing at its --help
        parser.exit(2, f"textaug: error: unrecognized arguments: {' '.join(unknown)} "
                       f"(see 'textaug {args.command} --help')\n")
    try:
        if args.command == "augment":
            run_augment(args)
        elif args.command in cli_report.COMMANDS:
            cli_report.run(args)
        else:
            cli_label.run(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        written = getattr(args, "written", None)
        print("textaug: interrupted; nothing was written." if written is None
              else f"textaug: interrupted after writing {written}.", file=sys.stderr)
        return 130
    except (TextaugError, OSError) as err:
        if args.debug:
            raise
        print(f"textaug: error: {_one_line(err, args)}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - a newcomer gets one line, --debug the traceback
        if args.debug:
            raise
        print(f"textaug: error: {type(err).__name__}: {_one_line(err, args)} (run with --debug "
              "for details)", file=sys.stderr)
        return 1
    return 0


def _one_line(err: BaseException, args: argparse.Namespace) -> str:
    """The error's message on one line, its hints spelled as command-line options."""
    message = " ".join(str(err).split())
    if (isinstance(err, OSError) and not isinstance(err, TextaugError)
            or args.command in cli_report.COMMANDS):
        return message
    if args.command in cli_label.COMMANDS:
        return cli_label.cli_spelling(message)
    return cli_spelling(
        message, tf_params=_option_params(tf_factories(), _tf_names(args)),
        validator_params=_option_params(validator_factories(), args.validators))


if __name__ == "__main__":
    sys.exit(main())
