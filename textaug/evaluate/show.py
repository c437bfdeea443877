"""An augmentation result as a table a notebook shows: each original with its variants.

:func:`show` picks originals of an :func:`textaug.augment` output and lays out each with
its variants, the edits marked by a word-level diff (:mod:`textaug.evaluate.diff`:
inserted, replaced, deleted words in distinct colours, with a legend), the TF chain,
the validators' verdicts (the ``textaug_verdicts`` column) and, given the run's report,
the rejected candidates greyed. Every piece of user text is HTML-escaped.

Examples
--------
>>> import pandas as pd
>>> out = pd.DataFrame({
...     "text": ["the <b>cat</b> sat", "the cat sat down"],
...     "textaug_source": [0, 0], "textaug_is_original": [True, False],
...     "textaug_tfs": ["", "random_insertion"]})
>>> shown = show(out)
>>> print(shown)
row 0: the <b>cat</b> sat
  + the cat sat down  [random_insertion]
>>> "&lt;b&gt;" in shown._repr_html_() and "<b>" not in shown._repr_html_()
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, check_param
from textaug.evaluate.diff import diff_html
from textaug.evaluate.diversity import as_text, is_original
from textaug.records import IS_ORIGINAL, SOURCE, TFS, VERDICTS

CSS = """
.textaug table { border-collapse: collapse; font: 13px/1.4 system-ui, sans-serif; }
.textaug th, .textaug td { border: 1px solid #ccc; padding: 3px 8px; text-align: left;
  vertical-align: top; }
