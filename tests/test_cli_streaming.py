"""The streaming ``textaug augment``: chunked reading and writing, the same rows for any chunk
size or number of jobs, atomic output, progress, and flat memory as the input grows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.test_cli import assert_one_line_error as one_line_error
from tests.test_cli import write_rows  # an input table written by hand, by suffix
from textaug.apply import augment
from textaug.io import read_table
from textaug.policy import ClassBalancedPolicy
from textaug.tfs import swap_aliases

FORMATS = ["csv", "jsonl", "parquet"]
NLP = "natural-language-processing"
LEXICON = {"tags": {NLP: {"aliases": ["nlp"], "parents": []},
                    "computer-vision": {"aliases": ["cv"], "parents": []}}}
TEXTS = ["Intro to NLP with transformers.", "Natural language processing for beginners.",
         "A survey of nlp benchmarks and NLP datasets.", "Computer vision and cv tricks.",
         "Notes on cooking pasta."]
TAGS = [[], [NLP, "tutorial"], [NLP], ["computer-vision"], ["cooking"]]
N_ROWS = 23


def rows(n: int = N_ROWS) -> list[dict]:
    """``n`` rows cycling through the texts; the first has no labels (an empty list)."""
    return [{"id": f"p{i:03d}", "text": TEXTS[i % len(TEXTS)], "tags": TAGS[i % len(TAGS)],
             "n": i} for i in range(n)]


def contents(path: Path) -> object:
    """What a run wrote: the bytes of a CSV or JSON Lines file, Parquet's rows."""
    if path.suffix != ".parquet":
        return path.read_bytes()
    frame = pd.read_parquet(path)
    frame["tags"] = [list(t) for t in frame["tags"]]
    return frame.to_dict("records")


def assert_one_line_error(rc: int, err: str, *needles: str) -> None:
    assert rc == 2
    one_line_error(rc, err, *needles)


@pytest.fixture
def augment_file(run, lexicon, tmp_path):
    """Run ``textaug augment`` on ``source``; return (exit code, stderr)."""

    def call(source: Path, target: Path, *options: object) -> tuple[int, str]:
        rc, _, err = run("augment", source, "-o", target, "--label-column", "tags",
                         "--lexicon", lexicon, "--n-per-original", 2, "--seed", 0, "-q",
                         *options)
        return rc, err

    return call


def only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the same rows --------------------------------------------------------------------


@pytest.mark.parametrize("out_fmt", FORMATS)
@pytest.mark.parametrize("in_fmt", FORMATS)
def test_any_chunk_size_gives_the_whole_file_rows(augment_file, tmp_path, in_fmt, out_fmt):
    source = write_rows(tmp_path / f"in.{in_fmt}", rows())
    written = {}
    for size in (1_000, 1, 7):
        target = tmp_path / f"out_{size}.{out_fmt}"
        rc, err = augment_file(source, target, "--chunk-size", size)
        assert rc == 0, err
        written[size] = contents(target)
    assert written[1] == written[1_000]
    assert written[7] == written[1_000]
    made = read_table(tmp_path / f"out_1000.{out_fmt}", label="tags")
    assert "False" in map(str, made["textaug_is_original"])  # the TF made rows
    assert list(map(str, made["textaug_source"]))[0] == "0"  # keys are positions in the file
    assert list(map(str, made["textaug_source"]))[-1] == str(N_ROWS - 1)


def test_rows_equal_the_library_run(augment_file, tmp_path, lexicon):
    source = write_rows(tmp_path / "in.jsonl", rows())
    rc, err = augment_file(source, tmp_path / "out.jsonl", "--chunk-size", 4)
    assert rc == 0, err
    from textaug.policy import ApplyOnePolicy

    expected = augment(read_table(source, label="tags"), [swap_aliases(lexicon=lexicon)],
                       ApplyOnePolicy(2), seed=0, label="tags")
    got = read_table(tmp_path / "out.jsonl", label="tags")
    assert got["text"].tolist() == expected["text"].tolist()
    assert got["textaug_source"].tolist() == expected["textaug_source"].tolist()


def same_for_chunk_sizes(augment_file, source: Path, tmp_path: Path, *args: object) -> bytes:
    """Run ``textaug augment`` on ``source`` with ``--chunk-size`` 1 and 1,000 (to out_1.csv
    and out_1000.csv), assert both succeed and write the same bytes, and return them."""
    for size in (1, 1_000):
        rc, err = augment_file(source, tmp_path / f"out_{size}.csv", "--chunk-size", size, *args)
        assert rc == 0, err
    written = (tmp_path / "out_1.csv").read_bytes()
    assert written == (tmp_path / "out_1000.csv").read_bytes()
    return written


def test_key_column_rows_are_the_same_for_any_chunk_size(augment_file, tmp_path):
    source = write_rows(tmp_path / "in.csv", rows())
    assert b"p000" in same_for_chunk_sizes(augment_file, source, tmp_path, "--key-column", "id")


