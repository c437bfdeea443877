import random
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import add_bang, explode, never, shout
from textaug import (
    ApplyAllPolicy,
    ApplyEachPolicy,
    ApplyOnePolicy,
    Augmenter,
    ColumnNotFoundError,
    InvalidParameterError,
    RandomPolicy,
    TextaugWarning,
    TransformError,
    augment,
    transformation_function,
)
from textaug.tfs import swap_aliases
from textaug.validators import length_bounds

POLICY = RandomPolicy(sequence_length=2, n_per_original=4)
TFS = [add_bang, shout, swap_aliases(label_aware=False)]


def run(df, **kwargs):
    kwargs = {"policy": POLICY, "seed": 0, "key": "id", **kwargs}
    return augment(df, TFS, **kwargs)


def by_source(out):
    """Each source row's outputs, independent of where the row stood."""
    return {k: g.drop(columns=[]).reset_index(drop=True) for k, g in out.groupby("textaug_source")}


def test_same_seed_same_output_different_seed_differs(frame):
    pd.testing.assert_frame_equal(run(frame), run(frame))
    assert not run(frame)["text"].equals(run(frame, seed=1)["text"])


def test_output_per_row_does_not_depend_on_row_order(frame):
    shuffled = frame.sample(frac=1, random_state=3)
    a, b = by_source(run(frame)), by_source(run(shuffled))
    assert a.keys() == b.keys()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])


def test_index_keys_move_with_their_rows(frame):
    indexed = frame.set_index("id")
    a = by_source(augment(indexed, TFS, POLICY, seed=0))
    b = by_source(augment(indexed.iloc[::-1], TFS, POLICY, seed=0))
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])


@pytest.mark.parametrize("chunk_size", [1, 2, 4, 5, 100])
def test_streaming_in_chunks_equals_one_shot(frame, chunk_size):
    one_shot = run(frame)
    runner = Augmenter(TFS, POLICY, seed=0, key="id")
    chunks = list(runner.stream(frame, chunk_size=chunk_size))
    assert len(chunks) == -(-len(frame) // chunk_size)
    pd.testing.assert_frame_equal(pd.concat(chunks), one_shot)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), one_shot)


def test_streaming_from_an_iterable_of_frames(frame):
    runner = Augmenter(TFS, POLICY, seed=0, key="id")
    parts = (frame.iloc[i:i + 4] for i in range(0, len(frame), 4))
    pd.testing.assert_frame_equal(pd.concat(runner.stream(parts)), run(frame))
    assert runner.report_.input_rows == len(frame)


def test_stream_catches_keys_repeated_across_chunks(frame):
    runner = Augmenter(TFS, POLICY, seed=0, key="id")
    with pytest.raises(InvalidParameterError, match="duplicate values"):
        list(runner.stream([frame, frame.iloc[:1]]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(6)), chunk=st.integers(1, 7), seed=st.integers(0, 2**40))
def test_property_order_and_chunking_never_change_a_rows_augmentations(frame, order, chunk, seed):
    reference = by_source(run(frame, seed=seed))
    runner = Augmenter(TFS, POLICY, seed=seed, key="id")
    out = pd.concat(runner.stream(frame.iloc[list(order)], chunk_size=chunk))
    got = by_source(out)
    for key in reference:
        pd.testing.assert_frame_equal(reference[key], got[key])


def test_input_frame_is_never_mutated(frame):
    before = frame.copy(deep=True)
    run(frame)
    run(frame, dedupe=False, on_error="skip")
    pd.testing.assert_frame_equal(frame, before)
    assert frame.loc[0, "tags"] == ["review"]


def test_columns_and_dtypes_are_kept_and_provenance_added(frame):
    out = run(frame)
    assert list(out.columns) == [*frame.columns, "textaug_source", "textaug_is_original",
                                 "textaug_tfs"]
    for column in frame.columns:
        assert out[column].dtype == frame[column].dtype, column
    assert out["textaug_source"].dtype == frame["id"].dtype
    assert out["textaug_is_original"].dtype == bool
    assert isinstance(out.index, pd.RangeIndex)
    originals = out[out["textaug_is_original"]]
    assert originals["text"].tolist() == frame["text"].tolist()
    assert (originals["textaug_tfs"] == "").all()
    made = out[~out["textaug_is_original"]]
    assert made["textaug_tfs"].str.len().gt(0).all()
    assert set(made["textaug_tfs"].str.split(">").explode()) <= {tf.name for tf in TFS}
    for _, row in made.iterrows():
        source = frame.set_index("id").loc[row["textaug_source"]]
        assert row["tags"] == source["tags"] and row["score"] == source["score"]


