"""Tests of the ``textaug`` command line (textaug.cli), in-process and via the console script."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import textaug
from textaug.cli import main
from textaug.io import read_table
from textaug.tf import transformation_function

PROJECTS = Path(textaug.__file__).parent / "data" / "projects.csv"
SCRIPT = Path(sys.executable).with_name("textaug")
PROVENANCE = ["textaug_source", "textaug_is_original", "textaug_tfs"]
FORMATS = ["csv", "jsonl", "parquet"]
NLP = "natural-language-processing"

# Every row mentions NLP and is labelled with its tag, so every row can be augmented
# (no "rows yielded no augmentation" warning, which pytest turns into an error).
ROWS = [
    {"id": 10, "text": "Intro to NLP with transformers.", "tags": [NLP, "tutorial"],
     "split": "train"},
    {"id": 20, "text": "Natural language processing for beginners.", "tags": [NLP],
     "split": "train"},
    {"id": 30, "text": "A survey of nlp benchmarks and NLP datasets.", "tags": [NLP, "survey"],
     "split": "train"},
]
COLUMNS = list(ROWS[0])
LEXICON = {"tags": {NLP: {"aliases": ["nlp"], "parents": []}}}


# -- helpers --------------------------------------------------------------------------


def write_rows(path: Path, rows: list[dict]) -> Path:
    """Write an input table by hand (not with textaug.io), chosen by suffix."""
    if path.suffix == ".csv":
        frame = pd.DataFrame(rows)
        frame["tags"] = [json.dumps(t) for t in frame["tags"]]
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        pd.DataFrame(rows).to_parquet(path, index=False)
    return path


def json_list(cell: str) -> list:
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, list):
        pytest.fail(f"CSV label cell is not a JSON list: {cell!r}")
    return value


def read_rows(path: Path) -> list[dict]:
    """Read an output table independently of textaug.io; label cells become lists."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, keep_default_na=False)
        frame["tags"] = [json_list(c) for c in frame["tags"]]  # CSV stores JSON lists
    elif path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        frame = pd.read_parquet(path)
        frame["tags"] = [list(c) for c in frame["tags"]]
    return frame.to_dict("records")


def originals(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["textaug_is_original"]]


def augmented(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r["textaug_is_original"]]


def assert_one_line_error(rc: int, err: str, *needles: str) -> None:
    assert rc != 0
    assert "Traceback" not in err
    assert err.startswith("textaug: error:"), err
    assert err.strip().count("\n") == 0, f"not one line: {err!r}"
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    return write_rows(tmp_path / "small.csv", ROWS)


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    return Path(shutil.copy(PROJECTS, tmp_path / "projects.csv"))


@pytest.fixture
def augment_small(run, small_csv, lexicon, tmp_path):
    """Augment the small table with the custom lexicon; return (exit code, output rows)."""

    def call(*options: object, output: str = "out.csv") -> tuple[int, list[dict]]:
        out = tmp_path / output
        rc, _, err = run("augment", small_csv, "-o", out, "--label-column", "tags",
                         "--lexicon", lexicon, "--seed", 0, "-q", *options)
        assert rc == 0, err
        return rc, read_rows(out)

    return call


def script(*argv: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)


# -- formats --------------------------------------------------------------------------


@pytest.mark.parametrize("out_fmt", FORMATS)
@pytest.mark.parametrize("in_fmt", FORMATS)
def test_augment_each_format(run, tmp_path, lexicon, in_fmt, out_fmt):
    source = write_rows(tmp_path / f"in.{in_fmt}", ROWS)
    target = tmp_path / f"out.{out_fmt}"
    rc, _, err = run("augment", source, "-o", target, "--label-column", "tags",
                     "--lexicon", lexicon, "--n-per-original", 2, "--seed", 0, "-q")
    assert rc == 0, err
    rows = read_rows(target)
    assert list(rows[0]) == COLUMNS + PROVENANCE
    expected = ROWS
    if in_fmt == "csv" and out_fmt != "csv":  # CSV cells are text; other formats keep that
        expected = [{**r, "id": str(r["id"])} for r in ROWS]
    assert [{c: r[c] for c in COLUMNS} for r in originals(rows)] == expected
    made = augmented(rows)
    assert made
    for row in made:
        source_row = expected[row["textaug_source"]]
        assert row["tags"] == source_row["tags"]
        assert row["id"] == source_row["id"]
        assert row["split"] == "train"
        assert row["text"] != source_row["text"]
        assert row["textaug_tfs"] == "swap_aliases"


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_label_cells_read_back_as_lists(augment_small, tmp_path, fmt):
    augment_small(output=f"out.{fmt}")
    tags = read_table(tmp_path / f"out.{fmt}", label="tags")["tags"].tolist()
    types = [type(t).__name__ for t in tags]
    assert all(isinstance(t, list) for t in tags), f"label cells are not lists: {types}"
    assert all(NLP in t for t in tags)


