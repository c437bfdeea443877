"""Tests of ``textaug label`` and ``textaug lf-report`` (textaug.cli_label), in-process."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textaug.cli import main

LEXICON = {"tags": {"nlp": {"aliases": ["natural language processing"]},
                    "cv": {"aliases": ["computer vision"]},
                    "gan": {"aliases": ["generative adversarial network"]}}}
HEADER = ["id", "text", "tags", "topic"]
# id, text, gold tags (JSON list cell), gold class
ROWS = [
    ["007", "NLP with transformers", '["nlp"]', "nlp"],
    ["008", "GANs for computer vision", '["gan", "cv"]', "cv"],
    ["009", "A GAN poem", '["nlp"]', "cv"],
    ["010", "Gradient boosting", '["tabular"]', "cv"],
    ["011", "CV meets NLP", '["cv"]', "nlp"],
    ["012", "", "", ""],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


@pytest.fixture
def table(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "in.csv", HEADER, ROWS)


@pytest.fixture
def label(run, table, lexicon, tmp_path):
    """Run ``textaug label`` on the table; return (stdout, output header, output rows)."""

    def call(*options: object, output: str = "out.csv") -> tuple[str, list[str], list[list[str]]]:
        rc, out, err = run("label", table, "-o", tmp_path / output, "--lexicon", lexicon,
                           "--seed", 0, *options)
        assert rc == 0, err
        assert err == ""
        return (out, *read_csv(tmp_path / output)) if output.endswith(".csv") else (out, [], [])

    return call


def column(header: list[str], rows: list[list[str]], name: str) -> list[str]:
    return [row[header.index(name)] for row in rows]


def assert_one_line_error(rc: int, err: str, *needles: str) -> None:
    assert rc == 2, err
    assert err.startswith("textaug: error:") and "Traceback" not in err, err
    assert err.strip().count("\n") == 0, f"not one line: {err!r}"
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


# -- label: multi-label ---------------------------------------------------------------


def test_multi_label_writes_tags_confidence_and_voters(label):
    out, header, rows = label()
    assert header == [*HEADER, "weak_label", "weak_label_confidence", "weak_label_lfs"]
    tags = [json.loads(c) if c else None for c in column(header, rows, "weak_label")]
    assert [sorted(t) if t else t for t in tags] == [
        ["nlp"], ["cv", "gan"], ["gan"], None, ["cv", "nlp"], None]
    assert column(header, rows, "weak_label_confidence") == ["1.0", "1.0", "1.0", "", "1.0", ""]
    voters = [sorted(json.loads(c)) for c in column(header, rows, "weak_label_lfs")]
    assert voters[1] == ["keyword_cv", "keyword_gan"] and voters[3] == []
    assert "labelled 4 (66.7%); unlabelled 2: 2 no LF voted" in out
    assert "model=majority, seed=0" in out and "wrote 6 rows to" in out


def test_input_cells_come_back_byte_for_byte(run, lexicon, tmp_path):
    odd = [["007", "NLP, \"quoted\"\nacross lines", " NA ", "1.10"],
           ["0x1", "computer vision", "", "null"], ["-0", "  ", "[]", "1e3"]]
    source = write_csv(tmp_path / "odd.csv", ["id", "text", "note", "score"], odd)
    rc, _, err = run("label", source, "-o", tmp_path / "out.csv", "--lexicon", lexicon, "-q")
    assert rc == 0, err
    header, rows = read_csv(tmp_path / "out.csv")
    assert header[:4] == ["id", "text", "note", "score"]
    assert [row[:4] for row in rows] == odd


def test_gold_scores_multi_label_by_hand(label):
    out, _, _ = label("--gold", "tags")
    # TP: 007 nlp, 008 gan + cv, 011 cv = 4; FP: 009 gan, 011 nlp = 2; FN: 009 nlp, 010
    # tabular (unlabelled: its gold tag is missed) = 2; 012 has no tags and gets none.
    assert "(6 rows with gold;" in out
    assert "all 6 gold tags: precision 0.667, recall 0.667, F1 0.667 (micro)" in out
    # tags the LFs can give: tabular is not one of them, so FN = 1
    assert "the 5 gold tags the LFs can give (3 tags): precision 0.667, recall 0.800, " \
           "F1 0.727 (micro)" in out


def test_gold_with_label_sep_and_lists_written_joined(run, lexicon, tmp_path):
    rows = [["NLP and CV", "nlp|cv"], ["a GAN", "gan | nlp"], ["nothing", ""]]
    source = write_csv(tmp_path / "sep.csv", ["text", "gold"], rows)
    rc, out, err = run("label", source, "-o", tmp_path / "out.csv", "--lexicon", lexicon,
                       "--gold", "gold", "--label-sep", "|", "--seed", 1)
    assert rc == 0, err
    header, written = read_csv(tmp_path / "out.csv")
    assert sorted(column(header, written, "weak_label")[0].split("|")) == ["cv", "nlp"]
    assert column(header, written, "weak_label_lfs")[1:] == ["keyword_gan", ""]
    assert column(header, written, "gold") == ["nlp|cv", "gan | nlp", ""]  # as written
    # TP 3 (nlp, cv, gan), FP 0, FN 1 (the second row's nlp)
    assert "all 4 gold tags: precision 1.000, recall 0.750, F1 0.857" in out


def test_regex_adds_lfs_with_unique_names(label):
    _, header, rows = label("--regex", "tabular=(?i)\\bboosting\\b",
                            "--regex", "nlp=(?i)\\btransformers?\\b",
                            "--regex", "nlp=\\bNLP\\b")
    voters = [json.loads(c) for c in column(header, rows, "weak_label_lfs")]
    assert sorted(voters[0]) == ["keyword_nlp", "regex_nlp", "regex_nlp_2"]
    assert voters[3] == ["regex_tabular"]
    assert json.loads(column(header, rows, "weak_label")[3]) == ["tabular"]  # a new tag


@pytest.mark.parametrize("model", ["majority", "dawid_skene", "label_model"])
def test_each_model_labels_the_rows_the_lfs_vote_on(label, model):
    regexes = ["--regex", "nlp=(?i)\\bnlp\\b", "--regex", "nlp=(?i)\\btransformers\\b"]
    if model == "label_model":  # snorkel's needs 3 LFs per tag: keep one tag only
        regexes += ["--classes", "nlp,cv", "--regex", "cv=(?i)\\bcv\\b"]
    out, header, rows = label("--model", model, *regexes)
    assert f"model={model}, seed=0" in out
    labels = column(header, rows, "weak_label")
    confidence = column(header, rows, "weak_label_confidence")
    assert labels[3] == labels[5] == "" and confidence[3] == confidence[5] == ""  # no vote
    if model != "label_model":
        assert json.loads(labels[0]) == ["nlp"]  # three LFs voted nlp
    assert all(0.0 < float(c) <= 1.0 for c in confidence if c)


def test_label_model_refused_with_one_lf_per_tag_names_the_way_out(run, table, lexicon,
                                                                     tmp_path):
    rc, _, err = run("label", table, "-o", tmp_path / "out.csv", "--lexicon", lexicon,
                     "--model", "label_model")
    assert_one_line_error(rc, err, "at least 3 LFs", "--model majority", "--model dawid_skene",
                          "--regex LABEL=PATTERN")
    assert not (tmp_path / "out.csv").exists()


def test_same_seed_same_output(label, tmp_path):
    label("--model", "dawid_skene", "--seed", 3, output="a.csv")
    label("--model", "dawid_skene", "--seed", 3, output="b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_drop_abstained_min_confidence_and_key_column(label):
    out, header, rows = label("--drop-abstained", "--key-column", "id",
                              "--label-column", "guess")
    assert column(header, rows, "id") == ["007", "008", "009", "011"]
    assert header[-3:] == ["guess", "guess_confidence", "guess_lfs"]
    assert "unlabelled rows ('id'): 010, 012" in out and "wrote 4 rows" in out

def test_min_confidence_unlabels_split_votes(label):
    vote_cv_for_nlp = ["--classes", "nlp,cv", "--regex", "nlp=(?i)\\bcv\\b"]
    _, header, rows = label(*vote_cv_for_nlp)  # "CV meets NLP": nlp twice, cv once
    assert column(header, rows, "weak_label")[4] == "nlp"
    assert float(column(header, rows, "weak_label_confidence")[4]) == pytest.approx(2 / 3)
    out, header, rows = label(*vote_cv_for_nlp, "--min-confidence", "0.8", "--drop-abstained")
    assert column(header, rows, "id") == ["007", "008"]
    assert "labelled 2 (33.3%); unlabelled 4: 3 no LF voted, 0 tied, 1 below --min-confidence" \
        in out


def test_jsonl_output_keeps_lists(run, table, lexicon, tmp_path):
    rc, _, err = run("label", table, "-o", tmp_path / "out.jsonl", "--lexicon", lexicon, "-q")
    assert rc == 0, err
    lines = [json.loads(line) for line in
             (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(lines[1]["weak_label"]) == ["cv", "gan"] and lines[3]["weak_label"] is None
    assert "weak_label_confidence" not in lines[3]  # NaN is left out
    assert lines[0]["id"] == "007" and lines[0]["tags"] == '["nlp"]'  # cells as read


# -- label: single-label (--classes) ---------------------------------------------------


def test_classes_label_with_class_names(label):
    out, header, rows = label("--classes", "nlp,cv")
    assert column(header, rows, "weak_label") == ["nlp", "cv", "", "", "", ""]
    assert "single-label over 2 classes" in out
    assert "1 tied" in out  # "CV meets NLP": one vote each


def test_classes_with_regex_votes_its_class(label):
    _, header, rows = label("--classes", "nlp,cv", "--regex", "cv=(?i)\\bgans?\\b")
    assert column(header, rows, "weak_label")[:3] == ["nlp", "cv", "cv"]
    assert json.loads(column(header, rows, "weak_label_lfs")[2]) == ["regex_cv"]


def test_gold_scores_single_label_by_hand(run, lexicon, tmp_path):
    rows = [["NLP with transformers", "nlp"], ["Computer vision for X-rays", "cv"],
            ["NLP for images", "cv"], ["Gradient boosting", "cv"], ["A CV and NLP survey", "nlp"],
            ["Poetry", ""], ["NLP notes", "tabular"]]
    source = write_csv(tmp_path / "single.csv", ["text", "topic"], rows)
    rc, out, err = run("label", source, "-o", tmp_path / "out.csv", "--lexicon", lexicon,
                       "--classes", "nlp,cv", "--gold", "topic", "--seed", 0)
    assert rc == 0, err
    # judged: every row but "Poetry"; right: rows 0 and 1; labelled among them: 0, 1, 2, 6
    assert "6 rows judged (1 hold none of --classes: any label there is wrong); left out: 1 " \
           "without gold" in out
    assert "accuracy 0.333 over the judged rows (an unlabelled row counts as wrong); 0.500 " \
           "over the 4 of them labelled" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert lines["nlp"] == ["0.333", "0.500", "0.400", "2", "3"]  # P 1/3, R 1/2
    assert lines["cv"] == ["1.000", "0.333", "0.500", "3", "1"]  # P 1/1, R 1/3


def test_single_label_gold_from_tag_lists(label):
    out, _, _ = label("--classes", "nlp,cv", "--gold", "tags")
    # 008 holds gan and cv: class cv; 010 (tabular) none of the classes; 012 no gold
    assert "5 rows judged (1 hold none of --classes: any label there is wrong); left out: 1 " \
           "without gold" in out
    out, _, _ = label("--classes", "nlp,cv,gan", "--gold", "tags")
    assert "4 rows judged (1 hold none of --classes: any label there is wrong); left out: 1 " \
           "without gold, 1 whose gold holds several of --classes" in out  # 008: gan and cv


# -- lf-report ---------------------------------------------------------------------------


def snorkel_matrix(texts: list[str], lfs: list) -> np.ndarray:
    labeling = pytest.importorskip("snorkel.labeling")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return labeling.PandasLFApplier(lfs).apply(pd.DataFrame({"text": texts}),
                                                    progress_bar=False)


def snorkel_summary(L: np.ndarray, names: list[str], gold: np.ndarray | None) -> pd.DataFrame:
    labeling = pytest.importorskip("snorkel.labeling")
    lfs = [labeling.LabelingFunction(name, f=lambda x: -1) for name in names]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return labeling.LFAnalysis(L, lfs).lf_summary(gold)


def printed_table(out: str) -> dict[str, list[str]]:
    """The numbers of each LF's row of the printed table, by LF name."""
    return {line.split()[0]: line.split()[-6:] for line in out.splitlines()
            if line.startswith(("keyword_", "regex_"))}


