import pickle
from types import SimpleNamespace

import pandas as pd
import pytest

from tests.conftest import add_bang, shout
from textaug import InvalidParameterError, Record, TransformationFunction, transformation_function
from textaug._rng import Rng
from textaug.tfs import swap_aliases


def test_decorator_names_and_versions():
    @transformation_function(name="custom", version="2024.1")
    def f(x):
        return x

    assert (f.name, f.version, f.uses_rng) == ("custom", "2024.1", False)
    assert add_bang.uses_rng and add_bang.name == "add_bang"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "'name' parameter of transformation_function must be a non-empty str"),
        ({"version": 1.5}, "'version' parameter"),
        ({"resources": {"nope": 1}}, r"resources \['nope'\] that it does not take"),
        ({"resources": {"rng": 1}}, "'rng' is passed by the applier"),
    ],
)
def test_bad_decorations_fail_at_definition(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        @transformation_function(**kwargs)
        def f(x, rng):
            return x


def test_missing_resource_and_bad_signature():
    with pytest.raises(InvalidParameterError, match=r"pass resources=\{'lexicon': ...\}"):
        transformation_function()(lambda x, lexicon: x)
    with pytest.raises(InvalidParameterError, match="first positional parameter"):
        transformation_function()(lambda *, x: x)
    with pytest.raises(InvalidParameterError, match="callable"):
        TransformationFunction("not callable", name="x")


def test_resources_are_injected():
    @transformation_function(resources={"suffix": "?"})
    def ask(x, suffix):
        return x.replace(text=x.text + suffix)

    assert ask({"text": "ok"}) == {"text": "ok?"}


def test_wrong_return_type_is_explained():
    @transformation_function()
    def returns_str(x):
        return x.text

    with pytest.raises(TypeError, match=r"returned str; return x.replace\(text=...\) or None"):
        returns_str({"text": "a"})


@transformation_function(name="upper_words", returns_text=True)
def upper_words(x, rng):
    """A text TF: upper-cases one word (the same text where it already is)."""
    words = x.text.split()
    k = rng.integers(len(words))
    return " ".join(w.upper() if i == k else w for i, w in enumerate(words))


def test_text_tfs_return_records_when_called():
    assert upper_words.returns_text and not shout.returns_text
    row = {"text": "a b c", "id": 3}
    out = upper_words(row, rng=1)
    assert out["id"] == 3 and out["text"] in {"A b c", "a B c", "a b C"}
    x = Record(row)
    assert upper_words(x, rng=1).text == out["text"] and x.text == "a b c"
    records, rngs = [Record({"text": "a b"}), Record({"text": "c"})], [Rng(0), Rng(1)]
    batch = upper_words.apply_batch(records, rngs)
    assert all(isinstance(r, Record) for r in batch)
    texts = upper_words.apply_batch_texts(records, [Rng(0), Rng(1)])
    assert texts == [r.text for r in batch] and all(type(t) is str for t in texts)
    assert shout.apply_batch_texts([Record({"text": "a"})], [Rng(0)])[0].text == "A"  # records
    clone = pickle.loads(pickle.dumps(upper_words))
    assert clone is upper_words


def test_text_tf_with_a_wrong_return_type_is_explained():
    @transformation_function(returns_text=True)
    def returns_list(x):
        return [x.text]

    with pytest.raises(TypeError, match=r"returned list; a TF made with returns_text=True "
                                        r"returns the new text \(a str\) or None"):
        returns_list({"text": "a"})
    out = returns_list.apply_batch_texts([Record({"text": "a"})], [Rng(0)])
    assert isinstance(out[0], TypeError)
    assert returns_list.apply_batch([Record({"text": "a"})], [Rng(0)])[0].args == out[0].args


def test_call_accepts_every_row_kind_and_never_mutates():
    series = pd.Series({"text": "hi", "y": 1}, name=7)
    out = shout(series)
    assert isinstance(out, pd.Series) and out.name == 7 and out["text"] == "HI"
    assert series["text"] == "hi"
    ns = SimpleNamespace(text="hi")
    assert shout(ns).text == "HI" and ns.text == "hi"
    row = {"text": "hi"}
    assert shout(row) == {"text": "HI"} and row == {"text": "hi"}
    assert shout(Record(row)).text == "HI"
    assert shout({"text": "HI"}) is None


def test_seeded_direct_calls_are_reproducible():
    assert add_bang({"text": "a"}, rng=3) == add_bang({"text": "a"}, rng=3)
    assert add_bang({"text": "a"}, rng=Rng(3)) == add_bang({"text": "a"}, rng=3)


def test_with_columns_reads_other_columns():
    tf = shout.with_columns(text="title")
    assert tf({"title": "hey", "text": "x"}) == {"title": "HEY", "text": "x"}
    assert shout.text_field == "text"


def test_apply_batch_returns_errors_in_place():
    @transformation_function()
    def picky(x):
        if x.text == "bad":
            raise ValueError("no")
        return x.replace(text="fine")

    outs = picky.apply_batch([Record({"text": "bad"}), Record({"text": "ok"})], [Rng(0), Rng(1)])
    assert isinstance(outs[0], ValueError) and outs[1].text == "fine"


def test_prefetch_sees_each_batch_before_its_records_run():
    seen: list[list[str]] = []

    def upper(x):
        return x.text.upper()

    tf = TransformationFunction(upper, returns_text=True,
                                prefetch=lambda records: seen.append([x.text for x in records]))
    records = [Record({"text": "a"}), Record({"text": "b"})]
    assert tf.apply_batch_texts(records, [Rng(0), Rng(1)]) == ["A", "B"]
    assert [x.text for x in tf.apply_batch(records, [Rng(0), Rng(1)])] == ["A", "B"]
    assert seen == [["a", "b"], ["a", "b"]]
    assert tf(records[0]).text == "A" and len(seen) == 2  # one row: nothing to fetch ahead
    assert transformation_function(upper).prefetch is None


def test_module_level_tfs_and_factory_tfs_pickle():
    clone = pickle.loads(pickle.dumps(add_bang))
    assert clone is add_bang
    tf = swap_aliases(p=0.5, label_aware=False)
    clone = pickle.loads(pickle.dumps(tf))
    text = {"text": "GANs and NLP"}
    assert clone(text, rng=1) == tf(text, rng=1)


def test_textaug_tf_runs_inside_snorkel_pandas_applier():
    from snorkel.augmentation import ApplyOnePolicy, PandasTFApplier

    df = pd.DataFrame({"text": ["GANs beat CNNs", "nothing here"], "y": [1, 0]})
    tf = swap_aliases(label_aware=False)
    out = PandasTFApplier([tf], ApplyOnePolicy(n_per_original=2, keep_original=True)).apply(
        df, progress_bar=False)
    assert list(out.columns) == ["text", "y"]
    first = out.loc[0, "text"].tolist()
    assert first[0] == "GANs beat CNNs" and len(first) == 3
    assert all(t != "GANs beat CNNs" for t in first[1:])
    assert out.loc[1, "text"] == "nothing here"  # not applicable: only the original is kept
    assert df["text"].tolist() == ["GANs beat CNNs", "nothing here"]


def test_label_aware_tf_under_snorkel_uses_with_columns():
    from snorkel.augmentation import ApplyOnePolicy, PandasTFApplier

    df = pd.DataFrame({"text": ["CV tips using NLP"], "tags": [["natural-language-processing"]]})
    tf = swap_aliases().with_columns(label="tags")
    out = PandasTFApplier([tf], ApplyOnePolicy(n_per_original=3)).apply(df, progress_bar=False)
    assert all(t.startswith("CV tips using ") for t in out["text"])