def test_console_script_augments(tmp_path, small_csv, lexicon):
    done = script("augment", small_csv.name, "-o", "out.jsonl", "--label-column", "tags",
                  "--lexicon", lexicon.name, "--seed", 0, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "wrote" in done.stdout
    rows = read_rows(tmp_path / "out.jsonl")
    assert len(originals(rows)) == len(ROWS)
    assert augmented(rows)


# -- the issue's example --------------------------------------------------------------


def issue_example(run, projects: Path, output: str, seed: int) -> Path:
    out = projects.parent / output
    rc, stdout, err = run("augment", projects, "-o", out, "--text-column", "text",
                          "--label-column", "tags", "--tf", "swap_aliases",
                          "--n-per-original", 5, "--keep-original", "--seed", seed)
    assert rc == 0, err
    assert "wrote" in stdout
    return out


def test_issue_example_runs(run, projects):
    out = issue_example(run, projects, "out.csv", seed=0)
    rows = read_rows(out)
    source = pd.read_csv(projects)
    assert len(originals(rows)) == len(source)
    assert len(augmented(rows)) > 0
    assert all(isinstance(r["tags"], list) for r in rows)


def test_issue_example_same_seed_is_byte_identical(run, projects):
    first = issue_example(run, projects, "a.csv", seed=0)
    second = issue_example(run, projects, "b.csv", seed=0)
    assert first.read_bytes() == second.read_bytes()


def test_issue_example_other_seed_differs(run, projects):
    first = issue_example(run, projects, "a.csv", seed=0)
    other = issue_example(run, projects, "b.csv", seed=1)
    assert first.read_bytes() != other.read_bytes()


# -- options --------------------------------------------------------------------------


def test_no_keep_original(augment_small):
    _, rows = augment_small("--no-keep-original")
    assert rows
    assert originals(rows) == []


def test_keep_original_is_the_default(augment_small):
    _, rows = augment_small()
    assert len(originals(rows)) == len(ROWS)


def test_no_dedupe_keeps_identical_augmentations(augment_small):
    # The lexicon has one alternative per phrase, so repeated draws repeat themselves.
    _, deduped = augment_small("--n-per-original", 3)
    _, kept = augment_small("--n-per-original", 3, "--no-dedupe")
    assert len(augmented(kept)) == 3 * len(ROWS)
    assert len(augmented(deduped)) < len(augmented(kept))
    texts = [r["text"] for r in augmented(deduped)]
    assert len(texts) == len(set(texts))


def test_key_column_fills_textaug_source_with_ids(augment_small):
    _, rows = augment_small("--key-column", "id")
    assert {r["textaug_source"] for r in rows} == {r["id"] for r in ROWS}
    assert all(r["textaug_source"] == r["id"] for r in rows)


def test_default_source_is_the_row_number(augment_small):
    _, rows = augment_small()
    assert {r["textaug_source"] for r in rows} == set(range(len(ROWS)))


def test_label_sep(run, tmp_path, lexicon):
    source = tmp_path / "sep.csv"
    source.write_text(f"text,tags\nIntro to NLP.,{NLP}|tutorial\nNLP at scale.,{NLP}\n",
                      encoding="utf-8")
    out = tmp_path / "out.csv"
    rc, _, err = run("augment", source, "-o", out, "--label-column", "tags", "--label-sep", "|",
                     "--lexicon", lexicon, "--seed", 0, "-q")
    assert rc == 0, err
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)  # written back with pipes
    assert frame["tags"].tolist() == [f"{NLP}|tutorial", f"{NLP}|tutorial", NLP, NLP]
    assert frame["textaug_is_original"].tolist() == ["True", "False", "True", "False"]


@pytest.mark.parametrize("option", ["p=0.5", "swap_aliases.p=0.5"])
def test_tf_option_is_accepted(augment_small, option):
    _, rows = augment_small("--tf-option", option)
    assert augmented(rows)


