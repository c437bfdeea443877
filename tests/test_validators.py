"""The validator base (Verdict, Validator, function validators) and the rule validators.

Every validator is called directly here; ``tests/test_validation_run.py`` runs them
inside ``augment()``.
"""

from __future__ import annotations

import pickle
import re

import numpy as np
import pandas as pd
import pytest

from textaug import InvalidParameterError, Lexicon, Record, ResourceNotFoundError
from textaug.near_duplicates import normalize
from textaug.validate import describe, judge, passed
from textaug.validators import (
    FACTORIES,
    Validator,
    Verdict,
    as_validator,
    label_keywords,
    length_bounds,
    lexicon_consistent,
    negation_preserved,
    not_identical,
    protected_terms,
    validator,
)
from textaug.validators.base import FunctionValidator, as_record
from textaug.validators.rules import changed_share

CV, NLP = "computer-vision", "natural-language-processing"
SENTIMENT = label_keywords({1: ["great", "excellent", "wonderful"],
                            0: ["awful", "terrible", "boring"]})


def rec(text, label=None):
    """A record with a "label" field when a label is given (as as_record reads dicts)."""
    return Record({"text": text, "label": label}, "text", "label") if label is not None \
        else Record({"text": text})


def every_validator() -> list[Validator]:
    """One instance of each rule validator, configured to accept the MULTI pair."""
    return [not_identical(), negation_preserved(), protected_terms(["new york"]),
            protected_terms(lexicon="default", name="protected_keywords"),
            length_bounds(min_tokens=1, max_tokens=50, max_changed=0.9),
            lexicon_consistent()]


IDS = ["not_identical", "negation_preserved", "protected_terms", "protected_keywords",
       "length_bounds", "lexicon_consistent"]


# -- Verdict --------------------------------------------------------------------------


def test_verdict_constructors_truth_and_text():
    yes, no = Verdict.accept(), Verdict.reject("too short", score=0.25)
    assert yes == Verdict(True, "", None) and bool(yes) is True
    assert no == Verdict(False, "too short", 0.25) and bool(no) is False
    assert str(yes) == "accepted"
    assert str(Verdict.accept("fine")) == "accepted: fine"
    assert str(no) == "rejected: too short"


def test_verdict_describe_with_and_without_score():
    assert Verdict.accept().describe("v") == "v: accepted"
    assert Verdict.accept(score=0.91234).describe("v") == "v: accepted (0.912)"
    assert Verdict.reject("why", 0.5).describe("v") == "v: rejected (0.5): why"
    assert Verdict.reject("why").describe("v") == "v: rejected: why"


def test_verdict_is_frozen():
    with pytest.raises(AttributeError):
        Verdict.accept().accepted = False  # type: ignore[misc]


# -- Validator base -------------------------------------------------------------------


class ShorterCheck(Validator):
    """Defines check only."""

    def check(self, original, candidate):
        return Verdict(len(candidate.text) <= len(original.text), "longer")


class ShorterBatch(Validator):
    """Defines check_batch only; counts its calls."""

    def __init__(self, name="shorter_batch"):
        super().__init__(name)
        self.batches: list[int] = []

    def check_batch(self, originals, candidates):
        self.batches.append(len(candidates))
        return [Verdict(len(c.text) <= len(o.text), "longer")
                for o, c in zip(originals, candidates, strict=True)]


@pytest.mark.parametrize("name", ["", None, 3])
def test_validator_name_must_be_a_non_empty_string(name):
    with pytest.raises(InvalidParameterError, match="'name' parameter of Validator"):
        Validator(name)  # type: ignore[arg-type]


def test_validator_without_check_or_check_batch_says_so():
    with pytest.raises(NotImplementedError, match="must define check or check_batch"):
        Validator("bare")("a", "b")


@pytest.mark.parametrize("cls", [ShorterCheck, ShorterBatch])
def test_check_and_check_batch_are_derived_from_each_other(cls):
    v = cls("shorter")
    originals, candidates = [rec("abc"), rec("abc")], [rec("ab"), rec("abcd")]
    assert [x.accepted for x in v.check_batch(originals, candidates)] == [True, False]
    assert v.check(rec("abc"), rec("ab")).accepted
    assert not v("abc", "abcd").accepted
    assert v.check_siblings(rec("ab"), [rec("ab")]) is None
    assert repr(v) == f"{cls.__name__}('shorter')"
    assert v.needs_label is False


