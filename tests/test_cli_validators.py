"""``textaug augment --validator``: validators, their options and --max-attempts on the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from textaug.cli import main

NLP = "natural-language-processing"
PROVENANCE = ["textaug_source", "textaug_is_original", "textaug_tfs", "textaug_attempts",
              "textaug_verdicts"]
REVIEWS = [
    {"text": "the movie was not good at all", "y": 0},
    {"text": "this film is not bad really", "y": 1},
    {"text": "I never liked the movie much", "y": 0},
    {"text": "a great and fun movie for kids", "y": 1},
]
ML = [
    {"text": "A CNN for NLP benchmarks and more", "tags": [NLP, "convolutional-neural-networks"]},
    {"text": "NLP for search engines at scale", "tags": [NLP]},
    {"text": "image segmentation and NLP in one model", "tags": ["computer-vision", NLP]},
]
DELETE = ("--tf", "random_deletion", "--tf-option", "p_rd=0.5")


def negators(text: str) -> int:
    return len(re.findall(r"\b(not|never)\b", text))


@pytest.fixture
def reviews_csv(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.csv"
    pd.DataFrame(REVIEWS).to_csv(path, index=False)
    return path


@pytest.fixture
def ml_csv(tmp_path: Path) -> Path:
    path = tmp_path / "ml.csv"
    frame = pd.DataFrame(ML)
    frame["tags"] = [json.dumps(t) for t in frame["tags"]]
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def augment_reviews(run, reviews_csv, tmp_path):
    """Augment the reviews; return the output rows (a successful run is asserted)."""

    def call(*options: object, output: str = "out.csv") -> list[dict]:
        out = tmp_path / output
        rc, _, err = run("augment", reviews_csv, "-o", out, "--seed", 0, "-q", *DELETE, *options)
        assert rc == 0, err
        return read_rows(out)

    return call


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pd.read_csv(path, keep_default_na=False).to_dict("records")


def augmented(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r["textaug_is_original"]]


def assert_one_line_error(rc: int, err: str, *needles: str) -> None:
    assert rc == 2
    assert "Traceback" not in err
    assert err.startswith("textaug: error:"), err
    assert err.strip().count("\n") == 0, f"not one line: {err!r}"
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


# -- runs -----------------------------------------------------------------------------


def test_validators_keep_the_negations_and_add_their_columns(augment_reviews):
    rows = augment_reviews("--validator", "not_identical", "--validator", "negation_preserved",
                           "--n-per-original", 3)
    assert list(rows[0]) == ["text", "y", *PROVENANCE]
    originals = [r for r in rows if r["textaug_is_original"]]
    assert [r["text"] for r in originals] == [r["text"] for r in REVIEWS]
    assert {(r["textaug_attempts"], r["textaug_verdicts"]) for r in originals} == {(0, "")}
    made = augmented(rows)
    assert made
    for row in made:
        source = REVIEWS[row["textaug_source"]]
        assert negators(row["text"]) == negators(source["text"]), row
        assert row["y"] == source["y"]
        assert 1 <= row["textaug_attempts"] <= 3
        last = row["textaug_verdicts"].split(" | ")[-1]
        assert last == (f"attempt {row['textaug_attempts']}: not_identical: accepted; "
                        "negation_preserved: accepted")
    assert any(r["textaug_attempts"] > 1 for r in made), "seed 0 should need a retry"


def test_without_validators_there_are_no_verdict_columns(augment_reviews):
    rows = augment_reviews()
    assert list(rows[0]) == ["text", "y", *PROVENANCE[:3]]


def test_same_seed_same_bytes(augment_reviews, tmp_path):
    options = ("--validator", "negation_preserved", "--n-per-original", 3)
    augment_reviews(*options, output="a.csv")
    augment_reviews(*options, output="b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_validators_run_in_the_order_given(augment_reviews):
    rows = augment_reviews("--validator", "negation_preserved", "--validator", "not_identical")
    for row in augmented(rows):
        assert re.match(r"attempt 1: negation_preserved: \w+.*; not_identical: ",
                        row["textaug_verdicts"]), row


def test_summary_reports_the_validators(run, reviews_csv, tmp_path):
    rc, out, err = run("augment", reviews_csv, "-o", tmp_path / "out.csv", "--seed", 0, *DELETE,
                       "--validator", "negation_preserved", "--n-per-original", 3)
    assert rc == 0, err
    assert re.search(r"validators: \d+ candidates rejected, \d+ redrawn, \d+ given up", out), out
    assert re.search(r"random_deletion x negation_preserved: accepted \d+, rejected [1-9]", out)


def test_max_attempts_one_never_redraws(run, reviews_csv, tmp_path):
    target = tmp_path / "out.csv"
    rc, out, err = run("augment", reviews_csv, "-o", target, "--seed", 0, *DELETE,
                       "--validator", "negation_preserved", "--n-per-original", 3,
                       "--max-attempts", 1)
    assert rc == 0, err
    assert ", 0 redrawn," in out
    made = augmented(read_rows(target))
    assert {r["textaug_attempts"] for r in made} == {1}
    assert all(" | " not in r["textaug_verdicts"] for r in made)


@pytest.mark.parametrize("option", ["max_changed=0", "length_bounds.max_changed=0.0"])
def test_validator_option_reaches_the_validator(augment_reviews, option):
    rows = augment_reviews("--validator", "length_bounds", "--validator-option", option)
    assert augmented(rows) == []  # every deletion changes a word; none may change


def test_targeted_options_go_to_their_validator_only(augment_reviews):
    rows = augment_reviews("--validator", "length_bounds", "--validator", "protected_terms",
                           "--validator-option", "length_bounds.min_tokens=3",
                           "--validator-option", 'protected_terms.terms=["movie", "film"]',
                           "--n-per-original", 3)
    made = augmented(rows)
    assert made
    for row in made:
        source = REVIEWS[row["textaug_source"]]["text"]
        assert len(row["text"].split()) >= 3
        for term in ("movie", "film"):
            assert row["text"].split().count(term) == source.split().count(term)


def test_plain_text_option_values_are_strings(augment_reviews):
    rows = augment_reviews("--validator", "protected_terms", "--validator-option", "terms=movie",
                           "--n-per-original", 3)
    for row in augmented(rows):
        source = REVIEWS[row["textaug_source"]]["text"]
        assert row["text"].count("movie") == source.count("movie")


def test_label_keyword_validators_with_list_labels(run, ml_csv, tmp_path):
    target = tmp_path / "out.jsonl"
    rc, _, err = run("augment", ml_csv, "-o", target, "--label-column", "tags", "--seed", 0, "-q",
                     *DELETE, "--n-per-original", 3, "--validator", "protected_terms",
                     "--validator-option", "protected_terms.lexicon=default",
                     "--validator", "lexicon_consistent", "--max-attempts", 5)
    assert rc == 0, err
    rows = read_rows(target)
    made = augmented(rows)
    assert made
    for row in made:
        assert row["tags"] == ML[row["textaug_source"]]["tags"]
        assert "NLP" in row["text"], row  # the label keyword every row has


# -- errors ---------------------------------------------------------------------------


def test_unknown_validator_is_an_argparse_error(run, reviews_csv, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["augment", str(reviews_csv), "-o", str(tmp_path / "o.csv"), "--validator", "nope"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nope'" in err and "negation_preserved" in err


@pytest.mark.parametrize(("options", "needles"), [
    (("--validator-option", "max_changed=0.3"),
     ("--validator-option given without --validator NAME",)),
    (("--validator", "not_identical", "--validator-option", "max_changed=0.3"),
     ("Options ['max_changed'] are not parameters of the chosen validators",
      "'not_identical': ['name']")),
    (("--validator", "length_bounds", "--validator-option", "nope.max_changed=0.3",
      "--validator-option", "max_tokens=9"),
     ("Options ['nope.max_changed'] are not parameters",)),
    (("--validator", "not_identical", "--validator-option", "name"),
     ("--validator-option takes KEY=VALUE. Got 'name'.",)),
    (("--validator", "lexicon_consistent",),
     ("The validators lexicon_consistent read each row's labels: pass --label-column NAME.",)),
    (("--validator", "protected_terms", "--validator-option", "lexicon=default"),
     ("protected_terms read each row's labels",)),
    (("--validator", "protected_terms"),
     ("protected_terms needs --validator-option terms=", "--validator-option lexicon=PATH")),
    (("--validator", "length_bounds", "--validator-option", "max_changed=2"),
     ("'max_changed' parameter of length_bounds",)),
    (("--validator", "negation_preserved", "--max-attempts", 0),
     ("--max-attempts must be an int >= 1. Got 0.",)),
    (("--validator", "not_identical", "--validator", "not_identical"),
     ("--validator not_identical is given twice",)),
    (("--validator", "lexicon_consistent", "--label-column", "y",
      "--validator-option", "lexicon=ml.json"),
     ("Lexicon file not found: 'ml.json'",)),
], ids=["option-alone", "unknown-option", "unknown-target", "no-equals", "needs-label",
        "lexicon-needs-label", "protected-terms-empty", "bad-value", "max-attempts-0",
        "duplicate", "lexicon-path"])
def test_errors_are_one_line(run, reviews_csv, tmp_path, options, needles):
    rc, _, err = run("augment", reviews_csv, "-o", tmp_path / "out.csv", *DELETE, *options)
    assert_one_line_error(rc, err, *needles)
    assert not (tmp_path / "out.csv").exists()


def test_label_column_missing(run, reviews_csv, tmp_path):
    rc, _, err = run("augment", reviews_csv, "-o", tmp_path / "out.csv", *DELETE,
                     "--validator", "lexicon_consistent", "--label-column", "tags")
    assert_one_line_error(rc, err, "Column 'tags' (from --label-column)",
                          "Available columns: ['text', 'y']")


def test_missing_text_is_named(run, tmp_path):
    source = tmp_path / "null.jsonl"
    source.write_text('{"text": "the movie was not good", "y": 0}\n{"text": null, "y": 1}\n',
                      encoding="utf-8")
    rc, _, err = run("augment", source, "-o", tmp_path / "out.csv", *DELETE,
                     "--validator", "negation_preserved")
    assert_one_line_error(rc, err, "Text column 'text' has 1 non-string values")
    assert "dropna" not in err  # a hint for the command line, not for pandas


def test_empty_csv_text_is_text(run, tmp_path):
    source = tmp_path / "empty.csv"
    source.write_text("text,y\nthe movie was not good,0\n,1\n", encoding="utf-8")
    rc, _, err = run("augment", source, "-o", tmp_path / "out.csv", *DELETE, "--seed", 0,
                     "--validator", "negation_preserved", "-q")
    assert rc == 0, err
    kept = [r for r in read_rows(tmp_path / "out.csv") if r["textaug_is_original"]]
    assert [r["text"] for r in kept] == ["the movie was not good", ""]


def test_debug_shows_the_exception(run, reviews_csv, tmp_path):
    with pytest.raises(Exception, match="protected_terms needs terms="):
        main(["--debug", "augment", str(reviews_csv), "-o", str(tmp_path / "out.csv"),
              "--validator", "protected_terms"])


def test_a_misspelt_option_is_named(run, reviews_csv, tmp_path):
    rc, _, err = run("augment", reviews_csv, "-o", tmp_path / "out.csv", *DELETE,
                     "--validator", "length_bounds", "--validator-option", "max_chaged=0.3")
    assert_one_line_error(rc, err, "max_chaged")


def test_a_single_negator_given_as_text(augment_reviews):
    rows = augment_reviews("--validator", "negation_preserved", "--validator-option",
                           "negators=never", "--validator-option", "antonyms=false",
                           "--n-per-original", 5)
    for row in augmented(rows):
        source = REVIEWS[row["textaug_source"]]["text"]
        assert row["text"].count("never") == source.count("never"), row


def test_help_lists_the_validation_options(capsys):
    with pytest.raises(SystemExit):
        main(["augment", "--help"])
    out = capsys.readouterr().out
    for needle in ("--validator NAME", "--validator-option KEY=VALUE", "--max-attempts N",
                   "negation_preserved", "protected_terms", "lexicon_consistent",
                   "length_bounds", "not_identical"):
        assert needle in out, needle
