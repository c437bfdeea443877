"""textaug's applier runs snorkel's own TFs and accepts snorkel's policy objects."""

import random

import numpy as np
import pandas as pd
import pytest
from snorkel.augmentation import (
    ApplyAllPolicy as SnorkelApplyAll,
)
from snorkel.augmentation import (
    ApplyEachPolicy as SnorkelApplyEach,
)
from snorkel.augmentation import (
    ApplyOnePolicy as SnorkelApplyOne,
)
from snorkel.augmentation import (
    MeanFieldPolicy as SnorkelMeanField,
)
from snorkel.augmentation import (
    RandomPolicy as SnorkelRandom,
)
from snorkel.augmentation import (
    transformation_function as snorkel_tf,
)
from snorkel.augmentation.policy.core import Policy as SnorkelPolicy

from textaug import InvalidParameterError, augment
from textaug.interop import as_policy


@snorkel_tf()
def snorkel_swap(x):
    words = x.text.split()
    random.shuffle(words)  # snorkel TFs draw from the global generator
    x.text = " ".join(words)
    return x


@snorkel_tf()
def snorkel_upper(x):
    x.text = x.text.upper()
    return x


@pytest.fixture
def df():
    return pd.DataFrame({"text": ["one two three four five", "alpha beta gamma delta"],
                         "y": [1, 0]})


def test_snorkel_tf_runs_reproducibly_without_touching_global_state(df):
    random.seed(42)
    np.random.seed(42)
    state = random.getstate(), np.random.get_state()[1].copy()
    a = augment(df, [snorkel_swap], SnorkelApplyOne(n_per_original=3), seed=7)
    b = augment(df, [snorkel_swap], SnorkelApplyOne(n_per_original=3), seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert random.getstate() == state[0] and (np.random.get_state()[1] == state[1]).all()
    assert (~a["textaug_is_original"]).sum() >= 4
    assert set(a["textaug_tfs"]) == {"", "snorkel_swap"}
    for text, source in zip(a["text"], a["textaug_source"], strict=True):
        assert sorted(text.split()) == sorted(df.loc[source, "text"].split())


@pytest.mark.parametrize(
    ("snorkel_policy", "expected"),
    [
        (SnorkelApplyOne(n_per_original=2, keep_original=False),
         "ApplyOnePolicy(n_per_original=2, keep_original=False)"),
        (SnorkelApplyAll(2, n_per_original=3),
         "ApplyAllPolicy(n_per_original=3, keep_original=True)"),
        (SnorkelApplyEach(2, keep_original=False),
         "ApplyEachPolicy(n_per_original=1, keep_original=False)"),
        (SnorkelRandom(2, sequence_length=2, n_per_original=4),
         "RandomPolicy(n_per_original=4, keep_original=True, sequence_length=2)"),
    ],
)
def test_snorkel_policies_translate(snorkel_policy, expected):
    assert repr(as_policy(snorkel_policy, ["a", "b"])) == expected


def test_snorkel_mean_field_probabilities_bind_to_tf_names(df):
    policy = as_policy(SnorkelMeanField(2, p=[0.0, 1.0], n_per_original=3), ["swap", "upper"])
    assert policy.weights == {"swap": 0.0, "upper": 1.0}
    out = augment(df, [snorkel_swap, snorkel_upper], SnorkelMeanField(2, p=[0.0, 1.0]), seed=0)
    assert set(out["textaug_tfs"]) == {"", "snorkel_upper"}
    with pytest.raises(InvalidParameterError, match="3 probabilities for 2 TFs"):
        as_policy(SnorkelMeanField(3, p=[0.2, 0.3, 0.5]), ["a", "b"])


def test_custom_snorkel_policy_runs_under_seeded_globals(df):
    class EveryOther(SnorkelPolicy):
        def generate(self):
            return [int(np.random.randint(2))]

    def run():
        return augment(df, [snorkel_swap, snorkel_upper], EveryOther(2, n_per_original=4),
                       seed=3, dedupe=False, return_report=True)

    (out1, report), (out2, _) = run(), run()
    pd.testing.assert_frame_equal(out1, out2)
    counts = report.to_frame()
    assert counts[["applied", "not_applicable"]].to_numpy().sum() == 2 * 4
    assert len(out1) == 2 + counts["applied"].sum()
    assert set(counts.index) == {"snorkel_swap", "snorkel_upper"}


def test_textaug_and_snorkel_tfs_mix(df):
    from tests.conftest import add_bang

    out = augment(df, [add_bang, snorkel_upper], SnorkelApplyAll(2), seed=1)
    assert out.loc[1, "text"].startswith("ONE TWO") and out.loc[1, "text"].endswith("!")
    assert out.loc[1, "textaug_tfs"] == "add_bang>snorkel_upper"


def test_plain_functions_are_refused_with_a_fix():
    with pytest.raises(InvalidParameterError, match="decorate it with"):
        augment(pd.DataFrame({"text": ["a"]}), [lambda x: x], seed=0)
    with pytest.raises(InvalidParameterError, match="policy must be"):
        augment(pd.DataFrame({"text": ["a"]}), [snorkel_upper], policy="one", seed=0)


@snorkel_tf()
def snorkel_square(x):
    x.num = x.num ** 2
    return x


@snorkel_tf()
def snorkel_mark_seen(x):
    x.meta["seen"] = True  # in place, as snorkel allows on its own copy of the row
    return x


@snorkel_tf()
def snorkel_append_key(x):
    x.text = f"{x.text} {x.name}"
    return x


def test_snorkels_own_applier_test_a_tf_changing_a_number_column():
    from snorkel.augmentation import PandasTFApplier

    df = pd.DataFrame({"text": ["a", "b", "c"], "num": [2, 3, 4]})
    policy = SnorkelApplyOne(n_per_original=1, keep_original=True)
    expected = PandasTFApplier([snorkel_square], policy).apply(df)
    out = augment(df, [snorkel_square], policy, seed=0)
    assert out["num"].tolist() == expected["num"].tolist() == [2, 4, 3, 9, 4, 16]


def test_snorkel_tf_editing_a_cell_in_place_makes_a_row_and_leaves_the_input():
    df = pd.DataFrame({"text": ["a"], "meta": [{"seen": False}]})
    out = augment(df, [snorkel_mark_seen], SnorkelApplyOne(), seed=0)
    assert out["meta"].tolist() == [{"seen": False}, {"seen": True}]
    assert df.loc[0, "meta"] == {"seen": False}


def test_snorkel_tf_sees_the_source_rows_key_as_its_name():
    df = pd.DataFrame({"id": ["007"], "text": ["hello"]}, index=[5])
    assert augment(df, [snorkel_append_key], SnorkelApplyOne(), seed=0)["text"][1] == "hello 5"
    out = augment(df, [snorkel_append_key], SnorkelApplyOne(), seed=0, key="id")
    assert out["text"][1] == "hello 007"


@pytest.mark.parametrize("policy", [SnorkelApplyAll(1), SnorkelApplyEach(3),
                                    SnorkelRandom(1, sequence_length=2)])
def test_snorkel_policy_built_for_another_number_of_tfs_is_refused(df, policy):
    with pytest.raises(InvalidParameterError, match=r"built with n_tfs=\d but augment\(\) got 2"):
        augment(df, [snorkel_swap, snorkel_upper], policy, seed=0)
