"""Character noise TFs: faithful in-place edits, protection, casing, odd inputs, lexicons."""

from __future__ import annotations

import copy
import json
import pickle
import re
import unicodedata

import pandas as pd
import pytest

import textaug
from textaug.errors import InvalidParameterError
from textaug.lexicon import bundled_path
from textaug.protect import SpanColumn
from textaug.records import Record
from textaug.tfs._common import editable_words, protector
from textaug.tfs.noise import (
    ACTIONS,
    _parts,
    char_noise,
    common_misspellings,
    keyboard_neighbours,
    keyboard_typos,
    misspellings,
    ocr_confusions,
    ocr_errors,
)
from textaug.words import Word

FACTORIES = {
    "keyboard_typos": keyboard_typos,
    **{f"char_noise_{a}": (lambda a=a, **kw: char_noise(action=a, **kw)) for a in ACTIONS},
    "ocr_errors": ocr_errors,
    "misspellings": misspellings,
}
KINDS = sorted(FACTORIES)
TFS = {kind: FACTORIES[kind]() for kind in KINDS}
SEEDS = range(20)
# URLs, e-mails, numbers, contractions, newlines, tabs, mixed case, hyphens, known misspellings
MIXED = ("Read https://example.com/Docs/Page and mail Ana.Lee@lab.org before 5 pm.\n"
         "We don't receive 3 reports; THE Team says Hello again-and-again in 2024.\n"
         "\tThe people BELIEVE that their Government would accept it, because of course.")
ODD = {
    "empty": "",
    "whitespace": " \n\t ",
    "one_word": "Excellent",
    "one_letter": "a",
    "emoji": "🙂 🎉🎉",
    "emoji_words": "🙂 great movie 🎉🎉 loved it",
    "arabic": "هذا فيلم رائع جدا",
    "hebrew": "ממש סרט טוב",
    "combining": "Cafe\u0301 re\u0301sume\u0301 e\u0301 na\u0308ive",
    "punctuation": "!!! ... ??? ,,, ;; -- ''",
    "digits": "12 345 6.7",
}
TOKEN = re.compile(r"[^\W_]+")  # edits only change letters into letters and digits


def run(tf, text: str, seed: int = 0, **fields) -> str | None:
    out = tf(Record({"text": text, **fields}), rng=seed)
    assert out is None or isinstance(out.text, str)
    return None if out is None else out.text


def changed_tokens(before: str, after: str) -> list[tuple[int, int]]:
    """Spans (in ``before``) of the letter/digit runs that differ; everything else is equal."""
    assert re.split(TOKEN, after) == re.split(TOKEN, before), "text outside words changed"
    old, new = list(TOKEN.finditer(before)), TOKEN.findall(after)
    assert len(old) == len(new)
    return [m.span() for m, n in zip(old, new, strict=True) if m.group() != n]


def assert_faithful(before: str, after: str, protect=(), **fields) -> list[tuple[int, int]]:
    """Only editable words changed: the rest is byte for byte, protected spans included."""
    _, editable = editable_words(Record({"text": before, **fields}), protector(protect))
    spans = changed_tokens(before, after)
    assert spans
    i = 0
    for start, end in spans:  # both sorted
        while i < len(editable) and editable[i].end < end:
            i += 1
        assert i < len(editable) and editable[i].start <= start, before[start:end]
    return spans


# -- determinism, variety, faithfulness ---------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_output_and_seeds_vary(kind):
    tf = TFS[kind]
    outs = [run(tf, MIXED, seed) for seed in SEEDS]
    assert outs == [run(FACTORIES[kind](), MIXED, seed) for seed in SEEDS]
    assert len(set(outs)) > 5 and MIXED not in outs and None not in outs


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("aug_p", [0.1, 0.5, 1.0])
def test_only_editable_words_change(kind, aug_p):
    tf = FACTORIES[kind](aug_p=aug_p)
    for seed in SEEDS:
        out = run(tf, MIXED, seed)
        assert out is not None
        assert_faithful(MIXED, out)
        for kept in ("https://example.com/Docs/Page", "Ana.Lee@lab.org", "don't", " 5 ",
                     " 3 ", "2024.\n\t", ".\n"):
            assert kept in out


