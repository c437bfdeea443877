"""Lexicon: phrase groups, their single compiled matcher, number forms and file formats."""

from __future__ import annotations

import json
import pickle
import re

import pytest

import textaug.lexicon as lexicon_module
from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.lexicon import Lexicon, bundled_path
from textaug.wordmatch import normalize_phrase

# Names that only look plural, and the broken forms inflect alone would make of them.
FALSE_PLURALS = {"kubernetes": "kubernete", "aws": "aw", "analysis": "analysi"}

# Entries that are regex metacharacters or contain them; each must match literally.
LITERAL_ENTRIES = {"c++": ["cpp"], "c#": ["csharp"], ".net": ["dotnet"], "u.s.": ["united-states"],
                   "at&t": ["att-inc"], "c": ["c-language"], "net": ["network-x"]}


@pytest.fixture(scope="module")
def default() -> Lexicon:
    return Lexicon.default()


def found(lex: Lexicon, text: str) -> list[tuple[str, str]]:
    """(matched text, tag) of every match, in order."""
    return [(m.text, m.tag) for m in lex.find(text)]


def words_of(lex: Lexicon) -> set[str]:
    """Every word of every form and every alternative the lexicon can produce."""
    phrases = set(lex.forms)
    for form in lex.forms:
        for match in lex.find(form):
            phrases.update(lex.alternatives(match))
    return {word for phrase in phrases for word in phrase.split()}


def write_json(tmp_path, data, name: str = "lexicon.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# -- dashes, whole words, longest match ------------------------------------------------

@pytest.mark.parametrize("entry", ["computer-vision", "computer vision", "Computer-Vision"])
@pytest.mark.parametrize("text", ["computer vision", "computer-vision", "Computer Vision"])
def test_dashes_read_as_spaces(entry, text):
    lex = Lexicon({"cv-tag": [entry]})
    assert found(lex, f"we like {text} a lot") == [(text, "cv-tag")]


def test_one_pattern_built_once_and_reused(monkeypatch):
    calls = []
    real = lexicon_module.phrase_regex
    monkeypatch.setattr(lexicon_module, "phrase_regex",
                        lambda phrases: calls.append(1) or real(phrases))
    lex = Lexicon({"natural-language-processing": ["nlp"], "language": ["lang"]})
    assert len(calls) == 1
    for text in ["nlp", "natural language processing", "language", "NLP and lang", "nothing"]:
        lex.find(text)
    pattern = lex._lower_case_pattern
    assert isinstance(pattern, re.Pattern)
    for text in ["NLP and lang", "nothing"]:
        lex.find(text)
    assert lex._lower_case_pattern is pattern
    assert len(calls) == 1
    assert "_pattern" not in vars(lex)  # the case-ignoring pattern: only for non-ASCII text
    assert [m.text for m in lex.find("NLP, naïve lang")] == ["NLP", "lang"]
    assert "_pattern" in vars(lex)


def test_ascii_text_is_matched_as_the_case_ignoring_pattern_matches_it():
    lex = Lexicon.default()
    phrases = sorted(lex.forms)[:120]
    texts = [" and ".join(phrases[i:i + 4]) for i in range(0, 120, 4)]
    texts += [t.upper() for t in texts] + [t.title() for t in texts]
    texts += ["Faster R-CNN, GAN-BERT; c++ and C# via .NET (u.s.) at&t", "nlp.js node.js x-nlp"]
    for text in texts:
        expected = [m.span() for m in lex._pattern.finditer(text)]
        assert [(m.start, m.end) for m in lex.find(text)] == [
            span for span in expected if normalize_phrase(text[span[0]:span[1]]) in lex.forms]


def test_default_lexicon_is_built_once():
    assert Lexicon.default() is Lexicon.default()


def test_longest_phrase_wins(default):
    text = "Advances in natural language processing and language tools"
    assert found(default, text) == [("natural language processing", "natural-language-processing")]
    assert found(default, "semantic segmentation") == [
        ("semantic segmentation", "semantic-segmentation")]


def test_find_reports_positions(default):
    text = "GANs meet NLP"
    for m in default.find(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text", ["gandalf", "Gandalf rides", "organ music", "slogans", "gans2"])
def test_no_match_inside_words(default, text):
    assert found(default, text) == []


def test_gan_found_next_to_gandalf(default):
    assert found(default, "Gandalf trains GANs, not organs.") == [
        ("GANs", "generative-adversarial-networks")]


# -- literal entries and metacharacters -----------------------------------------------

def test_escaped_entries_match_literally():
    lex = Lexicon(LITERAL_ENTRIES)
    text = "I code C++ and C# and C on .NET, not net, in the U.S. at AT&T."
    assert found(lex, text) == [("C++", "c++"), ("C#", "c#"), ("C", "c"), (".NET", ".net"),
                                ("net", "net"), ("U.S.", "u.s."), ("AT&T", "at&t")]


@pytest.mark.parametrize(("text", "tag"), [("c++", "c++"), ("c#", "c#"), (".net", ".net"),
                                           ("C++11", None), ("c#x", None), ("x.net", None)])
def test_short_entry_not_found_inside_longer_one(text, tag):
    lex = Lexicon(LITERAL_ENTRIES)
    assert [m.tag for m in lex.find(f"use {text} now")] == ([tag] if tag else [])


def test_regex_metacharacters_never_raise():
    entries = ["a(b", "[nlp]", "x*y", r"\d+", "a|b", "^$", "{2}", "(?P<n>", "***", "\\", "$5", "?"]
    lex = Lexicon({"meta-chars": entries})
    text = r"use a(b and [nlp] and x*y, 12 a b ab but \d+ a|b ^$ {2} (?P<n> *** \ $5 ?"
    assert [m.text for m in lex.find(text)] == entries
    assert lex.find("12 and ab and 5 and n") == ()


def test_possessive_and_hyphenated_compound(default):
    assert found(default, "The GAN's loss and GAN-based models") == [
        ("GAN", "generative-adversarial-networks"), ("GAN", "generative-adversarial-networks")]
    assert found(Lexicon({"bert": ["bidirectional encoder"]}), "BERT's and BERT’s heads") == [
        ("BERT", "bert"), ("BERT", "bert")]


# -- singular and plural -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [("GANs", "plural"), ("a GAN", "singular"),
                                              ("generative adversarial network", "singular"),
                                              ("generative adversarial networks", "plural")])
