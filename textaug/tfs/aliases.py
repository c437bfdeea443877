"""Alias swapping: replace a tag's phrase with another phrase of the same tag.

The lesson's TF done right: one compiled matcher instead of a regex per alias per
row, whole words only, singular/plural kept ("GANs" becomes "generative adversarial
networks", never "generative adversarial network"), the casing of the replaced text
kept, protected terms left alone, and label-aware gating: a phrase is swapped only
when the row's labels include its tag or a tag above it, so "Autogenerate your CV"
keeps its CV unless the row is labelled computer-vision.

Examples
--------
>>> from textaug.records import Record
>>> tf = swap_aliases()
>>> x = Record({"text": "Autogenerate your CV using NLP.",
...             "tags": ["natural-language-processing"]}, label="tags")
>>> out = tf(x, rng=0).text
>>> out.startswith("Autogenerate your CV using "), out in {
...     "Autogenerate your CV using natural language processing.",
...     "Autogenerate your CV using nlproc."}
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textaug._rng import Rng
from textaug.casing import match_case
from textaug.errors import InvalidParameterError, check_param
from textaug.inflection import fix_article
from textaug.lexicon import Lexicon
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs._common import make_tf
from textaug.words import starts_sentence


def swap_aliases(
    lexicon: Lexicon | str | Path | None = None,
    *,
    p: float | None = None,
    label_aware: bool = True,
    protect: Iterable[Any] | str | re.Pattern[str] = (),
    name: str = "swap_aliases",
) -> TransformationFunction:
    """Swap phrases with their aliases from a lexicon.

    Parameters
    ----------
    lexicon
        A :class:`~textaug.lexicon.Lexicon` or the path of a lexicon JSON file;
        default: the bundled machine-learning aliases.
    p
        None swaps one random match (the lesson's behaviour); a float swaps each
        match with probability ``p`` (at least one, so every output differs).
    label_aware
        Swap a phrase only if the row's labels include its tag or a tag above it.
        Needs ``augment(..., label=...)``.
    protect
        Terms (str), regexes (``re.compile``) and per-row spans
        (:class:`~textaug.protect.SpanColumn`) never changed; URLs and e-mail
        addresses are always protected.
    name
        The TF's name (unique within one run).
    """
    if lexicon is None:
        lexicon = Lexicon.default()
    elif isinstance(lexicon, str | Path):
        lexicon = Lexicon.from_json(lexicon)
    elif not isinstance(lexicon, Lexicon):
        raise InvalidParameterError(
            f"The 'lexicon' parameter of swap_aliases must be a Lexicon or a path. Got {lexicon!r}."
        )
    p_ok = p is None or (isinstance(p, int | float) and not isinstance(p, bool) and 0 < p <= 1)
    check_param(p_ok, "swap_aliases", "p", "None or a float in (0, 1]", p)
    check_param(isinstance(label_aware, bool), "swap_aliases", "label_aware", "a bool", label_aware)
    return make_tf(_swap_aliases, name, protect, needs_label=label_aware, lexicon=lexicon, p=p,
                   label_aware=label_aware)


def _swap_aliases(
    x: Record, rng: Rng, lexicon: Lexicon, p: float | None, label_aware: bool,
    guard: Protector,
) -> Record | None:
    text = x.text
    matches = lexicon.find(text)
    if not matches:
        return None
    if label_aware:
        allowed = lexicon.allowed_tags(x.labels)
        matches = tuple(m for m in matches if m.tag in allowed)
    spans = guard.spans_for(x)
    if spans:
        matches = tuple(m for m in matches if not guard.covers(spans, m.start, m.end))
    if not matches:
        return None
    chosen = [m for m in matches if rng.random() < p] if p is not None else []
    if not chosen:
        chosen = [rng.choice(matches)]
    pieces, last = [], 0
    for m in chosen:
        replacement = match_case(m.text, rng.choice(lexicon.alternatives(m)),
                                 starts_sentence(text, m.start))
        pieces += [fix_article(text[last:m.start], replacement), replacement]
        last = m.end
    pieces.append(text[last:])
    return x.replace(text="".join(pieces))