@pytest.mark.parametrize("kind", KINDS)
def test_max_words_and_at_least_one_word(kind):
    for seed in SEEDS:
        assert len(assert_faithful(MIXED, run(FACTORIES[kind](max_words=1, aug_p=1.0),
                                              MIXED, seed))) == 1
        assert 1 <= len(assert_faithful(MIXED, run(FACTORIES[kind](max_words=2), MIXED,
                                                   seed))) <= 2
        assert run(FACTORIES[kind](aug_p=1e-9), MIXED, seed) != MIXED


def test_aug_p_one_edits_every_eligible_word():
    text = "the quick brown fox jumps over the lazy dog"
    out = run(keyboard_typos(aug_p=1.0), text, 3)
    assert len(changed_tokens(text, out)) == len(text.split())
    few = [len(changed_tokens(text, run(keyboard_typos(aug_p=0.1), text, s))) for s in SEEDS]
    assert max(few) < len(text.split())


@pytest.mark.parametrize("kind", KINDS)
def test_protected_terms_regexes_and_span_columns_unchanged(kind):
    text = "Hello Team, the reports arrive daily; receive them at https://x.org/receive now."
    keep = [(text.index("daily"), text.index("daily") + 5)]
    protect = ["hello", re.compile(r"\bTe\w+"), SpanColumn("keep")]
    tf = FACTORIES[kind](aug_p=1.0, protect=protect)
    for seed in range(5):
        out = run(tf, text, seed, keep=keep)
        if out is None:  # misspellings may know none of the unprotected words
            continue
        assert_faithful(text, out, protect, keep=keep)
        assert out.startswith("Hello Team, ") and "daily" in out and "https://x.org/receive " in out


@pytest.mark.parametrize("kind", KINDS)
def test_everything_protected_gives_none(kind):
    tf = FACTORIES[kind](protect=["hello", "world"])
    assert run(tf, "Hello, WORLD! https://x.org/hello-world 42", 0) is None


def test_input_record_is_never_mutated():
    row = {"text": MIXED, "keep": [(0, 4)], "tags": ["a"]}
    before = copy.deepcopy(row)
    x = Record(row, label="tags")
    for tf in TFS.values():
        for seed in range(3):
            tf(x, rng=seed)
    assert row == before and x.text == MIXED


# -- what each TF does --------------------------------------------------------------------------

def test_keyboard_typos_use_neighbours_and_keep_case():
    near = keyboard_neighbours()
    text = "HELLO world Again"
    for seed in SEEDS:
        out = run(keyboard_typos(aug_p=1.0), text, seed)
        assert len(out) == len(text)
        diffs = [(a, b) for a, b in zip(text, out, strict=True) if a != b]
        assert len(diffs) == 3
        for a, b in diffs:
            assert b.isalpha() and a.isupper() == b.isupper() and b.lower() in near[a.lower()]


def test_char_noise_actions():
    text = "Strong MODELS generalize"
    for seed in SEEDS:
        sub = run(char_noise(action="substitute", aug_p=1.0), text, seed)
        diffs = [(a, b) for a, b in zip(text, sub, strict=True) if a != b]
        assert len(diffs) == 3 and all(a.isupper() == b.isupper() for a, b in diffs)
        swap = run(char_noise(action="swap", aug_p=1.0), text, seed)
        assert sorted(swap) == sorted(text) and swap != text
        assert len(run(char_noise(action="delete", aug_p=1.0), text, seed)) == len(text) - 3
        ins = run(char_noise(action="insert", aug_p=1.0), text, seed)
        assert len(ins) == len(text) + 3 and ins.isascii()
        assert ins.split()[1].isupper()  # a letter inserted into an UPPER word is upper