def test_tf_option_spellings_agree(augment_small):
    _, plain = augment_small("--tf-option", "p=0.5", "--n-per-original", 3)
    _, targeted = augment_small("--tf-option", "swap_aliases.p=0.5", "--n-per-original", 3)
    assert plain == targeted


def test_tf_option_reaches_the_tf(run, small_csv, lexicon, tmp_path):
    rc, _, err = run("augment", small_csv, "-o", tmp_path / "out.csv", "--label-column", "tags",
                     "--lexicon", lexicon, "--tf-option", "p=2")
    assert_one_line_error(rc, err, "'p'", "swap_aliases")


def test_custom_lexicon_swaps_only_its_phrases(augment_small):
    _, rows = augment_small("--n-per-original", 3)
    expected = {
        10: {"Intro to natural language processing with transformers."},
        20: {"NLP for beginners."},
        30: {"A survey of natural language processing benchmarks and NLP datasets.",
             "A survey of nlp benchmarks and natural language processing datasets."},
    }
    made: dict[int, set[str]] = {}
    for row in augmented(rows):
        made.setdefault(row["id"], set()).add(row["text"])
    assert made == expected


def test_no_label_aware_needs_no_label_column(run, small_csv, lexicon, tmp_path):
    out = tmp_path / "out.csv"
    rc, _, err = run("augment", small_csv, "-o", out, "--lexicon", lexicon,
                     "--no-label-aware", "--seed", 0, "-q")
    assert rc == 0, err
    assert len(augmented(read_rows(out))) == len(ROWS)


def test_no_label_aware_swaps_regardless_of_labels(run, tmp_path, lexicon):
    rows = [*ROWS, {"id": 40, "text": "Parsing NLP logs.", "tags": ["devops"], "split": "train"}]
    source = write_rows(tmp_path / "mixed.csv", rows)
    common = ("--label-column", "tags", "--lexicon", lexicon, "--seed", 0, "-q")

    rc, _, err = run("augment", source, "-o", tmp_path / "aware.csv", *common)
    assert rc == 0, err
    aware = {r["id"] for r in augmented(read_rows(tmp_path / "aware.csv"))}

    rc, _, err = run("augment", source, "-o", tmp_path / "blind.csv", *common, "--no-label-aware")
    assert rc == 0, err
    blind = {r["id"] for r in augmented(read_rows(tmp_path / "blind.csv"))}

    assert aware == {10, 20, 30}
    assert blind == {10, 20, 30, 40}


@pytest.mark.parametrize("policy", ["one", "each", "random", "all", "balanced"])
def test_policies(augment_small, policy):
    _, rows = augment_small("--policy", policy)
    assert len(originals(rows)) == len(ROWS)
    assert augmented(rows)
    assert all(r["textaug_tfs"] == "swap_aliases" for r in augmented(rows))


def test_quiet_prints_nothing(run, small_csv, lexicon, tmp_path):
    rc, out, err = run("augment", small_csv, "-o", tmp_path / "out.csv", "--label-column",
                       "tags", "--lexicon", lexicon, "--seed", 0, "--quiet")
    assert rc == 0, err
    assert (out, err) == ("", "")
    assert (tmp_path / "out.csv").is_file()


def test_summary_mentions_rows_and_output(run, small_csv, lexicon, tmp_path):
    target = tmp_path / "out.csv"
    rc, out, err = run("augment", small_csv, "-o", target, "--label-column", "tags",
                       "--lexicon", lexicon, "--seed", 0)
    assert rc == 0, err
    n_out = len(read_rows(target))
    assert f"{len(ROWS)} rows in" in out
    assert f"{n_out} rows out" in out
    assert f"wrote {n_out} rows to {target}" in out
    assert "seed=0" in out


def test_summary_prints_the_fresh_seed(run, small_csv, lexicon, tmp_path):
    rc, out, err = run("augment", small_csv, "-o", tmp_path / "out.csv", "--label-column",
                       "tags", "--lexicon", lexicon)
    assert rc == 0, err
    assert "seed=" in out


# -- help -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["augment", "--help"]], ids=["top", "augment"])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "textaug augment projects.csv -o out.csv" in out, out
    assert "swap_aliases" in out, out