def test_call_takes_texts_dicts_series_and_records():
    seen = []

    @validator
    def spy(original, candidate):
        seen.append((original.text, original.labels, candidate.text))
        return True

    spy("a", "b")
    spy({"text": "c", "label": ["x", "y"]}, {"text": "d", "label": ["x", "y"]})
    spy(pd.Series({"text": "e", "label": 1}), pd.Series({"text": "f", "label": 1}))
    spy(Record({"body": "g", "tags": ["t"]}, "body", "tags"), rec("h"))
    assert seen == [("a", (), "b"), ("c", ("x", "y"), "d"), ("e", (1,), "f"),
                    ("g", ("t",), "h")]


@pytest.mark.parametrize("bad", [None, 3, ["a"]])
def test_call_refuses_other_types(bad):
    with pytest.raises(TypeError, match="records, mappings, Series or texts"):
        not_identical()("a", bad)


def test_as_record_names_fields():
    x = as_record({"body": "hi", "tags": ["a"]}, text="body", label="tags")
    assert (x.text, x.labels) == ("hi", ("a",))
    assert as_record("hi", text="body")["body"] == "hi"
    same = rec("x")
    assert as_record(same) is same


# -- function validators --------------------------------------------------------------


def test_function_validator_bool_and_verdict_results():
    v = FunctionValidator(lambda o, c: len(c.text) > 2, name="long_enough")
    assert v("abc", "abcd") == Verdict.accept()
    assert v("abc", "ab") == Verdict.reject("long_enough returned False")
    w = FunctionValidator(lambda o, c: Verdict.reject("nope", 0.1), name="w")
    assert w("a", "b") == Verdict(False, "nope", 0.1)


@pytest.mark.parametrize("result", [None, 1, "yes", [True]])
def test_function_validator_other_results_are_a_type_error_naming_it(result):
    v = FunctionValidator(lambda o, c: result, name="odd")
    with pytest.raises(TypeError, match="Validator 'odd' returned .*return a Verdict or a bool"):
        v("a", "b")


def test_function_validator_refuses_non_callables():
    with pytest.raises(InvalidParameterError, match="wraps a callable"):
        FunctionValidator("not callable")  # type: ignore[arg-type]


def test_function_validator_names():
    def keep(o, c):
        return True

    class Callable:
        def __call__(self, o, c):
            return True

    assert FunctionValidator(keep).name == "keep"
    assert FunctionValidator(keep, name="other").name == "other"
    assert FunctionValidator(Callable()).name == "Callable"
    assert FunctionValidator(lambda o, c: True).name == "<lambda>"


def test_validator_decorator_forms():
    @validator
    def bare(o, c):
        return True

    @validator()
    def empty(o, c):
        return True

    @validator(name="labelled", needs_label=True)
    def reads_labels(o, c):
        return bool(o.labels)

    assert (bare.name, bare.needs_label) == ("bare", False)
    assert empty.name == "empty"
    assert (reads_labels.name, reads_labels.needs_label) == ("labelled", True)
    assert reads_labels({"text": "a", "label": "pos"}, "b").accepted
    assert not reads_labels("a", "b").accepted


def test_as_validator():
    v = not_identical()
    assert as_validator(v) is v
    wrapped = as_validator(lambda o, c: False)
    assert isinstance(wrapped, FunctionValidator) and not wrapped("a", "b")
    with pytest.raises(InvalidParameterError, match="validators= takes Validator objects"):
        as_validator("not_identical")


# -- not_identical --------------------------------------------------------------------


def test_normalized_ignores_case_and_spacing():
    assert normalize("  The\tMovie \n WAS ") == "the movie was"


@pytest.mark.parametrize("candidate", ["the movie", "The  Movie", " THE MOVIE\t"])
def test_not_identical_rejects_case_and_spacing_variants(candidate):
    verdict = not_identical()("the movie", candidate)
    assert verdict == Verdict.reject("same as the original once case and spacing are ignored")


