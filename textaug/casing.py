"""Give a replacement the casing of the text it replaces.

Examples
--------
>>> match_case("GANs", "generative adversarial networks")
'generative adversarial networks'
>>> match_case("GANs", "generative adversarial networks", sentence_start=True)
'Generative adversarial networks'
>>> match_case("Computer Vision", "cv"), match_case("NLP", "nlproc"), match_case("nlp", "nlproc")
('CV', 'nlproc', 'nlproc')
>>> match_case("Natural Language Processing", "natural language understanding")
'Natural Language Understanding'
>>> match_case("COMPUTER VISION", "machine vision"), match_case("Gans", "cnns")
('MACHINE VISION', 'CNNs')

:func:`match_case` knows acronyms (for alias lexicons); :func:`copy_case` is the plain rule
for ordinary words (EDA). :func:`text_case` reads the casing of the text around a span and
:func:`case_alias` writes an alias's display form in it (``swap_aliases``):

>>> text = "ML Cheatsheets. Notes on ML for everyone."
>>> text_case(text, 0, 2), text_case(text, 25, 27)
('title', 'sentence')
>>> case_alias("machine learning", "ML", "title"), case_alias("NLProc", "NLP", "title")
('Machine Learning', 'NLProc')
>>> case_alias("ML", "machine learning", "sentence"), case_alias("ML", "nlp", "lower")
('ML', 'ml')
>>> case_alias("machine learning", "ML", "sentence", sentence_start=True)
'Machine learning'
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain
from typing import Literal

TextCase = Literal["lower", "upper", "title", "sentence"]

# Words left in lower case in Title Case ("Learning to Rank with Deep Nets").
SMALL_WORDS = frozenset(["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into",
                         "nor", "of", "on", "or", "per", "the", "to", "via", "vs", "with"])
_SENTENCE_END = re.compile(r"[.!?:;]\s|\n")
_LAST_SENTENCE_END = re.compile(r"(?s:.*)(?:[.!?:;]\s|\n)")  # backtracks once over the text
_WORD = re.compile(r"[^\W\d_]+")
_GROUP = operator.methodcaller("group")
_REACH = 160  # characters read on each side of a span for its sentence


def copy_case(source: str, target: str) -> str:
    """``target`` in ``source``'s case: UPPER, Capitalized or as it is (for plain words).

    >>> copy_case("Dog", "cur"), copy_case("DOG", "hound"), copy_case("dog", "Hound")
    ('Cur', 'HOUND', 'Hound')
    """
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def is_acronym(word: str) -> bool:
    """A short single token, or one without vowels or with digits: gan, lstm, k8s."""
    if " " in word or not word:
        return False
    stem = word[:-1] if word.endswith("s") and len(word) > 2 else word
    return len(stem) <= 3 or not any(c in "aeiou" for c in stem) or any(c.isdigit() for c in stem)


def acronym_case(word: str) -> str:
    """An acronym in capitals, a plural "s" kept small: "cnns" is "CNNs", "k8s" is "K8s"."""
    if word.endswith("s") and len(word) > 2 and word[:-1].isalnum():
        return word[:-1].upper() + "s"
    return word.upper()


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=16384)
def match_case(source: str, target: str, sentence_start: bool = False) -> str:
    """``target`` cased like ``source``; a target with capitals of its own keeps them."""
    if source.islower() or not any(c.isalpha() for c in source):
        return target.lower() if not target.islower() and source.islower() else target
    words = source.split()
    if len(words) > 1 and source.isupper():
        return target.upper()
    if not target.islower():  # a display form from the lexicon, such as "PyTorch"
        return target
    if is_acronym(target):
        return acronym_case(target)
    if len(words) > 1 and all(w[:1].isupper() and w[1:].islower() for w in words if w.isalpha()):
        return " ".join(_capitalize(w) for w in target.split(" "))
    if sentence_start or (source[:1].isupper() and source[1:].islower()):
        return _capitalize(target)
    return target


def _plain(word: str) -> bool:
    """A word in plain lower case or plain Capitalised form (not an acronym or a name)."""
    return word.islower() or (word[:1].isupper() and (word[1:].islower() or len(word) == 1))


def _is_title(words: Iterable[str]) -> bool | None:
    """True where the plain words (not small words) are all Capitalised, False where one is
    in lower case (read no further), None where there is no plain word."""
    seen = None
    for w in words:
        if w.islower():
            if w not in SMALL_WORDS:
                return False
        elif _plain(w) and w.lower() not in SMALL_WORDS:  # Capitalised (not lower case)
            seen = True
    return seen


def text_case(text: str, start: int, end: int, lower: bool | None = None) -> TextCase:
    """The casing of the text around ``text[start:end]``.

    "lower": the text has no capital at all; "upper": the sentence is in capitals;
    "title": the sentence's plain words (neither acronyms nor small words such as "of",
    leaving out its first word and the span) are all Capitalised, or, where it has none,
    the span's are (two words at least); else "sentence". Reads at most a few hundred
    characters around the span; ``lower`` says whether the whole text is in lower case,
    where ``text`` is only a window of it.
    """
    if lower if lower is not None else text.lower() == text:
        return "lower"
    lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
    head = text[lo:start]
    cut = last_sentence_end(head)
    tail = text[end:hi]
    stop = _SENTENCE_END.search(tail)
    # The words are read lazily: in sentence case the first few settle it. Those before
    # the span up to the first one not in capitals; the rest of them stay in ``words``.
    words = map(_GROUP, _WORD.finditer(head, cut))
    before: list[str] = []
    for word in words:
        before.append(word)
        if not word.isupper():
            break
    span = _WORD.findall(text, start, end)
    last = stop.start() + 1 if stop else len(tail)
    after: Iterator[str] = map(_GROUP, _WORD.finditer(tail, 0, last))
    if (not before or before[-1].isupper()) and all(map(str.isupper, span)):
        rest = list(after)  # every word before is in capitals: the sentence may be
        if len(before) + len(rest) >= 2 and all(map(str.isupper, rest)):
            return "upper"
        after = iter(rest)
    title = _is_title(chain(before[1:], words, after) if before else after)
    if title is None:
        title = len(span) > 1 and bool(_is_title(span))
    return "title" if title else "sentence"


def last_sentence_end(text: str) -> int:
    """Where the last sentence of ``text`` starts: after its last ". ", "!", "?", ":" or
    ";" before a space, or newline (0 if none); one match, linear.

    >>> last_sentence_end("One. Two: three"), last_sentence_end("none")
    (10, 0)
    """
    found = _LAST_SENTENCE_END.match(text)
    return found.end() if found else 0


def _title(phrase: str) -> str:
    """Each plain lower-case word Capitalised, small words after the first left alone."""
    parts = re.split(r"([\s\-]+)", phrase)
    return "".join(p if not p.islower() or (i and p in SMALL_WORDS) else _capitalize(p)
                   for i, p in enumerate(parts))


@lru_cache(maxsize=8192)  # a pure function of a few short strings that recur across texts
def case_alias(display: str, source: str, case: TextCase, sentence_start: bool = False) -> str:
    """An alias's display form written in the casing of the text it goes into.

    Lower-case text gets lower case and capitals get capitals; in Title Case text plain
    words are Capitalised; a display form with capitals ("NLP", "PyTorch") otherwise keeps
    them. In running text an alias replacing a Capitalised name ("Computer Vision") is
    Capitalised too, and a sentence that began with a capital still does.
    """
    if case == "lower":
        return display.lower()
    if case == "upper":
        return display.upper()
    if case == "title":
        return _title(display)
    words = [w for w in re.split(r"[\s\-]+", source) if any(ch.isalpha() for ch in w)]
    named = (not sentence_start and all(_plain(w) or w.lower() in SMALL_WORDS for w in words)
             and bool(_is_title(words)))
    if named:
        return _title(display)
    if sentence_start and source[:1].isupper() and display[:1].islower():
        return _capitalize(display)
    return display
