"""invariance: the share of variants that keep their original's prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from textaug import transformation_function
from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.evaluate.invariance import invariance
from textaug.evaluate.models import TfidfClassifier

DF = pd.DataFrame({"text": ["good film", "great film", "fine acting", "bad film", "awful film",
                            "poor acting"],
                   "label": ["pos", "pos", "pos", "neg", "neg", "neg"]})
CLF = TfidfClassifier().fit(DF["text"].tolist(), DF["label"].to_numpy())


@transformation_function()
def same(x):
    return x


@transformation_function()
def shout(x):
    return x.replace(text=x.text.upper() + "!")


@transformation_function()
def negate(x):
    """Turns a positive text negative: a TF that changes the label."""
    swapped = {"good": "bad", "great": "awful", "fine": "poor"}
    words = [swapped.get(w, w) for w in x.text.split()]
    return x.replace(text=" ".join(words))


@transformation_function()
def suffix(x, rng):
    return x.replace(text=f"{x.text} {'film' if rng.random() < 0.5 else 'acting'}")


def test_a_label_preserving_tf_scores_one_and_a_label_changing_tf_low() -> None:
    table = invariance(CLF, DF, [shout, negate])
    overall = table[table["label"] == "(all)"].set_index("tf")
    assert overall.loc["shout", "invariance"] == 1.0 and overall.loc["shout", "variants"] == 6
    assert overall.loc["negate", "variants"] == 3  # it changes only the positive texts
    by_label = table[table["tf"] == "negate"].set_index("label")
    assert by_label.loc["pos", "invariance"] == 0.0
    assert by_label.loc["neg", "variants"] == 0 and np.isnan(by_label.loc["neg", "invariance"])


def test_an_identity_tf_makes_no_variants() -> None:
    table = invariance(CLF, DF, [same], label=None)
    assert table.to_dict("records") == [{"tf": "same", "label": "(all)", "variants": 0,
                                        "unchanged": 0, "invariance": pytest.approx(np.nan,
                                                                                    nan_ok=True)}]


def test_n_draws_per_row_seeded() -> None:
    table = invariance(CLF, DF, [suffix], n=4, seed=1)
    assert table.loc[0, "variants"] == 24
    assert table.equals(invariance(CLF, DF, [suffix], n=4, seed=1))


def test_multi_label_rows_count_for_each_label() -> None:
    df = DF.assign(label=[["pos", "film"], ["pos", "film"], ["pos"], ["neg", "film"],
                          ["neg", "film"], ["neg"]])
    table = invariance(CLF, df, [shout])
    assert table.set_index("label")["variants"].to_dict() == {"(all)": 6, "film": 4, "neg": 3,
                                                              "pos": 3}


def test_the_frame_is_not_modified() -> None:
    before = DF.copy(deep=True)
    invariance(CLF, DF, [shout, negate])
    pd.testing.assert_frame_equal(DF, before)


def test_bad_input() -> None:
    with pytest.raises(ColumnNotFoundError, match="Label column 'tag' not in DataFrame"):
        invariance(CLF, DF, [shout], label="tag")
    with pytest.raises(InvalidParameterError, match="needs a fitted classifier"):
        invariance(object(), DF, [shout])
    with pytest.raises(InvalidParameterError, match="at least one TF"):
        invariance(CLF, DF, [])