def test_not_identical_accepts_any_real_change():
    assert not_identical()("the movie", "the movie!").accepted
    assert not_identical()("the movie", "the film").accepted


def test_not_identical_sibling_check():
    v = not_identical(name="fresh")
    assert v.name == "fresh"
    assert v.check_siblings(rec("a film"), []) is None
    assert v.check_siblings(rec("a film"), [rec("a movie")]) is None
    verdict = v.check_siblings(rec("A  Film"), [rec("a movie"), rec("a film")])
    assert verdict is not None and not verdict.accepted
    assert "another augmentation of this row" in verdict.reason


# -- negation_preserved ---------------------------------------------------------------


def test_sentiment_dropped_not_is_rejected_with_a_readable_reason():
    verdict = negation_preserved()("the movie was not good", "the movie was good")
    assert verdict == Verdict.reject("negators went from 1 to 0 (not)")
    assert str(verdict) == "rejected: negators went from 1 to 0 (not)"


def test_added_negator_is_rejected():
    verdict = negation_preserved()("the movie was good", "the movie was never good")
    assert verdict.reason == "negators went from 0 to 1 (never)"


@pytest.mark.parametrize(("original", "candidate", "dropped"), [
    ("I don't like it", "I do like it", "don't"),
    ("I don’t like it", "I do like it", "don't"),  # curly apostrophe
    ("I cannot go", "I can go", "cannot"),
    ("nobody came", "somebody came", "nobody"),
    ("it isnt fun", "it is fun", "isnt"),
    ("NOT a chance", "a chance", "not"),
])
def test_negator_forms(original, candidate, dropped):
    verdict = negation_preserved(antonyms=False)(original, candidate)
    assert not verdict.accepted
    assert verdict.reason.endswith(f"({dropped})")


def test_negations_kept_are_accepted():
    v = negation_preserved()
    assert v("the movie was not good", "the film was not good").accepted
    assert v("not good, not bad", "not bad, not good").accepted  # reordered
    assert v("I don’t like it", "I don't like it").accepted  # apostrophe style only
    assert v("a good movie", "a great movie").accepted  # not an antonym


@pytest.mark.parametrize(("original", "candidate", "old", "new"), [
    ("a good movie", "a bad movie", "good", "bad"),
    ("a bad movie", "a good movie", "bad", "good"),
    ("it is not bad", "it is not good", "bad", "good"),
])
def test_antonym_swap_is_rejected(original, candidate, old, new):
    verdict = negation_preserved()(original, candidate)
    assert verdict == Verdict.reject(f"{old!r} became its antonym {new!r}")


def test_antonyms_false_skips_the_wordnet_check():
    assert negation_preserved(antonyms=False)("a good movie", "a bad movie").accepted


def test_custom_negators_replace_the_default_and_ignore_case():
    v = negation_preserved(["Nie", "NIGDY"], antonyms=False)
    assert v("to nie jest dobre", "to jest dobre").reason == "negators went from 1 to 0 (nie)"
    assert not v("dobre", "nigdy dobre").accepted
    assert v("the movie was not good", "the movie was good").accepted  # "not" is not listed


# -- protected_terms ------------------------------------------------------------------


def test_dropped_protected_term_is_rejected():
    verdict = protected_terms(terms=["new york"])("flights to New York", "flights to NY")
    assert verdict == Verdict.reject("dropped protected 'new york' (1 -> 0)")


def test_protected_terms_count_mentions_as_whole_words_ignoring_case():
    v = protected_terms(["new york"])
    assert v("flights to New York", "New York flights").accepted  # moved
    assert v("flights to New York", "flights to new  york").accepted  # spacing
    assert v("flights to new-york", "flights to New York").accepted  # dash
    assert v("a New Yorker", "a person").accepted  # not the term
    assert v("new york, new york", "new york").reason == "dropped protected 'new york' (2 -> 1)"
    assert v("no terms here", "none there").accepted


def test_protected_terms_lists_every_lost_term_sorted():
    v = protected_terms(["paris", "berlin"])
    assert v("Paris and Berlin", "somewhere").reason == (
        "dropped protected 'berlin' (1 -> 0), 'paris' (1 -> 0)")


