"""The disk cache and the model-backed TF base: hits, misses, processes, bad files."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sqlite3
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

import textaug
from textaug._rng import Rng
from textaug.cache import CacheError, DiskCache, cache_key, open_cache
from textaug.errors import InvalidParameterError
from textaug.records import Record
from textaug.tfs._model import ModelTF


class Reverse(ModelTF):
    """Reverses each word; counts the texts it really computed."""

    calls: list[list[str]]

    def generate(self, texts, rngs):
        self.__dict__.setdefault("calls", []).append(list(texts))
        if any("boom" in t for t in texts):
            raise RuntimeError("the model failed")
        return [" ".join(w[::-1] for w in t.split()) if t != "same" else t for t in texts]


def reverse(cache=None, batch_size=2):
    return Reverse("reverse", model="none", params={"mode": "words"}, cache=cache,
                   batch_size=batch_size)


def test_cache_keys_are_stable_and_sensitive():
    assert cache_key("a", {"x": 1, "y": 2}) == cache_key("a", {"y": 2, "x": 1})
    assert cache_key("a", 1) != cache_key("a", 2) != cache_key("b", 1)


def test_round_trip_with_not_applicable(tmp_path):
    cache = DiskCache(tmp_path / "c.sqlite")
    cache.put_many({"k1": "text", "k2": None})
    assert cache.get_many(["k1", "k2", "k3"]) == {"k1": "text", "k2": None}
    assert len(cache) == 2
    again = pickle.loads(pickle.dumps(cache))
    assert again.get_many(["k1"]) == {"k1": "text"}


def test_many_keys_at_once(tmp_path):
    cache = DiskCache(tmp_path / "c.sqlite")
    items = {f"k{i}": f"v{i}" for i in range(2_000)}
    cache.put_many(items)
    assert cache.get_many(list(items)) == items


def _write(path: str, start: int) -> int:
    cache = DiskCache(path)
    for i in range(start, start + 50):
        cache.put_many({f"k{i}": f"v{i}"})
    return len(cache.get_many([f"k{i}" for i in range(start, start + 50)]))


def test_several_processes_share_one_file(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        assert list(pool.map(_write, [path, path], [0, 50])) == [50, 50]
    assert len(DiskCache(path)) == 100


def test_a_corrupt_file_is_reported(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError, match="corrupt or not a SQLite file"):
        DiskCache(path).get_many(["k"])


def test_a_foreign_database_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    with pytest.raises(CacheError, match="not a textaug cache"):
        DiskCache(path).get_many(["k"])
    with sqlite3.connect(path) as db:
        tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"users"}


def test_bad_cache_arguments(tmp_path):
    assert open_cache(None) is None
    with pytest.raises(InvalidParameterError, match="cache= takes a file path"):
        open_cache(42)
    with pytest.raises(InvalidParameterError, match="is a folder"):
        DiskCache(tmp_path).get_many(["k"])


def test_model_tf_batches_and_serves_reruns_from_the_cache(tmp_path):
    records = [Record({"text": t}) for t in ["ab cd", "same", "ef", "gh ij"]]
    cold = reverse(cache=tmp_path / "c.sqlite")
    first = cold.apply_batch(records, [Rng(i) for i in range(4)])
    assert cold.calls == [["ef", "same"], ["ab cd", "gh ij"]]  # batch_size 2, by length
    assert [None if o is None else o.text for o in first] == ["ba dc", None, "fe", "hg ji"]
    warm = reverse(cache=tmp_path / "c.sqlite")
    again = warm.apply_batch(records, [Rng(i) for i in range(4)])
    assert "calls" not in warm.__dict__  # every row from the cache, "same" too
    assert [None if o is None else o.text for o in again] == ["ba dc", None, "fe", "hg ji"]
    other_seed = warm.apply_batch(records[:1], [Rng(99)])
    assert warm.calls == [["ab cd"]] and other_seed[0].text == "ba dc"


def test_a_failing_batch_is_reported_per_row_and_not_cached(tmp_path):
    tf = reverse(cache=tmp_path / "c.sqlite")
    records = [Record({"text": t}) for t in ["boom", "ok", "fine"]]
    out = tf.apply_batch(records, [Rng(0), Rng(1), Rng(2)])
    assert isinstance(out[0], RuntimeError) and isinstance(out[1], RuntimeError)
    assert out[2].text == "enif"
    assert len(tf.cache) == 1


def test_model_tf_pickles_without_its_model(tmp_path):
    tf = reverse(cache=tmp_path / "c.sqlite")
    tf._loaded = object()  # stands for a loaded model
    clone = pickle.loads(pickle.dumps(tf))
    assert type(clone) is Reverse and clone._loaded is None
    assert clone(Record({"text": "ab"}), rng=0).text == "ba"


def test_model_tf_runs_in_augment_with_the_same_rows_cached_or_not(tmp_path):
    df = pd.DataFrame({"text": ["ab cd", "ef gh", "same"]})
    policy = textaug.ApplyOnePolicy(n_per_original=2)
    plain = textaug.augment(df, [reverse()], policy, seed=3, dedupe=False)
    cached = textaug.augment(df, [reverse(cache=tmp_path / "c.sqlite")], policy, seed=3,
                             dedupe=False)
    assert plain.equals(cached)
    assert set(plain["textaug_tfs"]) == {"", "reverse"}


# -- a cache that cannot be written: disk full, read-only, folder not writable -------------

def _full(cache: DiskCache) -> None:
    """Cap the open cache at its present size: SQLite's own SQLITE_FULL on the next write."""
    db = cache._db()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_a_cache_error_that_says_so(tmp_path):
    cache = DiskCache(tmp_path / "c.sqlite")
    cache.put_many({"k0": "v"})
    _full(cache)
    with pytest.raises(CacheError, match=r"disk is full at .*c\.sqlite.*Free some") as caught:
        cache.put_many({f"k{i}": "x" * 4000 for i in range(1, 20)})
    assert isinstance(caught.value, OSError) and not isinstance(caught.value, FileNotFoundError)
    assert "corrupt" not in str(caught.value) and "Delete" not in str(caught.value)


