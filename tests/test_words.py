"""Words: offsets, sentence starts and edits agree with the text, whatever its whitespace."""

from hypothesis import given, settings
from hypothesis import strategies as st

from textaug.words import Words, _gaps, splice

# Every kind of whitespace str.split() splits on, and the punctuation words are trimmed of.
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u3000"]
CHUNKS = ["cat", "Dog", "(big)", "end.", "Why?", "don't", "v2", "GAN-based", "...", "naïve",
          "«quote»", "-", "e-mail@x.org"]
texts = st.lists(st.tuples(st.sampled_from(SPACES), st.sampled_from(CHUNKS)), max_size=12).map(
    lambda parts: "".join(space + chunk for space, chunk in parts))
edges = st.sampled_from(["", " ", "\n", "\u2028 "])


@settings(max_examples=300, deadline=None)
@given(texts, edges, edges)
def test_offsets_rewrites_and_deletes_match_the_text(body, lead, trail):
    text = lead + body + trail
    found = Words(text)
    for word in found:
        assert text[word.start:word.end] == word.text
    assert [found.word(i) for i in range(len(found))] == [w.text for w in found]
    assert found.rewrite({}) == text
    assert found.rewrite({i: w.text for i, w in enumerate(found)}) == text
    if len(found):
        first = found[0]
        assert found.rewrite({0: "X"}) == text[:first.start] + "X" + text[first.end:]
        assert first.text not in found.delete([0]).split() or text.count(first.text) > 1


def test_sentence_starts_follow_every_line_break_and_sentence_end():
    found = Words("one two\u2028three. four\x85five, (six) seven\r\neight")
    starts = [found.starts_sentence(i) for i in range(len(found))]
    assert starts == [True, False, True, True, True, False, False, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=10), st.data())
def test_single_spaced_deletes_agree_with_the_general_path(chunks, data):
    """Single-spaced texts take a shortcut; a final newline sends the same text the long way."""
    text = " ".join(chunks)
    short, long = Words(text), Words(text + "\n")
    places = data.draw(st.sets(st.sampled_from(range(short.n_chunks))))
    places = [k for k in places if short.holds_word(k)]
    assert long.delete_chunks(places) == short.delete_chunks(places) + "\n"


def _the_long_way(text: str) -> Words:
    """Words of ``text`` with the general representation: one gap per chunk boundary."""
    found = Words(text)
    found._gaps, found._lead, found._trail = _gaps(text), "", ""
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=10), edges, edges, st.data())
def test_edge_whitespace_shortcut_agrees_with_the_general_path(chunks, lead, trail, data):
    """Whitespace only before the first chunk or after the last keeps the single-space shortcut."""
    text = lead + " ".join(chunks) + trail
    short, long = Words(text), _the_long_way(text)
    assert list(short) == list(long)
    assert [short.starts_sentence(i) for i in range(len(short))] == [
        long.starts_sentence(i) for i in range(len(long))]
    places = sorted(data.draw(st.sets(st.sampled_from(range(short.n_chunks)))))
    words = [k for k in places if short.holds_word(k)]
    assert short.delete_chunks(words) == long.delete_chunks(words)
    new = [splice(chunk, "x") if k in words else chunk for k, chunk in enumerate(short.chunks)]
    assert short.join(new) == long.join(new)
    assert short.rewrite({i: "x" for i in range(len(short))}) == long.rewrite(
        {i: "x" for i in range(len(long))})


@settings(max_examples=300, deadline=None)
@given(texts, edges, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 12)), max_size=4))
def test_protected_spans_drop_exactly_the_words_they_overlap(body, lead, spans):
    """Only the chunks a span reaches into are located; the words kept are those of a
    plain scan: no protected span overlaps them."""
    text = lead + body
    protected = [(start, start + length) for start, length in spans]
    every = list(Words(text))
    kept = [w for w in every if not any(s < w.end and w.start < e for s, e in protected)]
    assert list(Words(text, protected)) == kept
