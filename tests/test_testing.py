"""textaug.testing: the assertions a team puts in its data-validation tests.

(assert_no_leakage depends on textaug.leakage and is tested with it.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from textaug import (
    ApplyOnePolicy,
    ColumnNotFoundError,
    InvalidParameterError,
    augment,
    transformation_function,
)
from textaug.records import IS_ORIGINAL, SOURCE
from textaug.testing import assert_labels_preserved, assert_only_train_augmented
from textaug.validators import (
    lexicon_consistent,
    negation_preserved,
    not_identical,
    protected_terms,
    validator,
)

NLP = "natural-language-processing"


@transformation_function()
def drop_not(x):
    return x.replace(text=x.text.replace("not ", "") + " indeed")


@transformation_function()
def exclaim(x):
    return x.replace(text=x.text + "!")


def reviews(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"id": [100 + i for i in range(n)],
                         "text": [f"review {i} was not good" for i in range(n)],
                         "tags": [["review", NLP]] * n})


def hand_made(texts: list[str], augmented: list[str], **columns) -> pd.DataFrame:
    """An augment()-shaped frame by hand: originals first, then one augmentation each."""
    n = len(texts)
    return pd.DataFrame({"text": texts + augmented, SOURCE: list(range(n)) * 2,
                         IS_ORIGINAL: [True] * n + [False] * n,
                         **{k: v * 2 for k, v in columns.items()}})


def failure(call) -> str:
    with pytest.raises(AssertionError) as info:
        call()
    return str(info.value)


# -- assert_labels_preserved ----------------------------------------------------------


def test_passes_on_an_augmentation_that_kept_the_labels():
    out = augment(reviews(), [exclaim], seed=0, key="id", label="tags")
    assert assert_labels_preserved(out, [not_identical(), negation_preserved()]) is None
    assert assert_labels_preserved(out, [protected_terms(lexicon="default")], label="tags") is None


def test_passes_on_what_augment_kept_with_the_same_validators():
    checks = [not_identical(), negation_preserved()]
    out = augment(reviews(), [drop_not], ApplyOnePolicy(n_per_original=2), seed=0, key="id",
                  validators=checks)
    assert_labels_preserved(out, checks)
    unchecked = augment(reviews(), [drop_not], seed=0, key="id")
    with pytest.raises(AssertionError, match="3 of 3 augmented rows fail the validators"):
        assert_labels_preserved(unchecked, checks)


def test_failure_message_shows_the_first_offending_rows():
    frame = hand_made(["the plot was not bad", "a great film", "nothing works"],
                      ["the plot was bad", "a great film!", "everything works"])
    message = failure(lambda: assert_labels_preserved(frame, [negation_preserved()]))
    assert message == "\n".join([
        "2 of 3 augmented rows fail the validators. First rows:",
        "  row 3 (source 0), negation_preserved: negators went from 1 to 0 (not)",
        "    original: 'the plot was not bad'",
        "    augmented: 'the plot was bad'",
        "  row 5 (source 2), negation_preserved: negators went from 1 to 0 (nothing)",
        "    original: 'nothing works'",
        "    augmented: 'everything works'",
    ])


def test_failure_message_names_the_validator_that_rejected():
    frame = hand_made(["a good movie", "the movie"], ["a bad movie", "The  Movie"])
    message = failure(lambda: assert_labels_preserved(frame, [not_identical(),
                                                              negation_preserved()]))
    assert "row 2 (source 0), negation_preserved: 'good' became its antonym 'bad'" in message
    assert "row 3 (source 1), not_identical: same as the original once case and spacing" in message


def test_failure_message_shows_at_most_five_rows():
    out = augment(reviews(8), [drop_not], seed=0, key="id")
    message = failure(lambda: assert_labels_preserved(out, [negation_preserved()]))
    assert message.startswith("8 of 8 augmented rows fail the validators. First rows:\n")
    shown = re.findall(r"^  row (\d+) \(source (\d+)\)", message, flags=re.M)
    assert [int(s) for _, s in shown] == [100, 101, 102, 103, 104]
    assert len(message.splitlines()) == 1 + 5 * 3


def test_multi_label_rows_and_label_reading_validators():
    frame = hand_made(["NLP for search", "NLP and image segmentation"],
                      ["natural language processing for search", "text and image segmentation"],
                      tags=[[NLP], ["computer-vision", NLP]])
    message = failure(lambda: assert_labels_preserved(frame, [lexicon_consistent()], label="tags"))
    assert message.startswith("1 of 2 augmented rows fail")
    assert f"row 3 (source 1), lexicon_consistent: keywords of {NLP} no longer appear" in message


def test_plain_callables_are_validators_too():
    frame = hand_made(["short", "tiny"], ["a much longer text", "tiny!"])
    message = failure(lambda: assert_labels_preserved(
        frame, [lambda o, c: len(c.text) < 2 * len(o.text)]))
    assert "row 2 (source 0), <lambda>: <lambda> returned False" in message

    @validator(name="reads_labels", needs_label=True)
    def has_labels(original, candidate):
        return candidate.labels == original.labels

    with_labels = hand_made(["a", "b"], ["a!", "b!"], tags=[["x", "y"], ["z"]])
    assert_labels_preserved(with_labels, [has_labels], label="tags")


def test_originals_may_come_separately_matched_on_key():
    source = reviews()
    policy = ApplyOnePolicy(n_per_original=1, keep_original=False)
    out = augment(source, [drop_not], policy, seed=0, key="id")
    assert not out[IS_ORIGINAL].any()
    with pytest.raises(AssertionError, match=r"3 augmented rows have no original to compare "
                                             r"with \(sources \[100, 101, 102\]\): keep the "
                                             r"originals \(keep_original=True\) or pass "
                                             r"originals="):
        assert_labels_preserved(out, [negation_preserved()])
    by_key = failure(lambda: assert_labels_preserved(out, [negation_preserved()],
                                                     originals=source, key="id"))
    assert "row 0 (source 100), negation_preserved" in by_key
    assert "original: 'review 0 was not good'" in by_key
    by_index = failure(lambda: assert_labels_preserved(out, [negation_preserved()],
                                                       originals=source.set_index("id")))
    assert by_index == by_key
    fine = augment(source, [exclaim], policy, seed=0, key="id")
    assert_labels_preserved(fine, [negation_preserved()], originals=source, key="id")


def test_frames_without_augmented_rows_pass():
    only_originals = hand_made(["a"], ["a"]).iloc[:1]
    assert_labels_preserved(only_originals, [negation_preserved()])
    empty = augment(reviews().iloc[:0], [exclaim], seed=0, key="id")
    assert_labels_preserved(empty, [negation_preserved()])


def test_each_augmented_row_is_judged_on_its_own_not_against_its_siblings():
    frame = pd.DataFrame({"text": ["a film", "a movie", "A  MOVIE"], SOURCE: [0, 0, 0],
                          IS_ORIGINAL: [True, False, False]})
    assert_labels_preserved(frame, [not_identical()])


def test_needs_at_least_one_validator():
    with pytest.raises(InvalidParameterError, match="needs at least one validator"):
        assert_labels_preserved(hand_made(["a"], ["b"]), [])


def test_label_reading_validators_need_label():
    frame = hand_made(["NLP"], ["text"], tags=[[NLP]])
    with pytest.raises(InvalidParameterError, match=r"\['lexicon_consistent'\] read labels: "
                                                    r"pass label='column'"):
        assert_labels_preserved(frame, [lexicon_consistent()])


@pytest.mark.parametrize(("drop", "kwargs"), [
    (SOURCE, {}), (IS_ORIGINAL, {}), ("text", {}), ("tags", {"label": "tags"}),
    (None, {"text": "body"}), (None, {"label": "labels"}),
])
def test_missing_columns_are_named_with_the_columns_there_are(drop, kwargs):
    frame = hand_made(["NLP"], ["text"], tags=[[NLP]])
    if drop:
        frame = frame.drop(columns=drop)
    missing = drop or next(iter(kwargs.values()))
    with pytest.raises(ColumnNotFoundError) as info:
        assert_labels_preserved(frame, [not_identical()], **kwargs)
    message = str(info.value)
    assert f"Column {missing!r} not in the augmented frame" in message
    assert f"Available columns: {list(frame.columns)}" in message


def test_key_column_missing_from_originals():
    out = augment(reviews(), [drop_not], seed=0, key="id")
    with pytest.raises(ColumnNotFoundError, match=r"Key column 'uid' not in originals. Available "
                                                  r"columns: \['id', 'text', 'tags'\]"):
        assert_labels_preserved(out, [not_identical()], originals=reviews(), key="uid")


@pytest.mark.parametrize("drop", ["text", "tags"])
def test_text_or_label_column_missing_from_originals(drop):
    out = augment(reviews(), [drop_not], seed=0, key="id", label="tags")
    with pytest.raises(ColumnNotFoundError, match="Available columns"):
        assert_labels_preserved(out, [lexicon_consistent()], label="tags",
                                originals=reviews().drop(columns=drop), key="id")


@pytest.mark.parametrize("bad", [np.nan, None])
def test_nan_text_in_the_augmented_frame_is_a_clear_error(bad):
    frame = hand_made(["the movie"], ["the film"])
    frame.loc[1, "text"] = bad
    with pytest.raises(InvalidParameterError,
                       match=r"The candidate text is missing \((nan|None)\)"):
        assert_labels_preserved(frame, [negation_preserved()])


# -- assert_only_train_augmented ------------------------------------------------------


def marked(frame: pd.DataFrame, split: str | None) -> pd.DataFrame:
    frame = frame.copy()
    if split is not None:
        frame.attrs["textaug_split"] = split
    return frame


def test_only_train_augmented_passes():
    train = augment(marked(reviews(), "train"), [exclaim], seed=0, key="id")
    assert train.attrs["textaug_split"] == "train"
    val, test = marked(reviews(), "val"), marked(reviews(), "test")
    assert assert_only_train_augmented(train=train, val=val, test=test) is None
    assert_only_train_augmented(train=train)
    assert_only_train_augmented(val=reviews(), test=reviews())  # unmarked, untouched
    assert_only_train_augmented()


def test_augmented_rows_in_an_evaluation_split_are_shown():
    augmented = augment(reviews(), [exclaim], seed=0, key="id")  # index 0..5, odd rows made
    message = failure(lambda: assert_only_train_augmented(val=augmented))
    assert message == ("Only the training split may be augmented: the val split holds 3 "
                       "augmented rows (index 1, 3, 5).")


def test_at_most_five_offending_rows_are_listed():
    many = augment(reviews(7), [exclaim], seed=0, key="id")
    message = failure(lambda: assert_only_train_augmented(test=many))
    assert "the test split holds 7 augmented rows (index 1, 3, 5, 7, 9 ...)" in message


def test_an_evaluation_split_that_went_through_augment_is_refused():
    only_originals = augment(reviews(), [exclaim], seed=0, key="id")
    only_originals = only_originals[only_originals[IS_ORIGINAL]]
    message = failure(lambda: assert_only_train_augmented(test=only_originals))
    assert message == ("Only the training split may be augmented: the test split went through "
                       f"augment() (it has the {IS_ORIGINAL!r} column).")


@pytest.mark.parametrize(("passed_as", "mark"), [("train", "val"), ("train", "test"),
                                                 ("val", "test"), ("test", "train"),
                                                 ("val", "train")])
def test_a_split_passed_in_the_wrong_place_is_caught_by_its_mark(passed_as, mark):
    message = failure(lambda: assert_only_train_augmented(
        **{passed_as: marked(reviews(), mark)}))
    assert f"the frame passed as {passed_as!r} is textaug.split's {mark!r} split" in message


def test_every_problem_is_listed():
    augmented = augment(reviews(1), [exclaim], seed=0, key="id")
    message = failure(lambda: assert_only_train_augmented(
        train=marked(reviews(), "test"), val=marked(augmented, "val"),
        test=marked(reviews(), "val")))
    assert message == (
        "Only the training split may be augmented: "
        "the frame passed as 'train' is textaug.split's 'test' split; "
        "the val split holds 1 augmented rows (index 1); "
        "the frame passed as 'test' is textaug.split's 'val' split.")