.textaug th { background: #f2f2f2; }
.textaug tr.ta-original td { background: #f7f9fc; font-weight: 600; }
.textaug tr.ta-rejected td { color: #999; background: #fafafa; }
.textaug ins.ta-ins { background: #c8f0c8; color: #064006; text-decoration: none; }
.textaug del.ta-del { background: #f8cccc; color: #7a0b0b; }
.textaug mark.ta-rep { background: #ffe28a; color: #5a4100; }
.textaug tr.ta-rejected ins, .textaug tr.ta-rejected del, .textaug tr.ta-rejected mark {
  opacity: 0.6; }
.textaug .ta-legend > * { margin-right: 1em; padding: 0 4px; }
.textaug .ta-grey { color: #999; }
"""
LEGEND = ('<p class="ta-legend">Edits: <ins class="ta-ins">inserted</ins>'
          '<mark class="ta-rep">replaced</mark><del class="ta-del">deleted</del>'
          '<span class="ta-grey">rejected candidate</span></p>')
HEADER = "<tr><th>row</th><th>text</th><th>TF chain</th><th>verdicts</th></tr>"


@dataclass(frozen=True)
class Item:
    """One original (``None`` when the frame lacks it) and what was made from it."""

    key: Any
    original: str | None
    variants: list[tuple[str, str, str]]  # (text, TF chain, verdicts)
    rejected: list[tuple[str, str, str]]  # (text, TF chain, "validator: reason")


@dataclass(frozen=True)
class Shown:
    """The originals picked by :func:`show`; HTML in a notebook, plain text elsewhere."""

    items: list[Item]

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, *, style: bool = True) -> str:
        """The table (with its legend and, unless ``style=False``, its ``<style>``)."""
        rows = "".join(_item_rows(item) for item in self.items)
        css = f"<style>{CSS}</style>" if style else ""
        return (f'<div class="textaug">{css}{LEGEND}<table><thead>{HEADER}</thead>'
                f"<tbody>{rows}</tbody></table></div>")

    def __repr__(self) -> str:
        return "\n".join(_item_lines(item) for item in self.items) or "(no rows)"

    __str__ = __repr__


def show(out: pd.DataFrame, n: int = 20, *, text: str = "text", report: Any = None,
         seed: int | None = None) -> Shown:
    """Each of ``n`` originals of ``out`` with its variants, edits marked.

    Parameters
    ----------
    out
        An :func:`textaug.augment` output (or its file read back); not modified.
    n
        How many originals to show. Originals that something was made from (a variant, or
        a rejected candidate in ``report``) come first; the others only where there are
        fewer than ``n`` of those.
    text
        The column holding the text.
    report
        The run's :class:`~textaug.AugmentReport`: its kept rejected candidates are shown
        greyed under their original.
    seed
        ``None`` shows the first ``n`` originals; a seed picks ``n`` at random (in their
        order in ``out``).

    Returns
    -------
    Shown
        Renders as an HTML table in a notebook (``_repr_html_``), as text otherwise.
    """
    check_param(isinstance(n, int) and not isinstance(n, bool) and n >= 1, "show", "n",
                "an int >= 1", n)
    check_columns(out, text, "show")
    keys = _pick(_made_first(out, report), n, seed)
    return Shown(items(out, keys, text=text, report=report))


def check_columns(out: pd.DataFrame, text: str, owner: str) -> None:
    """``out`` has the ``text`` column and the provenance columns of an augment output."""
    missing = [c for c in (text, SOURCE, IS_ORIGINAL, TFS) if c not in out.columns]
    if missing:
        raise InvalidParameterError(
            f"{owner} needs the output of textaug.augment: column(s) {missing} not in the "
            f"frame. Available columns: {list(out.columns)}.")


def _made_first(out: pd.DataFrame, report: Any) -> list[list[Any]]:
    """Source keys in order of appearance: those with variants or rejections, the rest."""
    made = set(out[SOURCE][~is_original(out[IS_ORIGINAL])])
    made.update(r.key for r in getattr(report, "rejections", None) or [])
    keys = list(pd.unique(out[SOURCE]))
    return [[k for k in keys if k in made], [k for k in keys if k not in made]]


def _pick(groups: list[list[Any]], n: int, seed: int | None) -> list[Any]:
    """Up to ``n`` keys, group by group: the first ones, or a seeded draw kept in order."""
    rng = None if seed is None else np.random.default_rng(seed)
    chosen: list[Any] = []
    for keys in groups:
        take = min(n - len(chosen), len(keys))
        if rng is None or take == len(keys):
            chosen += keys[:take]
        else:
            chosen += [keys[i] for i in sorted(rng.choice(len(keys), size=take, replace=False))]
    return chosen


def items(out: pd.DataFrame, keys: Iterable[Any], *, text: str = "text",
          report: Any = None) -> list[Item]:
    """The :class:`Item` of each source row key in ``keys``."""
    original = is_original(out[IS_ORIGINAL]).to_numpy()
    texts, chains = out[text].map(as_text).tolist(), out[TFS].map(as_text).tolist()
    verdicts = out[VERDICTS].map(as_text).tolist() if VERDICTS in out else [""] * len(out)
    rows: dict[Any, list[int]] = {}
    for i, source in enumerate(out[SOURCE]):
        rows.setdefault(source, []).append(i)
    rejected = _rejections(report)
    found = []
    for key in keys:
        mine = rows.get(key, [])
        first = next((texts[i] for i in mine if original[i]), None)
        made = [(texts[i], chains[i], verdicts[i]) for i in mine if not original[i]]
        found.append(Item(key, first, made, rejected.get(key, [])))
    return found


def _rejections(report: Any) -> dict[Any, list[tuple[str, str, str]]]:
    found: dict[Any, list[tuple[str, str, str]]] = {}
    for r in getattr(report, "rejections", None) or []:
        found.setdefault(r.key, []).append(
            (as_text(r.text), r.tfs, f"attempt {r.attempt}: {r.validator}: rejected: {r.reason}"))
    return found


def _item_rows(item: Item) -> str:
    key = html.escape(str(item.key))
    if item.original is None:
        first = '<span class="ta-grey">(the original is not in the frame)</span>'
    else:
        first = html.escape(item.original)
    rows = [f'<tr class="ta-original"><td>{key}</td><td>{first}</td><td>original</td>'
            "<td></td></tr>"]
    rows += [_row("ta-variant", key, item.original, v) for v in item.variants]
    rows += [_row("ta-rejected", key, item.original, r) for r in item.rejected]
    return "".join(rows)


def _row(kind: str, key: str, original: str | None, made: tuple[str, str, str]) -> str:
    candidate, chain, verdicts = made
    body = html.escape(candidate) if original is None else diff_html(original, candidate)
    notes = "<br>".join(html.escape(part) for part in verdicts.split(" | ") if part)
    return (f'<tr class="{kind}"><td>{key}</td><td>{body}</td><td>{html.escape(chain)}</td>'
            f"<td>{notes}</td></tr>")


def _item_lines(item: Item) -> str:
    lines = [f"row {item.key}: {item.original if item.original is not None else '(not in frame)'}"]
    lines += [f"  + {t}  [{c}]" for t, c, _ in item.variants]
    lines += [f"  x {t}  [{c}] {why}" for t, c, why in item.rejected]
    return "\n".join(lines)