def expected_row(summary: pd.DataFrame, name: str) -> list[str]:
    row = summary.loc[name]
    return [f"{row['Coverage']:.4f}", f"{row['Overlaps']:.4f}", f"{row['Conflicts']:.4f}",
            str(row["Correct"]), str(row["Incorrect"]), f"{row['Emp. Acc.']:.4f}"]


def test_lf_report_multi_label_equals_snorkel_lf_by_lf(run, table, lexicon):
    from textaug import Lexicon
    from textaug.labeling import keyword_lfs, regex_lf

    rc, out, err = run("lf-report", table, "--lexicon", lexicon, "--gold", "tags",
                       "--regex", "nlp=(?i)\\bgan\\b")
    assert rc == 0, err
    lfs = [*keyword_lfs(Lexicon.from_dict(LEXICON)),
           regex_lf("regex_nlp", r"(?i)\bgan\b", 1, tag="nlp")]
    names = [lf.name for lf in lfs]
    L = snorkel_matrix([r[1] for r in ROWS], lfs)
    gold_tags = [json.loads(r[2]) if r[2] else [] for r in ROWS]
    plain = snorkel_summary(L, names, None)
    table_rows = printed_table(out)
    assert sorted(table_rows) == sorted(names)
    for j, (name, lf) in enumerate(zip(names, lfs, strict=True)):
        binary = np.array([int(lf.tag in tags) for tags in gold_tags])
        theirs = snorkel_summary(L[:, [j]], [name], binary)
        for column_name in ("Overlaps", "Conflicts"):
            theirs[column_name] = plain.at[name, column_name]  # those need every LF
        assert table_rows[name] == expected_row(theirs, name), name
    assert "Correct: rows where the LF voted and --gold tags holds its tag." in out


