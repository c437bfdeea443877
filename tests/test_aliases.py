"""swap_aliases: number, casing, articles, label-aware gating, protection, determinism."""

from __future__ import annotations

import copy
import re

import pytest

from textaug.errors import InvalidParameterError
from textaug.lexicon import Lexicon
from textaug.records import Record
from textaug.tfs.aliases import swap_aliases

SEEDS = range(50)
NLP = "natural-language-processing"
LESSON_FAILURE = "Autogenerate your CV to apply for jobs using NLP."
LESSON_EXAMPLE = "a survey of reinforcement learning for nlp tasks"
LINKS = ("https://github.com/nlp/gan", "me@nlp.org", "www.nlp.org/gan")
UNGATED = swap_aliases(label_aware=False)
UNGATED_ALL = swap_aliases(label_aware=False, p=1.0)
GATED = swap_aliases()
# Plain aliases, no display forms at all (as in Made With ML's tags): number and articles
# alone, short aliases read as acronyms.
PLAIN = swap_aliases(Lexicon({"generative-adversarial-networks": ["gan"], "kubernetes": ["k8s"],
                              "recurrent-neural-networks": ["rnn"],
                              "lstm": ["long-short-term-memory"]},
                             invariant=["kubernetes", "k8s"]), label_aware=False)
GANS = {"generative adversarial networks", "generative adversarial nets"}


def record(text: str, labels=()) -> Record:
    return Record({"text": text, "tags": labels}, label="tags")


def swap(tf, text: str, labels=(), seed: int = 0) -> str | None:
    out = tf(record(text, labels), rng=seed)
    return None if out is None else out.text


def outputs(tf, text: str, labels=(), seeds=SEEDS) -> set[str | None]:
    """Every distinct output of ``tf`` on ``text`` over ``seeds``."""
    return {swap(tf, text, labels, seed) for seed in seeds}