def test_protected_terms_with_symbols_and_a_single_string():
    assert not protected_terms(["c++", "node.js"])("C++ and node.js", "C and node").accepted
    single = protected_terms("new york")
    assert single.terms == ["new york"]  # a string is one term, not letters


@pytest.mark.parametrize("terms", [[""], ["  "], [3]])
def test_protected_terms_refuses_blank_or_non_string_terms(terms):
    with pytest.raises(InvalidParameterError, match="'terms' parameter of protected_terms"):
        protected_terms(terms)


def test_protected_terms_needs_terms_or_a_lexicon():
    with pytest.raises(InvalidParameterError, match="needs terms=.* or lexicon="):
        protected_terms()
    with pytest.raises(InvalidParameterError, match="'lexicon' parameter of protected_terms"):
        protected_terms(["x"], lexicon=42)  # type: ignore[arg-type]
    with pytest.raises(ResourceNotFoundError, match="Lexicon file not found: 'ml'"):
        protected_terms(["x"], lexicon="ml")


def test_protected_terms_needs_labels_only_with_a_lexicon():
    assert protected_terms(["x"]).needs_label is False
    assert protected_terms(lexicon="default").needs_label is True
    assert protected_terms(["x"], lexicon=Lexicon.default()).needs_label is True


def test_default_lexicon_protects_the_keywords_of_multi_label_rows():
    v = protected_terms(lexicon="default")
    labels = [CV, NLP]
    verdict = v(rec("A CNN for image segmentation and NLP", labels),
                rec("A CNN for image segmentation and text", labels))
    assert verdict == Verdict.reject(f"dropped protected '{NLP} keyword' (1 -> 0)")
    dropped_child = v(rec("image segmentation with NLP", labels), rec("pictures with NLP", labels))
    assert dropped_child.reason == "dropped protected 'segmentation keyword' (1 -> 0)"


def test_default_lexicon_keywords_may_be_swapped_for_an_alias():
    v = protected_terms(lexicon="default")
    labels = ["convolutional-neural-networks", NLP]
    assert v(rec("A CNN for NLP", labels),
             rec("A convolutional neural network for natural language processing", labels)
             ).accepted
    assert not v(rec("A CNN for NLP", labels), rec("A model for NLP", labels)).accepted


def test_keywords_of_labels_the_row_lacks_are_not_protected():
    v = protected_terms(lexicon="default")
    assert v(rec("NLP with reinforcement learning", [NLP]), rec("NLP with tricks", [NLP])).accepted


def test_terms_and_lexicon_together():
    v = protected_terms(["berlin"], lexicon="default")
    assert not v(rec("NLP in Berlin", [NLP]), rec("NLP in Paris", [NLP])).accepted
    assert not v(rec("NLP in Berlin", [NLP]), rec("text in Berlin", [NLP])).accepted
    assert v(rec("NLP in Berlin", [NLP]), rec("nlp in berlin!", [NLP])).accepted


def test_default_lexicon_protects_cnn_for_a_row_labelled_with_it():
    # Made With ML's tags give convolutional-neural-networks no parent, so "CNN" is a keyword
    # of rows labelled with that tag, not of every computer-vision row.
    labels = [CV, "convolutional-neural-networks"]
    verdict = protected_terms(lexicon="default")(
        rec("A CNN for image segmentation", labels), rec("A model for image segmentation", labels))
    assert not verdict.accepted and "convolutional-neural-networks" in verdict.reason
    cv_only = protected_terms(lexicon="default")(
        rec("A CNN for image segmentation", [CV]), rec("A model for image segmentation", [CV]))
    assert cv_only.accepted


# -- length_bounds --------------------------------------------------------------------


def test_length_bounds_token_limits():
    assert length_bounds(min_tokens=2)("a b c", "a").reason == "1 tokens (fewest allowed: 2)"
    assert length_bounds(max_tokens=2)("a b", "a b c").reason == "3 tokens (most allowed: 2)"
    assert length_bounds(min_tokens=2, max_tokens=3)("a b c", "a b").accepted
    assert length_bounds(min_tokens=0)("a", "").accepted


