"""One self-contained HTML page about an augmentation: what was made, how varied, did it help.

:func:`report_html` builds the page from an :func:`textaug.augment` output (in memory or
read back from its file): the counts per TF chain, per TF and per validator (from the
provenance columns), the :func:`~textaug.evaluate.diversity.diversity` figures, and
the :func:`~textaug.evaluate.show.show` table of originals with their variants. Given
the runs of an evaluation (the columns ``size``, ``augmenter``, ``seed``, ``accuracy``
and optionally ``macro_f1``, as ``Evaluation.runs`` holds them) it adds their summary
and the accuracy-against-size plot as inline SVG (matplotlib; without it the page says
so). The CSS is inline and the page names no URL, so it opens offline and fetches
nothing. :func:`write_report` writes it atomically.

Examples
--------
>>> import pandas as pd
>>> out = pd.DataFrame({"text": ["a b c", "a c"], "textaug_source": [0, 0],
...                     "textaug_is_original": [True, False], "textaug_tfs": ["", "drop"]})
>>> page = report_html(out)
>>> page.startswith("<!DOCTYPE html>"), '<del class="ta-del">b</del>' in page
(True, True)
"""

from __future__ import annotations

import html
import io
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from textaug.errors import InvalidParameterError, MissingDependencyError, check_param
from textaug.evaluate.diversity import diversity, is_original
from textaug.evaluate.show import CSS, check_columns, show
from textaug.io import written_whole
from textaug.loading import require
from textaug.records import IS_ORIGINAL, SOURCE, TFS, VERDICTS