def test_keep_original_false_and_dedupe(frame):
    out = augment(frame, [shout], ApplyOnePolicy(n_per_original=3, keep_original=False), seed=0)
    assert not out["textaug_is_original"].any()
    # shout is deterministic: of its three identical variants per row, dedupe keeps one
    assert out["text"].tolist() == frame["text"].str.upper().tolist()
    kept = augment(frame, [shout], ApplyOnePolicy(n_per_original=3, keep_original=False),
                   seed=0, dedupe=False)
    assert len(kept) == 3 * (~frame["text"].str.isupper()).sum()


def test_report_counts(frame):
    out, report = augment(frame, [shout, never], ApplyEachPolicy(n_per_original=2), seed=0,
                          return_report=True)
    assert report.tfs["shout"].applied == 12 and report.tfs["never"].not_applicable == 12
    assert report.duplicates_dropped == 6
    assert report.input_rows == 6 and report.output_rows == len(out) == 12
    assert report.augmented_rows == 6
    frame_ = report.to_frame()
    assert frame_.loc["never", "not_applicable"] == 12
    assert "6 rows in, 12 rows out" in str(report)


def test_every_tf_not_applicable_does_not_crash(frame):
    out, report = augment(frame, [never], ApplyOnePolicy(n_per_original=3), seed=0,
                          return_report=True)
    pd.testing.assert_frame_equal(out[frame.columns], frame.reset_index(drop=True))
    assert report.unaugmented == frame.index.tolist()
    with pytest.warns(TextaugWarning, match="6 rows yielded no augmentation"):
        empty = augment(frame, [never], ApplyOnePolicy(keep_original=False), seed=0)
    assert empty.empty and list(empty.columns)[-3:] == ["textaug_source", "textaug_is_original",
                                                        "textaug_tfs"]


def test_unchanged_output_counts_as_not_applicable(frame):
    @transformation_function()
    def identity(x):
        return x.replace(text=x.text)

    out, report = augment(frame, [identity], seed=0, return_report=True)
    assert report.tfs["identity"].applied == 0 and len(out) == len(frame)


def test_empty_frame(frame):
    empty = frame.iloc[:0]
    out, report = augment(empty, TFS, POLICY, seed=0, key="id", return_report=True)
    assert out.empty and list(out.columns) == [*frame.columns, "textaug_source",
                                               "textaug_is_original", "textaug_tfs"]
    assert report.input_rows == 0 and str(report)
    chunks = list(Augmenter(TFS, seed=0, key="id").stream(empty))
    assert len(chunks) == 1 and chunks[0].empty


def test_on_error_raise_names_tf_and_row(frame):
    message = r"TF 'explode' failed on row 13: ValueError: boom"
    with pytest.raises(TransformError, match=message) as info:
        augment(frame, [explode], seed=0, key="id")
    assert info.value.tf_name == "explode" and info.value.row_key == 13
    assert isinstance(info.value.__cause__, ValueError)


def test_on_error_skip_keeps_the_original_and_reports(frame):
    out, report = augment(frame, [explode], ApplyOnePolicy(n_per_original=2), seed=0, key="id",
                          on_error="skip", return_report=True)
    assert 13 in out.loc[out["textaug_is_original"], "id"].tolist()
    assert 13 not in out.loc[~out["textaug_is_original"], "id"].tolist()
    assert report.tfs["explode"].errored == 2 and report.errors_total == 2
    # the failed draws count as errors alone: neither applied nor not applicable
    assert report.tfs["explode"].applied == 2 * (len(frame) - 1)
    assert report.tfs["explode"].not_applicable == 0
    assert report.errors[0].key == 13 and "boom found" in report.errors[0].error
    assert 13 in report.unaugmented and "errors skipped: 2" in str(report)