def test_char_noise_never_deletes_a_word_or_the_text():
    tf = char_noise(action="delete", aug_p=1.0)
    assert run(tf, "a I o", 0) is None
    for seed in SEEDS:
        out = run(tf, "an a to", seed)
        assert out is not None and out.split()[1] == "a" and len(out.split()) == 3
    assert run(char_noise(action="swap"), "aa I zzz", 0) is None


def test_char_noise_keeps_scripts():
    for action in ("substitute", "insert"):
        for seed in range(5):
            out = run(char_noise(action=action, aug_p=1.0), ODD["arabic"], seed)
            assert all("\u0600" <= c <= "\u06ff" or c == " " for c in out)


def test_ocr_errors_use_the_confusion_table():
    table = ocr_confusions()
    outs = {run(ocr_errors(), "modern", seed) for seed in range(200)}
    assert {"rnodern", "moclern", "modem"} <= outs
    for out in outs:
        assert len(out) in (5, 6, 7)
    assert run(ocr_errors(), "jay 1999", 0) is None  # no confusion in "jay"; numbers untouched
    assert "m" in table["rn"] and "cl" in table["d"]


def test_misspellings_keep_case_and_come_from_the_table():
    table = common_misspellings()
    for seed in SEEDS:
        out = run(misspellings(aug_p=1.0), "receive Receive RECEIVE", seed)
        low, title, upper = out.split()
        assert low in table["receive"] and title.istitle() and upper.isupper()
        assert title.lower() in table["receive"] and upper.lower() in table["receive"]
    assert run(misspellings(), "xyzzy qwrtp ReCeIvE", 0) is None  # unknown or mixed case
    for seed in range(5):  # the parts of a compound are words
        well, known = run(misspellings(aug_p=1.0), "well-known", seed).split("-")
        assert well in table["well"] and known in table["known"]


# -- odd inputs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_inputs_never_raise(kind, case):
    text = ODD[case]
    outs = [run(TFS[kind], text, seed) for seed in range(5)]
    assert outs == [run(TFS[kind], text, seed) for seed in range(5)]
    if case in ("empty", "whitespace", "emoji", "punctuation", "digits"):
        assert outs == [None] * 5
    for out in outs:
        assert out != ""
        if out is not None:
            marks = [(out[i - 1], c) for i, c in enumerate(out) if unicodedata.combining(c)]
            assert marks == [(text[i - 1], c) for i, c in enumerate(text)
                             if unicodedata.combining(c)], "a mark moved to another letter"


def test_parts_split_compounds_and_never_split_a_letter_from_its_mark():
    text = "well-known Cafe\u0301 re\u0301sume\u0301"
    found = [Word(0, 10, "well-known"), Word(11, 15, "Cafe"), Word(17, 19, "re"),
             Word(20, 24, "sume")]
    assert [p.text for p in _parts(text, found)] == ["well", "known", "Caf", "r", "sum"]
    assert [p.text for p in _parts(text, found, whole_only=True)] == ["well", "known"]
    assert all(text[p.start:p.end] == p.text for p in _parts(text, found))


def test_non_string_text_gives_none():
    for tf in TFS.values():
        assert tf(Record({"text": None}), rng=0) is None


@pytest.mark.parametrize("kind", ["keyboard_typos"])  # one driver serves every TF
def test_one_megabyte_text(kind):
    line = "The quick brown fox, e-mail fox@den.org, receives 3 apples; it's fine."
    text = ((line + "\n") * 14_000)[:1_000_000]  # 14,000 e-mail addresses to protect
    out = run(FACTORIES[kind](max_words=50), text, 0)
    pairs = list(zip(text.split("\n"), out.split("\n"), strict=True))
    changed = [(a, b) for a, b in pairs if a != b]
    assert 1 <= sum(len(assert_faithful(a, b)) for a, b in changed) <= 50


# -- construction, lexicons, pickling, the applier ----------------------------------------------

