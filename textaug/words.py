"""Editable words of a text, and edits that leave the rest of the string as it was.

Word-level TFs never re-tokenize and re-join a text: they replace, insert next to or
delete words in place, so everything they do not touch (casing, punctuation, spacing,
newlines, URLs, e-mail addresses, numbers, contractions) stays byte for byte.
A word is a whitespace-separated chunk of letters (hyphenated compounds are one word),
once brackets, quotes and sentence punctuation around it are trimmed; chunks with an
apostrophe (contractions such as "don't"), a digit, an underscore, a dot inside or an
``@`` are never edited, nor are words in a protected span (the TFs pass
:class:`~textaug.protect.Protector` spans, which always cover URLs and e-mails).

Examples
--------
>>> from textaug.protect import Protector
>>> text = "Don't panic: the GAN (v2) runs at https://x.org/fast, fast!"
>>> found = Words(text, Protector().spans(text))
>>> [found.word(i) for i in range(len(found))]
['panic', 'the', 'GAN', 'runs', 'at', 'fast']
>>> found.rewrite({0: "worry", 2: "model"})
"Don't worry: the model (v2) runs at https://x.org/fast, fast!"
>>> found.delete([1, 5])
"Don't panic: GAN (v2) runs at https://x.org/fast,!"
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, chain, count, islice
from operator import add, itemgetter
from typing import NamedTuple, overload

# Trimmed from both ends of a whitespace-separated chunk before it is judged a word.
# Apostrophes are not: "don't", "plot's" and "'tis" stay whole, and stay unedited.
_EDGE = "\"“”«»()[]{}<>,.;:!?…*"
_SENTENCE_END = ".!?:"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # str.splitlines()'s
_POSITION = itemgetter(0, 1)  # an edit's (start, end)
_WHITESPACE = re.compile(r"\s+")  # the runs that str.split() splits on


class Word(NamedTuple):
    """A word of a text: its span and its characters."""

    start: int
    end: int
    text: str


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str


class Words(Sequence[Word]):
    """The editable words of a text, outside the ``protected`` spans.

    Work is done only when it is needed: the text is split once (in C), chunks are
    judged words on first use, and offsets are worked out only for the words that are
    read. ``found[i]`` is a :class:`Word` with offsets; ``word(i)`` is just its
    characters. An operation that draws over the whitespace-separated chunks instead
    (``n_chunks``, ``holds_word``, ``word_chunk``, ``delete_chunks``)
    judges only the chunks it draws.

    >>> found = Words("Hi, (my) old-world friend 42")
    >>> len(found), found[1], [w.text for w in found]
    (4, Word(start=5, end=7, text='my'), ['Hi', 'my', 'old-world', 'friend'])
    """

    __slots__ = ("text", "_chunks", "_keep", "_gaps", "_lead", "_trail", "_starts", "_one")

    def __init__(self, text: str, protected: Sequence[tuple[int, int]] = ()) -> None:
        self.text = text
        chunks = self._chunks = text.split()
        # The whitespace before each chunk and after the last; None: single spaces between
        # chunks, with any whitespace before the first in _lead and after the last in _trail.
        self._gaps: list[str] | None = None
        self._lead = self._trail = ""
        joined = " ".join(chunks)
        if joined != text:
            lead = len(text) - len(text.lstrip())
            if text[lead:lead + len(joined)] == joined:  # edge whitespace only: common
                self._lead, self._trail = text[:lead], text[lead + len(joined):]
            else:
                self._gaps = _gaps(text)
        self._starts: list[int] | None = None
        self._one: bool | None = None  # one_sentence, once asked for
        self._keep: list[int] | None = None  # the chunks that hold words, once asked for
        if protected:
            self._keep = self._outside(protected)

    def __len__(self) -> int:
        return len(self._kept())

    @overload
    def __getitem__(self, i: int) -> Word: ...
    @overload
    def __getitem__(self, i: slice) -> list[Word]: ...

    def __getitem__(self, i: int | slice) -> Word | list[Word]:
        if isinstance(i, slice):
            return [self._located(k) for k in self._kept()[i]]
        return self._located(self._kept()[i])

    def __iter__(self) -> Iterator[Word]:
        self._all_starts()
        return map(self._located, self._kept())

    def __repr__(self) -> str:
        return f"Words({list(self)!r})"

    def word(self, i: int) -> str:
        """The characters of word ``i`` (no offsets worked out)."""
        chunk = self._chunks[self._kept()[i]]
        return chunk if chunk.isalpha() else chunk.strip(_EDGE)

    def words_at(self, indices: Iterable[int]) -> list[str]:
        """:meth:`word` of each index, in order.

        >>> Words("Hi, (my) friend").words_at([2, 0])
        ['friend', 'Hi']
        """
        chunks, keep = self._chunks, self._kept()
        return [chunk if (chunk := chunks[keep[i]]).isalpha() else chunk.strip(_EDGE)
                for i in indices]

    def starts_sentence(self, i: int) -> bool:
        """Whether word ``i`` begins the text or a line, or follows . ! ? or : (brackets
        and quotes before it aside).

        >>> found = Words("Hi there. (Then) go:\\nnow")
        >>> [found.starts_sentence(i) for i in range(len(found))]
        [True, False, True, False, True]
        """
        return self.chunk_starts_sentence(self._kept()[i])

    def chunk_starts_sentence(self, k: int) -> bool:
        """:meth:`starts_sentence` of the word in chunk ``k``.

        >>> Words("Hi there. (Then) go").chunk_starts_sentence(2)
        True
        """
        chunks = self._chunks  # the cheap tests first: most chunks asked of start no sentence
        if not k or chunks[k - 1][-1] in _SENTENCE_END:
            return True
        if self._gaps is not None and not _LINE_BREAKS.isdisjoint(self._gaps[k]):
            return True
        chunk = chunks[k]
        if chunk[0] not in _EDGE:  # the word starts the chunk
            return False
        at = _trim(chunk)[0]  # past opening brackets and quotes, or after . ! ? or : in it
        return at > 0 and chunk[at - 1] in _SENTENCE_END

    def rewrite(self, new: Mapping[int, str]) -> str:
        """The text with word ``i`` written as ``new[i]``; everything else as it was.

        Inserting is rewriting a word with something next to it.

        >>> found = Words("Fast, (cheap) and good.\\n")
        >>> found.rewrite({0: "Quick", 1: "cheap or free", 3: "good enough"})
        'Quick, (cheap or free) and good enough.\\n'
        """
        keep = self._kept()
        return self._rewrite_chunks({keep[i]: text for i, text in new.items()})

    def delete(self, doomed: Collection[int]) -> str:
        """The text without the words ``doomed``; each takes the spaces beside it with it.

        A deleted word takes the run of spaces or tabs after it, or when none follows
        it, the run before it, so no double space is left; newlines and punctuation
        stay.

        >>> found = Words("a very good movie,\\nreally")
        >>> found.delete([1]), found.delete([3]), found.delete([2, 3, 4])
        ('a good movie,\\nreally', 'a very good,\\nreally', 'a very,\\n')
        """
        keep = self._kept()
        return self.delete_chunks([keep[i] for i in doomed])

    @property
    def n_chunks(self) -> int:
        """How many whitespace-separated chunks the text has, words or not."""
        return len(self._chunks)

    @property
    def chunks(self) -> Sequence[str]:
        """The whitespace-separated chunks (``text.split()``, split once; read only)."""
        return self._chunks

    @property
    def places(self) -> Sequence[int]:
        """The chunk of each word, in order (read only): an operation that edits many
        words reads them here and writes them with :meth:`join`.

        >>> found = Words("Hi, (my) old friend 42")
        >>> found.places, [found.chunks[k] for k in found.places]
        ([0, 1, 2, 3], ['Hi,', '(my)', 'old', 'friend'])
        """
        return self._kept()

    def join(self, chunks: Sequence[str]) -> str:
        """The text with its chunks replaced by ``chunks`` (as many), its whitespace as it
        was; see :func:`splice` to write a word into its chunk.

        >>> found = Words("Hi,  you\\n")
        >>> found.join([splice(found.chunks[0], "Oh"), "there"])
        'Oh,  there\\n'
        """
        return self._join(chunks)

    @property
    def one_sentence(self) -> bool:
        """Whether no chunk but the first can start a sentence (see
        :meth:`chunk_starts_sentence`): no . ! ? or : before the text's last character, and
        no line break between chunks (worked out once).

        >>> [Words(t).one_sentence for t in ("A dog sat.", "A dog. A cat", "A\\ndog", "v1.0")]
        [True, False, False, False]
        """
        one = self._one
        if one is None:
            body = self.text.rstrip()[:-1]
            one = self._one = (self._gaps is None and "." not in body and ":" not in body
                               and "!" not in body and "?" not in body)
        return one

    def holds_word(self, k: int) -> bool:
        """Whether chunk ``k`` holds an editable word (judged now if not yet judged).

        >>> found = Words("Hello, 42 (world)")
        >>> [found.holds_word(k) for k in range(found.n_chunks)], found.word_chunk(1)
        ([True, False, True], 2)
        """
        if self._keep is not None:
            keep = self._keep
            at = bisect_left(keep, k)
            return at < len(keep) and keep[at] == k
        chunk = self._chunks[k]
        return chunk.isalpha() or _is_word(chunk.strip(_EDGE))

    def has_words(self, least: int) -> bool:
        """Whether the text has at least ``least`` words (judging only the chunks it takes).

        >>> Words("no bluetooth").has_words(3), Words("no bluetooth here").has_words(3)
        (False, True)
        """
        if self._keep is not None:
            return len(self._keep) >= least
        if least <= 0:
            return True
        for chunk in self._chunks:  # holds_word, inlined: hot
            if chunk.isalpha() or _is_word(chunk.strip(_EDGE)):
                least -= 1
                if not least:
                    return True
        return False

    def word_chunk(self, i: int) -> int:
        """The chunk that holds word ``i``."""
        return self._kept()[i]

    def delete_chunks(self, places: Collection[int]) -> str:
        """:meth:`delete` by chunk: the text without the words in chunks ``places``.

        >>> Words("a very good movie,\\nreally").delete_chunks([3])
        'a very good,\\nreally'
        """
        if self._gaps is None and not (self._lead or self._trail):
            # single spaces: a word takes one with it, the rest are joined
            out = list(self._chunks)
            for k in sorted(places, reverse=True):  # last first: a deletion moves no chunk to come
                chunk = out[k]
                if not chunk.isalpha():
                    at, core = _trim(chunk)
                    if at:
                        break  # an opening bracket or quote stays: see below
                    if tail := chunk[len(core):]:
                        if k:  # "movie," -> "," joins the word before ("good,")
                            out[k - 1] += tail
                        else:
                            out[k] = tail
                            continue
                del out[k]
            else:
                return " ".join(out)
        chunks = list(self._chunks)
        gaps = list(self._gaps) if self._gaps is not None else self._single_gaps()
        for k in sorted(places, reverse=True):
            chunk = chunks[k]
            at, core = _trim(chunk)
            lead, trail = chunk[:at], chunk[at + len(core):]
            chunks[k] = lead + trail
            after = gaps[k + 1].lstrip(" \t")
            if not trail and after != gaps[k + 1]:
                gaps[k + 1] = after
            elif not lead:
                gaps[k] = gaps[k].rstrip(" \t")
        return _interleave(gaps, chunks)

    def _join(self, chunks: Sequence[str]) -> str:
        """The text with its chunks replaced by ``chunks``, its whitespace as it was."""
        if self._gaps is None:
            return self._lead + " ".join(chunks) + self._trail
        return _interleave(self._gaps, chunks)

    def _single_gaps(self) -> list[str]:
        """The gaps of a text with single spaces between its chunks."""
        return [self._lead, *[" "] * (len(self._chunks) - 1), self._trail]

    def _rewrite_chunks(self, new: Mapping[int, str]) -> str:
        chunks = list(self._chunks)
        for k, text in new.items():
            chunk = chunks[k]
            chunks[k] = text if chunk.isalpha() else splice(chunk, text)
        return self._join(chunks)

    def _kept(self) -> list[int]:
        """The chunks that hold words (judged on first use)."""
        if self._keep is None:
            self._keep = [k for k, chunk in enumerate(self._chunks)  # _is_word, inlined: hot
                          if chunk.isalpha() or (core := chunk.strip(_EDGE)).isalpha()
                          or ("-" in core and _is_word(core))]  # no call for "42", "+"
        return self._keep

    def _all_starts(self) -> list[int]:
        if self._starts is None:
            chunks = map(len, self._chunks)
            if self._gaps is None:  # chunk k starts after the lead, k chunks and k spaces
                self._starts = list(map(add, accumulate(chunks, initial=len(self._lead)),
                                        count()))
            else:  # each start follows a gap in gap, chunk, gap, chunk, ... (one gap more)
                pairs = zip(map(len, self._gaps), chunks, strict=False)
                self._starts = list(islice(accumulate(chain.from_iterable(pairs)), 0, None, 2))
        return self._starts

    def _located(self, k: int) -> Word:
        """The word in chunk ``k`` with its offsets."""
        if self._starts is not None or self._gaps is not None:
            start = self._all_starts()[k]
        else:  # chunks one space apart: the lead, the lengths before it and the spaces
            start = len(self._lead) + sum(map(len, self._chunks[:k])) + k
        at, core = _trim(self._chunks[k])
        start += at
        return tuple.__new__(Word, (start, start + len(core), core))  # a third of Word()'s cost

    def _outside(self, protected: Sequence[tuple[int, int]]) -> list[int]:
        """The kept chunks whose word overlaps no protected span: only the chunks that a
        span reaches into are located (bisection; linear in the words and the spans)."""
        merged: list[list[int]] = []
        for start, end in sorted(protected):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        starts, n_chunks = self._all_starts(), len(self._chunks)
        near = set()  # the chunks a span reaches into (and the one before, if between them)
        for start, end in merged:
            k = max(bisect_right(starts, start) - 1, 0)
            while k < n_chunks and starts[k] < end:
                near.add(k)
                k += 1
        ends = [end for _, end in merged]

        def covered(k: int) -> bool:
            word = self._located(k)
            at = bisect_right(ends, word.start)  # the first span that ends after the word starts
            return at < len(merged) and merged[at][0] < word.end

        return [k for k in self._kept() if k not in near or not covered(k)]


def _gaps(text: str) -> list[str]:
    """The whitespace before each of ``text.split()``'s chunks and after the last.

    >>> _gaps(" a  b\\n"), _gaps("a b")
    ([' ', '  ', '\\n'], ['', ' ', ''])
    """
    gaps = _WHITESPACE.findall(text)
    if not text[:1].isspace():
        gaps.insert(0, "")
    if text and not text[-1].isspace():
        gaps.append("")
    return gaps


def _interleave(gaps: Sequence[str], chunks: Sequence[str]) -> str:
    """gaps[0] + chunks[0] + gaps[1] + ... + chunks[-1] + gaps[-1] (one more gap than chunks).

    >>> _interleave([" ", "\\n", ""], ["a", "b"])
    ' a\\nb'
    """
    parts = [""] * (len(gaps) + len(chunks))
    parts[0::2] = gaps
    parts[1::2] = chunks
    return "".join(parts)


def _trim(chunk: str) -> tuple[int, str]:
    """Where the chunk's word starts in it, and the word: the chunk less edge punctuation."""
    if chunk.isalpha():
        return 0, chunk
    core = chunk.strip(_EDGE)
    return chunk.index(core), core


