"""EDA's WordNet synonyms, precomputed into one SQLite table that opens in milliseconds.

nltk takes seconds to load WordNet in every process (and inflect seconds to import), which
made a fresh process run EDA twenty times slower than a warm one, and each worker of
``n_jobs`` pay it again. So ``python -m textaug.wordnet install`` computes, for every word
(letters and hyphens, as EDA edits them) that has any, the answers of
:func:`textaug.tfs.eda.synonyms_of` for both values of ``pos_match`` (plural nouns with
plural synonyms), and stores them in a table, ``<sys.prefix>/share/textaug/
wordnet-synonyms.sqlite3`` (about 9 MB, 100,000 words). A process opens it read-only on its
first look-up and never imports nltk or inflect. SQLite rather than a memory-mapped sorted
file: the standard library opens it in about a millisecond, reads only the pages of the
words looked up (which the operating system shares between processes), and gives indexed
look-ups with no parsing code of our own.

The build reads WordNet's files in bulk with :class:`WordNetFiles`, which answers the two
calls of nltk's reader that textaug's look-ups make (``morphy`` and ``synsets``) as nltk
3.10 does, and runs textaug's own look-up code (:func:`textaug.wordnet.synonyms_in`,
:func:`textaug.wordnet.likely_pos_in`, :func:`answer`) on it; the tests compare the table
with the same code on nltk's reader. A table records the WordNet files it was built from
(path, sizes and modification times) and a digest of the code that built it. Where no table
matches (missing or stale), the first look-up builds one, saying so in one log line, into
the first writable of :func:`locations`, writing a temporary file and renaming it, so that
processes building at the same time never read half a table.

Examples
--------
>>> lookup("car", pos_match=False)[:3]
('auto', 'automobile', 'machine')
>>> lookup("cars", pos_match=False)[:3], lookup("qwzxv", pos_match=False)
(('autos', 'automobiles', 'machines'), ())
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sqlite3
import sys
import threading
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any

from textaug import inflection
from textaug.errors import ResourceNotFoundError
from textaug.inflection import inflect_to, number

logger = logging.getLogger(__name__)


def _wordnet() -> ModuleType:
    """:mod:`textaug.wordnet`, imported only where WordNet is read or found (building the
    table, nltk's answers): a fresh process that looks words up never compiles it."""
    from textaug import wordnet

    return wordnet

FILE_NAME = "wordnet-synonyms.sqlite3"
FORMAT = "1"
_PLAIN = re.compile(r"^[a-z][a-z' -]*[a-z]$")  # on WordNet lemmas; anchored, so linear
_FILEMAP = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
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
_READ = [f"{kind}.{suffix}" for suffix in _FILEMAP.values() for kind in ("index", "data")]
_READ += [f"{suffix}.exc" for suffix in _FILEMAP.values()] + ["cntlist.rev"]
_SELECT = "SELECT any_pos, likely_pos FROM synonyms WHERE word = ?"
_MMAP_BYTES = 1 << 28  # more than the table (about 9 MB): SQLite maps the file, up to this


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
    poses = (likely_pos(word),) if pos_match else _wordnet().POS_TAGS
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

    >>> nltk_answer("quick", pos_match=True) == lookup("quick", pos_match=True)
    True
    """
    wordnet = _wordnet()
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
                for p in (pos or _wordnet().POS_TAGS)
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


def covers(word: str) -> bool:
    """Whether the table answers for ``word``: letters and hyphens, as every word EDA edits
    (:class:`~textaug.words.Words`). A covered word missing from the table has no synonyms.

    >>> covers("e-mail"), covers("ice_cream"), covers("u.s.")
    (True, False, False)
    """
    return word.replace("-", "").isalpha()


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
    wn, wordnet = WordNetFiles(source), _wordnet()
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
            db.executemany("INSERT INTO meta VALUES (?, ?)", _stamp(source).items())
        db.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _stamp(source: Path) -> dict[str, str]:
    """What a table must match to be used: its format, the code and the WordNet files."""
    return {"format": FORMAT, "code": _code_digest(), "source": str(source),
            "files": _files_digest(source)}


def _code_digest() -> str:
    """Digest of the code that computes the answers: these modules and inflect's source."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (__name__, "textaug.wordnet", inflection.__name__, "inflect"):
        spec = find_spec(module)  # found, not imported: a fresh process imports neither
        if spec is not None and spec.origin:  # textaug.wordnet, nor inflect
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def _files_digest(source: Path) -> str:
    """The names, sizes and modification times of the WordNet files read ("" if missing)."""
    paths = [source] if source.is_file() else [source / name for name in _READ]
    try:
        stats = [(p.name, s.st_size, s.st_mtime_ns) for p in paths for s in [p.stat()]]
    except OSError:
        return ""
    return json.dumps(stats)


# ---------------------------------------------------------------- finding and reading


def locations() -> list[Path]:
    """Where tables are looked for, in order: the environment's (where ``install`` builds
    it), then the user's cache folder (where the first look-up builds a missing one)."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return [Path(sys.prefix) / "share" / "textaug" / FILE_NAME,
            Path(cache) / "textaug" / FILE_NAME]


def is_current(path: str | os.PathLike[str], source: str | os.PathLike[str] | None = None) -> bool:
    """Whether the table at ``path`` exists and matches the code and its WordNet files (and
    was built from ``source``, if given)."""
    try:
        db = _connect(Path(path))
    except sqlite3.Error:
        return False
    try:
        stamp = dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.Error:
        return False
    finally:
        db.close()
    built_from = stamp.get("source", "")
    return (stamp.get("format") == FORMAT and stamp.get("code") == _code_digest()
            and (source is None or built_from == str(Path(source).absolute()))
            and bool(stamp.get("files")) and stamp["files"] == _files_digest(Path(built_from)))


def ensure(paths: Iterable[str | os.PathLike[str]] | None = None) -> Path:
    """A current table: the first of ``paths`` (default :func:`locations`) that is current,
    else one built from the WordNet nltk finds into the first of them that can be written,
    saying so in a log line."""
    candidates = [Path(p) for p in (locations() if paths is None else paths)]
    for path in candidates:
        if is_current(path):
            return path
    source = wordnet_source()
    logger.warning("Building the WordNet synonym table for EDA from %s (once; a few seconds "
                   "to a minute; `python -m textaug.wordnet install` builds it ahead).", source)
    return _build_somewhere(source, candidates)


def install(source: str | os.PathLike[str]) -> tuple[Path, float | None]:
    """The table for the WordNet at ``source``: where it is, and the seconds its build took
    (None when a current one was there already)."""
    for path in locations():
        if is_current(path, source):
            return path, None
    start = time.perf_counter()
    path = _build_somewhere(Path(source), locations())
    return path, time.perf_counter() - start


def _build_somewhere(source: Path, candidates: list[Path]) -> Path:
    for path in candidates:
        if _writable(path.parent):
            return build(source, path)
    raise ResourceNotFoundError(
        f"Cannot write the WordNet synonym table to any of {[str(p) for p in candidates]}. "
        "Make one of them writable (or set XDG_CACHE_HOME to a writable folder).")


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def wordnet_source() -> Path:
    """The WordNet folder (or zip) nltk finds, without loading it."""
    wordnet = _wordnet()
    nltk_data = wordnet._import("nltk.data")
    try:
        pointer = nltk_data.find("corpora/wordnet")
    except LookupError:
        raise ResourceNotFoundError(wordnet.INSTALL_HINT) from None
    return wordnet._pointer_path(pointer)


_open: dict[str, Any] = {}  # "pid", "db": this process's connection (reopened after a fork)
_lock = threading.Lock()


def lookup(word: str, pos_match: bool) -> tuple[str, ...]:
    """The table's answer for ``word`` (lowercase), building a missing or stale table once.

    Not cached here: :func:`~textaug.tfs.eda.synonyms_of` caches its answers.
    """
    row = _table().execute(_SELECT, (word,)).fetchone()
    if row is None or not row[pos_match]:
        return ()
    return tuple(row[pos_match].split("\t"))


def _table() -> sqlite3.Connection:
    db = _open.get("db")
    if db is not None and _open.get("pid") == os.getpid():
        return db
    with _lock:
        if _open.get("pid") != os.getpid():
            _open["db"], _open["pid"] = _connect(ensure()), os.getpid()
    return _open["db"]


def _connect(path: Path) -> sqlite3.Connection:
    """The table at ``path``, read-only; ``immutable``: a table is replaced, never changed,
    so SQLite needs no locks."""
    if not path.is_file():
        raise sqlite3.OperationalError(f"no table at {path}")
    uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    # read through a memory map, not a read() per page: a fresh process's first look-ups
    # (every one a page not read yet) cost about half as much
    db.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
    return db


def close() -> None:
    """Close this process's table (the next look-up opens the current one again)."""
    with _lock:
        db = _open.pop("db", None)
        _open.pop("pid", None)
    if db is not None:
        db.close()
