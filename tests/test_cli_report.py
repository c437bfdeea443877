"""Tests of ``textaug report`` (textaug.cli_report), in-process."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from textaug.cli import main

ROWS = [["id", "text", "tags"],
        ["1", "a survey of deep learning for natural language processing", "nlp"],
        ["2", "generative adversarial networks for computer vision <b>tasks</b>", "cv"],
        ["3", "reinforcement learning agents that play board games well", "rl"]]
RUNS = [["size", "augmenter", "seed", "accuracy", "macro_f1"],
        ["20", "none", "0", "0.5", "0.4"], ["20", "eda", "0", "0.6", "0.5"],
        ["20", "none", "1", "0.7", "0.6"], ["20", "eda", "1", "0.7", "0.6"]]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def augmented(tmp_path) -> Path:
    source = write_csv(tmp_path / "rows.csv", ROWS)
    target = tmp_path / "aug.csv"
    assert main(["augment", str(source), "-o", str(target), "--label-column", "tags",
                 "--key-column", "id", "--tf", "random_deletion", "--tf", "random_swap",
                 "--n-per-original", "2", "--keep-original", "--seed", "0", "-q"]) == 0
    return target


def test_report_writes_one_page(tmp_path, augmented, capsys):
    runs = write_csv(tmp_path / "runs.csv", RUNS)
    page = tmp_path / "out" / "report.html"
    assert main(["report", str(augmented), "-o", str(page), "--evaluation", str(runs),
                 "--n", "2"]) == 0
    assert capsys.readouterr().out == f"wrote {page}\n"
    text = page.read_text(encoding="utf-8")
    assert text.count('<tr class="ta-original">') == 2
    assert "<h2>Evaluation</h2>" in text and "<svg" in text
    assert "&lt;b&gt;tasks&lt;/b&gt;" in text and "<b>tasks" not in text
    assert "<title>textaug report: aug.csv</title>" in text


def test_report_without_evaluation_and_quiet(tmp_path, augmented, capsys):
    page = tmp_path / "report.htm"
    assert main(["report", str(augmented), "-o", str(page), "-q", "--seed", "1"]) == 0
    assert capsys.readouterr().out == ""
    assert "<h2>Evaluation</h2>" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["-o", "{tmp}/report.txt"], "give -o a path ending in .html"),
    (["-o", "{tmp}/r.html", "--n", "0"], "--n takes a number of originals >= 1. Got 0."),
    (["-o", "{tmp}/r.html", "--text-column", "body"],
     "Column 'body' (from --text-column) is not in"),
    (["-o", "{tmp}/r.html", "--evaluation", "{tmp}/rows.csv"],
     "The evaluation runs lack column(s) ['size', 'augmenter', 'seed', 'accuracy']"),
])
def test_bad_arguments_fail_in_one_line(tmp_path, augmented, capsys, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    assert main(["report", str(augmented), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("textaug: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_a_table_without_provenance_is_refused(tmp_path, capsys):
    source = write_csv(tmp_path / "rows.csv", ROWS)
    assert main(["report", str(source), "-o", str(tmp_path / "r.html")]) == 2
    assert "lacks the provenance column(s)" in capsys.readouterr().err


def test_the_input_is_never_written_over(tmp_path, augmented, capsys):
    link = tmp_path / "same.html"
    link.symlink_to(augmented)
    before = augmented.read_bytes()
    assert main(["report", str(augmented), "-o", str(link)]) == 2
    assert "never writes over its input" in capsys.readouterr().err
    assert augmented.read_bytes() == before


def test_a_failed_report_leaves_the_previous_page(tmp_path, augmented):
    page = tmp_path / "report.html"
    assert main(["report", str(augmented), "-o", str(page), "-q"]) == 0
    first = page.read_bytes()
    bad = write_csv(tmp_path / "runs.csv", [RUNS[0], ["20", "none", "0", "high", "0.4"]])
    assert main(["report", str(augmented), "-o", str(page), "--evaluation", str(bad)]) == 2
    assert page.read_bytes() == first


def test_encoder_adds_the_embedding_figures(tmp_path, augmented, tiny_mlm):
    page = tmp_path / "report.html"
    assert main(["report", str(augmented), "-o", str(page), "-q",
                 "--encoder", str(tiny_mlm)]) == 0  # a tiny local BERT folder
    text = page.read_text(encoding="utf-8")
    assert "<th>cosine</th>" in text and "<th>spread</th>" in text


def test_help_names_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "textaug report AUGMENTED -o report.html" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--evaluation RUNS" in capsys.readouterr().out