def splice(chunk: str, word: str) -> str:
    """``chunk`` with its word replaced by ``word`` (the punctuation around it kept).

    >>> splice("(cats),", "dogs")
    '(dogs),'
    """
    if chunk.isalpha():
        return word
    at, core = _trim(chunk)
    return chunk[:at] + word + chunk[at + len(core):]


def word_of(chunk: str) -> str:
    """The word of a chunk that holds one: the chunk less the punctuation around it.

    >>> word_of('"Hello,'), word_of("world")
    ('Hello', 'world')
    """
    return chunk if chunk.isalpha() else chunk.strip(_EDGE)


def _is_word(token: str) -> bool:
    """Letters, or letters joined by single inner hyphens ("GAN-based", not "COVID-19")."""
    return token.isalpha() or (
        "-" in token and token.replace("-", "").isalpha()  # letters and hyphens only,
        and token[0] != "-" != token[-1] and "--" not in token)  # each hyphen inside, alone


def starts_sentence(text: str, start: int) -> bool:
    """Whether position ``start`` begins a sentence (text start, or after . ! ? : or a newline).

    >>> starts_sentence("Hi. The end", 4), starts_sentence("Hi the end", 3)
    (True, False)
    """
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?:\n"


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping edits applied (given in any order).

    >>> apply_edits("a cat", [Edit(2, 5, "dog"), Edit(0, 0, "Oh, ")])
    'Oh, a dog'
    """
    pieces, last = [], 0
    for edit in sorted(edits, key=_POSITION):
        if edit.start < last:
            raise ValueError(f"Overlapping edits at {edit.start}.")
        pieces += [text[last:edit.start], edit.new]
        last = edit.end
    pieces.append(text[last:])
    return "".join(pieces)