def test_other_number_is_matched(default, text, number):
    (match,) = default.find(text)
    assert match.tag == "generative-adversarial-networks"
    assert match.number == number


@pytest.mark.parametrize(("text", "expected"), [
    ("GANs", ["generative adversarial networks"]),
    ("a GAN", ["generative adversarial network"]),
    ("generative adversarial networks", ["gans"]),
    ("a generative adversarial network", ["gan"]),
])
def test_alternatives_keep_number(text, expected):
    lex = Lexicon({"generative-adversarial-networks": ["gan"]})
    assert list(lex.alternatives(lex.find(text)[0])) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("GANs", ["generative adversarial networks", "generative adversarial nets"]),
    ("a GAN", ["generative adversarial network", "generative adversarial net"]),
    ("generative adversarial networks", ["GANs", "generative adversarial nets"]),
    ("two CNNs", ["convolutional neural networks", "ConvNets"]),
    ("a Gaussian process", ["GP"]),
    ("GPs", ["Gaussian processes"]),
    ("k-nearest neighbors", ["KNNs", "k-NNs"]),
])
def test_display_forms_follow_number(default, text, expected):
    (match,) = default.find(text)
    alternatives = [default.display_form(a) for a in default.alternatives(match)]
    assert [a for a in alternatives if a.lower() != match.text.lower()] == expected


def test_plural_tag_is_not_pluralised_again():
    lex = Lexicon({"graphs": ["graph structures"]})
    assert "graphss" not in lex.forms
    assert {"graphs", "graph", "graph structure", "graph structures"} <= set(lex.forms)
    assert lex.alternatives(lex.find("graph structures")[0]) == ("graphs",)
    assert lex.alternatives(lex.find("a graph structure")[0]) == ("graph",)
    assert not any(word.endswith("ss") for word in words_of(lex))


@pytest.mark.parametrize("lex", [
    Lexicon({"kubernetes": ["k8s", "kube"], "aws": ["amazon-web-services"],
             "principal-component-analysis": ["pca"], "exploratory-data-analysis": ["eda"]}),
    Lexicon.default(),
], ids=["no-invariant-list", "bundled"])
def test_names_that_look_plural_are_not_singularised(lex):
    assert not set(FALSE_PLURALS.values()) & words_of(lex)


# -- label hierarchy -------------------------------------------------------------------