def test_global_random_state_is_untouched(frame):
    random.seed(5)
    np.random.seed(5)
    expected = random.random(), np.random.rand()
    random.seed(5)
    np.random.seed(5)
    run(frame)
    augment(frame, TFS, POLICY)  # seed=None draws entropy without the global generators
    assert (random.random(), np.random.rand()) == expected


def test_seed_none_is_recorded_and_replayable(frame):
    out, report = augment(frame, TFS, POLICY, key="id", return_report=True)
    pd.testing.assert_frame_equal(out, run(frame, seed=report.seed))


def test_a_single_tf_may_be_passed_bare(frame):
    pd.testing.assert_frame_equal(augment(frame, shout, seed=0), augment(frame, [shout], seed=0))


def test_chains_record_only_the_tfs_that_applied(frame):
    out = augment(frame, [never, shout], ApplyAllPolicy(), seed=0)
    assert set(out["textaug_tfs"]) == {"", "shout"}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"text": "txt"}, ColumnNotFoundError,
         r"Text column 'txt' not in DataFrame. Available columns: \['id', 'text'"),
        ({"label": "labels"}, ColumnNotFoundError, "Label column 'labels' not in DataFrame"),
        ({"key": "uid"}, ColumnNotFoundError, "Key column 'uid' not in DataFrame"),
        ({"seed": -1}, InvalidParameterError, "'seed' parameter of augment"),
        ({"seed": 1.5}, InvalidParameterError, "'seed' parameter of augment"),
        ({"on_error": "ignore"}, InvalidParameterError, "'on_error' parameter"),
        ({"text": 3}, InvalidParameterError, "'text' parameter"),
    ],
)
def test_bad_arguments(frame, kwargs, error, message):
    with pytest.raises(error, match=message):
        augment(frame, [shout], **{"seed": 0, **kwargs})


def test_column_error_is_a_key_error_with_a_clean_message(frame):
    with pytest.raises(KeyError) as info:
        augment(frame, [shout], text="nope")
    assert str(info.value).startswith("Text column 'nope' not in DataFrame")


@pytest.mark.parametrize("bad", [np.nan, None, 3, b"bytes"])
def test_non_string_text_is_refused_with_rows_named(frame, bad):
    df = frame.astype({"text": object})
    df.loc[2, "text"] = bad
    with pytest.raises(InvalidParameterError, match=r"1 non-string values \(12: .*dropna"):
        augment(df, [shout], seed=0, key="id")


def test_duplicate_keys_and_index_are_refused(frame):
    message = r"Key column 'id' has duplicate values \(first: \['10'\]"
    with pytest.raises(InvalidParameterError, match=message):
        augment(frame.assign(id=[10, 10, 11, 12, 13, 14]), [shout], seed=0, key="id")
    with pytest.raises(InvalidParameterError, match=r"index has duplicate values.*reset_index"):
        augment(frame.set_index(pd.Index([0, 0, 1, 2, 3, 4])), [shout], seed=0)


def test_duplicate_tf_names_and_columns_and_reaugmentation_are_refused(frame):
    with pytest.raises(InvalidParameterError, match=r"\['swap_aliases'\] appear more than once"):
        augment(frame, [swap_aliases(label_aware=False), swap_aliases(label_aware=False)], seed=0)
    with pytest.raises(InvalidParameterError, match="duplicate column names"):
        augment(pd.concat([frame, frame[["text"]]], axis=1), [shout], seed=0)
    out = augment(frame, [shout], seed=0)
    with pytest.raises(InvalidParameterError, match="looks augmented"):
        augment(out, [shout], seed=0)
    with pytest.raises(InvalidParameterError, match="takes a pandas DataFrame"):
        augment(frame.to_dict("records"), [shout], seed=0)


def test_label_aware_tf_needs_a_label_column(frame):
    with pytest.raises(InvalidParameterError, match="read the row's labels: pass label="):
        augment(frame, [swap_aliases()], seed=0)
    out = augment(frame, [swap_aliases()], ApplyOnePolicy(n_per_original=4), seed=0, label="tags")
    made = out[~out["textaug_is_original"]]
    assert set(made["id"]) == {11, 12, 15}


