import pytest

from tests.conftest import add_bang, shout
from textaug import (
    ApplyAllPolicy,
    ApplyEachPolicy,
    ApplyOnePolicy,
    ClassBalancedPolicy,
    InvalidParameterError,
    MeanFieldPolicy,
    RandomPolicy,
    TextaugWarning,
    augment,
)
from textaug._rng import Rng


def seqs(policy, names=("a", "b", "c"), labels=()):
    return policy.bind(list(names)).sequences(Rng(0), labels)


def test_snorkel_semantics():
    assert seqs(ApplyAllPolicy(n_per_original=2)) == [(0, 1, 2), (0, 1, 2)]
    assert seqs(ApplyEachPolicy()) == [(0,), (1,), (2,)]
    assert seqs(ApplyEachPolicy(n_per_original=2), ("a", "b")) == [(0,), (0,), (1,), (1,)]
    random_seqs = seqs(RandomPolicy(sequence_length=3, n_per_original=50))
    assert len(random_seqs) == 50 and {i for s in random_seqs for i in s} == {0, 1, 2}


def test_apply_one_warns_when_given_several_tfs():
    with pytest.warns(TextaugWarning, match=r"only the first TF \('a'\); \['b'\] are never used"):
        bound = ApplyOnePolicy(n_per_original=2).bind(["a", "b"])
    assert bound.tf_names == ["a"] and bound.sequences(Rng(0), ()) == [(0,), (0,)]


def test_mean_field_weights_are_bound_by_name_not_position():
    policy = MeanFieldPolicy({"b": 1.0, "a": 0.0}, n_per_original=200)
    assert set(seqs(policy, ("a", "b"))) == {(1,)}
    swapped = MeanFieldPolicy({"b": 1.0, "a": 0.0}, n_per_original=200)
    assert set(seqs(swapped, ("b", "a"))) == {(0,)}


@pytest.mark.parametrize(
    ("weights", "names", "message"),
    [
        ({"a": 1}, ("a", "b"), r"missing: \['b'\]"),
        ({"a": 1, "b": 1, "z": 1}, ("a", "b"), r"Unknown: \['z'\]"),
    ],
)
def test_mean_field_weights_must_name_each_tf(weights, names, message):
    with pytest.raises(InvalidParameterError, match=message):
        MeanFieldPolicy(weights).bind(list(names))


@pytest.mark.parametrize("weights", [[0.5, 0.5], {"a": -1}, {"a": 0}, {"a": float("nan")}])
def test_mean_field_rejects_positional_or_bad_weights(weights):
    with pytest.raises(InvalidParameterError, match="weights"):
        MeanFieldPolicy(weights)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ApplyOnePolicy(n_per_original=-1), "'n_per_original' parameter of ApplyOnePolicy"),
        (lambda: ApplyOnePolicy(n_per_original=2.5), "an int from 0 to 10,000"),
        (lambda: ApplyOnePolicy(n_per_original=10**9), r"an int from 0 to 10,000\. Got 1000000000"),
        (lambda: ApplyEachPolicy(n_per_original=10**30), "an int from 0 to 10,000"),
        (lambda: RandomPolicy(sequence_length=10**6), "an int from 1 to 100"),
        (lambda: ClassBalancedPolicy(max_per_original=10**30), "an int from 1 to 10,000"),
        (lambda: ApplyAllPolicy(keep_original="yes"), "'keep_original' parameter"),
        (lambda: RandomPolicy(sequence_length=0), "'sequence_length' parameter of RandomPolicy"),
        (lambda: ClassBalancedPolicy(target=0), "'target' parameter"),
        (lambda: ClassBalancedPolicy(max_per_original=0), "'max_per_original' parameter"),
    ],
)
def test_parameters_are_checked_when_built(make, message):
    with pytest.raises(InvalidParameterError, match=message):
        make()


def test_no_tfs_is_an_error():
    with pytest.raises(InvalidParameterError, match="at least one TF"):
        RandomPolicy().bind([])


def test_class_balanced_draws_reach_the_target_in_expectation():
    policy = ClassBalancedPolicy(counts={"common": 90, "rare": 10, "mid": 40}, target=90,
                                 max_per_original=50)
    rare = sum(policy.draws_for(("rare",), Rng(i)) for i in range(10))
    mid = sum(policy.draws_for(("mid",), Rng(i)) for i in range(40))
    assert rare == 80 and 40 <= mid <= 60  # 50 expected: 1.25 draws per row, randomly rounded
    assert policy.draws_for(("common",), Rng(0)) == 0
    assert policy.draws_for(("unseen",), Rng(0)) == 0
    assert policy.draws_for(("rare", "common"), Rng(0)) == 8  # the rarest label decides


def test_class_balanced_caps_and_needs_counts():
    policy = ClassBalancedPolicy(counts={"a": 100, "b": 1}, max_per_original=5)
    assert policy.draws_for(("b",), Rng(0)) == 5
    with pytest.raises(InvalidParameterError, match="no label counts"):
        ClassBalancedPolicy().draws_for(("a",), Rng(0))


def test_class_balanced_in_augment_balances_single_and_multi_label(frame):
    df = frame.assign(label=["a", "a", "a", "a", "b", "c"], multi=[["a"]] * 4 + [["b", "a"], ["c"]])
    policy = ClassBalancedPolicy(max_per_original=10)
    # single-label: a=4 rows is the target; b and c have 1 row each and get 3 draws
    # multi-label: a=5 is the target; row 14 (b, a) gets what its rarest label b needs: 4
    for column, draws in (("label", 3), ("multi", 4)):
        out = augment(df, [add_bang], policy, seed=0, label=column, dedupe=False)
        made = out[~out["textaug_is_original"]]
        assert made["id"].value_counts().to_dict() == {14: draws, 15: draws}
    assert policy.counts is None  # fitted on a copy: the caller's policy is reusable


def test_class_balanced_needs_a_label_column(frame):
    with pytest.raises(InvalidParameterError, match="label="):
        augment(frame, [shout], ClassBalancedPolicy(), seed=0)


def test_policies_repr():
    assert repr(ApplyOnePolicy(n_per_original=5)) == (
        "ApplyOnePolicy(n_per_original=5, keep_original=True)")


def test_class_balanced_with_weights_draws_by_tf_name():
    policy = ClassBalancedPolicy(counts={"a": 5, "b": 1}, weights={"x": 0.0, "y": 1.0},
                                 sequence_length=2)
    assert seqs(policy, ("x", "y"), labels=("b",)) == [(1, 1)] * 4
    with pytest.raises(InvalidParameterError, match=r"missing: \['z'\]"):
        ClassBalancedPolicy(weights={"x": 1.0}).bind(["x", "z"])


def test_binding_never_changes_the_callers_policy():
    policy = MeanFieldPolicy({"a": 1.0, "b": 0.0}, n_per_original=20)
    first = policy.bind(["a", "b"])
    second = policy.bind(["b", "a"])
    assert set(first.sequences(Rng(0), ())) == {(0,)}
    assert set(second.sequences(Rng(0), ())) == {(1,)}
    balanced = ClassBalancedPolicy(counts={"x": 3, "y": 1}, weights={"a": 1.0, "b": 0.0})
    one, two = balanced.bind(["a", "b"]), balanced.bind(["b", "a"])
    assert set(one.sequences(Rng(0), ("y",))) == {(0,)}
    assert set(two.sequences(Rng(0), ("y",))) == {(1,)}