def test_length_bounds_changed_share_is_the_score():
    rejected = length_bounds(max_changed=0.25)("a b c d", "a x y d")
    assert rejected == Verdict.reject("50% of the words changed (most allowed: 25%)", 0.5)
    assert rejected.describe("length_bounds") == (
        "length_bounds: rejected (0.5): 50% of the words changed (most allowed: 25%)")
    accepted = length_bounds(max_changed=0.25)("a b c d", "a x c d")
    assert accepted == Verdict.accept(score=0.25)  # at the bound: kept
    assert length_bounds(max_tokens=10)("a b", "a b c").score == 0.5


@pytest.mark.parametrize(("before", "after", "share"), [
    ("a b c d", "a b c d", 0.0), ("a b c d", "c b a d", 0.5), ("a b", "a b c d", 1.0),
    ("a b c d", "", 1.0), ("", "", 0.0), ("", "a", 1.0), ("a b c d", "b c d", 0.25),
])
def test_changed_share(before, after, share):
    assert changed_share(before.split(), after.split()) == share


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "needs at least one of"),
    ({"min_tokens": -1}, "'min_tokens' parameter"),
    ({"max_tokens": 2.5}, "'max_tokens' parameter"),
    ({"min_tokens": True}, "'min_tokens' parameter"),
    ({"max_changed": 1.5}, "'max_changed' parameter"),
    ({"max_changed": -0.1}, "'max_changed' parameter"),
    ({"max_changed": True}, "'max_changed' parameter"),
    ({"max_changed": "0.5"}, "'max_changed' parameter"),
    ({"min_tokens": 5, "max_tokens": 2}, r"min_tokens \(5\) is above max_tokens \(2\)"),
])
def test_length_bounds_parameters(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        length_bounds(**kwargs)


def test_length_bounds_takes_int_shares():
    assert length_bounds(max_changed=1)("a", "b").accepted
    assert not length_bounds(max_changed=0)("a", "b").accepted


# -- lexicon_consistent ---------------------------------------------------------------


def test_lexicon_consistent_rejects_lost_label_keywords():
    v = lexicon_consistent()
    assert v.needs_label is True
    verdict = v(rec("A CNN for NLP", [NLP]), rec("A CNN for text", [NLP]))
    assert verdict == Verdict.reject(f"keywords of {NLP} no longer appear")


def test_lexicon_consistent_rejects_keywords_of_another_label():
    verdict = lexicon_consistent()(rec("NLP for search", [NLP]),
                                   rec("NLP for reinforcement learning", [NLP]))
    assert verdict == Verdict.reject(
        f"keywords of reinforcement-learning appear, a label the row does not have "
        f"(its labels: ['{NLP}'])")


def test_lexicon_consistent_accepts_aliases_and_keywords_already_there():
    v = lexicon_consistent()
    assert v(rec("NLP for search", [NLP]), rec("natural language processing for search", [NLP])
             ).accepted
    assert v(rec("NLP and reinforcement learning", [NLP]),
             rec("NLP plus reinforcement learning", [NLP])).accepted


def test_lexicon_consistent_counts_child_tags_of_a_label():
    v = lexicon_consistent()
    labels = [CV, NLP]  # segmentation is a child of computer-vision
    assert v(rec("image segmentation and NLP", labels), rec("image segmentation, NLP", labels)
             ).accepted
    assert v(rec("image segmentation and NLP", labels), rec("pictures and NLP", labels)
             ).reason == "keywords of segmentation no longer appear"


def test_label_keywords_for_a_sentiment_dataset_with_int_labels():
    v = lexicon_consistent(SENTIMENT, name="sentiment_words")
    assert v.name == "sentiment_words"
    assert v(rec("a great movie", 1), rec("an excellent movie", 1)).accepted
    assert v(rec("a great movie", 1), rec("a movie", 1)).reason == (
        "keywords of 1 no longer appear")
    assert v(rec("a great movie", 1), rec("a great movie, not boring", 1)).reason == (
        "keywords of 0 appear, a label the row does not have (its labels: [1])")
    assert v(rec("a great movie", 1), rec("an awful movie", 1)).reason == (
        "keywords of 1 no longer appear")  # the first problem found


def test_lexicon_consistent_lexicon_parameter():
    with pytest.raises(InvalidParameterError, match="'lexicon' parameter of lexicon_consistent"):
        lexicon_consistent(42)  # type: ignore[arg-type]
    with pytest.raises(ResourceNotFoundError, match="Lexicon file not found"):
        lexicon_consistent("ml_aliases.json")
    custom = Lexicon({"graphs": ["gnn"]}, inflect=False)
    assert not lexicon_consistent(custom)(rec("a GNN", ["graphs"]), rec("a net", ["graphs"]))


def test_lexicon_consistent_refuses_none():
    with pytest.raises(InvalidParameterError, match="lexicon_consistent needs a lexicon"):
        lexicon_consistent(None)  # type: ignore[arg-type]


def test_verdicts_do_not_depend_on_the_labels_seen_before():
    v = lexicon_consistent(label_keywords({1: ["great"], 0: ["awful"]}))
    v(rec("a great movie", 1.0), rec("a movie", 1.0))
    assert not v(rec("a great movie", 1), rec("a movie", 1)).accepted


# -- every validator: NaN text, multi-label rows, names, pickling ------------------------


@pytest.mark.parametrize("v", every_validator(), ids=IDS)
@pytest.mark.parametrize(("bad", "problem"), [
    (float("nan"), "missing (nan)"), (np.nan, "missing (nan)"), (None, "missing (None)"),
    (pd.NA, "missing (<NA>)"), (3, "int (3)"),
], ids=["nan", "np-nan", "none", "pd-na", "int"])
def test_non_string_text_is_a_clear_error(v, bad, problem):
    good = rec("NLP in new york", [NLP])
    pattern = (rf"The (original|row) text is {re.escape(problem)}; validators check strings. "
               r"Drop or fill such rows first")
    with pytest.raises(InvalidParameterError, match=pattern):
        v.check(rec(bad, [NLP]), good)
    with pytest.raises(InvalidParameterError, match=pattern.replace("original", "candidate")):
        v.check(good, rec(bad, [NLP]))
    with pytest.raises(InvalidParameterError, match="validators check strings"):
        v({"text": bad, "label": [NLP]}, {"text": "NLP", "label": [NLP]})


@pytest.mark.parametrize("v", every_validator(), ids=IDS)
@pytest.mark.parametrize("labels", [[CV, NLP], (CV, NLP), np.array([CV, NLP])],
                         ids=["list", "tuple", "array"])
def test_every_validator_reads_multi_label_rows(v, labels):
    original = {"text": "image segmentation and NLP in New York", "label": labels}
    kept = {"text": "image segmentation and NLP in New York!", "label": labels}
    assert v(original, kept).accepted


@pytest.mark.parametrize(("v", "candidate"), list(zip(every_validator(), [
    "Image segmentation and NLP in New  York",  # same once normalised
    "image segmentation and NLP not in New York",
    "image segmentation and NLP in Boston",
    "image segmentation and text in New York",
    "a",  # 90% changed is the limit
    "image segmentation and reinforcement learning and NLP in New York",
], strict=True)), ids=IDS)
def test_every_validator_rejects_on_multi_label_rows(v, candidate):
    labels = [CV, NLP]
    verdict = v({"text": "image segmentation and NLP in New York", "label": labels},
                {"text": candidate, "label": labels})
    assert not verdict.accepted and verdict.reason


@pytest.mark.parametrize("v", every_validator(), ids=IDS)
def test_validators_pickle_for_worker_processes(v):
    again = pickle.loads(pickle.dumps(v))
    assert (again.name, again.needs_label, type(again)) == (v.name, v.needs_label, type(v))
    pair = ({"text": "NLP in New York", "label": [NLP]}, {"text": "text", "label": [NLP]})
    assert again(*pair) == v(*pair)


@pytest.mark.parametrize("name", IDS[:3] + IDS[4:])
def test_factories_are_named_as_their_validators(name):
    kwargs = {"protected_terms": {"terms": ["x"]}, "length_bounds": {"max_tokens": 5}}
    built = FACTORIES[name](**kwargs.get(name, {}))
    assert isinstance(built, Validator)
    assert built.name == name
    assert FACTORIES[name](**kwargs.get(name, {}), name="custom").name == "custom"


# -- judge ----------------------------------------------------------------------------


def test_judge_runs_in_order_and_stops_at_the_first_rejection():
    first, second = ShorterBatch("first"), ShorterBatch("second")
    originals = [rec("abc")] * 3
    candidates = [rec("ab"), rec("abcd"), rec("a")]
    results = judge([first, second], originals, candidates, [0, 1, 2], {})
    assert first.batches == [3] and second.batches == [2]  # one batch each, survivors only
    assert [[name for name, _ in r] for r in results] == [["first", "second"], ["first"],
                                                         ["first", "second"]]
    assert [passed(r, [first, second]) for r in results] == [True, False, True]
    assert describe(results[1]) == "first: rejected: longer"


def test_judge_sibling_rejection_replaces_the_verdict_and_fills_accepted():
    checks = [not_identical(), negation_preserved()]
    accepted: dict[int, list[Record]] = {}
    results = judge(checks, [rec("a film")] * 3, [rec("a movie"), rec("A  MOVIE"), rec("a flick")],
                    [0, 0, 0], accepted)
    assert describe(results[0]) == "not_identical: accepted; negation_preserved: accepted"
    assert describe(results[1]).startswith(
        "not_identical: rejected: same as another augmentation of this row")
    assert [r.text for r in accepted[0]] == ["a movie", "a flick"]


def test_judge_with_nothing_to_judge_calls_no_validator():
    spy = ShorterBatch()
    assert judge([spy], [], [], [], {}) == []
    assert spy.batches == []


class Returns(Validator):
    def __init__(self, make):
        super().__init__("odd_batch")
        self.make = make

    def check_batch(self, originals, candidates):
        return self.make(candidates)


@pytest.mark.parametrize("make", [
    lambda c: [Verdict.accept()] * (len(c) - 1),
    lambda c: [Verdict.accept()] * (len(c) + 1),
    lambda c: [True] * len(c),
], ids=["too-few", "too-many", "bools"])
def test_judge_refuses_a_wrong_batch_with_a_type_error(make):
    with pytest.raises(TypeError, match=r"Validator 'odd_batch': check_batch must return a "
                                        r"list of one Verdict per candidate \(2 here\)"):
        judge([Returns(make)], [rec("a")] * 2, [rec("b"), rec("c")], [0, 1], {})


def test_judge_takes_a_generator_and_names_the_validator_for_none():
    make = lambda c: (Verdict.accept() for _ in c)  # noqa: E731
    judged = judge([Returns(make)], [rec("a")] * 2, [rec("b"), rec("c")], [0, 1], {})
    assert [[v.accepted for _, v in j] for j in judged] == [[True], [True]]
    with pytest.raises(TypeError, match="'odd_batch'.* it returned NoneType"):
        judge([Returns(lambda c: None)], [rec("a")] * 2, [rec("b"), rec("c")], [0, 1], {})


def test_a_single_negator_may_be_given_as_a_string():
    v = negation_preserved("never", antonyms=False)
    assert not v("it was never boring", "it was boring").accepted


def test_lf_agreement_reads_labels_by_the_class_names_it_is_given():
    import textaug
    from textaug.labeling.lf import keyword_lfs, regex_lf

    classes = ["computer-vision", "nlp", "other"]
    lexicon = textaug.Lexicon({"computer-vision": ["image"], "nlp": ["text"]})
    lfs = [*keyword_lfs(lexicon, labels={"computer-vision": 0, "nlp": 1}),
           regex_lf("misc", r"(?i)\bmisc\b", 2)]
    check = textaug.validators.lf_agreement(lfs, classes=classes)
    other = {"text": "misc notes", "label": "other"}
    assert check(other, {"text": "misc stuff", "label": "other"}).accepted
    assert not check(other, {"text": "image stuff", "label": "other"}).accepted
    assert check(other, {"text": "plain stuff", "label": "other"}).accepted  # no vote: kept
    with pytest.raises(textaug.InvalidParameterError, match="classes="):
        textaug.validators.lf_agreement(lfs)(other, {"text": "image", "label": "other"})
    with pytest.raises(textaug.InvalidParameterError, match="LF of that tag votes 1"):
        textaug.validators.lf_agreement(lfs, classes=["nlp", "computer-vision", "other"])