@pytest.mark.parametrize("kind", ["keyboard_typos", "char_noise", "ocr_errors", "misspellings"])
@pytest.mark.parametrize(("param", "value", "expected"), [
    ("aug_p", 1.5, "a float in (0, 1]"),
    ("aug_p", 0, "a float in (0, 1]"),
    ("aug_p", "0.1", "a float in (0, 1]"),
    ("aug_p", True, "a float in (0, 1]"),
    ("max_words", 0, "None or an int >= 1"),
    ("max_words", 2.0, "None or an int >= 1"),
    ("max_words", True, "None or an int >= 1"),
])
def test_parameter_errors_at_construction(kind, param, value, expected):
    factory = getattr(textaug.tfs.noise, kind)
    message = f"The '{param}' parameter of {kind} must be {expected}. Got {value!r}."
    with pytest.raises(InvalidParameterError, match=re.escape(message)):
        factory(**{param: value})


def test_other_construction_errors():
    with pytest.raises(InvalidParameterError, match=re.escape(
            "The 'action' parameter of char_noise must be one of 'substitute', 'swap', "
            "'delete', 'insert'. Got 'shuffle'.")):
        char_noise(action="shuffle")
    with pytest.raises(InvalidParameterError, match="The 'protect' parameter of keyboard_typos"):
        keyboard_typos(protect=[3])
    with pytest.raises(InvalidParameterError, match="name"):
        misspellings(name="")
    with pytest.raises(TypeError):
        ocr_errors(0.5)  # keyword-only


def test_keyboard_lexicon():
    near = keyboard_neighbours()
    assert set(near) == set("abcdefghijklmnopqrstuvwxyz0123456789")
    for key, values in near.items():
        assert values and key not in values and len(set(values)) == len(values)
        assert all(v in near and key in near[v] for v in values)  # symmetric
    assert set(near["s"]) == set("weadzx") and set(near["q"]) == set("12wa")
    assert set(near["m"]) == set("njk") and set(near["5"]) == set("46rt")


def test_ocr_lexicon():
    table = ocr_confusions()
    for key, values in table.items():
        assert key.isalnum() and values and key not in values
        assert all(key in table[v] for v in values)  # built from symmetric pairs
    for a, b in [("0", "O"), ("1", "l"), ("1", "I"), ("l", "I"), ("5", "S"), ("8", "B"),
                 ("rn", "m"), ("cl", "d"), ("vv", "w")]:
        assert b in table[a]


def test_misspellings_lexicon():
    data = json.loads(bundled_path("misspellings_en.json").read_text(encoding="utf-8"))
    assert "CC BY-SA 3.0" in data["licence"] and "codespell" in data["source"]
    table = common_misspellings()
    assert 1_000 <= len(table) <= 6_000 and {"receive", "because", "the"} <= set(table)
    typos = [t for values in table.values() for t in values]
    assert len(typos) == len(set(typos))
    for word, values in table.items():
        assert re.fullmatch("[a-z]+", word) and values
        assert all(re.fullmatch("[a-z]+", t) and t != word and t not in table for t in values)


def test_lexicon_accessors_return_copies():
    common_misspellings().clear()
    keyboard_neighbours().clear()
    assert common_misspellings() and keyboard_neighbours() and ocr_confusions()


@pytest.mark.parametrize("kind", KINDS)
def test_pickle_round_trip(kind):
    tf = FACTORIES[kind](aug_p=0.3, protect=["hello", SpanColumn("keep")], name=f"my_{kind}")
    clone = pickle.loads(pickle.dumps(tf))
    assert clone.name == f"my_{kind}"
    for seed in range(5):
        assert run(clone, MIXED, seed, keep=[]) == run(tf, MIXED, seed, keep=[])


@pytest.mark.parametrize("kind", KINDS)
def test_runs_through_augment(kind):
    df = pd.DataFrame({"text": [MIXED, "Another short sentence about the weather", "", "!!"]})
    before = df.copy()
    out = textaug.augment(df, [TFS[kind]], textaug.ApplyOnePolicy(n_per_original=3), seed=0)
    assert len(out) > len(df) and set(df["text"]) <= set(out["text"])
    pd.testing.assert_frame_equal(
        out, textaug.augment(df, [TFS[kind]], textaug.ApplyOnePolicy(n_per_original=3), seed=0))
    pd.testing.assert_frame_equal(df, before)