def test_a_read_only_cache_is_a_cache_error_that_says_so(tmp_path):
    cache = DiskCache(tmp_path / "c.sqlite")
    cache.get_many(["k"])
    cache._db().execute("PRAGMA query_only = 1")  # SQLite's own SQLITE_READONLY on writes
    with pytest.raises(CacheError, match=r"c\.sqlite' is read-only.*writable.*cache="):
        cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {}  # reading still works


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_a_folder_that_cannot_hold_the_cache_is_not_called_corrupt():
    # /proc refuses new files even to root, as a read-only folder refuses a user
    with pytest.raises(CacheError, match="cannot be created or opened") as caught:
        DiskCache("/proc/self/textaug-cache.sqlite").get_many(["k"])
    assert "corrupt" not in str(caught.value) and "Delete" not in str(caught.value)
    with pytest.raises(CacheError, match="folder .* cannot be created"):
        DiskCache("/proc/self/new-folder/cache.sqlite").get_many(["k"])


def test_a_cache_write_failure_fails_those_rows_only(tmp_path):
    tf = reverse(cache=tmp_path / "c.sqlite", batch_size=8)
    df = pd.DataFrame({"text": ["ab", "cd " * 2000, "ef " * 2000]})
    textaug.augment(df[:1], [tf], textaug.ApplyOnePolicy(), seed=0)  # caches row 0
    _full(tf.cache)
    out, report = textaug.augment(df, [tf], textaug.ApplyOnePolicy(), seed=0, dedupe=False,
                                  on_error="skip", return_report=True)
    assert report.tfs["reverse"].errored == 2 and report.tfs["reverse"].applied == 1
    assert list(out["text"]) == ["ab", "ba", "cd " * 2000, "ef " * 2000]  # row 0: cached
    with pytest.raises(textaug.TransformError, match="CacheError: The cache disk is full"):
        textaug.augment(df, [tf], textaug.ApplyOnePolicy(), seed=0, dedupe=False)