def test_lf_report_single_label_equals_snorkel(run, table, lexicon):
    from textaug import Lexicon
    from textaug.labeling import keyword_lfs

    rc, out, err = run("lf-report", table, "--lexicon", lexicon, "--gold", "topic",
                       "--classes", "nlp,cv")
    assert rc == 0, err
    lfs = keyword_lfs(Lexicon.from_dict(LEXICON), labels=["nlp", "cv"])
    L = snorkel_matrix([r[1] for r in ROWS], lfs)
    gold = np.array([{"nlp": 0, "cv": 1}.get(r[3], -1) for r in ROWS])
    theirs = snorkel_summary(L, [lf.name for lf in lfs], gold)
    assert printed_table(out) == {name: expected_row(theirs, name) for name in theirs.index}


def test_lf_report_sort_and_top(run, table, lexicon):
    rc, out, err = run("lf-report", table, "--lexicon", lexicon, "--regex", "gan=[a-z]",
                       "--sort", "coverage", "--top", "2")
    assert rc == 0, err
    shown = [line.split()[0] for line in out.splitlines()
             if line.startswith(("keyword_", "regex_"))]
    assert shown == ["regex_gan", "keyword_nlp"]  # 5 rows, then 2 each in LF order
    assert "(2 of 4 LFs shown; --top 2)" in out
    assert "4 LFs on 6 rows (multi-label); a row has a vote from some LF in 83.3%" in out


