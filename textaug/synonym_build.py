"""Computing and building the WordNet synonym table that :mod:`textaug.synonym_table` reads.

Apart from the look-ups, so that a fresh process that only looks words up never compiles
the WordNet reader and the builder: :class:`WordNetFiles` reads WordNet's files in bulk,
:func:`answer` is textaug's look-up code, and :func:`build` writes the table atomically.

Examples
--------
>>> from textaug.synonym_table import lookup
>>> nltk_answer("cars")[:2] == lookup("cars", pos_match=False)[:2]
True
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textaug import synonym_table, wordnet
from textaug.inflection import inflect_to, number
from textaug.synonym_table import _FILEMAP, _READ, covers

_PLAIN = re.compile(r"^[a-z][a-z' -]*[a-z]$")  # on WordNet lemmas; anchored, so linear
_POS_NUMBERS = {"n": 1, "v": 2, "a": 3, "r": 4, "s": 5}
# nltk's WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS
_SUBSTITUTIONS = {
    "n": (("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
_SUBSTITUTIONS["s"] = _SUBSTITUTIONS["a"]

# ---------------------------------------------------------------- computing


def answer(word: str, pos_match: bool, wn: Any,
           synonyms: Callable[[str, str], tuple[str, ...]],
           likely_pos: Callable[[str], str | None]) -> tuple[str, ...]:
    """:func:`~textaug.tfs.eda.synonyms_of`'s answer (stopwords aside) from a WordNet reader.

    ``synonyms(word, pos)`` and ``likely_pos(word)`` read the same WordNet as ``wn``. Base
    forms get their lemmas' synonyms; a plural noun gets plural synonyms; other inflected
    forms get none rather than a wrong form.

    >>> from textaug import wordnet
    >>> answer("cars", False, wordnet.load(), wordnet.synonyms, wordnet.likely_pos)[:2]
    ('autos', 'automobiles')
    """
    poses = (likely_pos(word),) if pos_match else wordnet.POS_TAGS
    found: list[str] = []
    for pos in poses:
        if pos is None:
            continue
        lemma = wn.morphy(word, pos)
        if lemma == word:
            found += synonyms(word, pos)
        elif lemma and pos == "n" and (bases := synonyms(lemma, pos)) and number(word) == "plural":
            found += [inflect_to(s, "plural") for s in bases]
    return tuple(s for s in dict.fromkeys(found) if s != word and _PLAIN.match(s))


def nltk_answer(word: str, pos_match: bool = False) -> tuple[str, ...]:
    """:func:`answer` on nltk's WordNet reader: the reference that the table must equal.

    >>> from textaug.synonym_table import lookup
    >>> nltk_answer("quick", pos_match=True) == lookup("quick", pos_match=True)
    True
    """
    return answer(word, pos_match, wordnet.load(), wordnet.synonyms, wordnet.likely_pos)


class _Lemma:
    __slots__ = ("_name", "_count")

    def __init__(self, name: str, count: int) -> None:
        self._name, self._count = name, count

    def name(self) -> str:
        return self._name

    def count(self) -> int:
        return self._count


class _Synset:
    __slots__ = ("_pos", "_name", "_lemmas")

    def __init__(self, pos: str, name: str, lemmas: list[_Lemma]) -> None:
        self._pos, self._name, self._lemmas = pos, name, lemmas

    def pos(self) -> str:
        return self._pos

    def name(self) -> str:  # unique per synset, as nltk's (not the same string)
        return self._name

    def lemmas(self) -> list[_Lemma]:
        return self._lemmas

    def lemma_names(self) -> list[str]:
        return [lemma.name() for lemma in self._lemmas]


class WordNetFiles:
    """WordNet's files read in one pass, answering ``morphy`` and ``synsets`` as nltk does.

    ``source`` is a WordNet folder (``.../corpora/wordnet``) or nltk's ``wordnet.zip``. Only
    English lemma names, parts of speech, synset identity and sense counts are read: what
    textaug's look-ups use.

    >>> from textaug.synonym_table import wordnet_source
    >>> wn = WordNetFiles(wordnet_source())
    >>> wn.morphy("churches", "n"), [s.lemma_names()[:3] for s in wn.synsets("dog", "v")]
    ('church', [['chase', 'chase_after', 'trail']])
    """

    def __init__(self, source: str | os.PathLike[str]) -> None:
        texts = _read_texts(Path(source))
        counts = _counts(texts["cntlist.rev"])
        self._data: dict[tuple[str, int], _Synset] = {}
        satellites: set[int] = set()
        for pos, suffix in _FILEMAP.items():
            satellites |= self._read_data(pos, texts[f"data.{suffix}"], counts)
        self.index: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for suffix in _FILEMAP.values():
            self._read_index(texts[f"index.{suffix}"], satellites)
        self.exceptions = {pos: _exceptions(texts[f"{suffix}.exc"])
                           for pos, suffix in _FILEMAP.items()}
        self.exceptions["s"] = self.exceptions["a"]
        self._morphs: dict[tuple[str, str], list[str]] = {}

    def _read_data(self, pos: str, text: str, counts: dict[str, int]) -> set[int]:
        """Each synset of a ``data.*`` file; the offsets of adjective satellites."""
        satellites, heads = set(), {}
        rows = [line.split("|", 1)[0].split() for line in text.splitlines()
                if line and not line.startswith(" ")]
        for cols in rows:  # the head of a satellite is an "a" synset of the same file
            if cols[2] != "s":
                heads[int(cols[0])] = (_strip_marker(cols[4]), int(cols[5], 16))
        for cols in rows:
            offset, lexname, ss_type, n = int(cols[0]), int(cols[1]), cols[2], int(cols[3], 16)
            head = ""
            if ss_type == "s":
                satellites.add(offset)
                at = 4 + 2 * n + 1
                similar = [int(cols[i + 1]) for i in range(at, len(cols) - 3, 4)
                           if cols[i] == "&" and cols[i + 3] == "0000"]
                name, lex_id = heads[similar[0]]
                head = f"{name}:{lex_id:02d}"
            lemmas = []
            for i in range(4, 4 + 2 * n, 2):
                name, lex_id = _strip_marker(cols[i]), int(cols[i + 1], 16)
                key = f"{name}%{_POS_NUMBERS[ss_type]}:{lexname:02d}:{lex_id:02d}:{head or ':'}"
                lemmas.append(_Lemma(name, counts.get(key.lower(), 0)))
            self._data[pos, offset] = _Synset(ss_type, f"{ss_type}{offset}", lemmas)
        return satellites

    def _read_index(self, text: str, satellites: set[int]) -> None:
        for line in text.splitlines():
            if not line or line.startswith(" "):
                continue
            cols = line.split()
            lemma, pos, n_synsets, n_pointers = cols[0], cols[1], int(cols[2]), int(cols[3])
            offsets = [int(o) for o in cols[6 + n_pointers: 6 + n_pointers + n_synsets]]
            self.index[lemma][pos] = offsets
            if pos == "a":
                self.index[lemma]["s"] = [o for o in offsets if o in satellites]

    def _morphy(self, form: str, pos: str) -> list[str]:
        """nltk's ``_morphy``: the form and its rule-made base forms that are lemmas of ``pos``."""
        found = self._morphs.get((form, pos))
        if found is None:
            exceptions = self.exceptions[pos]
            if form in exceptions:
                forms = exceptions[form]
            else:
                forms = [form[: len(form) - len(old)] + new
                         for old, new in _SUBSTITUTIONS[pos] if form.endswith(old)]
            index = self.index
            found = list(dict.fromkeys(f for f in [form, *forms] if pos in index.get(f, ())))
            self._morphs[form, pos] = found
        return found

    def morphy(self, form: str, pos: str) -> str | None:
        """The first base form of ``form`` as a ``pos`` lemma, or None (nltk's ``morphy``)."""
        found = self._morphy(form, pos)
        return found[0] if found else None

    def synsets(self, lemma: str, pos: str | None = None) -> list[_Synset]:
        """The synsets of each base form of ``lemma``, in nltk's order (with its repeats)."""
        lemma = lemma.lower()
        data, index = self._data, self.index
        return [data["a" if p == "s" else p, offset]
                for p in (pos or wordnet.POS_TAGS)
                for form in self._morphy(lemma, p)
                for offset in index[form].get(p, [])]

    def words(self) -> set[str]:
        """Every word (see :func:`covers`) whose answer can be non-empty: the lemmas, and the
        noun forms ``morphy`` maps to a noun lemma (exceptions, and each suffix rule run
        backwards)."""
        found = set(self.index) | set(self.exceptions["n"])
        for lemma, by_pos in self.index.items():
            if "n" in by_pos:
                found.update(lemma[: len(lemma) - len(new)] + old
                             for old, new in _SUBSTITUTIONS["n"] if lemma.endswith(new))
        return {word for word in found if covers(word)}