def test_ancestors_and_allowed_tags(default):
    assert default.ancestors("graph-convolutional-networks") == {
        "graph-convolutional-networks", "graph-neural-networks"}
    allowed = default.allowed_tags(("natural-language-processing",))
    assert {"natural-language-processing", "named-entity-recognition"} <= allowed
    assert "computer-vision" not in allowed
    assert default.allowed_tags(("Named Entity_Recognition",)) == {"named-entity-recognition"}


# -- the bundled lexicon and file formats ----------------------------------------------

def test_default_lexicon_is_curated(default):
    data = json.loads(bundled_path("ml_aliases.json").read_text(encoding="utf-8"))
    assert len(default) == sum(1 for info in data["tags"].values()
                               if info["aliases"] or info.get("keywords"))
    assert default.groups["computer-vision"] == ["computer vision", "cv", "vision"]
    assert "vision" in default.keywords and "cv" not in default.keywords
    assert default.parents["gated-recurrent-units"] == ["natural-language-processing"]
    # the source's non-names are keywords: matched, never swapped
    for keyword in ["outliers", "cartoons", "prediction", "table", "pos", "node", "ae", "em"]:
        (match,) = default.find(f"about {keyword} here")
        assert not match.alias and default.alternatives(match) == (), keyword
    assert {"NLP", "NLProc", "PyTorch"} - set(default.display.values()) == {"PyTorch"}
    assert default.display["k nn"] == "k-NN"


TEXTAUG_FORMAT = {"tags": {
    "natural-language-processing": {"aliases": ["nlp", "nlproc"], "parents": []},
    "named-entity-recognition": {"aliases": ["ner"], "parents": ["natural-language-processing"]},
}}
MADE_WITH_ML_FORMAT = [
    {"tag": "natural-language-processing", "aliases": ["nlp", "nlproc"], "parents": []},
    {"tag": "named-entity-recognition", "aliases": ["ner"],
     "parents": ["natural-language-processing"]},
]


@pytest.mark.parametrize("data", [TEXTAUG_FORMAT, MADE_WITH_ML_FORMAT],
                         ids=["textaug", "madewithml"])
@pytest.mark.parametrize("as_str", [False, True], ids=["path", "str"])
def test_from_json_reads_both_formats(tmp_path, data, as_str):
    path = write_json(tmp_path, data)
    lex = Lexicon.from_json(str(path) if as_str else path)
    assert lex.groups == {
        "natural-language-processing": ["natural language processing", "nlp", "nlproc"],
        "named-entity-recognition": ["named entity recognition", "ner"]}
    assert lex.ancestors("named-entity-recognition") == {
        "named-entity-recognition", "natural-language-processing"}
    assert found(lex, "NER for NLP") == [("NER", "named-entity-recognition"),
                                         ("NLP", "natural-language-processing")]


@pytest.mark.parametrize(("content", "named"), [
    ("{not json", "JSON"),
    ("", "JSON"),
    (42, "tags"),
    ({"name": "no tags key"}, "tags"),
    ({"tags": [{"tag": "x"}]}, "tags"),
    ([{"aliases": ["gan"]}], "tag"),
    (["generative-adversarial-networks"], "tag"),
    ([{"tag": "x", "aliases": 5}], "aliases"),
    ({"tags": {"x": {"aliases": None}}}, "aliases"),
    ({"tags": {"x": {"aliases": "gan"}}}, "aliases"),
    ([{"tag": "x", "aliases": "gan"}], "aliases"),
    ({"tags": {"x": {"aliases": ["gan"], "parents": "computer-vision"}}}, "parents"),
    ({"tags": {"x": {"aliases": [None]}}}, "aliases"),
    ({"tags": {"generative-adversarial-networks": ["gan"]}}, "aliases"),
    ({"tags": {"x": {"aliases": ["gan"]}}, "invariant": 5}, "invariant"),
], ids=["bad-json", "empty-file", "number", "no-tags", "tags-list", "entry-without-tag",
        "entry-is-str", "aliases-int", "aliases-null", "aliases-str", "mwml-aliases-str",
        "parents-str", "alias-null", "info-is-list", "invariant-int"])
def test_malformed_file_raises_invalid_parameter(tmp_path, content, named):
    path = write_json(tmp_path, content)
    with pytest.raises(InvalidParameterError) as info:
        Lexicon.from_json(path)
    message = str(info.value)
    assert str(path) in message
    assert named in message