def test_help_via_console_script(tmp_path):
    done = script("augment", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--n-per-original" in done.stdout
    assert "swap_aliases" in done.stdout


# -- errors ---------------------------------------------------------------------------


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    """A folder of broken inputs and lexicons, named by what is wrong with them."""
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,text,tags\n", encoding="utf-8")
    (tmp_path / "number.jsonl").write_text(json.dumps({"id": 1, "text": 5, "tags": [NLP]}) + "\n",
                                           encoding="utf-8")
    (tmp_path / "rows.txt").write_text("text\nNLP\n", encoding="utf-8")
    (tmp_path / "invalid.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "shape.json").write_text(json.dumps({"aliases": ["nlp"]}), encoding="utf-8")
    (tmp_path / "entries.json").write_text(json.dumps([1, 2]), encoding="utf-8")
    return tmp_path


# (arguments after "augment", words the one-line error must contain)
ERRORS = {
    "missing-input": (["missing.csv", "-o", "out.csv", "--label-column", "tags"],
                      ["not found", "missing.csv"]),
    "unknown-text-column": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                             "--text-column", "body"],
                            ["'body'", "'id'", "'text'", "'tags'", "'split'"]),
    "unknown-label-column": (["small.csv", "-o", "out.csv", "--label-column", "labels"],
                             ["'labels'", "'tags'"]),
    "empty-file": (["empty.csv", "-o", "out.csv", "--label-column", "tags"],
                   ["empty.csv", "empty"]),
    "header-only": (["header.csv", "-o", "out.csv", "--label-column", "tags"],
                    ["header.csv", "no rows"]),
    "number-text": (["number.jsonl", "-o", "out.csv", "--label-column", "tags"],
                    ["'text'", "non-string"]),
    "invalid-lexicon": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                         "--lexicon", "invalid.json"], ["invalid.json", "not valid JSON"]),
    "lexicon-shape": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                       "--lexicon", "shape.json"], ["shape.json", "'tags'"]),
    "lexicon-entries": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                         "--lexicon", "entries.json"], ["entries.json", "'tag'"]),
    "missing-lexicon": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                         "--lexicon", "nope.json"], ["nope.json", "not found"]),
    "txt-input": (["rows.txt", "-o", "out.csv", "--label-column", "tags"],
                  ["rows.txt", ".csv", ".jsonl", ".parquet"]),
    "txt-output": (["small.csv", "-o", "out.txt", "--label-column", "tags"],
                   ["out.txt", ".csv", ".jsonl", ".parquet"]),
    "output-is-input": (["small.csv", "-o", "small.csv", "--label-column", "tags"],
                        ["OUTPUT", "INPUT"]),
    "unknown-tf-option": (["small.csv", "-o", "out.csv", "--label-column", "tags",
                           "--tf-option", "colour=red"], ["colour", "swap_aliases"]),
    "label-aware-without-label-column": (["small.csv", "-o", "out.csv"],
                                         ["--label-column", "--no-label-aware"]),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_input_gives_one_line_error(run, small_csv, lexicon, bad_inputs, monkeypatch, case):
    argv, needles = ERRORS[case]
    if "--lexicon" not in argv:
        argv = [*argv, "--lexicon", lexicon.name]
    monkeypatch.chdir(bad_inputs)
    before = small_csv.read_bytes()
    rc, out, err = run("augment", *argv)
    assert_one_line_error(rc, err, *needles)
    assert out == ""
    assert small_csv.read_bytes() == before
    assert not (bad_inputs / "out.csv").exists()


# Cases that fail before the lexicon is built, so the subprocesses stay fast.
@pytest.mark.parametrize("case", ["invalid-lexicon", "output-is-input"])
def test_console_script_errors_have_no_traceback(small_csv, bad_inputs, case):
    argv, needles = ERRORS[case]
    done = script("augment", *argv, cwd=bad_inputs)
    assert done.returncode != 0
    assert_one_line_error(done.returncode, done.stderr, *needles)
    assert done.stdout == ""


def test_output_equal_to_input_by_another_spelling(run, small_csv, lexicon, monkeypatch):
    monkeypatch.chdir(small_csv.parent)
    rc, _, err = run("augment", small_csv, "-o", "./small.csv", "--label-column", "tags",
                     "--lexicon", lexicon)
    assert_one_line_error(rc, err, "OUTPUT", "INPUT")


def test_provenance_columns_in_input_are_refused(augment_small, run, tmp_path, lexicon):
    augment_small()  # writes tmp_path/out.csv
    rc, _, err = run("augment", tmp_path / "out.csv", "-o", tmp_path / "again.csv",
                     "--label-column", "tags", "--lexicon", lexicon)
    assert_one_line_error(rc, err, "provenance")


