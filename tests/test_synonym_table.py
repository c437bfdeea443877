"""EDA's synonym table: equal to the nltk path, rebuilt when missing or stale, written
atomically, and read by a fresh process without loading nltk or inflect.

Builds from the real WordNet take a minute on a loaded machine, so the rebuild tests use a
small WordNet written here in WordNet's file formats; the equality test reads the table that
``python -m textaug.wordnet install`` built for the real one.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from textaug import synonym_table
from textaug.synonym_table import WordNetFiles, build, covers, ensure, is_current, lookup
from textaug.tfs.eda import synonyms_of

BUNDLED = Path(__file__).resolve().parent.parent / "textaug" / "data" / "projects.csv"

# A WordNet of six synsets, in WordNet's formats (offsets are ids here: the bulk reader never
# seeks). Satellite "speedy" has head "quick"; "dog" has more noun than verb counts.
SMALL = {
    "index.noun": "  license line\ndog n 1 0 1 1 00000001\ndomestic_dog n 1 0 1 0 00000001\n"
                  "mouse n 1 0 1 0 00000002\nsminthian n 1 0 1 0 00000002\n"
                  "church n 1 0 1 0 00000003\nkirk n 1 0 1 0 00000003\n",
    "data.noun": "  license line\n00000001 05 n 02 dog 0 domestic_dog 0 000 | a dog\n"
                 "00000002 05 n 02 mouse 0 sminthian 0 000 | a mouse\n"
                 "00000003 06 n 02 church 0 kirk 0 000 | a church\n",
    "index.verb": "dog v 1 0 1 0 00000001\nchase v 1 0 1 0 00000001\n",
    "data.verb": "00000001 38 v 02 dog 0 chase 0 000 | follow\n",
    "index.adj": "quick a 1 0 1 0 00000001\nfast a 1 0 1 0 00000001\n"
                 "speedy a 1 0 1 0 00000002\nswift a 1 0 1 0 00000002\n",
    "data.adj": "00000001 00 a 02 quick 0 fast 0 000 | rapid\n"
                "00000002 00 s 02 speedy 0 swift(p) 0 001 & 00000001 a 0000 | fast\n",
    "index.adv": "", "data.adv": "",
    "noun.exc": "mice mouse\n", "verb.exc": "", "adj.exc": "", "adv.exc": "",
    "cntlist.rev": "dog%1:05:00:: 1 5\ndog%2:38:00:: 1 2\nspeedy%5:00:00:quick:00 1 3\n",
}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "corpora" / "wordnet"
    folder.mkdir(parents=True)
    for name, text in SMALL.items():
        (folder / name).write_text(text)
    return folder


def table_rows(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT * FROM synonyms ORDER BY word").fetchall()
    db.close()
    return found


def answers(path: Path, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(any part of speech, likely part of speech) as the table at ``path`` gives them."""
    row = dict((w, (a, b)) for w, a, b in table_rows(path)).get(word, ("", ""))
    return tuple(filter(None, row[0].split("\t"))), tuple(filter(None, row[1].split("\t")))


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)


# ---------------------------------------------------------------- the real WordNet


def words_to_compare() -> list[str]:
    """Every word of the bundled texts, 800 words of the table, 400 words that morphy
    could map but that have no synonyms, and strings just outside the table's words."""
    texts = pd.read_csv(BUNDLED)["text"].astype(str)
    bundled = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)}
    with sqlite3.connect(synonym_table.ensure()) as db:
        listed = [w for (w,) in db.execute("SELECT word FROM synonyms ORDER BY word")]
    db.close()
    wn = WordNetFiles(synonym_table.wordnet_source())
    unlisted = sorted(wn.words() - set(listed))
    rng = random.Random(13)
    odd = ["dogss", "Dogs", "mice", "axes", "geese", "e-mail", "ice-cream", "x", "qwzxv"]
    return sorted(bundled) + rng.sample(listed, 800) + rng.sample(unlisted, 400) + odd


