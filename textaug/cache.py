"""A disk cache for model-backed TFs: SQLite, safe with several processes.

An entry maps a key (a hash of the TF's name and version, the model and its revision,
the parameters, the draw's seed and the input text) to the TF's output text, or to
"not applicable". A rerun with the same settings is served from disk and gives the same
rows. The file carries a format mark: a corrupt file, or a SQLite file that is not a
textaug cache, is reported rather than reused. A cache that cannot be written (a full
disk, a read-only file or folder) raises a :class:`CacheError` that says which.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "cache.sqlite")
>>> cache = DiskCache(path)
>>> key = cache_key("contextual_substitute@1", "distilbert-base-uncased", {"top_k": 10}, 42, "hi")
>>> cache.put_many({key: "hello"})
>>> cache.get_many([key, "missing"])
{'...': 'hello'}
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from textaug.errors import InvalidParameterError, TextaugError

FORMAT = "textaug-cache/1"
_NOT_APPLICABLE = "\x00textaug:not-applicable"  # stored for None (a text never is this)
_CHUNK = 500  # keys per SELECT (SQLite's parameter limit is 999 on old builds)


class CacheError(TextaugError, OSError):
    """The cache cannot be used: corrupt, not a textaug cache, read-only, or its disk is full."""


def cache_key(*parts: Any) -> str:
    """A stable key of JSON-able parts (dict keys sorted), as 32 hex digits."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


class DiskCache:
    """Outputs of model-backed TFs, in one SQLite file.

    The connection opens on first use in each process (and after pickling), in WAL mode
    with a busy timeout, so worker processes can share one file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"DiskCache({str(self.path)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._local = threading.local()

    def get_many(self, keys: Sequence[str]) -> dict[str, str | None]:
        """The cached outputs of the keys found (None: cached as not applicable)."""
        found: dict[str, str | None] = {}
        db = self._db()
        for start in range(0, len(keys), _CHUNK):
            part = list(keys[start:start + _CHUNK])
            marks = ",".join("?" * len(part))
            rows = self._run(db, f"SELECT key, value FROM entries WHERE key IN ({marks})", part)
            found.update((k, None if v == _NOT_APPLICABLE else v) for k, v in rows)
        return found

    def put_many(self, items: Mapping[str, str | None]) -> None:
        """Store outputs (None for "not applicable")."""
        if not items:
            return
        db = self._db()
        rows = [(k, _NOT_APPLICABLE if v is None else v) for k, v in items.items()]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as err:
            raise self._error(err, "Writing to") from err

    def __len__(self) -> int:
        return int(self._run(self._db(), "SELECT COUNT(*) FROM entries", [])[0][0])

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._open()
        return db

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise InvalidParameterError(f"cache= must be a file path; {str(self.path)!r} is a "
                                        "folder. Pass e.g. cache='out/textaug-cache.sqlite'.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CacheError(f"The cache's folder {str(self.path.parent)!r} cannot be created "
                             f"({err.strerror or err}). Pass another cache= path.") from err
        try:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 60000")
            with db:
                db.execute("BEGIN IMMEDIATE")  # one process creates the tables
                tables = {name for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not tables:
                    db.execute("CREATE TABLE textaug_meta (name TEXT PRIMARY KEY, "
                               "value TEXT NOT NULL)")
                    db.execute("INSERT INTO textaug_meta VALUES ('format', ?)", (FORMAT,))
                    db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) "
                               "WITHOUT ROWID")
            mark = (db.execute("SELECT value FROM textaug_meta WHERE name = 'format'").fetchone()
                    if not tables or "textaug_meta" in tables else None)
            if mark is not None and mark[0] == FORMAT:
                _use_wal(db)  # readers never wait for a writer
                return db
        except sqlite3.DatabaseError as err:
            raise self._error(err, "Opening") from err
        db.close()
        raise CacheError(f"{str(self.path)!r} is not a textaug cache (format "
                         f"{mark and mark[0]!r}, expected {FORMAT!r}). Pass another cache= path.")

    def _run(self, db: sqlite3.Connection, sql: str, args: list[Any]) -> list[Any]:
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as err:
            raise self._error(err, "Reading") from err

    def _error(self, err: sqlite3.DatabaseError, doing: str) -> CacheError:
        """The CacheError that says what is wrong: disk full, read-only, corrupt, ..."""
        path = str(self.path)
        code = getattr(err, "sqlite_errorcode", -1) & 0xFF  # the primary result code
        if code == sqlite3.SQLITE_FULL:
            return CacheError(f"The cache disk is full at {path!r} ({err}). Free some space "
                              "or pass cache= a path on another disk.")
        if code == sqlite3.SQLITE_READONLY:
            return CacheError(f"The cache {path!r} is read-only ({err}). Make it and its folder "
                              "writable or pass another cache= path.")
        if code == sqlite3.SQLITE_CANTOPEN:
            return CacheError(f"The cache {path!r} cannot be created or opened ({err}). Check "
                              "that its folder is writable or pass another cache= path.")
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return CacheError(f"The cache file {path!r} is corrupt or not a SQLite file ({err}). "
                              "Delete it or pass another cache= path.")
        return CacheError(f"{doing} the cache {path!r} failed ({err}). Pass another cache= "
                          "path, or delete this one if it is damaged.")


def open_cache(cache: str | os.PathLike[str] | DiskCache | None) -> DiskCache | None:
    """A :class:`DiskCache` from a path; None stays None (no cache)."""
    if cache is None or isinstance(cache, DiskCache):
        return cache
    if isinstance(cache, str | os.PathLike):
        return DiskCache(cache)
    raise InvalidParameterError(
        f"cache= takes a file path, a DiskCache or None. Got {cache!r}.")


def _use_wal(db: sqlite3.Connection, patience: float = 60.0) -> None:
    """Put the file in WAL mode (kept in the file, so set once). Switching needs the file to
    itself and, unlike other statements, can fail at once with "database is locked" while
    another process opens it: the switch is retried for up to ``patience`` seconds."""
    deadline = time.monotonic() + patience
    while db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