def test_rows_left_unaugmented_are_warned_in_one_line(run, projects, tmp_path):
    rc, out, err = run("augment", projects, "-o", tmp_path / "out.csv", "--label-column", "tags",
                       "--no-keep-original", "--seed", 0, "-q")
    assert rc == 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("textaug: warning: ")
    assert "rows yielded no augmentation and keep_original=False" in lines[0]


def test_n_jobs_gives_the_same_file(run, projects, tmp_path):
    for jobs in (1, 2):
        rc, _, err = run("augment", projects, "-o", tmp_path / f"out{jobs}.csv", "--label-column",
                         "tags", "--seed", 0, "--n-jobs", jobs, "-q")
        assert rc == 0, err
    assert (tmp_path / "out1.csv").read_bytes() == (tmp_path / "out2.csv").read_bytes()


@pytest.mark.parametrize("tf", ["random_swap", "eda", "aeda", "keyboard_typos", "misspellings"])
def test_word_level_tfs_on_the_command_line(run, projects, tmp_path, tf):
    out = tmp_path / "out.csv"
    rc, _, err = run("augment", projects, "-o", out, "--tf", tf, "--n-per-original", 2,
                     "--seed", 0, "-q")
    assert rc == 0, err
    rows = read_rows(out)
    assert len(augmented(rows)) > 300 and {r["textaug_tfs"] for r in augmented(rows)} == {tf}


# -- the user's data comes back untouched (issue 11, items 1-3) ---------------------------


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_issue_repro_keeps_ids_and_na_labels(run, tmp_path):
    source = tmp_path / "na.csv"
    source.write_text("id,text,label\n007,hello world there friend,NA\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    rc, _, err = run("augment", source, "-o", out, "--tf", "random_swap", "--label-column",
                     "label", "--key-column", "id", "--seed", 0, "-q")
    assert rc == 0, err
    header, original, made = csv_rows(out)
    assert header[:3] == ["id", "text", "label"]
    assert original[:4] == ["007", "hello world there friend", "NA", "007"]
    assert [made[0], made[2], made[3]] == ["007", "NA", "007"]


CELLS = [  # id, text, label, score: cells pandas would guess at
    ["007", "hello world there friend", "NA", "1.10"],
    ["008", "good morning to you all", "None", ""],
    ["0x1", "a third text with words", "null", "1e3"],
    ["010", "one more text to swap", "n/a", "nan"],
    ["011", "and the last row here", "", " 2 "],
    ["012", "with a list of labels", '["a","b"]', "TRUE"],
    ["013", "with a python list cell", "['a', 'b']", "-0"],
]


@pytest.mark.parametrize("key", [None, "id"])
def test_every_original_cell_comes_back_byte_identical(run, tmp_path, key):
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "text", "label", "score"], *CELLS])
    out = tmp_path / "out.csv"
    keyed = ["--key-column", key] if key else []
    rc, _, err = run("augment", source, "-o", out, "--tf", "random_swap", "--label-column",
                     "label", "--n-per-original", 2, "--no-dedupe", "--seed", 0, "-q", *keyed)
    assert rc == 0, err
    header, *rows = csv_rows(out)
    assert header == ["id", "text", "label", "score", *PROVENANCE]
    kept = [r for r in rows if r[5] == "True"]
    assert [r[:4] for r in kept] == CELLS
    made = [r for r in rows if r[5] == "False"]
    assert len(made) == 2 * len(CELLS)
    by_source = {(r[0] if key else str(i)): r for i, r in enumerate(CELLS)}
    for row in made:  # augmented rows carry their source's cells, label included
        source_row = by_source[row[4]]
        assert [row[0], row[2], row[3]] == [source_row[0], source_row[2], source_row[3]]
    if key:
        assert [r[4] for r in kept] == [r[0] for r in CELLS]