def test_table_equals_the_nltk_path_for_both_pos_match_values():
    words = words_to_compare()
    assert len(words) > 3000
    wrong = [(w, pm) for w in words for pm in (False, True)
             if covers(w) and lookup(w, pm) != synonym_table.nltk_answer(w, pm)]
    assert wrong == []


def test_synonyms_of_matches_the_old_answers():
    assert synonyms_of("cars")[:3] == ("autos", "automobiles", "machines")  # plurals
    assert synonyms_of("quick", pos_match=True)[:3] == ("speedy", "flying", "fast")
    assert "chase" in synonyms_of("dog") and "chase" not in synonyms_of("dog", pos_match=True)
    assert synonyms_of("happier") == synonyms_of("the") == synonyms_of("qwzxv") == ()


def test_strings_outside_the_table_go_to_nltk():
    assert not covers("ice_cream") and covers("ice-cream") and covers("e-mail")
    assert synonyms_of("hot_dog") == synonym_table.nltk_answer("hot_dog")
    assert "red hot" in synonyms_of("hot_dog")  # a WordNet lemma, with its underscore


def test_lookups_stay_cached():
    synonyms_of("automobile")
    hits = synonyms_of.cache_info().hits
    assert synonyms_of("automobile") is synonyms_of("automobile")
    assert synonyms_of.cache_info().hits == hits + 2


FRESH = """
import sys
from textaug.tfs.eda import synonym_replacement, synonyms_of
from textaug.records import Record
first = synonyms_of("cars")
out = synonym_replacement(alpha_sr=0.5)(Record({"text": "Fast cars and quick dogs"}), rng=0)
print(first[:2], out is not None, sorted(m for m in ("nltk", "inflect") if m in sys.modules))
"""


def test_a_fresh_process_answers_from_the_table_without_nltk_or_inflect():
    synonym_table.ensure()  # the suite's set-up built it; a stale one is rebuilt here first
    result = run_python(FRESH)
    assert (result.stdout, result.stderr) == ("('autos', 'automobiles') True []\n", "")


def test_the_installed_table_is_current_and_install_keeps_it():
    path = synonym_table.ensure()
    source = synonym_table.wordnet_source()
    assert is_current(path, source)
    assert synonym_table.install(source) == (path, None)  # nothing rebuilt


# ---------------------------------------------------------------- building


def test_build_reads_wordnet_files_as_nltk_does(small: Path, tmp_path: Path):
    table = build(small, tmp_path / "t.sqlite3")
    assert answers(table, "dog") == (("domestic dog", "chase"), ("domestic dog",))  # n: 5 > v: 2
    assert answers(table, "dogs") == (("domestic dogs",), ("domestic dogs",))  # a plural noun
    assert answers(table, "mice") == (("sminthians",), ("sminthians",))  # noun.exc
    assert answers(table, "churches") == (("kirks",), ("kirks",))  # the "ches" rule
    assert answers(table, "speedy") == (("swift",), ("swift",))  # "(p)" marker dropped
    assert answers(table, "chase") == (("dog",), ("dog",))
    assert answers(table, "cat") == ((), ())
    wn = WordNetFiles(small)
    assert [lemma.count() for s in wn.synsets("speedy") for lemma in s.lemmas()] == [3, 0]
    assert wn.morphy("dogs", "n") == "dog" and wn.morphy("dogs", "v") == "dog"


def test_build_is_deterministic_and_reads_a_zip_alike(small: Path, tmp_path: Path):
    archive = tmp_path / "wordnet.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in SMALL:
            out.write(small / name, f"wordnet/{name}")
    first = table_rows(build(small, tmp_path / "a.sqlite3"))
    assert first == table_rows(build(small, tmp_path / "b.sqlite3"))
    assert first == table_rows(build(archive, tmp_path / "c.sqlite3"))
    # The lemmas with synonyms and the plurals morphy maps to them (inflect reads "churchs"
    # and "mouses" as plurals too); not "domestic_dog" (an underscore: not a word EDA edits).
    assert [word for word, _, _ in first] == [
        "chase", "church", "churches", "churchs", "dog", "dogs", "fast", "kirk", "kirks",
        "mice", "mouse", "mouses", "quick", "sminthian", "sminthians", "speedy", "swift"]


