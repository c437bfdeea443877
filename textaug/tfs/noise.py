"""Character noise: keyboard typos, random character edits, OCR errors, common misspellings.

Each TF picks words (each with probability ``aug_p``, at least one, at most
``max_words``) and makes one edit inside each picked word, in place: the rest of the
string (casing, punctuation, spacing, newlines, URLs, e-mail addresses, numbers,
contractions, protected terms and spans) stays byte for byte. The parts of a
hyphenated compound count as words, and a letter followed by a combining mark (an
accent written as its own code point) is never split from its mark. A TF returns
None when no word can be edited.

Examples
--------
>>> from textaug.records import Record
>>> x = Record({"text": "Please send the report to me@x.org by Friday, 5 pm."})
>>> keyboard_typos(aug_p=0.3)(x, rng=2).text
'Plezse send the rrport tk me@x.org by Friday, 5 pm.'
>>> char_noise(action="swap", max_words=1)(x, rng=3).text
'Please send the report to me@x.org yb Friday, 5 pm.'
>>> ocr_errors(aug_p=0.3)(x, rng=1).text
'Please send thc report to me@x.org hy Friday, 5 pnn.'
>>> misspellings(aug_p=1.0)(x, rng=3).text
'Plese send hte repport to me@x.org by Friday, 5 pm.'
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from textaug._rng import Rng
from textaug.errors import check_param
from textaug.lexicon import bundled_path
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs._common import (
    Protect,
    check_picking,
    editable_words,
    make_tf,
    pick_positions,
)
from textaug.words import Edit, Word, apply_edits

ACTIONS = ("substitute", "swap", "delete", "insert")
KEYBOARD_LEXICON = "keyboard_qwerty.json"
OCR_LEXICON = "ocr_confusions.json"
MISSPELLINGS_LEXICON = "misspellings_en.json"

_LOWER = "abcdefghijklmnopqrstuvwxyz"
# the other ASCII letters of the same case, for substitutions
_OTHERS = {c: tuple(o for o in letters if o != c)
           for letters in (_LOWER, _LOWER.upper()) for c in letters}

Table = dict[str, tuple[str, ...]]
Part = Word  # an editable run of letters: a word, or a part of a hyphenated compound


# -- lexicons (loaded on first use, then cached) -----------------------------------------

@cache
def _load(name: str, key: str) -> Table:
    """A bundled table, read once: ``{key: [values]}`` under ``key`` in the JSON file."""
    data = json.loads(bundled_path(name).read_text(encoding="utf-8"))[key]
    return {k: tuple(v) for k, v in data.items()}


def keyboard_neighbours() -> Table:
    """The US QWERTY neighbours of each lowercase letter and digit (``keyboard_qwerty.json``).

    >>> keyboard_neighbours()["s"]
    ('w', 'e', 'a', 'd', 'z', 'x')
    """
    return dict(_load(KEYBOARD_LEXICON, "neighbours"))


def ocr_confusions() -> Table:
    """What OCR may read each character sequence as (``ocr_confusions.json``).

    >>> ocr_confusions()["rn"], ocr_confusions()["0"]
    (('m',), ('D', 'O', 'o'))
    """
    return dict(_load(OCR_LEXICON, "confusions"))


def common_misspellings() -> Table:
    """Common misspellings of 5,000 frequent lowercase English words (``misspellings_en.json``).

    >>> common_misspellings()["receive"][0]
    'recieve'
    """
    return dict(_load(MISSPELLINGS_LEXICON, "misspellings"))


@lru_cache(maxsize=1)
def _typo_table() -> Table:
    """Each letter (both cases) to its neighbouring letters, in its case."""
    table: Table = {}
    for key, near in _load(KEYBOARD_LEXICON, "neighbours").items():
        if key.isalpha():
            letters = tuple(n for n in near if n.isalpha())
            table[key] = letters
            table[key.upper()] = tuple(n.upper() for n in letters)
    return table


@lru_cache(maxsize=1)
def _ocr_tables() -> dict[str, Any]:
    """The OCR worker's resources: the confusions of letter sequences (the only ones a
    word holds), their keys by first letter (longest first), the one-letter keys and
    the longer keys."""
    table = {k: v for k, v in _load(OCR_LEXICON, "confusions").items() if k.isalpha()}
    firsts: dict[str, list[str]] = {}
    for key in sorted(table, key=len, reverse=True):
        firsts.setdefault(key[0], []).append(key)
    return {"table": table, "firsts": {c: tuple(keys) for c, keys in firsts.items()},
            "singles": frozenset(k for k in table if len(k) == 1),
            "longer": tuple(k for k in table if len(k) > 1)}


# -- factories ------------------------------------------------------------------------------

def keyboard_typos(
    *, aug_p: float = 0.1, max_words: int | None = None, protect: Protect = (),
    name: str = "keyboard_typos",
) -> TransformationFunction:
    """Replace one letter of each picked word with a neighbouring key (US QWERTY).

    The typo keeps the case of the letter it replaces and is always a letter
    ("s" becomes one of w e a d z x), so a word never gains a digit.

    Every noise TF takes ``aug_p`` (the chance that each word is picked; at least one
    is), ``max_words`` (at most this many words change; None: no cap), ``protect``
    (terms, compiled regexes and per-row :class:`~textaug.protect.SpanColumn` spans
    never changed; URLs and e-mail addresses always are) and ``name`` (unique within
    one run).
    """
    check_picking("keyboard_typos", aug_p, max_words)
    return make_tf(_keyboard_typos, name, protect, aug_p=aug_p, max_words=max_words,
                   neighbours=_typo_table())


def char_noise(
    *, action: str = "substitute", aug_p: float = 0.1, max_words: int | None = None,
    protect: Protect = (), name: str = "char_noise",
) -> TransformationFunction:
    """One random character edit in each picked word.

    Parameters
    ----------
    action
        ``"substitute"`` a letter with another letter of the same case, ``"swap"``
        two different adjacent letters, ``"delete"`` a letter (never a word's only
        letter) or ``"insert"`` a letter. The new letter is an ASCII letter beside ASCII
        letters and a letter of the same word otherwise (so Arabic stays Arabic).
    aug_p, max_words, protect, name
        As for :func:`keyboard_typos`.
    """
    check_param(isinstance(action, str) and action in ACTIONS, "char_noise", "action",
                "one of " + ", ".join(repr(a) for a in ACTIONS), action)
    check_picking("char_noise", aug_p, max_words)
    return make_tf(_char_noise, name, protect, aug_p=aug_p, max_words=max_words, action=action)


def ocr_errors(
    *, aug_p: float = 0.1, max_words: int | None = None, protect: Protect = (),
    name: str = "ocr_errors",
) -> TransformationFunction:
    """Replace one letter sequence of each picked word with an OCR confusion.

    From the bundled table: "o" read as "0", "l" as "1" or "I", "S" as "5", "B" as
    "8", "rn" as "m", "m" as "rn", "cl" as "d", "vv" as "w" and so on. Only words with
    a known confusion are picked; digits in the text are numbers and never touched.

    Parameters as for :func:`keyboard_typos`.
    """
    check_picking("ocr_errors", aug_p, max_words)
    return make_tf(_ocr_errors, name, protect, aug_p=aug_p, max_words=max_words,
                   **_ocr_tables())


def misspellings(
    *, aug_p: float = 0.1, max_words: int | None = None, protect: Protect = (),
    name: str = "misspellings",
) -> TransformationFunction:
    """Replace picked words with a common misspelling ("receive" becomes "recieve").

    Only words in the bundled table (about 5,000 common English words) written
    lower, Title or UPPER case are picked; the misspelling keeps that case.

    Parameters as for :func:`keyboard_typos`.
    """
    check_picking("misspellings", aug_p, max_words)
    return make_tf(_misspellings, name, protect, aug_p=aug_p, max_words=max_words,
                   table=_load(MISSPELLINGS_LEXICON, "misspellings"))


# -- workers --------------------------------------------------------------------------------

def _is_mark(char: str) -> bool:
    return char > "\x7f" and unicodedata.category(char)[0] == "M"


def _split(word: Word) -> list[Part]:
    """The parts of a hyphenated compound."""
    parts, start = [], word.start
    for piece in word.text.split("-"):
        parts.append(Part(start, start + len(piece), piece))
        start += len(piece) + 1
    return parts


def _parts(text: str, found: Sequence[Word], whole_only: bool = False) -> Sequence[Part]:
    """The editable parts of the words; none splits a letter from its combining mark.

    A word touching a combining mark is only a piece of a longer word: ``whole_only``
    drops such parts, otherwise only the letter that carries the mark is left out.
    """
    if text.isascii() and "-" not in text:
        return found
    parts: list[Part] = []
    size = len(text)
    for w in found:
        pieces = _split(w) if "-" in w.text else [w]
        mark_after = w.end < size and _is_mark(text[w.end])
        if whole_only:
            if w.start and _is_mark(text[w.start - 1]):
                pieces = pieces[1:]
            if mark_after:
                pieces = pieces[:-1]
        elif mark_after:
            last = pieces.pop()
            if len(last.text) > 1:
                pieces.append(Part(last.start, last.end - 1, last.text[:-1]))
        parts += pieces
    return parts


def _noise(
    x: Record, rng: Rng, aug_p: float, max_words: int | None, guard: Protector,
    eligible: Callable[[Part], bool], edit: Callable[[Part, Rng], Edit], whole_only: bool = False,
) -> str | None:
    """Pick eligible parts and apply one ``edit`` to each; None when none is eligible."""
    if not isinstance(x.text, str) or not x.text:
        return None
    text, found = editable_words(x, guard)
    if not found:
        return None
    parts = [p for p in _parts(text, found, whole_only) if eligible(p)]
    if not parts:
        return None
    edits = [edit(parts[i], rng) for i in pick_positions(len(parts), aug_p, max_words, rng)]
    new = apply_edits(text, edits)
    return None if new == text else new


def _keyboard_typos(
    x: Record, rng: Rng, aug_p: float, max_words: int | None, guard: Protector,
    neighbours: Table,
) -> str | None:
    keys = neighbours.keys()

    def eligible(p: Part) -> bool:
        return not keys.isdisjoint(p.text)

    def edit(p: Part, rng: Rng) -> Edit:
        i = rng.choice([i for i, c in enumerate(p.text) if c in neighbours])
        return Edit(p.start + i, p.start + i + 1, rng.choice(neighbours[p.text[i]]))

    return _noise(x, rng, aug_p, max_words, guard, eligible, edit)


_ASCII_LETTERS = _OTHERS.keys()


def _alternatives(char: str, word: str) -> tuple[str, ...]:
    """Letters that may replace ``char``: other ASCII letters of its case, else the word's."""
    others = _OTHERS.get(char)
    return others if others is not None else tuple(sorted(set(word) - {char}))