def test_jsonl_originals_come_back_with_every_value(run, tmp_path):
    rows = [
        {"id": 2**53 + 1, "text": "hello world there friend", "score": 0.1 + 0.2,
         "day": "2020-01-01", "meta": {"a": [1, None]}, "label": "NA"},
        {"id": 7, "text": "naïve café ☕ and 東京 too", "score": 1.0, "day": "2020-01-02",
         "meta": {}, "label": ""},
    ]
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc, _, err = run("augment", source, "-o", out, "--tf", "random_swap", "--label-column",
                     "label", "--key-column", "id", "--seed", 0, "-q")
    assert rc == 0, err
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kept = [{k: r[k] for k in rows[0]} for r in written if r["textaug_is_original"]]
    assert [json.dumps(r, ensure_ascii=False) for r in kept] == lines
    assert [r["textaug_source"] for r in written if r["textaug_is_original"]] == [2**53 + 1, 7]


@pytest.mark.parametrize("how", ["hard link", "symlink"])
def test_output_that_is_the_input_file_is_refused(run, small_csv, lexicon, tmp_path, how):
    alias = tmp_path / "alias.csv"
    if how == "hard link":
        os.link(small_csv, alias)
    else:
        alias.symlink_to(small_csv)
    before = small_csv.read_bytes()
    rc, out, err = run("augment", small_csv, "-o", alias, "--label-column", "tags",
                       "--lexicon", lexicon)
    assert_one_line_error(rc, err, "OUTPUT", "INPUT", "alias.csv")
    assert small_csv.read_bytes() == before


def test_failed_write_names_the_output_and_leaves_nothing(run, small_csv, lexicon, tmp_path,
                                                           monkeypatch):
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    target = tmp_path / "out" / "rows.csv"
    rc, out, err = run("augment", small_csv, "-o", target, "--label-column", "tags",
                       "--lexicon", lexicon, "--seed", 0)
    assert_one_line_error(rc, err, str(target), "No space left", "Nothing was written")
    assert list(target.parent.iterdir()) == []


# -- errors that help (issue 11, items 18-19) ---------------------------------------------


@transformation_function(name="boom")
def _boom(x):
    raise ValueError("boom")


@transformation_function()
def _idle(x):
    return None


def _fussy(level: int = 1, *, name: str = "fussy") -> object:
    """A factory that fails like a library does on a value of the wrong type."""
    list(range(level))
    return _idle


@pytest.fixture
def extra_tfs(monkeypatch):
    """Register TFs that fail, in the registry the command line reads."""
    monkeypatch.setitem(textaug.tfs.FACTORIES, "boom", lambda name="boom": _boom)
    monkeypatch.setitem(textaug.tfs.FACTORIES, "fussy", _fussy)


def test_ctrl_c_prints_one_line_and_writes_nothing(run, small_csv, tmp_path, monkeypatch):
    @transformation_function()
    def interrupted(x):
        raise KeyboardInterrupt

    monkeypatch.setitem(textaug.tfs.FACTORIES, "interrupted", lambda name="i": interrupted)
    rc, out, err = run("augment", small_csv, "-o", tmp_path / "out.csv", "--tf", "interrupted")
    assert rc == 130
    assert err == "textaug: interrupted; nothing was written.\n"
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("argv, needle", [
    (["augment", "in.csv"], "-o/--output"),
    (["augment", "in.csv", "-o", "o.csv", "--n-per-original", "many"], "--n-per-original"),
    (["augment", "in.csv", "-o", "o.csv", "--colour", "red"], "--colour"),
    (["augment", "in.csv", "-o", "o.csv", "--tf", "nope"], "nope"),
    ([], "COMMAND"),
], ids=["no-output", "bad-int", "unknown-flag", "unknown-tf", "no-command"])
def test_usage_errors_are_one_line_with_a_pointer_to_help(capsys, argv, needle):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("textaug: error: "), err
    assert needle in err
    pointer = "textaug augment --help" if argv else "textaug --help"
    assert err.rstrip().endswith(f"(see '{pointer}')"), err


CLI_ERRORS = {
    "empty-label-sep": (["--label-column", "tags", "--label-sep", ""], ['--label-sep "|"']),
    "llm-without-model": (["--tf", "llm_paraphrase"],
                          ["--tf llm_paraphrase needs --tf-option model=NAME"]),
    "factory-type-error": (["--tf", "fussy", "--tf-option", 'level="high"'],
                           ["--tf fussy", "--tf-option level=\"high\"", "TypeError"]),
    "same-tf-twice": (["--tf", "random_swap", "--tf", "random_swap"],
                      ["--tf random_swap", "twice"]),
    "tf-error-hint": (["--tf", "boom"], ["'boom'", "--on-error skip"]),
    "balanced-without-labels": (["--tf", "random_swap", "--policy", "balanced"],
                                ["--label-column"]),
    "absurd-n-per-original": (["--tf", "random_swap", "--n-per-original", 10**30],
                              ["--n-per-original must be an int from 0 to 10,000. Got 1000"]),
}


