"""Validators inside augment(): retries, determinism, provenance, the report, errors.

The TFs and validators are module-level so worker processes (n_jobs=2) can unpickle them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import textaug
from tests.conftest import add_bang, explode, never
from textaug import (
    ApplyAllPolicy,
    ApplyOnePolicy,
    Augmenter,
    ColumnNotFoundError,
    InvalidParameterError,
    LeakageError,
    RandomPolicy,
    TextaugError,
    TextaugWarning,
    augment,
    transformation_function,
)
from textaug.records import ATTEMPTS, IS_ORIGINAL, SOURCE, TFS, VERDICTS
from textaug.testing import assert_labels_preserved
from textaug.tfs import random_deletion, random_swap, swap_aliases
from textaug.validators import (
    Validator,
    Verdict,
    length_bounds,
    lexicon_consistent,
    negation_preserved,
    not_identical,
    protected_terms,
    validator,
)

NLP = "natural-language-processing"
NEGATED = ["the movie was not good", "it is not bad at all", "I don't like this film"]
PLAIN = ["a fine film for kids", "great acting and a strong plot", "the story drags on"]


def sentiment() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [10, 11, 12, 13, 14, 15],
        "text": [NEGATED[0], PLAIN[0], NEGATED[1], PLAIN[1], NEGATED[2], PLAIN[2]],
        "y": [0, 1, 1, 1, 0, 0],
        "tags": [["review", "negative"], ["review"], ["review", "positive"], ["review"],
                 ["review", "negative"], ["review", "negative"]],
    })


def ml_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 2, 3],
        "text": ["A CNN for NLP benchmarks", "NLP for search engines",
                 "image segmentation and NLP"],
        "tags": [["convolutional-neural-networks", NLP], [NLP], ["computer-vision", NLP]],
    })


@transformation_function()
def drop_not(x):
    """Drop every negator it knows and mark the change: negated rows are always rejected."""
    text = re.sub(r"\b(not|don't) ", "", x.text)
    return x.replace(text=text + " indeed")


@transformation_function()
def coin_drop_not(x, rng):
    """Half the draws drop the first 'not'; the others add one to three '!'."""
    if " not " in f" {x.text} " and rng.random() < 0.5:
        return x.replace(text=x.text.replace("not ", "", 1))
    return x.replace(text=x.text + "!" * (1 + rng.integers(3)))


@transformation_function()
def echo(x, rng):
    """Append ' wow', ' WOW' or ' yay': at most two differ once case is ignored."""
    return x.replace(text=x.text + (" wow", " WOW", " yay")[rng.integers(3)])


@transformation_function()
def drop_nlp(x):
    """Replace the NLP keyword: a label keyword lost."""
    return x.replace(text=x.text.replace("NLP", "text"))


@transformation_function()
def to_none(x):
    return x.replace(text=None)


def calm(original, candidate):
    """At most two '!' in a row."""
    return "!!!" not in candidate.text


def accept_all(original, candidate):
    return True


class WrongCount(Validator):
    def check_batch(self, originals, candidates):
        return [Verdict.accept()] * (len(candidates) + 1)


class Spy(Validator):
    """Records each batch it judges (in this process)."""

    def __init__(self, name="spy", needs_label=False):
        super().__init__(name, needs_label)
        self.batches: list[list[tuple[str, str, tuple]]] = []

    def check_batch(self, originals, candidates):
        self.batches.append([(o.text, c.text, c.labels) for o, c in
                             zip(originals, candidates, strict=True)])
        return [Verdict.accept() for _ in candidates]


MAKERS = {  # built in the tests, so that importing this module (worker processes do) is cheap
    "not_identical": lambda: not_identical(),
    "negation_preserved": lambda: negation_preserved(),
    "protected_terms": lambda: protected_terms(["new york"]),
    "protected_keywords": lambda: protected_terms(lexicon="default", name="protected_keywords"),
    "length_bounds": lambda: length_bounds(max_changed=0.9),
    "lexicon_consistent": lambda: lexicon_consistent(),
}
EVERY = sorted(MAKERS)


def made(out: pd.DataFrame) -> pd.DataFrame:
    return out[~out[IS_ORIGINAL]]


# -- the sentiment example: rejection, retries, giving up -----------------------------


def test_negated_rows_never_lose_their_negation():
    out, report = augment(sentiment(), [drop_not], seed=0, key="id", max_attempts=3,
                          validators=[not_identical(), negation_preserved()],
                          return_report=True)
    assert "the movie was good indeed" not in set(out["text"])
    assert made(out)["text"].tolist() == [t + " indeed" for t in PLAIN]
    assert report.unaugmented == [10, 12, 14]
    assert report.rejected_on_every_attempt == 3
    assert report.retries == 3 * 2  # attempts 2 and 3 of each negated row
    assert report.rejections_total == 9
    assert report.tfs["drop_not"].applied == 3 + 3 * 3  # redrawn candidates call the TF again
    rejected = report.rejections_frame()
    assert list(rejected.columns) == ["key", "draw", "attempt", "tfs", "validator", "reason",
                                      "score", "text"]
    first = rejected[rejected["key"] == 10]
    assert first["attempt"].tolist() == [1, 2, 3]
    assert set(first["validator"]) == {"negation_preserved"}
    assert set(first["reason"]) == {"negators went from 1 to 0 (not)"}
    assert set(first["text"]) == {"the movie was good indeed"}
    assert set(rejected.loc[rejected["key"] == 14, "reason"]) == {
        "negators went from 1 to 0 (don't)"}


def test_given_up_rows_are_reported_and_warned_about_without_originals():
    policy = ApplyOnePolicy(n_per_original=1, keep_original=False)
    with pytest.warns(TextaugWarning, match="3 rows yielded no augmentation"):
        out, report = augment(sentiment(), [drop_not], policy, seed=0, key="id",
                              validators=[negation_preserved()], return_report=True)
    assert out[SOURCE].tolist() == [11, 13, 15]
    assert report.unaugmented == [10, 12, 14]


def test_max_attempts_one_never_redraws():
    out, report = augment(sentiment(), [drop_not], seed=0, key="id", max_attempts=1,
                          validators=[negation_preserved()], return_report=True)
    assert report.retries == 0
    assert report.rejections_total == report.rejected_on_every_attempt == 3
    assert report.tfs["drop_not"].applied == 6
    assert set(report.rejections_frame()["attempt"]) == {1}
    assert set(made(out)[ATTEMPTS]) == {1}


def test_retries_draw_afresh_until_a_candidate_passes():
    kwargs = {"policy": ApplyOnePolicy(n_per_original=2), "seed": 3, "key": "id"}
    checks = [not_identical(), negation_preserved(antonyms=False)]
    out, report = augment(sentiment(), [coin_drop_not], validators=checks, max_attempts=5,
                          return_report=True, **kwargs)
    augmented = made(out)
    assert (augmented[ATTEMPTS] > 1).any(), "the seed should need a retry somewhere"
    assert report.retries > 0
    for text, source, attempts, log in zip(augmented["text"], augmented[SOURCE],
                                           augmented[ATTEMPTS], augmented[VERDICTS],
                                           strict=True):
        segments = log.split(" | ")
        assert [s.split(":")[0] for s in segments] == [f"attempt {a}" for a in
                                                       range(1, attempts + 1)]
        assert all("rejected" in s for s in segments[:-1])
        assert segments[-1] == (f"attempt {attempts}: not_identical: accepted; "
                                "negation_preserved: accepted")
        original = sentiment().set_index("id").loc[source, "text"]
        assert text.count("not") == original.count("not")
    assert_labels_preserved(out, checks)


def test_first_attempt_uses_the_seed_of_a_run_without_validators():
    frame = sentiment()
    common = {"seed": 9, "key": "id"}
    plain = augment(frame, [coin_drop_not], **common)
    checked, report = augment(frame, [coin_drop_not], validators=[negation_preserved()],
                              return_report=True, **common)
    before = made(plain).set_index(SOURCE)["text"]
    after = made(checked).set_index(SOURCE)
    first = after[after[ATTEMPTS] == 1]
    assert len(first) and (after[ATTEMPTS] > 1).any(), "the seed should mix first tries, retries"
    assert first["text"].to_dict() == before[first.index].to_dict()
    # a retried row's first rejected try is exactly the validator-free draw; the retry differs
    rejected = report.rejections_frame()
    for source in after.index[after[ATTEMPTS] > 1]:
        tries = rejected[rejected["key"] == source].sort_values("attempt")
        assert tries["text"].iloc[0] == before[source]
        assert after.loc[source, "text"] not in set(tries["text"])


def test_validators_that_accept_everything_change_nothing():
    frame = sentiment()
    common = {"policy": RandomPolicy(sequence_length=2, n_per_original=3), "seed": 11,
              "key": "id", "label": "tags"}
    tfs = [add_bang, random_swap(0.3), random_deletion(0.3)]
    plain, plain_report = augment(frame, tfs, return_report=True, **common)
    checked, report = augment(frame, tfs, validators=[accept_all, lambda o, c: Verdict.accept(),
                                                      length_bounds(max_tokens=1_000)],
                              return_report=True, **common)
    pd.testing.assert_frame_equal(checked.drop(columns=[ATTEMPTS, VERDICTS]), plain)
    assert checked[ATTEMPTS].tolist() == [0 if o else 1 for o in checked[IS_ORIGINAL]]
    assert set(made(checked)[VERDICTS].str.replace(r" \([\d.e-]+\)", "", regex=True)) == {
        "attempt 1: accept_all: accepted; <lambda>: accepted; length_bounds: accepted"}
    assert (report.retries, report.rejections_total) == (0, 0)
    assert report.to_frame().equals(plain_report.to_frame())


# -- determinism, chunking, row order, worker processes --------------------------------


RUN = {"policy": ApplyOnePolicy(n_per_original=2), "seed": 2, "key": "id",
       "validators": [not_identical(), negation_preserved(antonyms=False), calm],
       "max_attempts": 4}


def test_same_seed_same_output_including_verdicts():
    first, report1 = augment(sentiment(), [coin_drop_not], return_report=True, **RUN)
    second, report2 = augment(sentiment(), [coin_drop_not], return_report=True, **RUN)
    pd.testing.assert_frame_equal(first, second)
    assert str(report1) == str(report2)
    pd.testing.assert_frame_equal(report1.rejections_frame(), report2.rejections_frame())
    other = augment(sentiment(), [coin_drop_not], **{**RUN, "seed": 7})
    assert not first.equals(other)


@pytest.mark.parametrize("chunk_size", [1, 2, 4])
def test_streaming_in_chunks_equals_one_shot(chunk_size):
    one, report = augment(sentiment(), [coin_drop_not], return_report=True, **RUN)
    runner = Augmenter([coin_drop_not], **RUN)
    streamed = pd.concat(list(runner.stream(sentiment(), chunk_size=chunk_size)))
    pd.testing.assert_frame_equal(streamed, one)
    assert str(runner.report_) == str(report)
    assert runner.report_.verdicts_frame().equals(report.verdicts_frame())


def test_a_rows_augmentations_do_not_depend_on_row_order():
    columns = ["text", TFS, ATTEMPTS, VERDICTS]

    def per_source(out):
        return {s: sorted(map(tuple, group[columns].values.tolist()))
                for s, group in made(out).groupby(SOURCE)}

    forward = augment(sentiment(), [coin_drop_not], **RUN)
    backward = augment(sentiment().iloc[::-1], [coin_drop_not], **RUN)
    assert per_source(forward) == per_source(backward)


def test_worker_processes_give_the_same_rows_and_report():
    big = pd.concat([sentiment().assign(id=sentiment()["id"] + 100 * i) for i in range(4)],
                    ignore_index=True)
    one, report1 = augment(big, [coin_drop_not], return_report=True, **RUN)
    two, report2 = augment(big, [coin_drop_not], n_jobs=2, return_report=True, **RUN)
    pd.testing.assert_frame_equal(one, two)
    assert str(report1) == str(report2)
    assert report1.verdicts_frame().equals(report2.verdicts_frame())
    # the kept rejections come chunk by chunk, so only their set is the same (see the report)
    order = ["key", "draw", "attempt"]
    pd.testing.assert_frame_equal(
        report1.rejections_frame().sort_values(order, ignore_index=True),
        report2.rejections_frame().sort_values(order, ignore_index=True))
    assert report1.unaugmented == report2.unaugmented


# -- provenance and the report --------------------------------------------------------


def test_provenance_columns():
    out = augment(sentiment(), [drop_not], seed=0, key="id",
                  validators=[not_identical(), negation_preserved()])
    assert list(out.columns)[-5:] == [SOURCE, IS_ORIGINAL, TFS, ATTEMPTS, VERDICTS]
    assert out[ATTEMPTS].dtype == np.int64
    originals = out[out[IS_ORIGINAL]]
    assert set(originals[ATTEMPTS]) == {0} and set(originals[VERDICTS]) == {""}
    augmented = made(out)
    assert augmented[TFS].tolist() == ["drop_not"] * 3
    assert set(augmented[VERDICTS]) == {
        "attempt 1: not_identical: accepted; negation_preserved: accepted"}
    assert augmented["y"].tolist() == [1, 1, 0]  # labels travel with their rows
    plain = augment(sentiment(), [drop_not], seed=0, key="id")
    assert ATTEMPTS not in plain.columns and VERDICTS not in plain.columns


def test_verdict_log_of_a_retried_candidate_shows_every_attempt():
    frame = pd.DataFrame({"text": ["the movie was not good"]})
    out = augment(frame, [coin_drop_not], ApplyOnePolicy(n_per_original=6), seed=0,
                  validators=[negation_preserved()], max_attempts=6)
    logs = made(out)[VERDICTS].tolist()
    retried = [log for log in logs if log.count("attempt") > 1]
    assert retried, "the seed should need a retry somewhere"
    assert retried[0].startswith(
        "attempt 1: negation_preserved: rejected: negators went from 1 to 0 (not) | attempt 2: ")


def test_report_counts_verdicts_per_tf_and_validator():
    _, report = augment(sentiment(), [drop_not, add_bang], ApplyAllPolicy(), seed=0, key="id",
                        validators=[not_identical(), negation_preserved()], return_report=True)
    frame = report.verdicts_frame()
    assert frame.index.names == ["tf", "validator"]
    assert list(frame.columns) == ["accepted", "rejected"]
    assert frame.index.tolist() == [("drop_not>add_bang", "not_identical"),
                                    ("drop_not>add_bang", "negation_preserved")]
    assert frame.loc[("drop_not>add_bang", "not_identical")].tolist() == [3 + 9, 0]
    assert frame.loc[("drop_not>add_bang", "negation_preserved")].tolist() == [3, 9]
    assert frame["rejected"].sum() == report.rejections_total
    text = str(report)
    assert "validators: 9 candidates rejected, 6 redrawn, 3 given up" in text
    assert "drop_not>add_bang x negation_preserved: accepted 3, rejected 9" in text
    assert "rows with no augmentation: 3 (10, 12, 14)" in text


def test_verdicts_frame_orders_validators_as_given():
    _, report = augment(sentiment(), [drop_not], seed=0, key="id", return_report=True,
                        validators=[negation_preserved(), length_bounds(max_tokens=99),
                                    not_identical()])
    assert [v for _, v in report.verdicts_frame().index] == [
        "negation_preserved", "length_bounds", "not_identical"]
    # a later validator counts only what the earlier ones let through
    assert report.verdicts_frame()["accepted"].tolist() == [3, 3, 3]


def test_sibling_check_redraws_candidates_equal_to_an_accepted_one():
    frame = sentiment().iloc[:3]
    out, report = augment(frame, [echo], ApplyOnePolicy(n_per_original=3), seed=0, key="id",
                          validators=[not_identical()], return_report=True)
    for _, group in made(out).groupby(SOURCE):
        normal = [" ".join(t.casefold().split()) for t in group["text"]]
        assert len(normal) == len(set(normal)) <= 2
    reasons = set(report.rejections_frame()["reason"])
    assert reasons == {"same as another augmentation of this row once case and spacing are "
                       "ignored"}
    assert report.rejected_on_every_attempt >= 3  # the third draw of each row has no way out


def test_validators_see_each_changed_candidate_once_per_attempt_with_labels():
    spy = Spy(needs_label=True)
    out = augment(sentiment(), [drop_not], seed=0, key="id", label="tags",
                  validators=[negation_preserved(), spy])
    assert len(spy.batches) == 1  # negated rows never reach the spy, so no second round
    assert [c for _, c, _ in spy.batches[0]] == made(out)["text"].tolist()
    assert [labels for _, _, labels in spy.batches[0]] == [("review",)] * 2 + [
        ("review", "negative")]


def test_unchanged_and_failed_candidates_are_not_judged():
    spy = Spy()
    out, report = augment(sentiment(), [never], seed=0, key="id", validators=[spy],
                          return_report=True)
    assert spy.batches in ([], [[]])
    assert report.verdicts == {} and len(made(out)) == 0
    frame = sentiment().assign(text=lambda d: d["text"].where(d["id"] != 11, "boom"))
    spy = Spy()
    out, report = augment(frame, [explode], seed=0, key="id", validators=[spy],
                          on_error="skip", return_report=True)
    judged = [c for batch in spy.batches for _, c, _ in batch]
    assert "boom ok" not in judged and len(judged) == 5
    assert report.errors_total == 1 and 11 in report.unaugmented


# -- plain callables, names, malformed validators ---------------------------------------


def test_plain_callables_are_validators():
    out, report = augment(sentiment(), [drop_not], seed=0, key="id", return_report=True,
                          validators=[lambda o, c: o.y == 1])
    assert made(out)[SOURCE].tolist() == [11, 12, 13]
    assert report.unaugmented == [10, 14, 15]
    assert set(report.rejections_frame()["reason"]) == {"<lambda> returned False"}
    assert set(report.rejections_frame()["validator"]) == {"<lambda>"}


def test_a_single_validator_need_not_be_in_a_list():
    one = augment(sentiment(), [drop_not], seed=0, key="id", validators=negation_preserved())
    listed = augment(sentiment(), [drop_not], seed=0, key="id",
                     validators=[negation_preserved()])
    pd.testing.assert_frame_equal(one, listed)
    bare = augment(sentiment(), [drop_not], seed=0, key="id", validators=calm)
    assert set(made(bare)[VERDICTS]) == {"attempt 1: calm: accepted"}


def test_function_validator_scores_reach_the_verdict_log():
    @validator(name="scored")
    def scored(original, candidate):
        return Verdict.accept(score=0.5)

    out = augment(sentiment(), [drop_not], seed=0, key="id", validators=[scored])
    assert set(made(out)[VERDICTS]) == {"attempt 1: scored: accepted (0.5)"}


@pytest.mark.parametrize("checks", [
    [not_identical(), not_identical()],
    [accept_all, accept_all],
    [lambda o, c: True, lambda o, c: True],
    [calm, validator(name="calm")(accept_all)],
], ids=["factories", "functions", "lambdas", "renamed"])
def test_duplicate_validator_names_are_refused(checks):
    with pytest.raises(InvalidParameterError, match="Validator names must be unique"):
        augment(sentiment(), [drop_not], seed=0, validators=checks)


def test_renaming_one_resolves_a_name_clash():
    out = augment(sentiment(), [drop_not], seed=0, key="id",
                  validators=[not_identical(), not_identical(name="not_identical_again")])
    assert "not_identical_again: accepted" in made(out)[VERDICTS].iloc[0]


def test_a_validator_returning_the_wrong_number_of_verdicts_is_a_type_error():
    with pytest.raises(TypeError, match=r"Validator 'wrong': check_batch must return a list "
                                        r"of one Verdict per candidate \(6 here\); it "
                                        r"returned 7 items"):
        augment(sentiment(), [drop_not], seed=0, validators=[WrongCount("wrong")])


def test_a_function_returning_something_else_is_a_type_error():
    with pytest.raises(TypeError, match="Validator 'answer' returned str"):
        augment(sentiment(), [drop_not], seed=0,
                validators=[validator(name="answer")(lambda o, c: "yes")])


@pytest.mark.parametrize("bad", ["not_identical", [3], [None]])
def test_non_validators_are_refused(bad):
    with pytest.raises(InvalidParameterError, match="validators= takes Validator objects"):
        augment(sentiment(), [drop_not], seed=0, validators=bad)


@pytest.mark.parametrize("max_attempts", [0, -1, 1.5, True, "3"])
def test_max_attempts_must_be_a_positive_int(max_attempts):
    with pytest.raises(InvalidParameterError, match="'max_attempts' parameter of augment"):
        augment(sentiment(), [drop_not], seed=0, validators=[calm], max_attempts=max_attempts)


# -- every validator: empty frames, NaN text, columns, multi-label rows ------------------


@pytest.mark.parametrize("name", EVERY)
def test_empty_frame(name):
    v = MAKERS[name]()
    empty = ml_frame().iloc[:0]
    out, report = augment(empty, [drop_nlp], seed=0, key="id", label="tags", validators=[v],
                          return_report=True)
    assert len(out) == 0
    assert list(out.columns) == [*empty.columns, SOURCE, IS_ORIGINAL, TFS, ATTEMPTS, VERDICTS]
    assert (report.input_rows, report.output_rows, report.rejections_total) == (0, 0, 0)
    assert report.verdicts_frame().empty and report.rejections_frame().empty


@pytest.mark.parametrize("name", EVERY)
@pytest.mark.parametrize("bad", [np.nan, None], ids=["nan", "none"])
def test_nan_text_is_refused_with_the_row_named(name, bad):
    v = MAKERS[name]()
    frame = ml_frame()
    frame.loc[1, "text"] = bad
    with pytest.raises(InvalidParameterError, match=r"Text column 'text' has 1 non-string "
                                                    r"values \(2: (nan|None)\)"):
        augment(frame, [drop_nlp], seed=0, key="id", label="tags", validators=[v])


@pytest.mark.parametrize("name", EVERY)
def test_a_tf_that_makes_non_string_text_is_a_tf_error(name):
    v = MAKERS[name]()
    with pytest.raises(TextaugError, match=r"TF 'to_none' failed on row .*returned text None"):
        augment(ml_frame(), [to_none], seed=0, label="tags", validators=[v])
    out, report = augment(ml_frame(), [to_none], seed=0, label="tags", validators=[v],
                          on_error="skip", return_report=True)
    assert report.errors_total == len(ml_frame()) and out["textaug_is_original"].all()


@pytest.mark.parametrize("name", EVERY)
@pytest.mark.parametrize(("role", "column"), [("label", "labels"), ("text", "body"),
                                              ("key", "uid")])
def test_missing_columns_are_named_with_the_columns_there_are(name, role, column):
    v = MAKERS[name]()
    kwargs = {"label": "tags", "key": "id", role: column}
    with pytest.raises(ColumnNotFoundError) as info:
        augment(ml_frame(), [drop_nlp], seed=0, validators=[v], **kwargs)
    message = str(info.value)
    assert f"{role.capitalize()} column {column!r} not in DataFrame" in message
    assert "Available columns: ['id', 'text', 'tags']" in message


@pytest.mark.parametrize("name", ["protected_keywords", "lexicon_consistent", "custom"])
def test_label_reading_validators_need_label(name):
    v = Spy("custom", needs_label=True) if name == "custom" else MAKERS[name]()
    with pytest.raises(InvalidParameterError, match=rf"\['{v.name}'\] read the row's labels: "
                                                    r"pass label="):
        augment(ml_frame(), [drop_nlp], seed=0, validators=[v])
    with pytest.raises(InvalidParameterError, match="read the row's labels"):
        Augmenter([drop_nlp], validators=[not_identical(), v])


@pytest.mark.parametrize("name", ["not_identical", "negation_preserved", "protected_terms",
                                  "length_bounds"])
def test_label_free_validators_run_without_label(name):
    out = augment(ml_frame(), [add_bang], seed=0, key="id", validators=[MAKERS[name]()])
    assert len(made(out)) == 3


@pytest.mark.parametrize("name", EVERY)
def test_multi_label_rows_keep_their_list_labels(name):
    v = MAKERS[name]()
    out = augment(ml_frame(), [swap_aliases()], ApplyOnePolicy(n_per_original=2), seed=0,
                  key="id", label="tags", validators=[v])
    assert len(made(out)) > 0
    tags = dict(zip(ml_frame()["id"], ml_frame()["tags"], strict=True))
    for source, labels in zip(out[SOURCE], out["tags"], strict=True):
        assert isinstance(labels, list) and labels == tags[source]
    assert_labels_preserved(out, [v], label="tags")


def test_label_keyword_validators_reject_a_dropped_keyword_of_multi_label_rows():
    checks = [protected_terms(lexicon="default"), lexicon_consistent()]
    out, report = augment(ml_frame(), [drop_nlp], seed=0, key="id", label="tags",
                          validators=checks, max_attempts=2, return_report=True)
    assert len(made(out)) == 0
    assert report.unaugmented == [1, 2, 3]
    assert set(report.rejections_frame()["reason"]) == {
        f"dropped protected '{NLP} keyword' (1 -> 0)"}
    # without protected_terms in front, lexicon_consistent says the same in its words
    _, report = augment(ml_frame(), [drop_nlp], seed=0, key="id", label="tags",
                        validators=[lexicon_consistent()], return_report=True)
    assert set(report.rejections_frame()["reason"]) == {f"keywords of {NLP} no longer appear"}


# -- evaluation splits ----------------------------------------------------------------


@pytest.mark.parametrize("split", ["val", "test"])
def test_evaluation_splits_are_refused(split):
    frame = sentiment()
    frame.attrs["textaug_split"] = split
    with pytest.raises(LeakageError, match=f"the '{split}' split made by textaug.split"):
        augment(frame, [drop_not], seed=0, validators=[negation_preserved()])
    chunks = [sentiment().iloc[:3], frame.iloc[3:]]
    with pytest.raises(LeakageError):
        list(Augmenter([drop_not], seed=0, validators=[calm]).stream(chunks))


def test_the_training_split_is_augmented_and_keeps_its_mark():
    frame = sentiment()
    frame.attrs["textaug_split"] = "train"
    out = textaug.augment(frame, [drop_not], seed=0, validators=[negation_preserved()])
    assert len(made(out)) == 3
    assert out.attrs.get("textaug_split") == "train"


@validator(name="fragile")
def fragile(original, candidate):
    """Raises on one row's candidates, as a model might on an odd text."""
    if "kids" in candidate.text:
        raise ValueError("cannot score this")
    return True