def test_missing_file_raises_resource_not_found(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(ResourceNotFoundError, match="nope.json"):
        Lexicon.from_json(missing)


@pytest.mark.parametrize("data", [
    {"tags": {"a": {"aliases": ["shared"]}, "b": {"aliases": ["shared"]}}},
    [{"tag": "a", "aliases": ["Shared-Alias"]}, {"tag": "b", "aliases": ["shared alias"]}],
], ids=["same", "same-after-normalising"])
def test_alias_of_two_tags_raises(tmp_path, data):
    with pytest.raises(InvalidParameterError, match="belongs to both"):
        Lexicon.from_json(write_json(tmp_path, data))


def test_aliases_must_be_a_list():
    with pytest.raises(InvalidParameterError, match="list of strings"):
        Lexicon({"generative-adversarial-networks": "gan"})
    with pytest.raises(InvalidParameterError, match="mapping"):
        Lexicon([("gan", ["generative adversarial networks"])])


# -- pickling and round trips -------------------------------------------------------------

def test_pickle_round_trip(default):
    text = "GANs and NLP for CV in C++ on kubernetes"
    clone = pickle.loads(pickle.dumps(default))
    assert clone.find(text) == default.find(text)
    assert clone.groups == default.groups and clone.invariant == default.invariant
    assert clone.allowed_tags(("computer-vision",)) == default.allowed_tags(("computer-vision",))


def test_to_dict_round_trips_the_bundled_lexicon(default):
    data = default.to_dict()
    clone = Lexicon.from_dict(json.loads(json.dumps(data)))
    assert clone.to_dict() == data
    assert clone.groups == default.groups
    assert clone.forms == default.forms
    assert clone.invariant == default.invariant
    for tag in default.groups:
        assert clone.ancestors(tag) == default.ancestors(tag)
    text = "a survey of reinforcement learning for nlp tasks with GANs on k8s"
    assert clone.find(text) == default.find(text)


def test_to_dict_keeps_parents_of_tags_without_aliases():
    lex = Lexicon({"named-entity-recognition": ["ner"], "information-extraction": []},
                  parents={"named-entity-recognition": ["information-extraction"],
                           "information-extraction": ["natural-language-processing"]})
    clone = Lexicon.from_dict(lex.to_dict())
    assert clone.ancestors("named-entity-recognition") == lex.ancestors("named-entity-recognition")
    labels = ("natural-language-processing",)
    assert lex.allowed_tags(labels) == {"named-entity-recognition"}
    assert clone.allowed_tags(labels) == lex.allowed_tags(labels)


# -- aliases, keywords and display forms (issue 13) -------------------------------------------

def test_keywords_are_found_but_have_no_alternatives():
    lex = Lexicon({"outlier-detection": ["anomaly-detection"]},
                  keywords={"outlier-detection": ["outliers"], "tabular": ["tabular", "table"]})
    text = "Outliers in a table of anomaly detection"
    assert [(m.text, m.tag, m.alias) for m in lex.find(text)] == [
        ("Outliers", "outlier-detection", False), ("table", "tabular", False),
        ("anomaly detection", "outlier-detection", True)]
    (match,) = lex.find("outlier detection")
    assert lex.alternatives(match) == ("anomaly detection",)
    assert lex.groups["tabular"] == ["tabular", "table"]


def test_textaug_format_keeps_keywords_and_display_forms(tmp_path):
    data = {"tags": {"natural-language-processing": {"aliases": ["NLP", "NLProc"],
                                                     "keywords": ["text mining"]},
                     "pytorch": {"aliases": ["PyTorch", "torch"], "parents": ["deep-learning"]},
                     "ci-cd": {"aliases": [], "keywords": ["ci-cd", "cicd"]}}}
    lex = Lexicon.from_json(write_json(tmp_path, data))
    assert lex.display == {"nlp": "NLP", "nlproc": "NLProc", "pytorch": "PyTorch"}
    assert lex.display_form("torch") == "torch"  # lower case as written: no acronym guess
    assert lex.keywords == {"text mining", "ci cd", "cicd"}
    assert [m.alias for m in lex.find("NLP, text mining, CI-CD")] == [True, False, False]
    clone = Lexicon.from_dict(json.loads(json.dumps(lex.to_dict())))
    assert (clone.groups, clone.keywords, clone.display) == (lex.groups, lex.keywords, lex.display)


def test_made_with_ml_slugs_are_no_display_forms(tmp_path):
    lex = Lexicon.from_json(write_json(tmp_path, [
        {"tag": "annotation", "aliases": ["data-annotation"], "parents": []}]))
    assert lex.display == {} and lex.keywords == frozenset()
    (match,) = lex.find("annotation")
    assert [lex.display_form(a) for a in lex.alternatives(match)] == ["data annotation"]
    # without any display form, short aliases are read as acronyms
    default = Lexicon.from_json(write_json(tmp_path, [
        {"tag": "natural-language-processing", "aliases": ["nlp", "nlproc"], "parents": []},
        {"tag": "kubernetes", "aliases": ["k8s"], "parents": []}], "mwml.json"))
    assert [default.display_form(p) for p in ("nlp", "nlps", "nlproc", "k8s", "kubernetes")] == [
        "NLP", "NLPs", "nlproc", "K8s", "kubernetes"]


@pytest.mark.parametrize(("entries", "named"), [
    ({"keywords": {"x": "outliers"}}, "keywords"),
    ({"keywords": ["outliers"]}, "keywords"),
    ({"display": "NLP"}, "display"),
    ({"display": [3]}, "display"),
])
def test_bad_keywords_or_display_raise(entries, named):
    with pytest.raises(InvalidParameterError, match=named):
        Lexicon({"x": ["y"]}, **entries)


def test_a_keyword_cannot_belong_to_two_tags():
    with pytest.raises(InvalidParameterError, match="belongs to both"):
        Lexicon({"a": ["shared"]}, keywords={"b": ["shared"]})


def test_overlapped_and_stands_alone():
    lex = Lexicon({"deep-learning": ["dl"], "learning-rates": ["lr"], "tensorflow": ["tf"],
                   "tensorflow-lite": ["tflite"]})
    text = "deep learning rate schedules and deep learning models"
    first, second = lex.find(text)
    assert lex.overlapped(text, first) and not lex.overlapped(text, second)
    assert lex.stands_alone("use tensorflow now", 4, 14, "tensorflow")
    assert not lex.stands_alone("use tensorflow lite now", 4, 14, "tensorflow")
    assert not lex.stands_alone("use tensorflow now", 4, 14, "tensorflow-lite")
    assert not lex.stands_alone("use tensorflownow", 4, 14, "tensorflow")


def test_with_tag_names_is_what_keyword_lfs_match():
    from textaug.labeling.lf import keyword_lfs

    lex = Lexicon.default()
    full = lex.with_tag_names()
    matcher = keyword_lfs(lex)[0].lexicon
    assert full.groups == matcher.groups and full.forms == matcher.forms
    assert "semantic segmentation" in full.keywords
    assert set(full.groups) > set(lex.groups)


def _full_checks(lex, text, m):
    """overlapped and stands_alone with the quick look at the neighbours switched off."""
    lex._may_join = lambda *args: True
    try:
        return lex.overlapped(text, m), lex.stands_alone(text, m.start, m.end, m.tag)
    finally:
        del lex._may_join


def test_the_quick_look_at_neighbours_answers_as_the_full_check():
    import random

    lex = Lexicon.default()
    words = sorted({w for phrase in lex.forms for w in phrase.split(" ")})
    pieces = [*words, "the", "model", "GAN", "(", ")", ",", ".", "/", "'", "&", "+", "c++"]
    gaps = [" ", "  ", "-", " - ", "\n", "/", "", ", ", ". ", "'"]
    phrases = sorted(lex.forms)
    # phrases that run into each other ("deep learning" + "learning rate"), so that the
    # full check has crossings to find
    pieces += [a + b[len(a.split(" ")[-1]):] for a in phrases for b in phrases
               if " " in b and b.split(" ")[0] == a.split(" ")[-1] and a != b][:400]
    draw = random.Random(0)
    answers = set()
    for _ in range(3000):
        text = "".join(draw.choice(pieces) + draw.choice(gaps) for _ in range(draw.randint(2, 8)))
        text = draw.choice([text, text.title(), text.upper()])
        for m in lex.find(text):
            quick = lex.overlapped(text, m), lex.stands_alone(text, m.start, m.end, m.tag)
            assert quick == _full_checks(lex, text, m), (text, m)
            answers.add(quick)
    assert (False, True) in answers and (True, False) in answers  # crossings were found too
