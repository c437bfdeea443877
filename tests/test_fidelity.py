"""Word-level TFs edit words in place: everything else stays byte for byte, in order.

For each output, a pattern is built from the input: the text between editable words
(punctuation, spacing, newlines, URLs, e-mail addresses, numbers, contractions,
protected terms) is literal, and each editable word is a free slot (for alias
swapping: each lexicon phrase). The output must
match the whole pattern. Deletion may also drop the whitespace next to a word.
"""

import re

import pytest

from textaug.lexicon import Lexicon
from textaug.protect import Protector
from textaug.records import Record
from textaug.tfs import FACTORIES, MODEL_BACKED
from textaug.words import Words

TEXTS = [
    "Don't miss this GREAT movie: the actors were brilliant, and the plot's clever.\n"
    "Rated 9.5/10 by 1,024 critics; see https://imdb.com/title/tt0111161 or mail "
    "reviews@films.org today!",
    "We're testing Computer Vision models (v2.1) on 3 datasets.\n\n"
    "  Results: accuracy rose 12% — the GAN-based approach won't\tbeat CNNs yet.",
    "i can't believe it's 2024 already...   NLP and machine learning moved FAST.",
]
LABELS = ["computer-vision", "natural-language-processing", "machine-learning",
          "generative-adversarial-networks", "convolutional-neural-networks"]
RULE_BASED = sorted(set(FACTORIES) - MODEL_BACKED)  # the model-backed ones: their own tests
FLEXIBLE_SPACE = {"random_deletion", "eda"}


def slots(name: str, text: str) -> list[tuple[int, int]]:
    """Where a TF may write: words, or for alias swapping its phrases (and "a"/"an")."""
    found = Words(text, Protector().spans(text))
    if name != "swap_aliases":
        return [(w.start, w.end) for w in found]
    phrases = [(m.start, m.end) for m in Lexicon.default().find(text)]
    articles = [(w.start, w.end) for w in found if w.text.lower() in ("a", "an")]
    return sorted(phrases + articles)


def pattern(text: str, spans: list[tuple[int, int]], flexible_space: bool) -> re.Pattern[str]:
    pieces, last = [], 0
    for start, end in spans:
        pieces += [_literal(text[last:start], flexible_space), "(.*?)"]
        last = end
    pieces.append(_literal(text[last:], flexible_space))
    return re.compile("".join(pieces), re.DOTALL)


def _literal(gap: str, flexible_space: bool) -> str:
    if not flexible_space:
        return re.escape(gap)
    return "".join("[ \t]*" if part.isspace() and "\n" not in part else re.escape(part)
                   for part in re.split(r"([ \t]+)", gap) if part)


@pytest.mark.parametrize("name", RULE_BASED)
@pytest.mark.parametrize("text", TEXTS, ids=["review", "cv", "lowercase"])
def test_untouched_text_is_byte_for_byte(name, text):
    tf = FACTORIES[name]()
    expected = pattern(text, slots(name, text), name in FLEXIBLE_SPACE)
    changed = 0
    for seed in range(15):
        out = tf(Record({"text": text, "tags": LABELS}, label="tags"), rng=seed)
        if out is None:
            continue
        changed += out.text != text
        assert expected.fullmatch(out.text), f"{name} changed text outside words: {out.text!r}"
        for keep in ("https://imdb.com/title/tt0111161", "reviews@films.org", "9.5/10",
                     "1,024", "Don't", "plot's", "v2.1", "12%", "won't", "2024", "can't"):
            assert out.text.count(keep) == text.count(keep)
        assert out.text.count("\n") == text.count("\n")
    nothing_to_swap = name == "swap_aliases" and not Lexicon.default().find(text)
    assert changed or nothing_to_swap, f"{name} never changed the text"


@pytest.mark.parametrize("name", RULE_BASED)
def test_protected_terms_and_spans_are_never_changed(name):
    from textaug.protect import SpanColumn

    text = "New York critics loved the new film in New York City; a New Yorker was bored."
    tf = FACTORIES[name](protect=["new york", re.compile(r"\bfilm\b"), SpanColumn("keep")])
    start = text.index("critics")
    new_york = re.compile(r"\bNew York\b(?!er)")
    assert [m.start() for m in new_york.finditer(text)] == [0, 39]  # not "New Yorker"
    for seed in range(25):
        x = Record({"text": text, "tags": LABELS, "keep": [(start, start + 7)]}, label="tags")
        out = tf(x, rng=seed)
        if out is None:
            continue
        assert len(new_york.findall(out.text)) == 2 and " film " in out.text
        assert "critics" in out.text
    guard = Protector(["new york"])
    assert [text[s:e] for s, e in guard.spans(text)] == ["New York", "New York"]
