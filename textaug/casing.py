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
for ordinary words (EDA).
"""

from __future__ import annotations

from functools import lru_cache


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


def _acronym_case(word: str) -> str:
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
        return _acronym_case(target)
    if len(words) > 1 and all(w[:1].isupper() and w[1:].islower() for w in words if w.isalpha()):
        return " ".join(_capitalize(w) for w in target.split(" "))
    if sentence_start or (source[:1].isupper() and source[1:].islower()):
        return _capitalize(target)
    return target