def test_n_jobs_gives_the_same_rows(augment_file, tmp_path):
    source = write_rows(tmp_path / "in.csv", rows())
    for jobs in (1, 2):
        rc, err = augment_file(source, tmp_path / f"out_{jobs}.csv", "--chunk-size", 8,
                               "--n-jobs", jobs)
        assert rc == 0, err
    assert (tmp_path / "out_1.csv").read_bytes() == (tmp_path / "out_2.csv").read_bytes()


@pytest.mark.parametrize(("in_fmt", "out_fmt"),
                         [("csv", "csv"), ("jsonl", "jsonl"), ("parquet", "parquet"),
                          ("csv", "jsonl"), ("jsonl", "parquet")])
def test_two_jobs_write_the_bytes_of_one(run, lexicon, tmp_path, in_fmt, out_fmt):
    """The workers parse and restore the label cells (JSON lists, an empty one first) and
    encode the rows; the file, the summary and the examples are those of one job."""
    source = write_rows(tmp_path / f"in.{in_fmt}", rows())
    printed = {}
    for jobs in (1, 2):
        target = tmp_path / str(jobs) / f"out.{out_fmt}"
        rc, out, err = run("augment", source, "-o", target, "--label-column", "tags",
                           "--key-column", "id", "--lexicon", lexicon, "--n-per-original", 2,
                           "--seed", 0, "--chunk-size", 8, "--n-jobs", jobs)
        assert rc == 0, err
        printed[jobs] = out.replace(str(target), "OUTPUT")
    assert (tmp_path / "1" / f"out.{out_fmt}").read_bytes() == \
        (tmp_path / "2" / f"out.{out_fmt}").read_bytes()
    assert printed[1] == printed[2]
    assert "examples:" in printed[1] and "swap_aliases: applied" in printed[1]
    made = read_table(tmp_path / "2" / f"out.{out_fmt}", label="tags")
    assert made["textaug_source"].tolist()[-1] == f"p{N_ROWS - 1:03d}"
    assert made["tags"].tolist()[0] == [] and [NLP, "tutorial"] in made["tags"].tolist()


def test_a_bad_label_cell_in_a_worker_is_one_line_and_writes_nothing(augment_file, tmp_path):
    records = rows()
    records[-1]["tags"] = "[cooking"  # text that looks like a list, in the last chunk
    source = write_rows(tmp_path / "in.jsonl", records)
    target = tmp_path / "out" / "out.csv"
    rc, err = augment_file(source, target, "--chunk-size", 8, "--n-jobs", 2)
    assert_one_line_error(rc, err, "look like lists written as text", f"{N_ROWS - 1}: '[cooking'")
    assert not target.parent.exists() or only(target.parent) == []


def test_balanced_policy_counts_the_whole_file_first(augment_file, tmp_path, lexicon):
    source = write_rows(tmp_path / "in.csv", rows())
    same_for_chunk_sizes(augment_file, source, tmp_path, "--policy", "balanced")
    expected = augment(read_table(source, label="tags"), [swap_aliases(lexicon=lexicon)],
                       ClassBalancedPolicy(),
                       seed=0, label="tags")
    assert read_table(tmp_path / "out_1.csv")["text"].tolist() == expected["text"].tolist()


# -- atomic output --------------------------------------------------------------------


def late_duplicate_key(tmp_path: Path) -> Path:
    records = rows()
    records[-1]["id"] = records[0]["id"]  # seen only in the last chunk
    return write_rows(tmp_path / "in" / "in.csv", records)


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("out_fmt", FORMATS)
def test_error_mid_stream_leaves_no_output(augment_file, tmp_path, out_fmt, existing):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    source = late_duplicate_key(tmp_path)
    target = tmp_path / "out" / f"out.{out_fmt}"
    if existing:
        target.write_bytes(b"an earlier run's rows")
    rc, err = augment_file(source, target, "--chunk-size", 5, "--key-column", "id")
    assert_one_line_error(rc, err, "duplicate values", "p000")
    assert only(tmp_path / "out") == ([target.name] if existing else [])
    if existing:
        assert target.read_bytes() == b"an earlier run's rows"


def test_bad_line_late_in_the_input_leaves_no_output(augment_file, tmp_path):
    source = write_rows(tmp_path / "in.jsonl", rows())
    with source.open("a", encoding="utf-8") as handle:
        handle.write('{"text": "cut short\n')
    rc, err = augment_file(source, tmp_path / "out" / "out.csv", "--chunk-size", 5)
    assert_one_line_error(rc, err, f"line {N_ROWS + 1} is not valid JSON")
    assert not (tmp_path / "out").exists() or only(tmp_path / "out") == []


def test_parquet_type_clash_between_chunks_is_one_line(augment_file, tmp_path):
    records = rows()
    records[-1]["n"] = "twenty-two"  # an int column until the last chunk, of this row
    source = write_rows(tmp_path / "in.jsonl", records)
    rc, err = augment_file(source, tmp_path / "out.parquet", "--chunk-size", 11)
    assert_one_line_error(rc, err, "do not fit the Parquet column types", "one type")
    assert not (tmp_path / "out.parquet").exists()


