"""No input can hang a rule-based run: every pattern on user text is linear in its length.

Each check runs one function on a 200 KB adversarial text under a hang guard: an alarm that
interrupts it after ``hangs.LIMIT`` seconds. That is not a timing assertion: the functions finish
these texts in well under a second, while a backtracking pattern takes minutes on them (the
old e-mail pattern took 5-10 s on a 40 KB token). Growth per 10x of input is measured in
``benchmarks/adversarial.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hangs import finishes

from textaug.inflection import fix_article
from textaug.lexicon import Lexicon
from textaug.protect import Protector
from textaug.records import Record
from textaug.tfs import FACTORIES, MODEL_BACKED
from textaug.validators import rules

N = 200_000
LABELS = ["natural-language-processing", "generative-adversarial-networks", "computer-vision"]
ADVERSARIAL = {
    "at_after_long_token": "a" * N + "@",
    "domain_without_dot": "a@" + "b" * N,
    "dotted_local_part": "a." * (N // 2) + "@x",
    "many_ats": "a@" * (N // 2),
    "slashes": "a/" * (N // 2),
    "long_url": "see https://" + "x" * N,
    "www_run": "www." * (N // 4),
    "scheme_run": "s3:" * (N // 3) + "//",
    "newlines_after_article": "an" + "\n" * N + "NLP",
    "spaces_after_article": "use an" + " " * N + "NLP",
    "separator_run": "computer" + " -" * (N // 2) + "vision",
    "apostrophes": "a'" * (N // 2),
    "words_and_links": "NLP gan a@b.co x/y " * (N // 19),
}
WORD_TFS = {name: factory() for name, factory in FACTORIES.items() if name not in MODEL_BACKED}


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load WordNet and the tables outside the guard: loading is not what is guarded."""
    x = Record({"text": "The quick brown fox likes NLP", "tags": LABELS}, label="tags")
    for tf in WORD_TFS.values():
        tf(x, rng=0)


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
@pytest.mark.parametrize("name", sorted(WORD_TFS))
def test_word_level_tfs_finish_on_adversarial_text(name, kind):
    x = Record({"text": ADVERSARIAL[kind], "tags": LABELS}, label="tags")
    finishes(lambda: WORD_TFS[name](x, rng=0), f"{name} on {kind!r}")


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_protector_lexicon_and_validators_finish_on_adversarial_text(kind):
    text = ADVERSARIAL[kind]
    protector = Protector(["computer vision", "new york"])
    lexicon = Lexicon.default()
    validators = [rules.not_identical(), rules.negation_preserved(),
                  rules.length_bounds(max_changed=0.5), rules.lexicon_consistent(),
                  rules.protected_terms(["nlp"])]
    original = Record({"text": text, "tags": LABELS}, label="tags")
    candidate = original.replace(text=text + " changed")

    def run() -> None:
        protector.spans(text)
        lexicon.find(text)
        for validator in validators:
            validator(original, candidate)

    finishes(run, f"protection, lexicon and validators on {kind!r}")


@pytest.mark.parametrize("space", [" ", "\n", "\t \u00a0"])
def test_fix_article_finishes_on_long_whitespace(space):
    before = "use an" + space * (N // len(space))
    finishes(lambda: fix_article(before, "rnn"), "fix_article")
    assert fix_article(before, "recurrent neural network") == "use a" + before[6:]


def test_adversarial_benchmark_prints_a_growth_table(tmp_path):
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "adversarial.py"), "--sizes", "200", "2000",
         "--repeats", "1", "--fill", "0", "--tfs", "random_swap"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[2:]}
    assert list(rows) == ["random_swap", "cli", "parse_paraphrases"]
    for cells in rows.values():
        cells = cells[1:] if cells[0] == "augment" else cells
        assert float(cells[0]) > 0 and float(cells[1]) > 0 and float(cells[2]) > 0, cells
        assert cells[3].startswith("(") and cells[-1].endswith(")"), cells