def test_missing_table_is_built_once_with_one_log_line(small, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(synonym_table, "wordnet_source", lambda: small)
    path = tmp_path / "cache" / "t.sqlite3"
    with caplog.at_level(logging.INFO, logger="textaug.synonym_table"):
        assert ensure([path]) == path
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"Building the WordNet synonym table for EDA from {small}"]
    caplog.clear()
    built = path.stat().st_mtime_ns
    assert ensure([path]) == path and path.stat().st_mtime_ns == built and not caplog.records
    assert answers(path, "dog")[1] == ("domestic dog",)
    assert sorted(p.name for p in path.parent.iterdir()) == ["t.sqlite3"]  # no leftovers


def test_a_build_removes_what_killed_builds_left_behind(small, tmp_path, monkeypatch):
    monkeypatch.setattr(synonym_table, "wordnet_source", lambda: small)
    path = tmp_path / "cache" / "t.sqlite3"
    path.parent.mkdir()
    killed = [path.parent / f".t.sqlite3.123.456.part{end}" for end in ("", "-journal")]
    running = path.parent / ".t.sqlite3.789.1.part"  # another process's build, under way
    other = path.parent / ".u.sqlite3.123.456.part"  # another table's
    for leftover in [*killed, running, other]:
        leftover.write_text("half a table")
    for leftover in [*killed, other]:
        os.utime(leftover, (1e9, 1e9))
    assert ensure([path]) == path
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [other.name, running.name, "t.sqlite3"])


def test_a_table_goes_stale_with_its_wordnet_files_or_its_code(small, tmp_path, monkeypatch):
    path = build(small, tmp_path / "t.sqlite3")
    assert is_current(path) and is_current(path, small)
    assert not is_current(path, tmp_path)  # built from another WordNet
    (small / "data.verb").write_text(SMALL["data.verb"].replace("chase", "pursue"))
    assert not is_current(path)
    monkeypatch.setattr(synonym_table, "wordnet_source", lambda: small)
    assert ensure([path]) == path and answers(path, "dog")[0] == ("domestic dog", "pursue")
    assert is_current(path)
    monkeypatch.setattr(synonym_table, "_code_digest", lambda: "other code")
    assert not is_current(path)
    monkeypatch.undo()
    assert not is_current(tmp_path / "missing.sqlite3")
    (tmp_path / "junk.sqlite3").write_text("not a table")
    assert not is_current(tmp_path / "junk.sqlite3")


def test_the_first_writable_location_gets_the_table(small, tmp_path, monkeypatch):
    monkeypatch.setattr(synonym_table, "wordnet_source", lambda: small)
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a folder")
    path = ensure([blocked / "t.sqlite3", tmp_path / "cache" / "t.sqlite3"])
    assert path == tmp_path / "cache" / "t.sqlite3"
    with pytest.raises(FileNotFoundError, match="Cannot write the WordNet synonym table"):
        ensure([blocked / "t.sqlite3"])


WRITER = """
import sys
from textaug.synonym_table import build
for _ in range(int(sys.argv[3])):
    build(sys.argv[1], sys.argv[2])
"""