# -- options --------------------------------------------------------------------------


def test_progress_bar_shows_rows_per_second(augment_file, tmp_path):
    source = write_rows(tmp_path / "in.csv", rows())
    rc, err = augment_file(source, tmp_path / "out.csv", "--chunk-size", 5, "--progress")
    assert rc == 0
    assert "row/s" in err and f"{N_ROWS}row" in err.replace(" ", "")


def test_quiet_prints_no_progress_bar(augment_file, tmp_path):
    source = write_rows(tmp_path / "in.csv", rows())
    rc, err = augment_file(source, tmp_path / "out.csv", "--chunk-size", 5)
    assert rc == 0 and err == ""


@pytest.mark.parametrize("size", [0, -3])
def test_chunk_size_must_be_positive(augment_file, tmp_path, size):
    source = write_rows(tmp_path / "in.csv", rows())
    rc, err = augment_file(source, tmp_path / "out.csv", "--chunk-size", size)
    assert_one_line_error(rc, err, "--chunk-size takes a number of rows")
    assert only(tmp_path) == ["in.csv", "lexicon.json"]


def test_summary_counts_every_chunk(run, lexicon, tmp_path):
    source = write_rows(tmp_path / "in.csv", rows())
    rc, out, err = run("augment", source, "-o", tmp_path / "out.csv", "--label-column", "tags",
                       "--lexicon", lexicon, "--seed", 0, "--chunk-size", 4)
    assert rc == 0, err
    written = len(pd.read_csv(tmp_path / "out.csv"))
    assert f"{N_ROWS} rows in, {written} rows out" in out
    assert f"wrote {written} rows to" in out
    assert "examples:" in out


def test_help_text(capsys):
    from textaug.cli import main

    with pytest.raises(SystemExit):
        main(["augment", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--chunk-size ROWS" in text
    assert "memory stays flat" in text
    assert "--policy balanced first reads INPUT once" in text


# -- memory ---------------------------------------------------------------------------


# Linux keeps a process's peak RSS across exec, and a child started from this (large) test
# process begins as its copy: a small launcher process starts the command and reports its peak.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak_rss_mib(source: Path, target: Path, lexicon: Path, chunk_size: int) -> float:
    """The peak resident memory of a ``textaug augment`` process."""
    command = [sys.executable, "-m", "textaug", "augment", str(source), "-o", str(target),
               "--label-column", "tags", "--lexicon", str(lexicon), "--seed", "0", "-q",
               "--chunk-size", str(chunk_size)]
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True,
                          text=True, check=True, timeout=120)
    status, peak_kib = map(int, done.stdout.split())
    assert status == 0, done.stderr
    return peak_kib / 1024


def test_memory_stays_flat_as_the_input_grows(tmp_path, lexicon):
    """Each row carries 4 KB the TF never reads, so a whole-file run of the large input
    would hold well over 100 MiB more than one of the small input."""
    payload = "x" * 4_000
    peaks = []
    for n in (2_000, 10_000):
        source = write_rows(tmp_path / f"in_{n}.csv",
                            [{**row, "payload": payload} for row in rows(n)])
        peaks.append(peak_rss_mib(source, tmp_path / f"out_{n}.csv", lexicon, 500))
        assert len(pd.read_csv(tmp_path / f"out_{n}.csv", usecols=["n"])) > n
    small, large = peaks
    assert large <= 1.3 * small, f"peak RSS {small:.0f} MiB for 2,000 rows, {large:.0f} for 10,000"


def test_stored_index_keys_are_checked_across_chunks(augment_file, tmp_path):
    frame = pd.DataFrame(rows(6))
    frame.index = ["a", "b", "c", "d", "e", "a"]  # the repeat is in the second chunk
    frame.to_parquet(tmp_path / "in.parquet")
    rc, err = augment_file(tmp_path / "in.parquet", tmp_path / "out.csv", "--chunk-size", 3)
    assert_one_line_error(rc, err, "duplicate values", "'a'")
    assert not (tmp_path / "out.csv").exists()


def test_a_streamed_report_keeps_the_first_unaugmented_keys_and_counts_the_rest(tmp_path):
    from textaug import ApplyOnePolicy, transformation_function
    from textaug.apply import Augmenter
    from textaug.report import MAX_ERRORS_KEPT
    from textaug.streaming import augment_file

    @transformation_function()
    def nothing(x):
        return None

    n = MAX_ERRORS_KEPT + 500
    pd.DataFrame({"text": [f"row {i}" for i in range(n)]}).to_csv(tmp_path / "in.csv",
                                                                  index=False)
    runner = Augmenter([nothing], ApplyOnePolicy(), seed=0)
    run = augment_file(runner, tmp_path / "in.csv", tmp_path / "out.csv", chunk_size=300)
    assert run.rows == n  # the originals, every one
    assert run.report.unaugmented_total == n
    assert run.report.unaugmented == list(range(MAX_ERRORS_KEPT))  # the first keys, in order
    assert f"rows with no augmentation: {n} (0, 1, 2, 3, 4 ...)" in str(run.report)