def has_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` as a whole word, case-sensitively."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


# -- number agreement and articles ------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("We train GANs today.", {"We train generative adversarial networks today."}),
    ("We train a GAN today.", {"We train a generative adversarial network today."}),
    ("We like generative adversarial networks.", {"We like GANs."}),
    ("We like a generative adversarial network.", {"We like a GAN."}),
    ("Deploy k8s clusters", {"Deploy kubernetes clusters"}),
    ("A K8s cluster", {"A Kubernetes cluster"}),
])
def test_number_is_kept(text, expected):
    assert outputs(PLAIN, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("We like generative adversarial networks.", {"We like GANs.",
                                                  "We like generative adversarial nets."}),
    ("We like a generative adversarial network.", {"We like a GAN.",
                                                   "We like a generative adversarial net."}),
    ("Deploy k8s clusters", {"Deploy Kubernetes clusters"}),
    ("We use two CNNs.", {"We use two convolutional neural networks.", "We use two ConvNets."}),
])
def test_number_is_kept_in_display_forms(text, expected):
    assert outputs(UNGATED, text) == expected


@pytest.mark.parametrize(("lexicon", "text", "banned"), [
    (Lexicon({"kubernetes": ["kube", "k8s"]}), "a kube. Two kubes. A k8s.", "kubernete"),
    (Lexicon({"aws": ["amazon-web-services"]}),
     "an amazon web service. Many amazon web services.", "aw"),
    (Lexicon({"principal-component-analysis": ["pca"]}), "a PCA. Two PCAs.", "analysi"),
    (Lexicon({"graphs": ["graph structures"]}),
     "a graph structure. Many graph structures.", "graphss"),
    (None, "a k8s, AWS, an EDA. Two PCAs. EDAs", "kubernete|aw|analysi"),
], ids=["kubernetes", "aws", "analysis", "graphs", "bundled"])
def test_false_plurals_never_appear(lexicon, text, banned):
    for p in (None, 1.0):
        for out in outputs(swap_aliases(lexicon, label_aware=False, p=p), text):
            assert out is not None and out != text
            assert re.search(rf"\b(?:{banned})\b", out, re.IGNORECASE) is None, out


@pytest.mark.parametrize(("text", "expected"), [
    ("We use an RNN here.", "We use a recurrent neural network here."),
    ("An RNN is here.", "A recurrent neural network is here."),
    ("We use a GAN here.", "We use a generative adversarial network here."),
    ("We use a recurrent neural network here.", "We use an RNN here."),
    ("A long short-term memory is here.", "An LSTM is here."),
], ids=["an-RNN", "An-RNN-start", "a-GAN", "a-recurrent-nn-to-rnn", "A-lstm-expansion-to-lstm"])
def test_article_agrees_with_swapped_phrase(text, expected):
    assert outputs(PLAIN, text) == {expected}


def test_article_agrees_with_display_form():
    assert outputs(UNGATED, "We use a recurrent neural network here.") == {
        "We use an RNN here."}
    assert outputs(UNGATED, "A machine learning testing framework") == {
        "An ML testing framework"}


# -- whole words, possessives, compounds, literal entries ---------------------------------

def test_possessive_keeps_apostrophe_s():
    tf = swap_aliases(Lexicon({"bert": ["bidirectional encoder"]}), label_aware=False)
    assert outputs(tf, "We probe BERT's heads.") == {"We probe bidirectional encoder's heads."}
    assert outputs(PLAIN, "The GAN's loss") == {"The generative adversarial network's loss"}


def test_hyphenated_compound():
    assert outputs(PLAIN, "We study GAN-based models.") == {
        "We study generative adversarial network-based models."}
    assert outputs(UNGATED, "NLP-powered search") == {
        "Natural language processing-powered search", "NLProc-powered search"}


def test_gan_never_swapped_inside_gandalf():
    for out in outputs(UNGATED_ALL, "Gandalf and the organ play with GANs"):
        assert out in {f"Gandalf and the organ play with {gans}" for gans in GANS}
    assert swap(UNGATED, "Gandalf plays the organ") is None


def test_literal_entries_are_swapped_whole():
    lex = Lexicon({"c++": ["cpp"], "c#": ["csharp"], ".net": ["dotnet"], "c": ["clang"],
                   "net": ["network"], "u.s.": ["usa"], "at&t": ["att"]})
    tf = swap_aliases(lex, label_aware=False, p=1.0)
    assert outputs(tf, "we ship c++ and c# on .net in the u.s. at at&t") == {
        "we ship cpp and csharp on dotnet in the usa at att"}


def test_metacharacter_entries_never_raise():
    lex = Lexicon({"wild": ["a(b", "[x]", r"\d+", "a|b", "(?P<n>", "$5"]})
    tf = swap_aliases(lex, label_aware=False, p=1.0)
    for out in outputs(tf, r"see a(b. Or [x]. Or \d+. Or 12. Or a|b. Or (?P<n>. Or $5"):
        assert out is not None and " 12. " in out
    assert swap(tf, "12 and ab and a b") is None


# -- casing -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("we like nlp a lot", {"we like natural language processing a lot", "we like nlproc a lot"}),
    ("we like computer vision", {"we like cv"}),
    ("We do NLP today", {"We do natural language processing today", "We do NLProc today"}),
    ("We love Computer Vision.", {"We love CV."}),
    ("NLP rocks.", {"Natural language processing rocks.", "NLProc rocks."}),
    ("Hi. NLP rocks.", {"Hi. Natural language processing rocks.", "Hi. NLProc rocks."}),
    ("GANs are fun", {"Generative adversarial networks are fun",
                      "Generative adversarial nets are fun"}),
    ("Natural language processing rocks", {"NLP rocks", "NLProc rocks"}),
    ("WE LOVE COMPUTER VISION", {"WE LOVE CV"}),
])
def test_casing_follows_the_original(text, expected):
    assert outputs(UNGATED, text) == expected


@pytest.mark.parametrize(("text", "expected"), [  # issue 13's casing defects
    ("NLP for Developers", {"NLProc for Developers", "Natural Language Processing for Developers"}),
    ("ML Cheatsheets.", {"Machine Learning Cheatsheets."}),
    ("The machine learning model is ready.", {"The ML model is ready."}),
    ("Notes on rl and dl.", {"Notes on reinforcement learning and dl.",
                             "Notes on rl and deep learning."}),
    ("A survey of reinforcement learning for NLP tasks",
     {"A survey of RL for NLP tasks", "A survey of reinforcement learning for NLProc tasks",
      "A survey of reinforcement learning for natural language processing tasks"}),
    ("Deep Learning based parking management", {"DL based parking management"}),
    ("DL based parking management", {"Deep learning based parking management"}),
])
def test_casing_follows_the_text(text, expected):
    assert outputs(UNGATED, text) == expected


def test_title_case_and_all_caps_phrases():
    tf = swap_aliases(Lexicon({"computer-vision": ["machine vision"]}), label_aware=False)
    assert outputs(tf, "We love Computer Vision.") == {"We love Machine Vision."}
    assert outputs(tf, "WE LOVE COMPUTER VISION") == {"WE LOVE MACHINE VISION"}
    assert outputs(tf, "we love computer vision") == {"we love machine vision"}


# -- one swap or each with probability p ----------------------------------------------------

ACRONYMS = ("GANs", "NLP", "CV")
THREE = "GANs and NLP and CV"


def test_default_swaps_exactly_one_match():
    seen = outputs(UNGATED, THREE)
    for out in seen:
        assert sum(has_word(out, word) for word in ACRONYMS) == 2, out
    assert {next(w for w in ACRONYMS if not has_word(out, w)) for out in seen} == set(ACRONYMS)


def test_p_one_swaps_every_match():
    for out in outputs(UNGATED_ALL, THREE):
        assert not any(has_word(out, word) for word in ACRONYMS), out


def test_p_between_swaps_at_least_one():
    counts = {sum(not has_word(out, w) for w in ACRONYMS)
              for out in outputs(swap_aliases(label_aware=False, p=0.5), THREE)}
    assert min(counts) >= 1 and len(counts) > 1


@pytest.mark.parametrize("p", [0, 0.0, -0.5, 1.5, True, "1"])
def test_bad_p_is_rejected(p):
    with pytest.raises(InvalidParameterError, match="'p'"):
        swap_aliases(p=p)


# -- label-aware gating -------------------------------------------------------------------

@pytest.mark.parametrize("labels", [[NLP], NLP, (NLP,)], ids=["list", "str", "tuple"])
def test_lesson_failure_cv_kept_when_not_labelled(labels):
    prefix = "Autogenerate your CV to apply for jobs using "
    seen = outputs(GATED, LESSON_FAILURE, labels)
    assert seen == {prefix + "natural language processing.", prefix + "NLProc."}


def test_without_gating_cv_may_be_swapped():
    seen = outputs(UNGATED, LESSON_FAILURE, [NLP])
    assert any(not has_word(out, "CV") for out in seen)
    assert any(not has_word(out, "NLP") for out in seen)


def test_nothing_allowed_gives_none():
    assert outputs(GATED, "Autogenerate your CV", [NLP]) == {None}
    assert outputs(GATED, "GANs and NLP", []) == {None}


def test_parent_label_allows_child_tag_but_not_the_reverse():
    seen = outputs(GATED, "NER and NLP", [NLP])
    assert any(not has_word(out, "NER") for out in seen)
    assert outputs(GATED, "NER and NLP", ["named-entity-recognition"]) == {
        "Named entity recognition and NLP"}


# -- protection -----------------------------------------------------------------------------

@pytest.mark.parametrize(("protect", "text", "kept"), [
    (["nlp"], "NLP and GANs", "NLP"),
    ("nlp", "NLP and GANs", "NLP"),
    (["computer vision"], "Computer vision and GANs", "Computer vision"),
    ([re.compile(r"GANs?")], "NLP and GANs", "GANs"),
])
def test_protected_terms_are_left_alone(protect, text, kept):
    for p in (None, 1.0):
        seen = outputs(swap_aliases(protect=protect, label_aware=False, p=p), text)
        assert None not in seen
        for out in seen:
            assert out != text and has_word(out, kept), out


@pytest.mark.parametrize("p", [None, 1.0])
def test_urls_and_emails_are_never_changed(p):
    tf = swap_aliases(label_aware=False, p=p)
    text = f"NLP: see {LINKS[0]} and {LINKS[1]} or {LINKS[2]} now"
    for out in outputs(tf, text):
        assert out is not None and out != text
        assert all(link in out for link in LINKS), out
    assert outputs(tf, f"see {LINKS[0]} and {LINKS[1]}") <= {None, f"see {LINKS[0]} and {LINKS[1]}"}


# -- determinism and immutability -----------------------------------------------------------

def test_same_seed_same_output_and_seeds_vary():
    for seed in (0, 1, 12345):
        assert swap(UNGATED, LESSON_EXAMPLE, seed=seed) == swap(UNGATED, LESSON_EXAMPLE, seed=seed)
    assert len(outputs(UNGATED, LESSON_EXAMPLE)) >= 3


def test_input_record_is_not_mutated():
    row = {"text": "GANs and NLP and CV", "tags": ["generative-adversarial-networks", NLP]}
    before = copy.deepcopy(row)
    x = Record(row, label="tags")
    for seed in range(5):
        out = GATED(x, rng=seed)
        assert out is not x and out.text != x.text
    assert row == before and x.text == before["text"] and x.changes == {}


@pytest.mark.parametrize("tf", [UNGATED, GATED], ids=["ungated", "gated"])
def test_lesson_example_variants(tf):
    seen = outputs(tf, LESSON_EXAMPLE, ["reinforcement-learning", NLP])
    assert None not in seen
    for variant in ("rl", "nlproc", "natural language processing"):
        assert any(has_word(out, variant) for out in seen), (variant, seen)


# -- issue 13: names joined by "-", "/", "+" or "_" are not swapped inside -------------------

@pytest.mark.parametrize("text", [
    "Faster R-CNN, R-FCN, and SSD.", "GAN-BERT. Enhancing the training", "GP-GAN: Towards",
    "VAE-SNE. A deep generative model", "Drifter-ML. A testing framework",
    "hugdatafast: huggingface/nlp + fastai", "see nlp/gan", "GAN+VAE hybrids", "GAN-2 models",
])
def test_phrase_joined_to_a_name_is_left_alone(text):
    assert outputs(UNGATED_ALL, text) == {None}


def test_phrase_joined_to_a_name_is_left_alone_beside_a_free_one():
    assert outputs(UNGATED_ALL, "Faster R-CNN beats a plain CNN") == {
        "Faster R-CNN beats a plain convolutional neural network",
        "Faster R-CNN beats a plain ConvNet"}


# -- issue 13: keywords are matched, never swapped in or out -----------------------------------

@pytest.mark.parametrize(("text", "labels"), [
    ("Detectors of outlier detection.", ["outlier-detection"]),
    ("Querying tabular data like csvs", ["tabular"]),
    ("First Order Motion Model for Image Animation.", ["animations"]),
    ("Finetune BERT on your data", ["fine-tuning"]),
])
def test_keywords_are_never_swapped(text, labels):
    assert outputs(swap_aliases(p=1.0), text, labels) == {None}


def test_pos_tagging_is_swapped_whole():
    assert outputs(GATED, "spaCy POS tagging.", ["part-of-speech-tagging"]) == {
        "spaCy part-of-speech tagging."}


def test_a_keyword_of_the_lexicon_never_comes_out_of_a_swap():
    lexicon = Lexicon.default()
    for phrase in lexicon.keywords:
        for m in lexicon.find(f"about {phrase} here"):
            assert m.alias or lexicon.alternatives(m) == ()
    for tag, phrases in lexicon.groups.items():
        for phrase in phrases:
            for m in lexicon.find(f"about {phrase} here"):
                assert not set(lexicon.alternatives(m)) & lexicon.keywords, (tag, phrase)


# -- issue 13: no repetition, no overlap with the words around ---------------------------------

SEGMENTS = Lexicon({"segmentation": ["image segmentation"]},
                   keywords={"semantic-segmentation": ["semantic segmentation"]})


@pytest.mark.parametrize(("lexicon", "text"), [
    (None, "the field of Reinforcement Learning (RL), from concepts"),
    (None, "Natural Language processing (NLP), in short"),
    (None, "in deep learning (DL) systems"),
    (None, "W&B: Weights and Biases. Track runs"),
    (SEGMENTS, "a library for segmentation of images."),
    (SEGMENTS, "Semantic Segmentation on ADE20K"),
    (Lexicon({"deep-learning": ["dl"], "learning-rates": ["lr"]}), "deep learning rate schedules"),
    (Lexicon({"tensorflow": ["tf"], "tensorflow-lite": ["tflite"]}), "we use TF Lite today"),
], ids=["rl-defined", "nlp-defined", "dl-defined", "wandb", "of-images", "longer-before",
        "overlap-right", "longer-after"])
def test_swap_never_repeats_or_overlaps(lexicon, text):
    assert outputs(swap_aliases(lexicon, label_aware=False, p=1.0), text) == {None}


def test_swap_away_from_a_repetition_still_happens():
    assert outputs(swap_aliases(SEGMENTS, label_aware=False), "segmentation of scans") == {
        "image segmentation of scans"}
    assert outputs(UNGATED, "Semantic Segmentation") == {None}
    assert outputs(UNGATED, "Time Series Forecasting in Python") == {None}