def _can_substitute(p: Part) -> bool:
    return not _ASCII_LETTERS.isdisjoint(p.text) or len(set(p.text)) > 1


def _substitute(p: Part, rng: Rng) -> Edit:
    s = p.text
    i = rng.choice([i for i, c in enumerate(s) if _alternatives(c, s)])
    return Edit(p.start + i, p.start + i + 1, rng.choice(_alternatives(s[i], s)))


def _can_swap(p: Part) -> bool:
    return len(set(p.text)) > 1


def _swap(p: Part, rng: Rng) -> Edit:
    s = p.text
    i = rng.choice([i for i in range(len(s) - 1) if s[i] != s[i + 1]])
    return Edit(p.start + i, p.start + i + 2, s[i + 1] + s[i])


def _can_delete(p: Part) -> bool:
    return len(p.text) > 1


def _delete(p: Part, rng: Rng) -> Edit:
    i = rng.integers(len(p.text))
    return Edit(p.start + i, p.start + i + 1, "")


def _can_insert(p: Part) -> bool:
    return True


def _insert(p: Part, rng: Rng) -> Edit:
    s = p.text
    i = rng.integers(len(s) + 1)
    if s[i - 1 if i else 0] in _OTHERS:
        letter = rng.choice(_LOWER)
        letter = letter.upper() if len(s) > 1 and s.isupper() else letter
    else:
        letter = rng.choice(s)
    return Edit(p.start + i, p.start + i, letter)


