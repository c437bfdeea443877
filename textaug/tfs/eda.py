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
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import cache, lru_cache
from types import ModuleType

from textaug._rng import Rng
from textaug.casing import copy_case
from textaug.errors import check_param
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
from textaug.words import Words, splice, word_of

# The paper's recommended (alpha, n_aug) by training-set size (Wei and Zou 2019, table 3).
_RECOMMENDED = ((500, 0.05, 16), (2_000, 0.05, 8), (5_000, 0.1, 4))
_TRIES = 8  # draws over the chunks before the words are listed and drawn from instead
# Abbreviations whose dot does not end a sentence (besides "U.S."-like ones and initials).
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "inc",
                            "ltd", "co", "corp", "no", "fig", "eq", "approx", "dept", "cf", "al"})
_OPENING = "\"'([{<\u201c\u2018\u00ab"  # quotes and brackets that may open a token


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
    inflected forms ("running", "faster") get none rather than a wrong form. The answers
    of words (letters and hyphens) come from the synonym table that
    ``python -m textaug.wordnet install`` builds (:mod:`textaug.synonym_table`), so a
    fresh process loads neither nltk nor inflect; other strings are looked up in nltk's
    WordNet.
    """
    if len(word) < 2 or word in stopwords():
        return ()
    synonym_table = _synonym_table()
    if synonym_table.covers(word):
        return synonym_table.lookup(word, pos_match)
    return synonym_table.nltk_answer(word, pos_match)


def _look_up_ahead(records: Sequence[Record]) -> None:
    """Before a batch runs (the TFs' ``prefetch``): read the synonyms of its texts' words
    in a few table queries, not one per word as each row asks (a fresh process's first
    call spent about a tenth of its time on those). It fails nothing: a row whose look-up
    fails meets the error in its own run, which reports it.
    """
    texts = {text for x in records if isinstance(text := x.text, str)}
    with suppress(Exception):  # see above
        _synonym_table().prefetch(texts)


@cache
def _synonym_table() -> ModuleType:
    """:mod:`textaug.synonym_table`, imported on first use (so that ``python -m
    textaug.wordnet`` runs a fresh module) and once: an import statement per look-up costs
    a fresh process's first call about a microsecond a word."""
    from textaug import synonym_table

    return synonym_table


def _count(alpha: float, n_words: int) -> int:
    return max(1, int(alpha * n_words))


def _content(found: Words) -> list[tuple[int, str]]:
    """(position, lowercase word) of the plain words (lower-case or Capitalised) that are
    not stopwords: an acronym or a mixed-case name ("AI", "ALBERT", "iPhone") is a name, whose
    WordNet "synonyms" are other senses ("AI" -> "three-toed sloth")."""
    stop = stopwords()
    return [(i, w) for i in range(len(found)) if _plain(word := found.word(i))
            and (w := word.lower()) not in stop]


def _plain(word: str) -> bool:
    return word.islower() or (word[:1].isupper() and word[1:].islower())


def _synonym_replacement(x: Record, rng: Rng, alpha: float, pos_match: bool,
                         guard: Protector) -> str | None:
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
    return found.rewrite(
        {i: copy_case(found.word(i), chosen[w]) for i, w in content if w in chosen})


def _random_insertion(x: Record, rng: Rng, alpha: float, pos_match: bool,
                      guard: Protector) -> str | None:
    _, found = editable_words(x, guard)
    pool = [w for _, w in _content(found) if synonyms_of(w, pos_match)]
    if not pool:
        return None
    grown: dict[int, str] = {}
    for _ in range(_count(alpha, len(found))):
        synonym = rng.choice(synonyms_of(rng.choice(pool), pos_match))
        after = rng.integers(len(found))  # after a word, so no existing word changes case
        grown[after] = grown.get(after, found.word(after)) + " " + synonym
    return found.rewrite(grown)


def _random_swap(x: Record, rng: Rng, alpha: float, guard: Protector) -> str | None:
    text, found = editable_words(x, guard)
    places = found.places  # the swapped words are written by their number: all listed
    n = len(places)
    if n < 2:
        return None
    pair, swaps = rng.pair, int(alpha * n)  # max(1, ...): _count, inlined: hot
    i, j = pair(n)
    chunks = found.chunks
    out = list(chunks)
    if swaps > 1:
        _moves(found, out, _cycles(pair, n, swaps, i, j))
    else:  # one swap (texts under 2 / alpha words): _moves of {i: j, j: i}, unrolled: hot
        a, b = places[i], places[j]
        first, second = chunks[a], chunks[b]
        was_a = first if first.isalpha() else word_of(first)
        was_b = second if second.isalpha() else word_of(second)
        if was_a == was_b:
            return None
        now_a, now_b = was_b, was_a  # as _moves writes them, unrolled
        if not now_a.islower() or was_a[0].isupper():  # most moves: no capital to move
            now_a = _recased(found, now_a, was_a, a, b)
        if not now_b.islower() or was_b[0].isupper():
            now_b = _recased(found, now_b, was_b, b, a)
        # a chunk that is its word (the same object) takes the new word whole
        out[a] = now_a if was_a is first else splice(first, now_a)
        out[b] = now_b if was_b is second else splice(second, now_b)
    swapped = found.join(out)
    return swapped if swapped != text else None


def _cycles(pair: Callable[[int], tuple[int, int]], n: int, swaps: int, i: int,
            j: int) -> dict[int, int]:
    """Word -> the word whose copy it holds after ``swaps`` swaps, the first of ``i``, ``j``."""
    holds = {i: j, j: i}
    for _ in range(swaps - 1):
        i, j = pair(n)
        holds[i], holds[j] = holds.get(j, j), holds.get(i, i)
    return holds


def _moves(found: Words, out: list[str], holds: dict[int, int]) -> None:
    """Write into ``out`` (the chunks) each word's new word: ``holds[i]``'s, re-cased as
    :func:`_recased` says."""
    places, chunks = found.places, found.chunks
    was = {i: chunk if (chunk := chunks[places[i]]).isalpha() else word_of(chunk)
           for i in holds}  # the moves make cycles: read first (word_of, inlined: hot)
    for slot, origin in holds.items():
        moved, there = was[origin], was[slot]
        if moved == there:
            continue
        k = places[slot]
        if not moved.islower() or there[0].isupper():  # most moves: no capital to move
            moved = _recased(found, moved, there, k, places[origin])
        chunk = chunks[k]  # a chunk that is its word (the same object) takes the word whole
        out[k] = moved if there is chunk else splice(chunk, moved)


def _recased(found: Words, moved: str, there: str, slot: int, origin: int) -> str:
    """The word of chunk ``origin`` (``moved``) as written in the place of the word of chunk
    ``slot`` (``there``).

    Only plain words change, and only to keep a sentence start as the text wrote it: a
    lower-case word moved to a start that the text capitalised takes the capital, and
    in sentence-case text (see :func:`_sentence_case`; not Title Case) a Capitalised
    word moved from such a start to a place without one drops it. Acronyms, mixed-case
    words ("iPhone") and "I" never change; a start that the text wrote in lower case (a
    wrapped line, a lower-case text) gives no capital, nor does a dot of "U.S.".
    """
    # The cheap tests first (see _sentence_start).
    if moved.islower():  # takes the capital of a sentence start
        if there[0].isupper() and _sentence_start(found, slot):
            return moved[0].upper() + moved[1:]
        return moved
    if not (moved[0].isupper() and (moved[1:].islower() or moved == "A")):  # "Dogs", "A"
        return moved  # an acronym, a mixed-case word, "I"
    if not _sentence_start(found, origin):
        return moved  # its capital is its own, not a sentence start's
    if there[0].isupper() and _sentence_start(found, slot):
        return moved  # moved to another sentence start
    return moved.lower() if _sentence_case(found) else moved


def _sentence_start(found: Words, k: int) -> bool:
    """Whether the word in chunk ``k`` begins the text, a line, or follows . ! ? or : (but
    not the dot of an abbreviation). Chunk 0 always does; where only it can
    (``one_sentence``), no other chunk is looked at.

    >>> from textaug.words import Words, splice, word_of
    >>> found = Words("In the U.S. today. Then\\nnow")
    >>> [_sentence_start(found, k) for k in found.places]
    [True, False, False, True, True]
    """
    return not k or (not found.one_sentence and found.chunk_starts_sentence(k)
                     and not _abbreviation(found.chunks[k - 1]))


@lru_cache(maxsize=1)  # a swap's moves ask of one text in a row; no other texts kept alive
def _sentence_case(found: Words) -> bool:
    """Whether a text that capitalises a sentence start is in sentence case: it has words
    in lower case, at least as many as Capitalised ones (so not Title Case, ALL CAPS).

    >>> from textaug.words import Words, splice, word_of
    >>> [_sentence_case(Words(t)) for t in ("A dog. The cat", "A Dog. The Cat", "A DOG")]
    [True, False, False]
    """
    chunks = found.chunks
    lower = sum(map(str.islower, chunks))
    if 2 * lower >= len(chunks):  # no chunk is both: at most as many Capitalised, unread
        return lower > 0
    return 0 < lower >= sum(map(str.istitle, chunks))


def _abbreviation(chunk: str) -> bool:
    """Whether ``chunk`` is an abbreviation whose dot ends no sentence: "U.S.", "e.g.",
    "J.", "Dr." (not "I." or "end.")."""
    if not chunk.endswith("."):
        return False
    core = chunk.rstrip(".").lstrip(_OPENING)
    initial = len(core) == 1 and core not in "AIa"
    return "." in core or initial or core.lower() in _ABBREVIATIONS


def _word_at_random(found: Words, rng: Rng) -> int | None:
    """The chunk of a uniformly drawn word (chunks drawn until one holds a word, a few
    tries, so most chunks are never judged); None when there are no words."""
    n_chunks, holds_word = found.n_chunks, found.holds_word
    for _ in range(_TRIES if n_chunks else 0):
        k = rng.integers(n_chunks)
        if holds_word(k):
            return k
    n = len(found)
    return found.word_chunk(rng.integers(n)) if n else None


def _random_deletion(x: Record, rng: Rng, p: float, min_words: int,
                     guard: Protector) -> str | None:
    _, found = editable_words(x, guard)
    if not found.has_words(min_words):  # "no bluetooth" must not become "bluetooth"
        return None
    # Bernoulli(p) over the chunks, kept where a chunk holds a word: each word goes with
    # probability p, and chunks that are not drawn are never judged.
    holds_word = found.holds_word
    doomed = [k for k in rng.bernoulli_positions(found.n_chunks, p) if holds_word(k)]
    if not doomed:  # at least one word
        first = _word_at_random(found, rng)
        if first is None:
            return None
        doomed = [first]
    if len(doomed) < min_words:  # the text has min_words words (above): one of them stays
        return found.delete_chunks(doomed)
    # never every word: look for one that stays (usually the first chunk looked at)
    spared, n_chunks = 0, found.n_chunks
    while spared < n_chunks and (spared in doomed or not holds_word(spared)):
        spared += 1
    if spared == n_chunks:
        if len(doomed) < 2:  # a lone word stays
            return None
        doomed.remove(rng.choice(doomed))
    return found.delete_chunks(doomed)


def _eda(x: Record, rng: Rng, alpha: float, pos_match: bool, min_words: int,
         guard: Protector) -> str | None:
    ops: list[Callable[[], str | None]] = [
        lambda: _synonym_replacement(x, rng, alpha, pos_match, guard),
        lambda: _random_insertion(x, rng, alpha, pos_match, guard),
        lambda: _random_swap(x, rng, alpha, guard),
        lambda: _random_deletion(x, rng, alpha, min_words, guard),
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
    return make_tf(_synonym_replacement, name, protect, prefetch=_look_up_ahead,
                   alpha=alpha_sr, pos_match=pos_match)


def random_insertion(alpha_ri: float = 0.1, *, pos_match: bool = False, protect: Protect = (),
                     name: str = "random_insertion") -> TransformationFunction:
    """Insert ``max(1, alpha_ri * n_words)`` synonyms of the text's words after random words."""
    check_fraction("random_insertion", "alpha_ri", alpha_ri)
    return make_tf(_random_insertion, name, protect, prefetch=_look_up_ahead,
                   alpha=alpha_ri, pos_match=pos_match)


def random_swap(alpha_rs: float = 0.1, *, protect: Protect = (),
                name: str = "random_swap") -> TransformationFunction:
    """Swap two random words, ``max(1, alpha_rs * n_words)`` times.

    A moved word keeps its letters. Only in sentence-case text does a sentence start's
    capital go with the place (a word moved there takes it, a plain word that had it
    drops it); never after an abbreviation, never for a mixed-case word or an acronym.

    Examples
    --------
    >>> from textaug.records import Record
    >>> swap = random_swap()
    >>> [swap(Record({"text": t}), rng=2).text for t in ("cats chase mice", "Cats chase mice")]
    ['mice chase cats', 'Mice chase cats']
    """
    check_fraction("random_swap", "alpha_rs", alpha_rs)
    return make_tf(_random_swap, name, protect, alpha=alpha_rs)


def random_deletion(p_rd: float = 0.1, *, min_words: int = 3, protect: Protect = (),
                    name: str = "random_deletion") -> TransformationFunction:
    """Delete each word with probability ``p_rd`` (at least one, never all of them).

    A text with fewer than ``min_words`` words it may delete (protected words, numbers
    and contractions are not counted) is not applicable (None): deleting one of two
    words, as at least one goes, can flip the meaning ("no bluetooth" -> "bluetooth").

    Examples
    --------
    >>> from textaug.records import Record
    >>> drop = random_deletion(p_rd=0.3)
    >>> drop(Record({"text": "no bluetooth"}), rng=0) is None
    True
    >>> drop(Record({"text": "no bluetooth here"}), rng=0).text
    'no here'
    """
    check_fraction("random_deletion", "p_rd", p_rd)
    _check_min_words("random_deletion", min_words)
    return make_tf(_random_deletion, name, protect, p=p_rd, min_words=min_words)


def _check_min_words(owner: str, min_words: object) -> None:
    check_param(isinstance(min_words, int) and not isinstance(min_words, bool)
                and min_words >= 1, owner, "min_words", "an int >= 1", min_words)


def eda(alpha: float | None = None, *, train_size: int | None = None, pos_match: bool = False,
        min_words: int = 3, protect: Protect = (), name: str = "eda") -> TransformationFunction:
    """One randomly chosen EDA operation per augmentation, all with the same ``alpha``.

    Without ``alpha``, ``train_size`` picks the paper's recommendation (see
    :func:`eda_defaults`, which also gives the recommended ``n_per_original``); with
    neither, alpha is 0.1. ``min_words`` is random deletion's (see
    :func:`random_deletion`): on a shorter text another operation is drawn.
    """
    if alpha is None:
        alpha = eda_defaults(train_size)[0] if train_size is not None else 0.1
    check_fraction("eda", "alpha", alpha)
    _check_min_words("eda", min_words)
    return make_tf(_eda, name, protect, prefetch=_look_up_ahead, alpha=alpha,
                   pos_match=pos_match, min_words=min_words)