def _strip_marker(name: str) -> str:
    """A lemma without its adjective marker ("galore(ip)": "galore"), as nltk reads it."""
    start = name.rfind("(")
    if name.endswith(")") and start >= 0 and ")" not in name[start + 1:-1]:
        return name[:start]
    return name


def _counts(text: str) -> dict[str, int]:
    """Sense key -> tag count, from ``cntlist.rev``."""
    return {line.split(" ", 1)[0]: int(line.rsplit(" ", 1)[-1])
            for line in text.splitlines() if line}


def _exceptions(text: str) -> dict[str, list[str]]:
    return {terms[0]: terms[1:] for terms in map(str.split, text.splitlines()) if terms}


def _read_texts(source: Path) -> dict[str, str]:
    if source.is_dir():
        return {name: (source / name).read_text(encoding="utf-8") for name in _READ}
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(f"wordnet/{name}").decode("utf-8") for name in _READ}


# ---------------------------------------------------------------- building


def rows(source: str | os.PathLike[str]) -> Iterator[tuple[str, str, str]]:
    """``(word, synonyms, likely-POS synonyms)`` of every word with any, sorted by word;
    synonyms joined by tabs."""
    wn = WordNetFiles(source)
    synonyms = functools.cache(lambda word, pos: wordnet.synonyms_in(wn, word, pos))
    likely_pos = functools.cache(lambda word: wordnet.likely_pos_in(wn, word))
    for word in sorted(wn.words()):
        found = answer(word, False, wn, synonyms, likely_pos)
        if found:
            matched = answer(word, True, wn, synonyms, likely_pos)
            yield word, "\t".join(found), "\t".join(matched)


def build(source: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """Build the table for the WordNet at ``source`` into ``path``, atomically.

    The table is written to a temporary file beside ``path`` and renamed over it, so a
    process reading ``path`` sees the old table or the new one, never half of one.
    """
    source, path = Path(source).absolute(), Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(partial) as db:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE synonyms (word TEXT PRIMARY KEY, any_pos TEXT NOT NULL, "
                       "likely_pos TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO synonyms VALUES (?, ?, ?)", rows(source))
            db.executemany("INSERT INTO meta VALUES (?, ?)", synonym_table._stamp(source).items())
        db.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