def test_lf_report_via_python_m(table, lexicon, tmp_path):
    done = subprocess.run([sys.executable, "-m", "textaug", "lf-report", str(table),
                           "--lexicon", str(lexicon)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Coverage" in done.stdout and "keyword_nlp" in done.stdout


# -- bad input: one line, exit 2, nothing written -------------------------------------------


@pytest.mark.parametrize(("options", "needles"), [
    (["--text-column", "body"], ["Column 'body' (from --text-column)", "Available columns"]),
    (["--gold", "labels"], ["Column 'labels' (from --gold)", "'topic'"]),
    (["--key-column", "uid"], ["Column 'uid' (from --key-column)"]),
    (["--regex", "nlp=("], ["--regex nlp=(: the pattern '(' does not compile", "Fix the"]),
    (["--regex", "nlp=(a+)+$"], ["exponential time", "possessive"]),
    (["--regex", "nlp"], ["--regex takes LABEL=PATTERN", "Got 'nlp'"]),
    (["--regex", "=abc"], ["--regex takes LABEL=PATTERN"]),
    (["--regex", "nlp="], ["--regex takes LABEL=PATTERN"]),
    (["--label-column", "tags"], ["already has the column(s) ['tags']", "--label-column NEW"]),
    (["--label-column", "x"], ["already has the column(s) ['x_lfs']"]),
    (["--classes", "nlp,robotics"], ["['robotics'] is not a tag of the lexicon", "nlp, cv"]),
    (["--classes", "nlp"], ["two or more different tags"]),
    (["--classes", "nlp,cv", "--regex", "gan=x"], ["'gan' is not one of --classes"]),
    (["--min-confidence", "1.5"], ["--min-confidence takes a probability in [0, 1]"]),
    (["--label-sep", ""], ["--label-sep takes the text between two labels"]),
], ids=lambda v: " ".join(v) if isinstance(v, list) and v[0].startswith("-") else None)
def test_bad_label_input_is_one_line_and_writes_nothing(run, table, lexicon, tmp_path,
                                                        options, needles):
    source = table
    if "x_lfs" in needles[0]:
        source = write_csv(tmp_path / "x.csv", ["text", "x_lfs"], [["nlp", "a"]])
    target = tmp_path / "out.csv"
    rc, out, err = run("label", source, "-o", target, "--lexicon", lexicon, *options)
    assert_one_line_error(rc, err, *needles)
    assert out == "" and not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file


def test_same_input_and_output_refused(run, table, lexicon):
    before = table.read_bytes()
    rc, _, err = run("label", table, "-o", table.parent / "." / table.name, "--lexicon", lexicon)
    assert_one_line_error(rc, err, "is the INPUT file", "write to another path")
    assert table.read_bytes() == before


def test_unknown_output_suffix_refused_before_any_work(run, table, lexicon, tmp_path):
    rc, _, err = run("label", table, "-o", tmp_path / "out.txt", "--lexicon", lexicon)
    assert_one_line_error(rc, err, "Cannot tell the format of", ".jsonl")
    assert not (tmp_path / "out.txt").exists()


def test_missing_lexicon_and_input_files(run, table, tmp_path):
    rc, _, err = run("label", table, "-o", tmp_path / "o.csv", "--lexicon", tmp_path / "no.json")
    assert_one_line_error(rc, err, "Lexicon file not found")
    rc, _, err = run("lf-report", tmp_path / "no.csv", "--lexicon", tmp_path / "no.json")
    assert_one_line_error(rc, err, "not found")


@pytest.mark.parametrize(("options", "needles"), [
    (["--sort", "accuracy"], ["--sort accuracy needs gold labels: pass --gold COLUMN"]),
    (["--top", "0"], ["--top takes a number of LFs >= 1"]),
    (["--gold", "nope"], ["Column 'nope' (from --gold)"]),
    (["--classes", "nlp,cv", "--regex", "x=y"], ["'x' is not one of --classes"]),
])
def test_bad_lf_report_input_is_one_line(run, table, lexicon, options, needles):
    rc, out, err = run("lf-report", table, "--lexicon", lexicon, *options)
    assert_one_line_error(rc, err, *needles)
    assert out == ""


def test_usage_errors_point_at_the_commands_help(capsys, table):
    with pytest.raises(SystemExit) as exit_info:
        main(["label", str(table), "-o", "out.csv"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "--lexicon" in err and "textaug label --help" in err


def test_help_names_the_commands_and_the_default_model(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "textaug label INPUT -o OUTPUT --lexicon PATH" in out and "textaug lf-report" in out
    with pytest.raises(SystemExit):
        main(["label", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: majority)" in out and "at least 3 LFs per tag" in out
