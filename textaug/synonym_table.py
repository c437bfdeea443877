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

The build (:mod:`textaug.synonym_build`, which a look-up never imports) reads WordNet's
files in bulk with ``WordNetFiles``, which answers the two calls of nltk's reader that
textaug's look-ups make (``morphy`` and ``synsets``) as nltk 3.10 does, and runs textaug's
own look-up code (:func:`textaug.wordnet.synonyms_in`, :func:`textaug.wordnet.likely_pos_in`,
``answer``) on it; the tests compare the table
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

import contextlib
import glob
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any

from textaug.errors import ResourceNotFoundError
from textaug.words import word_of

logger = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    """The builder's public names, from :mod:`textaug.synonym_build` (imported on first use)."""
    if name in _BUILDER_NAMES:
        return getattr(_builder(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_BUILDER_NAMES = frozenset({"answer", "nltk_answer", "WordNetFiles", "rows", "build"})


def _builder() -> ModuleType:
    """:mod:`textaug.synonym_build`: WordNet's reader and the table's builder, imported only
    where a table is built or nltk answers (a look-up needs neither)."""
    from textaug import synonym_build

    return synonym_build


FILE_NAME = "wordnet-synonyms.sqlite3"
FORMAT = "1"
_FILEMAP = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
_READ = [f"{kind}.{suffix}" for suffix in _FILEMAP.values() for kind in ("index", "data")]
_READ += [f"{suffix}.exc" for suffix in _FILEMAP.values()] + ["cntlist.rev"]
_SELECT = "SELECT any_pos, likely_pos FROM synonyms WHERE word = ?"
_SELECT_MANY = "SELECT word, any_pos, likely_pos FROM synonyms WHERE word IN ({})"
_STALE_SECONDS = 3600  # a build's temporary file older than this was left by a killed build
_MMAP_BYTES = 1 << 28  # more than the table (about 9 MB): SQLite maps the file, up to this


# ---------------------------------------------------------------- looking up


def covers(word: str) -> bool:
    """Whether the table answers for ``word``: letters and hyphens, as every word EDA edits
    (:class:`~textaug.words.Words`). A covered word missing from the table has no synonyms.

    >>> covers("e-mail"), covers("ice_cream"), covers("u.s.")
    (True, False, False)
    """
    return word.replace("-", "").isalpha()


def _stamp(source: Path) -> dict[str, str]:
    """What a table must match to be used: its format, the code and the WordNet files."""
    return {"format": FORMAT, "code": _code_digest(), "source": str(source),
            "files": _files_digest(source)}


def _code_digest() -> str:
    """Digest of the code that computes the answers: these modules and inflect's source."""
    digest = hashlib.blake2b(digest_size=16)
    for module in ("textaug.synonym_build", "textaug.wordnet", "textaug.inflection", "inflect"):
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
    for path in candidates:
        _remove_stale_parts(path)
    source = wordnet_source()
    logger.warning("Building the WordNet synonym table for EDA from %s (once; a few seconds "
                   "to a minute; `python -m textaug.wordnet install` builds it ahead).", source)
    return _build_somewhere(source, candidates)


def install(source: str | os.PathLike[str]) -> tuple[Path, float | None]:
    """The table for the WordNet at ``source``: where it is, and the seconds its build took
    (None when a current one was there already)."""
    for path in locations():
        _remove_stale_parts(path)
        if is_current(path, source):
            return path, None
    start = time.perf_counter()
    path = _build_somewhere(Path(source), locations())
    return path, time.perf_counter() - start


def _build_somewhere(source: Path, candidates: list[Path]) -> Path:
    for path in candidates:
        if _writable(path.parent):
            return _builder().build(source, path)
    raise ResourceNotFoundError(
        f"Cannot write the WordNet synonym table to any of {[str(p) for p in candidates]}. "
        "Make one of them writable (or set XDG_CACHE_HOME to a writable folder).")


def _remove_stale_parts(path: Path) -> None:
    """Remove what killed builds of ``path`` left: their temporary tables and SQLite
    journals, not written to for an hour (a build takes a minute at most)."""
    stale = time.time() - _STALE_SECONDS
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part*"):
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if part.stat().st_mtime < stale:
                part.unlink()


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def wordnet_source() -> Path:
    """The WordNet folder (or zip) nltk finds, without loading it."""
    from textaug import wordnet  # here: a look-up never imports it

    nltk_data = wordnet._import("nltk.data")
    try:
        pointer = nltk_data.find("corpora/wordnet")
    except LookupError:
        raise ResourceNotFoundError(wordnet.INSTALL_HINT) from None
    return wordnet._pointer_path(pointer)


_open: dict[str, Any] = {}  # "pid", "db": this process's connection (reopened after a fork)
_lock = threading.Lock()
# Rows read ahead by prefetch: word -> (any_pos, likely_pos), None where the table has none;
# and the lower-cased whitespace-separated tokens whose words were read.
_rows: dict[str, tuple[str, str] | None] = {}
_tokens_read: set[str] = set()
_KEPT = 1 << 17  # rows, and tokens: a bound on their memory (some tens of MB)
_PER_QUERY = 500  # words (parameters) per query: SQLite before 3.32 takes at most 999
_UNREAD: Any = object()


def lookup(word: str, pos_match: bool) -> tuple[str, ...]:
    """The table's answer for ``word`` (lowercase), building a missing or stale table once.

    Not cached here (:func:`~textaug.tfs.eda.synonyms_of` caches its answers), but read
    from the rows that :func:`prefetch` read, where it read this word's.
    """
    row = _rows.get(word, _UNREAD)  # one read: another thread may clear the rows
    if row is _UNREAD:
        row = _table().execute(_SELECT, (word,)).fetchone()
    if row is None or not row[pos_match]:
        return ()
    return tuple(row[pos_match].split("\t"))


def prefetch(texts: Iterable[str]) -> None:
    """Read the rows of the words of ``texts`` that no call has read yet, hundreds per
    query, for :func:`lookup` to answer from: a query per word costs about 10 us, and a
    fresh process's first EDA call made one for each of its distinct words.

    >>> prefetch(["Cars, (trucks) and e-mail."])
    >>> lookup("trucks", pos_match=False)[:2]
    ('motortrucks', 'hand trucks')
    """
    tokens: set[str] = set()
    for text in texts:
        tokens.update(text.lower().split())
    tokens -= _tokens_read
    if not tokens:
        return
    words = [w for w in set(map(word_of, tokens))
             if len(w) > 1 and w not in _rows and covers(w)]
    if max(len(_rows) + len(words), len(_tokens_read) + len(tokens)) > _KEPT:  # start again
        _rows.clear()
        _tokens_read.clear()
    for start in range(0, len(words), _PER_QUERY):
        chunk = words[start:start + _PER_QUERY]
        query = _SELECT_MANY.format(", ".join("?" * len(chunk)))
        read = {word: (any_pos, likely_pos)
                for word, any_pos, likely_pos in _table().execute(query, chunk)}
        for word in chunk:
            _rows[word] = read.get(word)
    _tokens_read.update(tokens)


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
    """Close this process's table (the next look-up opens the current one again) and forget
    the rows read ahead."""
    with _lock:
        db = _open.pop("db", None)
        _open.pop("pid", None)
        _rows.clear()
        _tokens_read.clear()
    if db is not None:
        db.close()