@pytest.mark.parametrize("case", list(CLI_ERRORS))
def test_cli_errors_speak_the_command_line(run, small_csv, tmp_path, extra_tfs, case):
    options, needles = CLI_ERRORS[case]
    rc, out, err = run("augment", small_csv, "-o", tmp_path / "out.csv", *options)
    assert_one_line_error(rc, err, *needles)
    for python_spelling in ("on_error=", "label=", "model=NAME)", "key=", "(run with --debug"):
        assert python_spelling not in err


def test_python_hints_become_options_of_the_chosen_tfs():
    from textaug.cli import cli_spelling

    message = ("TF 'x' failed: no model. Pass model= a local directory, or raise timeout=. "
               "Pass on_error='skip' to count such rows. Pass label='col' (or label_aware=False).")
    assert cli_spelling(message, tf_params={"model", "timeout"}, validator_params=set()) == (
        "TF 'x' failed: no model. Pass --tf-option model= a local directory, or raise "
        "--tf-option timeout=. Pass --on-error skip to count such rows. Pass --label-column "
        "NAME (or --no-label-aware).")


def test_separator_in_label_cells_is_pointed_out(run, tmp_path, lexicon):
    source = tmp_path / "pipes.csv"
    source.write_text(f"text,tags\nIntro to NLP.,{NLP}|tutorial\nNLP at scale.,{NLP}|x\n",
                      encoding="utf-8")
    rc, out, err = run("augment", source, "-o", tmp_path / "out.csv", "--label-column", "tags",
                       "--lexicon", lexicon, "--seed", 0, "-q")
    assert rc == 0
    assert err.startswith("textaug: warning: ") and err.count("\n") == 1, err
    assert 'swap_aliases' in err and '--label-sep "|"' in err


@pytest.mark.parametrize("cells", [[f'["{NLP}"]', '["devops"]'], ["devops", "cv"]])
def test_no_separator_hint_without_a_separator(run, tmp_path, lexicon, cells):
    source = tmp_path / "plain.csv"
    frame = pd.DataFrame({"text": ["Parsing logs.", "Images."], "tags": cells})
    frame.to_csv(source, index=False)
    rc, out, err = run("augment", source, "-o", tmp_path / "out.csv", "--label-column", "tags",
                       "--lexicon", lexicon, "--seed", 0, "-q")
    assert (rc, err) == (0, "")


# -- a newcomer's first ten minutes (issue 11, item 22) -----------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"textaug {textaug.__version__}\n"


@pytest.mark.parametrize("command", [[str(SCRIPT)], [sys.executable, "-m", "textaug"]],
                         ids=["script", "python-m"])
def test_version_from_a_shell(command):
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False,
                          timeout=60)
    assert (done.returncode, done.stdout) == (0, f"textaug {textaug.__version__}\n"), done.stderr


def test_python_m_textaug_augments(tmp_path, small_csv, lexicon):
    done = subprocess.run([sys.executable, "-m", "textaug", "augment", small_csv.name, "-o",
                           "out.csv", "--label-column", "tags", "--lexicon", lexicon.name, "-q"],
                          cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(originals(read_rows(tmp_path / "out.csv"))) == len(ROWS)


def test_no_dedupe_keeps_repeats_but_never_unchanged_rows_as_its_help_says(run, tmp_path,
                                                                           capsys):
    source = write_rows(tmp_path / "pairs.csv", [{"text": "one two", "tags": ["a"]},
                                                 {"text": "same same", "tags": ["b"]}])
    counts = {}
    for flags in ((), ("--no-dedupe",)):
        rc, _, err = run("augment", source, "-o", tmp_path / "o.csv", "--tf", "random_swap",
                         "--n-per-original", 3, "--seed", 0, "-q", *flags)
        assert rc == 0, err
        made = augmented(read_rows(tmp_path / "o.csv"))
        assert {r["text"] for r in made} == {"two one"}  # swapping "same same" changes nothing
        counts[flags] = len(made)
    assert counts == {(): 1, ("--no-dedupe",): 3}
    with pytest.raises(SystemExit):
        main(["augment", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "repeat a sibling" in help_text and "changes nothing still makes no row" in help_text