def test_progress_bar_goes_to_stderr_only(frame, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tqdm may warn about its notebook widgets
        out = augment(pd.concat([frame] * 2000, ignore_index=True), [shout], seed=0,
                      progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "row" in captured.err
    assert len(out) == 24000


def test_lesson_example_gives_the_expected_aliases():
    df = pd.DataFrame({"text": ["a survey of reinforcement learning for nlp tasks"]})
    out = augment(df, [swap_aliases(label_aware=False)], ApplyOnePolicy(n_per_original=20),
                  seed=0)
    variants = set(out["text"][1:])
    assert "a survey of rl for nlp tasks" in variants
    assert "a survey of reinforcement learning for nlproc tasks" in variants
    assert "a survey of reinforcement learning for natural language processing tasks" in variants
    assert len(variants) == 3  # dedupe: exactly the three distinct single swaps


def test_worker_processes_give_the_same_rows(frame):
    big = pd.concat([frame.assign(id=frame["id"] + 100 * i) for i in range(20)],
                    ignore_index=True)
    one = augment(big, TFS, POLICY, seed=4, key="id", return_report=True)
    two = augment(big, TFS, POLICY, seed=4, key="id", n_jobs=2, return_report=True)
    pd.testing.assert_frame_equal(one[0], two[0])
    assert one[1].to_frame().equals(two[1].to_frame())
    assert str(one[1]) == str(two[1])
    streamed = Augmenter(TFS, POLICY, seed=4, key="id", n_jobs=2).stream(big, chunk_size=7)
    pd.testing.assert_frame_equal(pd.concat(streamed), one[0])


def test_worker_errors_reach_the_caller(frame):
    with pytest.raises(TransformError, match="TF 'explode' failed on row 13") as info:
        augment(frame, [explode], seed=0, key="id", n_jobs=2)
    assert info.value.row_key == 13
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        augment(frame, [shout], n_jobs=0)


def test_stream_reads_dask_partitions(frame):
    import dask.dataframe as dd

    lazy = dd.from_pandas(frame, npartitions=3)
    runner = Augmenter(TFS, POLICY, seed=0, key="id")
    chunks = list(runner.stream(lazy))
    assert len(chunks) == 3
    # dask stores text as its own string dtype; textaug keeps whatever dtype it is given
    pd.testing.assert_frame_equal(pd.concat(chunks), run(lazy.compute()))
    assert pd.concat(chunks)["text"].tolist() == run(frame)["text"].tolist()


def _twins(name):
    """The same TF twice: one returns records, the other (``returns_text``) texts."""
    def draw(x, rng):  # a new text, the same text (not applicable) or, on "stop", None
        if "stop" in x.text:
            return None
        return x.text + "!" * rng.integers(3)

    as_record = transformation_function(name=name)(
        lambda x, rng: None if (new := draw(x, rng)) is None else x.replace(text=new))
    return as_record, transformation_function(name=name, returns_text=True)(draw)


@pytest.mark.parametrize("policy", [ApplyEachPolicy(n_per_original=3),
                                    ApplyAllPolicy(n_per_original=2, keep_original=False),
                                    RandomPolicy(sequence_length=2, n_per_original=4)])
@pytest.mark.parametrize("validators", [(), (length_bounds(max_tokens=3),)])
@pytest.mark.parametrize("dedupe", [True, False])
def test_text_tfs_augment_as_record_tfs_do(policy, validators, dedupe):
    frame = pd.DataFrame({"text": ["a b", "a b c d", "stop it", "x"], "n": [1, 2, 3, 4]})
    before = frame.copy(deep=True)
    first, second = _twins("first"), _twins("second")
    with warnings.catch_warnings():  # "stop it" yields nothing
        warnings.simplefilter("ignore", TextaugWarning)
        runs = [augment(frame, [pair[k] for pair in (first, second)], policy, seed=3,
                        dedupe=dedupe, validators=list(validators), max_attempts=2,
                        return_report=True) for k in (0, 1)]
    (records, report), (texts, text_report) = runs
    pd.testing.assert_frame_equal(texts, records)
    assert text_report == report
    assert records["textaug_tfs"].str.contains("first>second|second>first").any() == (
        not isinstance(policy, ApplyEachPolicy))  # sequences of two TFs are in
    pd.testing.assert_frame_equal(frame, before)
