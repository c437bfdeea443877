"""Singular and plural forms of lexicon phrases, with inflect's known traps avoided.

inflect alone turns "aws" into "aw", "analysis" into "analysi" and pluralises
"graphs" into "graphss". Here a phrase is inflected on its last word only, and
phrases whose number cannot be told (acronyms ending in s, mass nouns in -ing,
words in -ss/-us/-is/-ics, names with "and", anything with digits or symbols)
are left invariant.

Examples
--------
>>> number("generative adversarial networks"), number("gan"), number("deep learning")
('plural', 'singular', None)
>>> inflect_to("generative adversarial networks", "singular")
'generative adversarial network'
>>> inflect_to("graph", "plural"), inflect_to("graphs", "plural"), inflect_to("aws", "singular")
('graphs', 'graphs', 'aws')
"""

from __future__ import annotations

import importlib
import sys
import threading
from functools import lru_cache
from typing import Any, Literal

from textaug.casing import is_acronym

Number = Literal["singular", "plural"]
_IMPORT_LOCK = threading.Lock()

_INVARIANT_ENDINGS = ("ing", "ss", "us", "is", "ics", "sys", "ware", "series")
_UNCOUNTABLE = frozenset({
    "data", "information", "knowledge", "software", "hardware", "research", "news",
    "kubernetes", "analytics", "evidence", "feedback", "equipment", "intelligence",
})


@lru_cache(maxsize=1)
def _engine():  # inflect is imported on first use: it is slow to import
    return _import_inflect().engine()


def _import_inflect() -> Any:
    """inflect, imported without typeguard's ``@typechecked`` on its methods.

    inflect 7 decorates 23 methods with ``@typechecked``, which re-parses and recompiles
    inflect's 4,000-line module for each of them at import (4-8 s of a cold start here) and
    checks every argument of every call; textaug passes only strings. So while inflect is
    imported, ``typeguard.typechecked`` is the identity (then put back): the import takes
    about a tenth of the time and calls run 2-3x faster, with the same results.
    """
    if "inflect" in sys.modules:
        return sys.modules["inflect"]
    try:
        import typeguard
    except ImportError:  # an inflect that does not use it
        return importlib.import_module("inflect")
    with _IMPORT_LOCK:
        checked = typeguard.typechecked
        typeguard.typechecked = _unchecked
        try:
            return importlib.import_module("inflect")
        finally:
            typeguard.typechecked = checked


def _unchecked(target: Any = None, **_: Any) -> Any:
    """``@typechecked`` and ``@typechecked(...)`` that leave the function as it is."""
    return target if target is not None else (lambda function: function)


def _last_word(phrase: str) -> str:
    return phrase.rsplit(" ", 1)[-1]


@lru_cache(maxsize=65536)
def number(phrase: str) -> Number | None:
    """The grammatical number of a lowercase phrase, or None where it cannot be told."""
    words = phrase.split()
    last = words[-1] if words else ""
    if (not last.isalpha() or not last.isascii() or "and" in words or last in _UNCOUNTABLE
            or last.endswith(_INVARIANT_ENDINGS) or (len(last) <= 3 and last.endswith("s"))):
        return None
    return "plural" if _engine().singular_noun(last) else "singular"


@lru_cache(maxsize=65536)
def inflect_to(phrase: str, target: Number) -> str:
    """``phrase`` in the ``target`` number (unchanged if invariant or already there)."""
    current = number(phrase)
    if current is None or current == target:
        return phrase
    last = _last_word(phrase)
    engine = _engine()
    new = engine.plural_noun(last) if target == "plural" else engine.singular_noun(last)
    if not new or new == last:
        return phrase
    return phrase[: len(phrase) - len(last)] + new


@lru_cache(maxsize=16384)
def _article(phrase: str) -> str:
    spoken = phrase.upper() if is_acronym(phrase) else phrase  # "rnn" is read R-N-N
    return _engine().a(spoken).split(" ", 1)[0].lower()


def fix_article(before: str, phrase: str) -> str:
    """Make an "a"/"an" that ends ``before`` agree with the ``phrase`` that follows it.

    >>> fix_article("beat an ", "recurrent neural network"), fix_article("A ", "RNN")
    ('beat a ', 'An ')
    >>> fix_article("use a ", "rnn")
    'use an '

    """
    word_end = len(before.rstrip())
    start = _article_start(before, word_end)
    if start < 0:
        return before
    wanted = _article(phrase)
    old = before[start:word_end]
    if old.lower() == wanted:
        return before
    new = wanted.upper() if old.isupper() and len(old) > 1 else wanted
    if old[0].isupper():
        new = new[0].upper() + new[1:]
    return before[:start] + new + before[word_end:]


def _article_start(before: str, word_end: int) -> int:
    """Where the word "a" or "an" ending at ``word_end`` starts (any case), or -1.

    A scan of the two letters before the trailing whitespace: no regex search, so a long
    run of whitespace costs one ``rstrip``.
    """
    last = before[word_end - 1:word_end]
    if word_end == len(before) or last not in ("a", "A", "n", "N"):
        return -1  # fast path: no "a"/"an" right before the phrase
    start = word_end - 1 if last in "aA" else word_end - 2
    if start < 0 or before[start] not in "aA":
        return -1
    previous = before[start - 1:start]
    return -1 if previous and (previous.isalnum() or previous in "_'") else start
