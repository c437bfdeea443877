"""benchmarks/eda_quality.py: a quick run prints the new-capitals table (0 in lower-case
text), the changed-words table and examples; its measures count what they say."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "eda_quality.py"
OPERATIONS = ["synonym_replacement", "random_insertion", "random_swap", "random_deletion"]


def test_quick_run_prints_both_tables_and_no_new_capital_in_lower_case(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                            text=True, check=True, cwd=tmp_path, timeout=600)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: ") and "projects.csv (20 texts" in lines[0]
    assert "2 augmentations per text" in lines[0] and lines[0].endswith("alphas 0.05 0.1")
    assert "lower-cased (the same texts in lower case" in lines[1]
    top = lines.index("outputs with a capital the text did not have (all alphas; target 0):")
    assert lines[top + 1].split() == ["corpus", "operation", "outputs", "n/a", "new_capitals",
                                      "share"]
    rows = [line.split() for line in lines[top + 2: top + 10]]
    assert [row[:2] for row in rows] == [[corpus, op] for corpus in ("as-written", "lower-cased")
                                         for op in OPERATIONS]
    for corpus, op, outputs, not_applicable, new, share in rows:
        assert int(outputs) + int(not_applicable) == 20 * 2 * 2 and int(outputs) > 60, op
        assert share.endswith("%") and 0 <= float(share[:-1]) <= 100
        if corpus == "lower-cased" or op != "synonym_replacement":
            assert new == "0", (corpus, op)  # the swap once capitalised a moved word here
    assert lines[top + 10] == ""
    changed = lines.index("words changed per output against alpha (as-written corpus, words "
                          "compared in lower case; share: of the text's words; then % of "
                          "outputs by words changed):")
    assert lines[changed + 1].split() == ["operation", "alpha", "mean", "share", "0", "1", "2",
                                          "3", "4", "5-9", "10+"]
    rows = [line.split() for line in lines[changed + 2: changed + 10]]
    assert [row[:2] for row in rows] == [[op, a] for op in OPERATIONS for a in ("0.05", "0.1")]
    for op, alpha, mean, share, *spread in rows:
        assert float(mean) >= 1 and 0 < float(share) < 1, (op, alpha)
        assert abs(sum(float(cell[:-1]) for cell in spread) - 100) < 0.5, spread
    assert lines[changed + 11] == "examples of new capitals:"


@pytest.mark.parametrize(("text", "out", "new"), [
    ("greaseballs mob action comedy", "Mob greaseballs action comedy", ["Mob"]),
    ("in the U.S. today and later", "in the U.S. And today later", ["And"]),
    ("In the U.S. today and later", "In the U.S. And today later", ["And"]),
    ("first line\nsecond line", "first line\nLine second", ["Line"]),
    ("the new iPhone", "IPhone new the", ["IPhone"]),
    ("aA bB", "BB aA", ["BB"]),
    ("AI for the web", "ARMY INTELLIGENCE for the web", ["ARMY"]),  # one word more
    ("The quick brown fox.", "Fox quick brown the.", []),  # the start's capital moved
    ("Grape. GRAPE is a tool", "Grape. Tool is a GRAPE", []),  # a start takes a capital
    ("Dog for the web", "Cur for the web", []),  # a synonym in the word's own case
])
def test_new_capitals_are_capitals_the_text_did_not_have(text, out, new):
    assert load_script(SCRIPT).new_capitals(text, out) == new


def test_changed_words_count_each_edit_once():
    changed = load_script(SCRIPT).changed_words
    assert changed("a b c d", "c b a d") == 2  # a swap moves two words
    assert changed("a b c d e", "b a c e d") == 4
    assert changed("a b c d", "a b x c d") == 1 and changed("a b c d", "a c d") == 1
    assert changed("the plot thickens", "The secret plan thickens") == 2
    assert changed("Same words.", "same words") == 0
