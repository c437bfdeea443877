"""Alias swapping: replace a tag's alias with another alias of the same tag.

The lesson's TF done right: one compiled matcher instead of a regex per alias per
row, whole words only, singular/plural kept ("GANs" becomes "generative adversarial
networks", never "generative adversarial network"), protected terms left alone, and
label-aware gating: a phrase is swapped only when the row's labels include its tag or a
tag above it, so "Autogenerate your CV" keeps its CV unless the row is labelled
computer-vision. So that a reader cannot tell the output from real text:

- only aliases (other names for the thing) are swapped, never keywords ("outliers" for
  "outlier detection");
- a phrase joined by "-", "/", "+" or "_" to a name ("Faster R-CNN", "GAN-BERT",
  "huggingface/nlp") is part of it and left alone; "GAN-based" is swapped;
- a swap never repeats a neighbouring word ("Reinforcement Learning (RL)" is kept) nor
  overlaps a longer phrase, before ("Semantic Segmentation") or after it ("TF Lite" would
  become "TensorFlow Lite", another tag);
- casing follows the text: display forms ("NLP", "PyTorch") in running text, Title Case
  in titles, lower case in lower-case text, a capital at a sentence start.

Examples
--------
>>> from textaug.records import Record
>>> tf = swap_aliases()
>>> x = Record({"text": "Autogenerate your CV using NLP.",
...             "tags": ["natural-language-processing"]}, label="tags")
>>> out = tf(x, rng=0).text
>>> out.startswith("Autogenerate your CV using "), out in {
...     "Autogenerate your CV using natural language processing.",
...     "Autogenerate your CV using NLProc."}
(True, True)
>>> x = Record({"text": "Faster R-CNN beats plain CNNs", "tags": []}, label="tags")
>>> sorted({swap_aliases(label_aware=False)(x, rng=seed).text for seed in range(20)})
['Faster R-CNN beats plain ConvNets', 'Faster R-CNN beats plain convolutional neural networks']

"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from textaug._rng import Rng
from textaug.casing import case_alias, text_case
from textaug.errors import InvalidParameterError, check_param
from textaug.inflection import fix_article
from textaug.lexicon import Lexicon, Match
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs._common import make_tf
from textaug.wordmatch import joined_to_name
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
) -> str | None:
    text = x.text
    if not lexicon.find(text):
        return None
    allowed = lexicon.allowed_tags(x.labels) if label_aware else None
    if guard.columns:  # spans that differ by row
        options, lower = _swappable(lexicon, guard, text, allowed, guard.spans_for(x))
    else:  # the same for a row's every draw: worked out once
        options, lower = _swappable_in(lexicon, guard, text, allowed)
    chosen = [m for m in options if rng.random() < p] if p is not None else []
    new = _swap_each(lexicon, text, chosen, rng, lower) if chosen else text
    if new == text:  # one uniform draw among the matches that can be swapped, found lazily
        m = _draw_swappable(lexicon, text, options, rng, lower)
        if m is not None:
            replacement = rng.choice(_replacements(lexicon, text, m, lower))
            new = fix_article(text[:m.start], replacement) + replacement + text[m.end:]
    return None if new == text else new


@lru_cache(maxsize=64)
def _swappable_in(lexicon: Lexicon, guard: Protector, text: str,
                  allowed: frozenset[str] | None) -> tuple[tuple[Match, ...], bool]:
    return _swappable(lexicon, guard, text, allowed, guard.spans(text))


def _swappable(lexicon: Lexicon, guard: Protector, text: str, allowed: frozenset[str] | None,
               spans: tuple[tuple[int, int], ...]) -> tuple[tuple[Match, ...], bool]:
    """The aliases found in ``text`` that may be swapped (of an allowed tag, outside the
    protected spans), and whether the whole text is in lower case."""
    options = tuple(m for m in lexicon.find(text)
                    if m.alias and (allowed is None or m.tag in allowed)
                    and not (spans and guard.covers(spans, m.start, m.end)))
    return options, text.lower() == text


def _draw_swappable(lexicon: Lexicon, text: str, options: Sequence[Match], rng: Rng,
                    lower: bool) -> Match | None:
    """One match drawn uniformly among those with a replacement, checking only the ones
    drawn (a draw without one is put aside and the draw repeated); None if none has one."""
    left = list(options)
    while left:
        i = rng.integers(len(left))
        left[i], left[-1] = left[-1], left[i]
        m = left.pop()
        if _replacements(lexicon, text, m, lower):
            return m
    return None


def _swap_each(lexicon: Lexicon, text: str, chosen: list[Match], rng: Rng,
               lower: bool) -> str:
    """Swap the chosen matches left to right, each checked against the text as swapped so
    far (a window of it: every check reads at most a few hundred characters around)."""
    pieces: list[str] = []
    last, tail = 0, ""
    for m in chosen:
        near = text[max(last, m.start - _WINDOW):m.start]  # never the whole stretch before
        left = (tail + near)[-_WINDOW:]
        local = Match(len(left), len(left) + m.end - m.start, m.text, m.tag, m.base, m.number,
                      m.alias)
        fits = _replacements(lexicon, left + text[m.start:m.end + _WINDOW], local, lower)
        if not fits:
            continue
        replacement = rng.choice(fits)
        before = fix_article(text[last:m.start], replacement)
        pieces += [before, replacement]
        tail = (tail + before[-_WINDOW:] + replacement)[-_WINDOW:]
        last = m.end
    pieces.append(text[last:])
    return "".join(pieces)


@lru_cache(maxsize=1024)
def _replacements(lexicon: Lexicon, text: str, m: Match, lower: bool) -> tuple[str, ...]:
    """The aliases that may stand for ``m`` in ``text``, cased for it: none where ``m`` is
    part of a joined name, overlaps a longer phrase or stands next to a phrase of its own
    tag ("Reinforcement Learning (RL)", "W&B: Weights and Biases"); no alias that would repeat a
    neighbouring word or run into the words around it to make another phrase. ``lower``:
    the whole text is in lower case."""
    if joined_to_name(text, m.start, m.end) or lexicon.overlapped(text, m):
        return ()
    if any(other is not None and other.tag == m.tag and _adjacent(text, m, other)
           and not joined_to_name(text, other.start, other.end)
           for other in lexicon.neighbours(text, m)):
        return ()
    near = _neighbours(text, m.start, m.end)
    case = text_case(text, m.start, m.end, lower=lower)
    start = starts_sentence(text, m.start)
    own = _stems(m.text)
    lo = max(0, m.start - _REACH)
    before, after = text[lo:m.start], text[m.end:m.end + _REACH]
    fits = []
    for alternative in lexicon.alternatives(m):
        replacement = case_alias(lexicon.display_form(alternative), m.text, case, start)
        if not (_stems(replacement) - own) & near and lexicon.stands_alone(
                before + replacement + after, len(before), len(before) + len(replacement),
                m.tag):
            fits.append(replacement)
    return tuple(fits)


_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")  # not ":": "W&B: Weights and Biases" is one stretch
_LAST_SENTENCE_END = re.compile(r"(?s:.*)(?:[.!?;]\s|\n)")  # the last one: one match, linear
_NEAR = 3  # words on each side that a replacement must not repeat
_REACH = 120  # characters read on each side for them
_WINDOW = 250  # characters of context kept for a swap's checks (more than any check reads)


@lru_cache(maxsize=4096)
def _stems(phrase: str) -> frozenset[str]:
    """Lower-case words of ``phrase`` with a final "s" dropped (both sides alike)."""
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w
                     for w in _WORD.findall(phrase.lower()))


def _adjacent(text: str, m: Match, other: Match) -> bool:
    """Whether only spaces and punctuation (no word) stand between two matches."""
    lo, hi = (other.end, m.start) if other.end <= m.start else (m.end, other.start)
    return hi - lo <= _REACH and _WORD.search(text, lo, hi) is None and "\n" not in text[lo:hi]


def _neighbours(text: str, start: int, end: int) -> frozenset[str]:
    """Up to three words on each side of ``text[start:end]`` in its sentence, as stems."""
    head = text[max(0, start - _REACH):start]
    found = _LAST_SENTENCE_END.match(head)
    cut = found.end() if found else 0
    tail = text[end:end + _REACH]
    stop = _SENTENCE_END.search(tail)
    near = max(cut, len(head) - 16 * _NEAR)  # the last few words, read from near the span
    before = _WORD.findall(head, near)
    if len(before) <= _NEAR and near > cut:  # too few there (the first may be cut): all
        before = _WORD.findall(head, cut)
    before = before[-_NEAR:]
    after = [m.group() for m in islice(_WORD.finditer(tail, 0, stop.start() if stop else
                                                      len(tail)), _NEAR)]
    return _stems(" ".join(before + after))