class FragileBatch(Validator):
    """A batch validator whose batch fails whenever it holds the odd row."""

    def check_batch(self, originals, candidates):
        if any("kids" in c.text for c in candidates):
            raise RuntimeError("batch failed")
        return [Verdict.accept() for _ in candidates]


@pytest.mark.parametrize("check", [fragile, FragileBatch("fragile")])
def test_a_validator_that_raises_names_itself_and_the_row(check):
    with pytest.raises(textaug.ValidatorError,
                       match=r"Validator 'fragile' failed on a candidate of row 11: "
                             r"(ValueError: cannot score this|RuntimeError: batch failed)\. "
                             r"Pass on_error='skip'"):
        augment(sentiment(), [add_bang], seed=0, key="id", validators=[check])


@pytest.mark.parametrize("check", [fragile, FragileBatch("fragile")])
def test_validator_errors_are_skipped_per_row_and_counted(check):
    out, report = augment(sentiment(), [add_bang], ApplyOnePolicy(2), seed=0, key="id",
                          validators=[check], on_error="skip", return_report=True)
    made = out[~out[IS_ORIGINAL]]
    assert 11 not in set(made[SOURCE])  # the other rows are judged alone
    assert len(made) + report.duplicates_dropped == 10
    assert report.errors_total == 2 and report.validator_errors == {"fragile": 2}
    assert report.unaugmented == [11]
    assert report.errors[0].key == 11 and report.errors[0].tf == "validator fragile"
    assert "2 errored" in str(report)


def test_validator_error_crosses_process_boundaries_whole():
    import pickle

    err = pickle.loads(pickle.dumps(textaug.ValidatorError("fragile", 11, ValueError("x"))))
    assert isinstance(err, textaug.ValidatorError) and isinstance(err, textaug.TransformError)
    assert (err.validator, err.row_key) == ("fragile", 11)
    assert str(err).startswith("Validator 'fragile' failed on a candidate of row 11: ValueError")