_CHAR_OPS: dict[str, tuple[Callable[[Part], bool], Callable[[Part, Rng], Edit]]] = {
    "substitute": (_can_substitute, _substitute),
    "swap": (_can_swap, _swap),
    "delete": (_can_delete, _delete),
    "insert": (_can_insert, _insert),
}


def _char_noise(
    x: Record, rng: Rng, aug_p: float, max_words: int | None, guard: Protector, action: str,
) -> str | None:
    eligible, edit = _CHAR_OPS[action]
    return _noise(x, rng, aug_p, max_words, guard, eligible, edit)


def _ocr_errors(
    x: Record, rng: Rng, aug_p: float, max_words: int | None, guard: Protector,
    table: Table, firsts: Table, singles: frozenset[str], longer: tuple[str, ...],
) -> str | None:
    def eligible(p: Part) -> bool:
        return not singles.isdisjoint(p.text) or any(key in p.text for key in longer)

    def edit(p: Part, rng: Rng) -> Edit:
        s = p.text
        i, key = rng.choice([(i, key) for i, c in enumerate(s) if c in firsts
                             for key in firsts[c] if s.startswith(key, i)])
        return Edit(p.start + i, p.start + i + len(key), rng.choice(table[key]))

    return _noise(x, rng, aug_p, max_words, guard, eligible, edit)


def _cased(word: str, misspelling: str) -> str:
    if word.islower():
        return misspelling
    if word.isupper():
        return misspelling.upper()
    return misspelling[:1].upper() + misspelling[1:]


def _misspellings(
    x: Record, rng: Rng, aug_p: float, max_words: int | None, guard: Protector,
    table: Table,
) -> str | None:
    def eligible(p: Part) -> bool:
        s = p.text
        return (s.islower() or s.isupper() or s.istitle()) and s.lower() in table

    def edit(p: Part, rng: Rng) -> Edit:
        s = p.text
        return Edit(p.start, p.end, _cased(s, rng.choice(table[s.lower()])))

    return _noise(x, rng, aug_p, max_words, guard, eligible, edit, whole_only=True)
