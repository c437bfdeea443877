"""Tests of the word-level diff (textaug.evaluate.diff)."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from textaug.evaluate.diff import diff_html, word_diff, words_with_offsets

WORDS = st.lists(st.sampled_from(["a", "b", "c", "<x>", "&", "d\u00e9j\u00e0"]), max_size=8)
SPACE = st.sampled_from([" ", "  ", "\n", "\t "])


def ops(original: str, variant: str) -> list[tuple[str, str, str]]:
    return [(s.op, s.old, s.new) for s in word_diff(original, variant) if s.op != "equal"]


def visible(page: str) -> str:
    """What a reader sees of the variant: deletions out, tags out, entities decoded."""
    kept = re.sub(r"<del [^>]*>.*?</del>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", kept))


def test_insert_replace_delete_are_found():
    assert ops("the cat sat", "the cat sat down") == [("insert", "", "down")]
    assert ops("the cat sat", "the dog sat") == [("replace", "cat", "dog")]
    assert ops("the fat cat sat", "the sat") == [("delete", "fat cat", "")]
    assert ops("same words", "same words") == []


def test_spans_carry_offsets_into_both_texts():
    original, variant = "one  two\nthree", "one 2 three four"
    for span in word_diff(original, variant):
        assert original[span.old_start:span.old_end] == span.old
        assert variant[span.new_start:span.new_end] == span.new


@settings(max_examples=60, deadline=None)
@given(st.tuples(WORDS, SPACE), st.tuples(WORDS, SPACE))
def test_spans_cover_both_texts_in_order(a, b):
    original, variant = a[1].join(a[0]), b[1].join(b[0])
    spans = word_diff(original, variant)
    assert " ".join(s.old for s in spans if s.old).split() == original.split()
    assert " ".join(s.new for s in spans if s.new).split() == variant.split()
    assert visible(diff_html(original, variant)).split() == variant.split()


def test_html_keeps_the_variants_spacing_where_nothing_was_deleted():
    variant = "one\n two  three"
    assert visible(diff_html("one two", variant)) == variant


def test_deleted_words_stay_apart_from_their_neighbours():
    assert diff_html("a b c", "a c") == 'a <del class="ta-del">b</del> c'
    assert diff_html("a b", "a") == 'a <del class="ta-del">b</del>'
    assert diff_html("a b", "b") == '<del class="ta-del">a</del> b'


def test_every_piece_of_text_is_escaped():
    page = diff_html('say "<script>alert(1)</script>" & go', "<script>evil()</script> & go")
    assert "<script" not in page
    assert "&lt;script&gt;evil()&lt;/script&gt;" in page
    assert 'title="was: ' in page and '&quot;&lt;script&gt;' in page


def test_empty_and_whitespace_texts():
    assert word_diff("", "") == []
    assert diff_html("", "") == ""
    assert diff_html("  ", " x ") == ' <ins class="ta-ins">x</ins> '
    assert words_with_offsets("\n\t") == []
