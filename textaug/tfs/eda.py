"""EDA (Wei and Zou, 2019): synonym replacement, random insertion, swap and deletion.

The four operations keep the paper's parameters: ``alpha`` is the share of a text's
words an operation touches (at least one), ``p_rd`` the chance of deleting each word,
and :func:`eda` applies one randomly chosen operation per augmentation. Unlike the
reference code, nothing is lowercased or re-joined: each operation edits spans of the
original string, so the rest of the text (casing, punctuation, spacing, newlines,
URLs, numbers, contractions) stays byte for byte. Synonyms come from WordNet; a word
is never its own synonym, stopwords are never replaced or chosen, and a plural noun
gets a plural synonym.

Examples
--------
>>> from textaug.records import Record
>>> x = Record({"text": "The quick brown fox jumps over the lazy dog."})
>>> random_swap(alpha_rs=0.1)(x, rng=3).text  # "The" loses the capital it had as the first word
'Lazy quick brown fox jumps over the the dog.'
>>> random_deletion(p_rd=0.2)(x, rng=1).text
'The quick brown jumps over the dog.'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from textaug._rng import Rng
from textaug.casing import copy_case
from textaug.errors import check_param
from textaug.inflection import inflect_to, number
from textaug.lexicon import bundled_path
from textaug.protect import Protector
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs._common import (
    Protect,
    check_fraction,
    editable_words,
    make_tf,
)
from textaug.words import Words

_PLAIN = re.compile(r"^[a-z][a-z' -]*[a-z]$")  # on WordNet lemmas; anchored, so linear
# The paper's recommended (alpha, n_aug) by training-set size (Wei and Zou 2019, table 3).
_RECOMMENDED = ((500, 0.05, 16), (2_000, 0.05, 8), (5_000, 0.1, 4))
_TRIES = 8  # draws over the chunks before the words are listed and drawn from instead


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The bundled English stopwords (``lexicons/stopwords_en.txt``)."""
    lines = bundled_path("stopwords_en.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def eda_defaults(train_size: int) -> tuple[float, int]:
    """The paper's ``(alpha, n_aug)`` for a training set of this size (nearest row, log scale).

    >>> eda_defaults(500), eda_defaults(2_000), eda_defaults(50_000)
    ((0.05, 16), (0.05, 8), (0.1, 4))
    """
    check_param(isinstance(train_size, int) and train_size >= 1, "eda_defaults", "train_size",
                "an int >= 1", train_size)
    _, alpha, n_aug = min(_RECOMMENDED, key=lambda row: abs(math.log(train_size / row[0])))
    return alpha, n_aug


@lru_cache(maxsize=65536)
def synonyms_of(word: str, pos_match: bool = False) -> tuple[str, ...]:
    """WordNet synonyms that can stand where ``word`` stands (lowercase word).

    Base forms get their lemmas' synonyms; a plural noun gets plural synonyms; other
    inflected forms ("running", "faster") get none rather than a wrong form.
    """
    if len(word) < 2 or word in stopwords():
        return ()
    from textaug import wordnet  # here, so `python -m textaug.wordnet` runs a fresh module

    reader = wordnet.load()
    poses = (wordnet.likely_pos(word),) if pos_match else ("n", "v", "a", "r")
    found: list[str] = []
    for pos in poses:
        if pos is None:
            continue
        lemma = reader.morphy(word, pos)
        if lemma == word:
            found += wordnet.synonyms(word, pos)
        elif lemma and pos == "n" and number(word) == "plural":
            found += [inflect_to(s, "plural") for s in wordnet.synonyms(lemma, pos)]
    return tuple(s for s in dict.fromkeys(found) if s != word and _PLAIN.match(s))


def _count(alpha: float, n_words: int) -> int:
    return max(1, int(alpha * n_words))


def _content(found: Words) -> list[tuple[int, str]]:
    """(position, lowercase word) of the words that are not stopwords."""
    stop = stopwords()
    return [(i, w) for i in range(len(found)) if (w := found.word(i).lower()) not in stop]


def _synonym_replacement(x: Record, rng: Rng, alpha: float, pos_match: bool,
                         guard: Protector) -> Record | None:
    _, found = editable_words(x, guard)
    content = _content(found)
    candidates = sorted({w for _, w in content})
    rng.shuffle(candidates)
    chosen: dict[str, str] = {}
    for word in candidates:
        options = synonyms_of(word, pos_match)
        if options:
            chosen[word] = rng.choice(options)
            if len(chosen) >= _count(alpha, len(found)):
                break
    if not chosen:
        return None
    return x.replace(text=found.rewrite(
        {i: copy_case(found.word(i), chosen[w]) for i, w in content if w in chosen}))


def _random_insertion(x: Record, rng: Rng, alpha: float, pos_match: bool,
                      guard: Protector) -> Record | None:
    _, found = editable_words(x, guard)
    pool = [w for _, w in _content(found) if synonyms_of(w, pos_match)]
    if not pool:
        return None
    grown: dict[int, str] = {}
    for _ in range(_count(alpha, len(found))):
        synonym = rng.choice(synonyms_of(rng.choice(pool), pos_match))
        after = rng.integers(len(found))  # after a word, so no existing word changes case
        grown[after] = grown.get(after, found.word(after)) + " " + synonym
    return x.replace(text=found.rewrite(grown))


def _random_swap(x: Record, rng: Rng, alpha: float, guard: Protector) -> Record | None:
    text, found = editable_words(x, guard)
    holds: dict[int, int] = {}  # chunk -> the chunk whose word it now holds
    if alpha * found.n_chunks < 2:  # one swap, whatever the number of words
        pair = _word_pair(found, rng)
        if pair is None:
            return None
        i, j = pair
        holds[i], holds[j] = j, i
    else:
        n = len(found)
        if n < 2:
            return None
        for _ in range(_count(alpha, n)):
            i, j = map(found.word_chunk, rng.pair(n))
            holds[i], holds[j] = holds.get(j, j), holds.get(i, i)
    swapped = found.move_chunks(holds)
    return x.replace(text=swapped) if swapped != text else None


def _word_pair(found: Words, rng: Rng) -> tuple[int, int] | None:
    """The chunks of two different words, the pair uniform; None with fewer than 2 words.

    Pairs of chunks are drawn until both hold words (a few tries), so most chunks are
    never judged; then the words are listed and a pair of them drawn.
    """
    n_chunks, holds_word = found.n_chunks, found.holds_word
    if n_chunks < 2:
        return None
    for _ in range(_TRIES):
        i, j = rng.pair(n_chunks)
        if holds_word(i) and holds_word(j):
            return i, j
    n = len(found)
    if n < 2:
        return None
    i, j = rng.pair(n)
    return found.word_chunk(i), found.word_chunk(j)


def _word_at_random(found: Words, rng: Rng) -> int | None:
    """The chunk of a uniformly drawn word (chunks drawn until one holds a word, as in
    :func:`_word_pair`); None when there are no words."""
    n_chunks, holds_word = found.n_chunks, found.holds_word
    for _ in range(_TRIES if n_chunks else 0):
        k = rng.integers(n_chunks)
        if holds_word(k):
            return k
    n = len(found)
    return found.word_chunk(rng.integers(n)) if n else None


def _random_deletion(x: Record, rng: Rng, p: float, guard: Protector) -> Record | None:
    _, found = editable_words(x, guard)
    # Bernoulli(p) over the chunks, kept where a chunk holds a word: each word goes with
    # probability p, and chunks that are not drawn are never judged.
    holds_word = found.holds_word
    doomed = [k for k in rng.bernoulli_positions(found.n_chunks, p) if holds_word(k)]
    if not doomed:  # at least one word
        first = _word_at_random(found, rng)
        if first is None:
            return None
        doomed = [first]
    # never every word: look for one that stays (usually the first chunk looked at)
    spared, n_chunks = 0, found.n_chunks
    while spared < n_chunks and (spared in doomed or not holds_word(spared)):
        spared += 1
    if spared == n_chunks:
        if len(doomed) < 2:  # a lone word stays
            return None
        doomed.remove(rng.choice(doomed))
    return x.replace(text=found.delete_chunks(doomed))


def _eda(x: Record, rng: Rng, alpha: float, pos_match: bool, guard: Protector) -> Record | None:
    ops: list[Callable[[], Record | None]] = [
        lambda: _synonym_replacement(x, rng, alpha, pos_match, guard),
        lambda: _random_insertion(x, rng, alpha, pos_match, guard),
        lambda: _random_swap(x, rng, alpha, guard),
        lambda: _random_deletion(x, rng, alpha, guard),
    ]
    for i in rng.permutation(len(ops)):  # one operation; another if it does not apply
        out = ops[i]()
        if out is not None:
            return out
    return None


def synonym_replacement(alpha_sr: float = 0.1, *, pos_match: bool = False, protect: Protect = (),
                        name: str = "synonym_replacement") -> TransformationFunction:
    """Replace ``max(1, alpha_sr * n_words)`` distinct non-stopwords with WordNet synonyms.

    Every occurrence of a chosen word is replaced, each in its own casing. With
    ``pos_match``, synonyms come only from the word's likely part of speech (by
    WordNet's sense counts).
    """
    check_fraction("synonym_replacement", "alpha_sr", alpha_sr)
    return make_tf(_synonym_replacement, name, protect, alpha=alpha_sr, pos_match=pos_match)


def random_insertion(alpha_ri: float = 0.1, *, pos_match: bool = False, protect: Protect = (),
                     name: str = "random_insertion") -> TransformationFunction:
    """Insert ``max(1, alpha_ri * n_words)`` synonyms of the text's words after random words."""
    check_fraction("random_insertion", "alpha_ri", alpha_ri)
    return make_tf(_random_insertion, name, protect, alpha=alpha_ri, pos_match=pos_match)


def random_swap(alpha_rs: float = 0.1, *, protect: Protect = (),
                name: str = "random_swap") -> TransformationFunction:
    """Swap two random words, ``max(1, alpha_rs * n_words)`` times."""
    check_fraction("random_swap", "alpha_rs", alpha_rs)
    return make_tf(_random_swap, name, protect, alpha=alpha_rs)


def random_deletion(p_rd: float = 0.1, *, protect: Protect = (),
                    name: str = "random_deletion") -> TransformationFunction:
    """Delete each word with probability ``p_rd`` (at least one, never all of them)."""
    check_fraction("random_deletion", "p_rd", p_rd)
    return make_tf(_random_deletion, name, protect, p=p_rd)


def eda(alpha: float | None = None, *, train_size: int | None = None, pos_match: bool = False,
        protect: Protect = (), name: str = "eda") -> TransformationFunction:
    """One randomly chosen EDA operation per augmentation, all with the same ``alpha``.

    Without ``alpha``, ``train_size`` picks the paper's recommendation (see
    :func:`eda_defaults`, which also gives the recommended ``n_per_original``); with
    neither, alpha is 0.1.
    """
    if alpha is None:
        alpha = eda_defaults(train_size)[0] if train_size is not None else 0.1
    check_fraction("eda", "alpha", alpha)
    return make_tf(_eda, name, protect, alpha=alpha, pos_match=pos_match)