RUN_COLUMNS = ("size", "augmenter", "seed", "accuracy")
BASELINE = "none"
PAGE_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table.ta-counts, .textaug-report table { border-collapse: collapse; }
table.ta-counts th, table.ta-counts td, .textaug-report th, .textaug-report td {
  border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
table.ta-counts th, .textaug-report th { background: #f2f2f2; text-align: left; }
table.ta-counts td:first-child { text-align: left; }
p.ta-note { color: #555; }
"""
_VERDICT = re.compile(r"(?:^|; )([^;:|]+?): (accepted|rejected)\b")
_SVG_CLUTTER = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>"
                          r"|\s+xmlns(?::\w+)?=\"[^\"]*\"", re.DOTALL)


def report_html(augmented: pd.DataFrame, *, text: str = "text", n: int = 50,
                evaluation: pd.DataFrame | None = None, report: Any = None,
                encoder: Any = None, seed: int | None = None,
                title: str = "textaug augmentation report") -> str:
    """The report page as one HTML string.

    Parameters
    ----------
    augmented
        An :func:`textaug.augment` output; not modified.
    text
        The column holding the text.
    n
        How many originals the examples table shows.
    evaluation
        Optional runs of an evaluation, one row per run (``size``, ``augmenter``,
        ``seed``, ``accuracy``, optionally ``macro_f1``); adds their summary and plot.
    report
        The run's :class:`~textaug.AugmentReport`, when at hand: adds its per-TF and
        per-validator counts, and its rejected candidates (greyed) to the examples.
    encoder
        Adds the cosine to the original and the spread to the diversity table; see
        :func:`~textaug.evaluate.diversity.diversity`.
    seed
        ``None`` shows the first ``n`` originals (those with variants first, as
        :func:`~textaug.evaluate.show.show` does), a seed ``n`` at random.
    title
        The page's title.
    """
    check_param(isinstance(n, int) and not isinstance(n, bool) and n >= 1, "report_html", "n",
                "an int >= 1", n)
    check_columns(augmented, text, "report_html")
    sections = [_overview(augmented), _counts(augmented)]
    if report is not None:
        sections.append(_section("Counts of the run", report._repr_html_()))
    sections.append(_diversity(augmented, text, encoder))
    if evaluation is not None:
        sections.append(_evaluation(evaluation))
    sections.append(_section("Examples", show(augmented, n, text=text, seed=seed,
                                                  report=report)
                             .to_html(style=False)))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}{CSS}</style></head>"
            f'<body class="textaug"><h1>{html.escape(title)}</h1>{"".join(sections)}'
            "</body></html>\n")


def write_report(path: str | Path, augmented: pd.DataFrame, **options: Any) -> None:
    """Write :func:`report_html` of ``augmented`` to ``path``: complete, or not at all.

    The page goes to a temporary file beside ``path`` that is renamed into place once
    written, so a failure leaves any previous file as it was. ``options`` are
    :func:`report_html`'s.
    """
    page = report_html(augmented, **options).encode("utf-8")
    with written_whole(path) as handle:
        handle.write(page)


def _section(heading: str, body: str, note: str = "") -> str:
    para = f'<p class="ta-note">{html.escape(note)}</p>' if note else ""
    return f"<section><h2>{html.escape(heading)}</h2>{para}{body}</section>"


def _table(frame: pd.DataFrame) -> str:
    """A small table (a named index as its first column), every cell escaped, floats to
    three decimals."""
    if frame.index.name is not None:
        frame = frame.reset_index()
    return frame.to_html(classes="ta-counts", border=0, index=False, escape=True,
                         float_format=lambda v: f"{v:.3f}", na_rep="–")


def _overview(augmented: pd.DataFrame) -> str:
    kept = int(is_original(augmented[IS_ORIGINAL]).sum())
    line = (f"{len(augmented)} rows: {kept} originals and {len(augmented) - kept} variants, "
            f"made from {augmented[SOURCE].nunique()} source rows.")
    return f"<p>{html.escape(line)}</p>"


def _counts(augmented: pd.DataFrame) -> str:
    chains = augmented[TFS][~is_original(augmented[IS_ORIGINAL])].map(str)
    per_chain = chains.value_counts().rename_axis("TF chain").rename("variants").to_frame()
    per_tf = Counter(tf for chain in chains for tf in set(chain.split(">")) if tf)
    tf_frame = pd.DataFrame(per_tf.most_common(), columns=["TF", "variants made with it"])
    parts = [_section("Variants per TF chain", _table(per_chain)),
             _section("Variants per TF", _table(tf_frame))]
    if VERDICTS in augmented:
        parts.append(_section(
            "Verdicts per validator", _table(validator_counts(augmented[VERDICTS])),
            "Every attempt recorded on a kept row; candidates given up on every attempt "
            "are not in the output, so they are not counted here."))
    return "".join(parts)


def validator_counts(verdicts: pd.Series) -> pd.DataFrame:
    """Accepted and rejected verdicts per validator, read from ``textaug_verdicts`` cells.

    Examples
    --------
    >>> cells = pd.Series(["attempt 1: len: rejected: short | attempt 2: len: accepted",
    ...                    "", "attempt 1: len: accepted (0.9); sim: rejected (0.2): far"])
    >>> validator_counts(cells).to_dict("index")
    {'len': {'accepted': 2, 'rejected': 1}, 'sim': {'accepted': 0, 'rejected': 1}}
    """
    counts: dict[str, Counter[str]] = {}
    for cell in verdicts:
        for attempt in (cell if isinstance(cell, str) else "").split(" | "):
            body = re.sub(r"^attempt \d+: ", "", attempt)
            for name, outcome in _VERDICT.findall(body):
                counts.setdefault(name.strip(), Counter())[outcome] += 1
    rows = [[c["accepted"], c["rejected"]] for c in counts.values()]
    return pd.DataFrame(rows, index=pd.Index(list(counts), name="validator"),
                        columns=["accepted", "rejected"])


def _diversity(augmented: pd.DataFrame, text: str, encoder: Any) -> str:
    note = ("distinct-n: distinct word n-grams over all n-grams of the variants (higher: more "
            "varied); self-BLEU: BLEU-4 of a variant against its row's other variants (lower: "
            "more varied); edit distance: mean word-level edits from the original.")
    if encoder is not None:
        note += (" cosine: mean cosine of a variant's embedding to its original's; spread: "
                 "the standard deviation of a row's variants' unit embeddings.")
    table = diversity(augmented, text=text, encoder=encoder)
    return _section("Diversity per TF chain", _table(table), note)


def _evaluation(runs: pd.DataFrame) -> str:
    runs = _checked_runs(runs)
    body = _table(evaluation_summary(runs)) + _plot(runs)
    return _section("Evaluation", body, "Accuracy per training size and augmenter over seeds; "
                    "gain: the mean paired difference from 'none' (same size and seed).")


def _checked_runs(runs: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in RUN_COLUMNS if c not in runs.columns]
    if missing:
        raise InvalidParameterError(
            f"The evaluation runs lack column(s) {missing}; they need {list(RUN_COLUMNS)} "
            f"as Evaluation.runs has them. Available columns: {list(runs.columns)}.")
    scores = [c for c in ("accuracy", "macro_f1") if c in runs.columns]
    numbers = runs[scores].apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() & runs[scores].notna()
    if bad.any().any():
        column = bad.any().idxmax()
        raise InvalidParameterError(
            f"The evaluation runs' {column!r} column must hold numbers. "
            f"Got {runs[column][bad[column]].iloc[0]!r}.")
    return runs.assign(**{c: numbers[c] for c in scores}, size=runs["size"].map(_size_label))


def _size_label(value: Any) -> str:
    """A training size as a label: ``500`` for 500 (or "500.0"), else the text as is."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if number.is_integer():
        return str(int(number))
    return "all" if value is None or str(value).strip() in ("", "None", "nan") else str(value)


def _size_order(labels: Any) -> list[str]:
    def key(label: str) -> tuple[int, float, str]:
        return (0, float(label), "") if label.isdigit() else (1, math.inf, label)
    return sorted(set(labels), key=key)


def evaluation_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per size and augmenter: runs, mean and std of accuracy (and macro-F1), paired gain.

    Examples
    --------
    >>> runs = pd.DataFrame({"size": [10, 10, 10, 10], "augmenter": ["none", "eda"] * 2,
    ...                      "seed": [0, 0, 1, 1], "accuracy": [0.5, 0.6, 0.7, 0.7]})
    >>> evaluation_summary(runs)[["augmenter", "accuracy", "gain"]].round(3).values.tolist()
    [['none', 0.6, 0.0], ['eda', 0.65, 0.05]]
    """
    runs = _checked_runs(runs)
    gain = _paired_gain(runs)
    rows = []
    for size in _size_order(runs["size"]):
        part = runs[runs["size"] == size]
        for name in _augmenters(part):
            own = part[part["augmenter"] == name]
            row = {"size": size, "augmenter": name, "runs": len(own),
                   "accuracy": own["accuracy"].mean(), "accuracy_std": own["accuracy"].std()}
            if "macro_f1" in own:
                row["macro_f1"] = own["macro_f1"].mean()
            row["gain"] = gain[own.index].mean()
            rows.append(row)
    return pd.DataFrame(rows)


def _augmenters(part: pd.DataFrame) -> list[str]:
    names = list(pd.unique(part["augmenter"].map(str)))
    return sorted(names, key=lambda name: (name != BASELINE, names.index(name)))


def _paired_gain(runs: pd.DataFrame) -> pd.Series:
    """Each run's accuracy less the baseline's on the same size and seed (NaN: no baseline)."""
    keys = list(zip(runs["size"], runs["seed"].map(str), strict=True))
    base = {k: a for k, a, name in zip(keys, runs["accuracy"], runs["augmenter"], strict=True)
            if str(name) == BASELINE}
    return pd.Series([a - base.get(k, math.nan) for k, a in zip(keys, runs["accuracy"],
                                                               strict=True)], index=runs.index)


def _plot(runs: pd.DataFrame) -> str:
    """Accuracy against training size per augmenter (mean, bars: one std) as inline SVG."""
    try:
        figure_module = require("matplotlib.figure", "plot")
        matplotlib = require("matplotlib", "plot")
    except MissingDependencyError as err:
        return f'<p class="ta-note">No plot: {html.escape(str(err))}</p>'
    sizes = _size_order(runs["size"])
    figure = figure_module.Figure(figsize=(6.4, 3.8))
    axes = figure.subplots()
    for name in _augmenters(runs):
        own = runs[runs["augmenter"].map(str) == name].groupby("size")["accuracy"]
        means, stds = own.mean().reindex(sizes), own.std().reindex(sizes).fillna(0.0)
        axes.errorbar(range(len(sizes)), means, yerr=stds, marker="o", capsize=3,
                      label=name.replace("$", r"\$"))
    axes.set(xticks=range(len(sizes)), xticklabels=sizes, xlabel="training size",
             ylabel="accuracy")
    axes.legend()
    figure.tight_layout()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "textaug", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return f'<div class="ta-plot">{_SVG_CLUTTER.sub("", buffer.getvalue()).strip()}</div>'