def test_concurrent_builds_and_reads_never_see_half_a_table(small, tmp_path):
    path = tmp_path / "t.sqlite3"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(small), str(path), "15"])
               for _ in range(2)]
    reads = 0
    while any(w.poll() is None for w in writers):
        if path.exists():  # each read sees a whole table: the old one or the new one
            assert answers(path, "dogs") == (("domestic dogs",), ("domestic dogs",))
            assert is_current(path)
            reads += 1
    assert [w.returncode for w in writers] == [0, 0]
    assert reads > 0 and is_current(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpora", "t.sqlite3"]


def test_each_process_opens_its_own_connection(monkeypatch, small, tmp_path):
    path = build(small, tmp_path / "t.sqlite3")
    monkeypatch.setattr(synonym_table, "locations", lambda: [path])
    synonym_table.close()
    try:
        assert lookup("dogs", pos_match=True) == ("domestic dogs",)
        assert lookup("cat", pos_match=False) == ()
        first = synonym_table._table()
        assert synonym_table._table() is first
        synonym_table._open["pid"] = -1  # as in a child made by fork: never share SQLite's
        assert synonym_table._table() is not first and lookup("dog", False)[0] == "domestic dog"
    finally:
        synonym_table.close()


def test_prefetch_reads_a_batch_of_words_in_one_query_for_lookup_to_answer_from(
        monkeypatch, small, tmp_path):
    path = build(small, tmp_path / "t.sqlite3")
    monkeypatch.setattr(synonym_table, "locations", lambda: [path])
    words = ["dogs", "quick", "cat", "mice", "speedy"]
    synonym_table.close()
    try:
        expected = [(lookup(w, False), lookup(w, True)) for w in words]
        synonym_table.close()
        queries: list[str] = []
        synonym_table._table().set_trace_callback(queries.append)
        synonym_table.prefetch(["Dogs, (quick) cat and mice!", "A speedy dog-like e-mail."])
        assert len(queries) == 1 and " IN (" in queries[0]  # one query for the whole batch
        assert [(lookup(w, False), lookup(w, True)) for w in words] == expected
        assert len(queries) == 1  # every answer from the rows read ahead, "cat"'s none too
        synonym_table.prefetch(["mice and dogs"])  # tokens already read: no query
        assert len(queries) == 1 and lookup("chase", False) == ("dog",)
        assert len(queries) == 2  # a word no batch had is read alone
        synonym_table.close()  # forgets the rows read ahead
        assert "dogs" not in synonym_table._rows and not synonym_table._tokens_read
        assert lookup("dogs", True) == expected[0][1]
    finally:
        synonym_table.close()


def test_prefetch_keeps_a_bounded_number_of_rows(monkeypatch, small, tmp_path):
    path = build(small, tmp_path / "t.sqlite3")
    monkeypatch.setattr(synonym_table, "locations", lambda: [path])
    monkeypatch.setattr(synonym_table, "_KEPT", 3)
    synonym_table.close()
    try:
        synonym_table.prefetch(["dog mouse"])
        assert sorted(synonym_table._rows) == ["dog", "mouse"]
        synonym_table.prefetch(["quick fast chase"])  # five rows would be too many: start again
        assert sorted(synonym_table._rows) == ["chase", "fast", "quick"]
        assert lookup("dog", False) == ("domestic dog", "chase")  # read again, alone
        synonym_table.prefetch(["4 5 6 7"])  # seven tokens too: no row, but they count
        assert synonym_table._rows == {} and len(synonym_table._tokens_read) == 4
    finally:
        synonym_table.close()


# ---------------------------------------------------------------- inflect without typeguard


INFLECT = """
import sys, typeguard
checked = typeguard.typechecked
if sys.argv[1] == "textaug":
    from textaug.inflection import _engine
    engine = _engine()
else:
    import inflect
    engine = inflect.engine()
words = ["dogs", "cat", "analysis", "children", "mouse", "sheep", "bus", "wolves", "data"]
print([engine.singular_noun(w) for w in words], [engine.plural_noun(w) for w in words])
print(typeguard.typechecked is checked, "typeguard" in type(engine).singular_noun.__code__.co_names)
"""


def test_inflect_is_imported_without_typeguard_and_answers_alike():
    ours, theirs = run_python(INFLECT, "textaug"), run_python(INFLECT, "inflect")
    assert ours.stderr == theirs.stderr == ""
    assert ours.stdout.splitlines()[0] == theirs.stdout.splitlines()[0]
    assert "'dog'" in ours.stdout
    # typeguard put back afterwards; inflect's methods instrumented only in a plain import
    assert (ours.stdout.splitlines()[1], theirs.stdout.splitlines()[1]) == (
        "True False", "True True")
