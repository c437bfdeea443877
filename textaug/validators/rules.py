"""Rule-based validators: cheap checks that run on every candidate.

Examples
--------
>>> print(negation_preserved()("the movie was not good", "the movie was good"))
rejected: negators went from 1 to 0 (not)
>>> print(not_identical()("A  good movie", "a good MOVIE"))
rejected: same as the original once case and spacing are ignored
>>> print(length_bounds(max_changed=0.25)("a b c d", "a x y d"))
rejected: 50% of the words changed (most allowed: 25%)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from textaug.errors import InvalidParameterError, check_param
from textaug.levenshtein import edit_distance
from textaug.lexicon import Lexicon, bundled_path, normalize_tag
from textaug.near_duplicates import normalize
from textaug.records import Record
from textaug.validators.base import Validator, Verdict, text_of
from textaug.wordmatch import compile_phrases, normalize_phrase

_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")  # possessive: no backtracking


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


class NotIdentical(Validator):
    """Reject a candidate equal to its original or to an accepted sibling, after normalising."""

    def check(self, original: Record, candidate: Record) -> Verdict:
        if normalize(text_of(candidate)) == normalize(text_of(original, "original")):
            return Verdict.reject("same as the original once case and spacing are ignored")
        return Verdict.accept()

    def check_siblings(self, candidate: Record, accepted: Sequence[Record]) -> Verdict | None:
        mine = normalize(text_of(candidate))
        if any(normalize(text_of(other)) == mine for other in accepted):
            return Verdict.reject("same as another augmentation of this row once case and "
                                  "spacing are ignored")
        return None


def not_identical(*, name: str = "not_identical") -> Validator:
    """Reject a candidate that only differs from its original, or from another augmentation
    of the same row, in case or spacing."""
    return NotIdentical(name)


class ProtectedTerms(Validator):
    """Each protected term (or label keyword) is mentioned at least as often as before."""

    def __init__(self, name: str, terms: Sequence[str], lexicon: Lexicon | None) -> None:
        super().__init__(name, needs_label=lexicon is not None)
        self.terms = list(terms)
        self.lexicon = lexicon
        self._pattern = compile_phrases(self.terms) if self.terms else None

    def check(self, original: Record, candidate: Record) -> Verdict:
        before, after = self._mentions(original), self._mentions(candidate)
        lost = sorted(term for term, n in before.items() if after[term] < n)
        if lost:
            return Verdict.reject("dropped protected " + ", ".join(
                f"{term!r} ({before[term]} -> {after[term]})" for term in lost))
        return Verdict.accept()

    def _mentions(self, x: Record) -> Counter[str]:
        text = text_of(x, "row")
        found: Counter[str] = Counter()
        if self._pattern is not None:
            found.update(normalize_phrase(m.group()) for m in self._pattern.finditer(text))
        if self.lexicon is not None:  # the row's label keywords: any phrase of the label
            allowed = self.lexicon.allowed_tags(x.labels)
            found.update(f"{m.tag} keyword" for m in self.lexicon.find(text) if m.tag in allowed)
        return found


def protected_terms(terms: Iterable[str] = (), *, lexicon: Lexicon | str | Path | None = None,
                    name: str = "protected_terms") -> Validator:
    """Reject a candidate that mentions a protected term less often than its original.

    ``terms`` match as whole words, case-insensitively ("New York" is one term). With
    ``lexicon`` (a :class:`~textaug.lexicon.Lexicon`, "default" for the bundled ML one,
    or a lexicon JSON path), a row's label keywords are protected: any phrase of a tag
    the row is labelled with counts, so swapping "CNN" for "convolutional neural
    network" keeps it.
    """
    term_list = [terms] if isinstance(terms, str) else list(terms)
    check_param(all(isinstance(t, str) and t.strip() for t in term_list), "protected_terms",
                "terms", "non-blank strings", term_list)
    lex = _lexicon(lexicon, "protected_terms")
    if not term_list and lex is None:
        raise InvalidParameterError(
            "protected_terms needs terms=[...] or lexicon=Lexicon(...) (or lexicon='default').")
    return ProtectedTerms(name, term_list, lex)


def _lexicon(value: Lexicon | str | Path | None, owner: str) -> Lexicon | None:
    """A Lexicon as is; "default" the bundled one; another string or path a lexicon JSON."""
    if value is None or isinstance(value, Lexicon):
        return value
    if value == "default":
        return Lexicon.default()
    if isinstance(value, str | Path):
        return Lexicon.from_json(value)
    raise InvalidParameterError(f"The 'lexicon' parameter of {owner} must be a Lexicon, "
                                f"'default' or a lexicon JSON path. Got {value!r}.")


def _negators() -> frozenset[str]:
    lines = bundled_path("negators_en.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


class NegationPreserved(Validator):
    """Same number of negators, and no word swapped for one of its WordNet antonyms."""

    def __init__(self, name: str, negators: frozenset[str], check_antonyms: bool) -> None:
        super().__init__(name)
        self.negators = negators
        self.check_antonyms = check_antonyms

    def check(self, original: Record, candidate: Record) -> Verdict:
        before, after = _words(text_of(original, "original")), _words(text_of(candidate))
        neg_before, neg_after = self._negations(before), self._negations(after)
        if len(neg_before) != len(neg_after):
            changed = (Counter(neg_before) - Counter(neg_after)) + (
                Counter(neg_after) - Counter(neg_before))
            return Verdict.reject(f"negators went from {len(neg_before)} to {len(neg_after)} "
                                  f"({', '.join(sorted(changed))})")
        if self.check_antonyms:
            old, new = Counter(before), Counter(after)
            flipped = _antonym_swap(old - new, new - old)
            if flipped:
                return Verdict.reject(f"{flipped[0]!r} became its antonym {flipped[1]!r}")
        return Verdict.accept()

    def _negations(self, words: list[str]) -> list[str]:
        return [w for w in words if w in self.negators or w.endswith("n't")]


def _antonym_swap(removed: Counter[str], added: Counter[str]) -> tuple[str, str] | None:
    if not removed or not added:
        return None
    from textaug import wordnet  # WordNet loads only when a candidate changed words

    for old in sorted(removed):
        opposite = wordnet.antonyms(old)
        for new in sorted(added):
            if new in opposite or old in wordnet.antonyms(new):
                return old, new
    return None


def negation_preserved(negators: Iterable[str] | None = None, *, antonyms: bool = True,
                       name: str = "negation_preserved") -> Validator:
    """Reject a candidate that adds or drops a negator ("not", "never", "n't", ...) or
    swaps a word for a WordNet antonym ("good" -> "bad").

    The default negators are ``lexicons/negators_en.txt``; any word ending in "n't"
    counts too. The antonym check needs WordNet (``python -m textaug.wordnet install``).
    """
    if isinstance(negators, str):
        negators = [negators]
    words = _negators() if negators is None else frozenset(w.casefold() for w in negators)
    return NegationPreserved(name, words, antonyms)


class LengthBounds(Validator):
    """Token count within bounds; at most a share of the words changed."""

    def __init__(self, name: str, min_tokens: int | None, max_tokens: int | None,
                 max_changed: float | None) -> None:
        super().__init__(name)
        self.min_tokens, self.max_tokens, self.max_changed = min_tokens, max_tokens, max_changed

    def check(self, original: Record, candidate: Record) -> Verdict:
        before, after = text_of(original, "original").split(), text_of(candidate).split()
        if self.min_tokens is not None and len(after) < self.min_tokens:
            return Verdict.reject(f"{len(after)} tokens (fewest allowed: {self.min_tokens})")
        if self.max_tokens is not None and len(after) > self.max_tokens:
            return Verdict.reject(f"{len(after)} tokens (most allowed: {self.max_tokens})")
        changed = changed_share(before, after)
        if self.max_changed is not None and changed > self.max_changed:
            return Verdict.reject(f"{changed:.0%} of the words changed "
                                  f"(most allowed: {self.max_changed:.0%})", changed)
        return Verdict.accept(score=changed)


def changed_share(before: Sequence[str], after: Sequence[str]) -> float:
    """Word-level edit distance over the original's length (0 when nothing changed).

    >>> changed_share("a b c d".split(), "c b a d".split())
    0.5
    """
    if not before:
        return 0.0 if not after else 1.0
    return edit_distance(before, after) / len(before)


def length_bounds(*, min_tokens: int | None = None, max_tokens: int | None = None,
                  max_changed: float | None = None, name: str = "length_bounds") -> Validator:
    """Reject a candidate with fewer than ``min_tokens`` or more than ``max_tokens``
    whitespace tokens, or with more than ``max_changed`` of its original's words changed
    (word-level edit distance; the verdict's score is that share)."""
    for param, value in (("min_tokens", min_tokens), ("max_tokens", max_tokens)):
        check_param(value is None or (isinstance(value, int) and not isinstance(value, bool)
                                      and value >= 0), "length_bounds", param,
                    "None or an int >= 0", value)
    check_param(max_changed is None or (isinstance(max_changed, int | float)
                                        and not isinstance(max_changed, bool)
                                        and 0 <= max_changed <= 1),
                "length_bounds", "max_changed", "None or a float in [0, 1]", max_changed)
    if min_tokens is None and max_tokens is None and max_changed is None:
        raise InvalidParameterError(
            "length_bounds needs at least one of min_tokens, max_tokens, max_changed.")
    if min_tokens is not None and max_tokens is not None and min_tokens > max_tokens:
        raise InvalidParameterError(
            f"length_bounds: min_tokens ({min_tokens}) is above max_tokens ({max_tokens}).")
    return LengthBounds(name, min_tokens, max_tokens, max_changed)


class LexiconConsistent(Validator):
    """Keywords of the row's labels still fire; no keyword of another label starts to."""

    def __init__(self, name: str, lexicon: Lexicon) -> None:
        super().__init__(name, needs_label=True)
        self.lexicon = lexicon

    def check(self, original: Record, candidate: Record) -> Verdict:
        allowed = self.lexicon.allowed_tags(original.labels)
        before, after = self._fired(original), self._fired(candidate)
        lost = sorted((before & allowed) - after)
        if lost:
            return Verdict.reject(f"keywords of {', '.join(lost)} no longer appear")
        foreign = sorted(after - before - allowed)
        if foreign:
            return Verdict.reject(f"keywords of {', '.join(foreign)} appear, a label the row "
                                  f"does not have (its labels: {list(original.labels)})")
        return Verdict.accept()

    def _fired(self, x: Record) -> set[str]:
        return {m.tag for m in self.lexicon.find(text_of(x, "row"))}


def lexicon_consistent(lexicon: Lexicon | str | Path = "default", *,
                       name: str = "lexicon_consistent") -> Validator:
    """For keyword-labelled data: reject a candidate in which the keywords of the row's
    labels stop firing, or keywords of a label the row lacks start firing.

    Keywords are the lexicon's phrases, grouped by tag; a tag counts as one of the row's
    labels when it or one of its parents is. Keywords of other labels that were already
    in the original are left alone: the candidate did not introduce them.
    """
    lex = _lexicon(lexicon, "lexicon_consistent")
    if lex is None:
        raise InvalidParameterError(
            "lexicon_consistent needs a lexicon: a Lexicon, 'default' or a lexicon JSON path.")
    return LexiconConsistent(name, lex)


def label_keywords(labels: Mapping[Any, Iterable[str]]) -> Lexicon:
    """A lexicon from ``{label: [keyword, ...]}`` for the label-aware validators.

    >>> lex = label_keywords({"sentiment-positive": ["great", "excellent"]})
    >>> sorted(lex.allowed_tags(("sentiment-positive",)))
    ['sentiment-positive']
    """
    return Lexicon({normalize_tag(label): list(words) for label, words in labels.items()},
                   inflect=False)
