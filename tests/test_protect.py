"""Protector: URL-like tokens and e-mails always protected, bad protect= values refused."""

from __future__ import annotations

import re

import pytest

from textaug.errors import InvalidParameterError
from textaug.protect import Protector, SpanColumn
from textaug.records import Record
from textaug.tfs import FACTORIES, MODEL_BACKED
from textaug.tfs.aliases import swap_aliases
from textaug.tfs.eda import random_swap

# Each holds "nlp" or "gan", which swap_aliases would swap anywhere else.
URL_LIKE = ("github.com/nlp", "ftp://files.org/nlp", "s3://bucket/gan", "file:///data/nlp",
            "hf://nlp", "huggingface/nlp", "nlp/gan", "HTTPS://X.ORG/NLP", "(www.nlp.org)",
            "s3://", "see:https://x.org/gan")
NOT_URL_LIKE = ("nlp", "/nlp", "nlp/", "//", "gan.", "nlp:gan")
WORD_TFS = {name: factory() for name, factory in FACTORIES.items() if name not in MODEL_BACKED}


def covered(text: str) -> str:
    """The text with every protected character replaced by '#'."""
    chars = list(text)
    for start, end in Protector().spans(text):
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


@pytest.mark.parametrize("token", URL_LIKE)
def test_url_like_tokens_are_protected_whole(token):
    text = f"NLP and GANs: see {token} now"
    assert covered(text) == f"NLP and GANs: see {'#' * len(token)} now"


@pytest.mark.parametrize("token", NOT_URL_LIKE)
def test_other_tokens_are_not_protected(token):
    assert covered(f"see {token} now") == f"see {token} now"


@pytest.mark.parametrize("token", URL_LIKE)
def test_swap_aliases_never_edits_inside_url_like_tokens(token):
    for p in (None, 1.0):
        tf = swap_aliases(label_aware=False, p=p)
        alone = Record({"text": f"see {token} now"})
        assert all(tf(alone, rng=seed) is None for seed in range(10))
        text = f"NLP: see {token} now"
        for seed in range(10):
            out = tf(Record({"text": text}), rng=seed)
            assert out is not None and out.text.endswith(f" {token} now"), out


@pytest.mark.parametrize("name", sorted(WORD_TFS))
def test_word_level_tfs_never_change_move_or_delete_url_like_tokens(name):
    tokens = " ".join(URL_LIKE)
    text = f"The good NLP model {tokens} and a fine GAN model. Contact me@nlp.org today."
    for seed in range(20):
        out = WORD_TFS[name](Record({"text": text}), rng=seed)
        if out is not None:
            assert tokens in out.text and "me@nlp.org" in out.text, out.text


def test_emails_are_protected_as_before():
    text = "mail a.b+c@x-y.example.org, or z@host. or @nobody or x@y"
    assert [text[s:e] for s, e in Protector().spans(text)] == ["a.b+c@x-y.example.org"]


def test_overlapping_spans_are_merged_and_covers_agrees():
    p = Protector([re.compile(r"lab\.org/\w+"), "nlp"])
    text = "see https://lab.org/nlp and nlp"
    spans = p.spans(text)
    assert [text[s:e] for s, e in spans] == ["https://lab.org/nlp", "nlp"]
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            naive = any(s < end and start < e for s, e in spans)
            assert Protector.covers(spans, start, end) == naive


@pytest.mark.parametrize("bad", [5, 1.5, True, object(), b"nlp", [5], ["nlp", None]])
def test_protect_refuses_what_it_cannot_use_in_one_line(bad):
    with pytest.raises(InvalidParameterError) as err:
        random_swap(protect=bad)
    message = str(err.value)
    assert "\n" not in message and message.startswith("The 'protect' parameter of random_swap")
    assert "SpanColumn" in message and "Got " in message


def test_protect_still_takes_terms_regexes_columns_and_none():
    for good in (None, (), "nlp", ["nlp", re.compile("v\\d+"), SpanColumn("keep")],
                 re.compile("x"), (t for t in ["nlp"])):
        Protector(good)


def test_cli_protect_option_gives_one_line(run, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("text\nhello world foo\n")
    rc, _, err = run("augment", source, "-o", tmp_path / "out.csv", "--tf", "random_swap",
                     "--tf-option", "protect=5")
    assert rc == 2 and err.count("\n") == 1, err
    assert "The 'protect' parameter of random_swap must be terms (str)" in err and "Got 5." in err
