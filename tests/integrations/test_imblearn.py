"""TextAugmentSampler: tops up rare classes with variants, in an imblearn Pipeline."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from textaug import transformation_function
from textaug.errors import InvalidParameterError, TextaugWarning
from textaug.tfs import random_swap

pytest.importorskip("imblearn")
from imblearn.pipeline import make_pipeline  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402

from textaug.integrations.imblearn import TextAugmentSampler  # noqa: E402


@transformation_function()
def tag(x, rng):
    """Append a random marker, so that each variant differs."""
    return x.replace(text=f"{x.text} v{rng.integers(10**6)}")


@transformation_function()
def never(x):
    return None


def _data() -> tuple[list[str], list[str]]:
    X = [f"row{i} {w} film" for i, w in enumerate(["good"] * 12 + ["bad"] * 5 + ["odd"] * 2)]
    return X, ["pos"] * 12 + ["neg"] * 5 + ["mid"] * 2


def _source(text: str) -> int:
    return int(text.split()[0][3:])


def test_auto_tops_up_every_class_to_the_majority_with_variants_spread_evenly() -> None:
    X, y = _data()
    sampler = TextAugmentSampler([tag], seed=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res[:len(X)] == X and y_res[:len(y)].tolist() == y
    assert Counter(y_res.tolist()) == {"pos": 12, "neg": 12, "mid": 12}
    made = X_res[len(X):]
    assert len(set(made)) == len(made) and not set(made) & set(X)
    assert [y[_source(t)] for t in made] == y_res[len(y):].tolist()
    assert sampler.sample_indices_.tolist() == [_source(t) for t in X_res]
    assert Counter(_source(t) for t in made if y[_source(t)] == "mid") == {17: 5, 18: 5}
    assert sorted(Counter(_source(t) for t in made if y[_source(t)] == "neg").values()) == [
        1, 1, 1, 2, 2]  # 7 over 5 rows: each once, then two of them again
    assert sampler.sampling_strategy_ == {"neg": 7, "mid": 10}
    assert sampler.report_.input_rows == 7 and sampler.repeated_ == {}


def test_ratio_and_dict_strategies() -> None:
    X, y = _data()
    X2, y2 = X[:17], y[:17]
    _, y_res = TextAugmentSampler([tag], sampling_strategy=0.75, seed=0).fit_resample(X2, y2)
    assert Counter(y_res.tolist()) == {"pos": 12, "neg": 9}
    _, y_res = TextAugmentSampler([tag], sampling_strategy={"mid": 4}, seed=0).fit_resample(X, y)
    assert Counter(y_res.tolist()) == {"pos": 12, "neg": 5, "mid": 4}


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    X, y = _data()
    first = TextAugmentSampler([tag], seed=3).fit_resample(X, y)[0]
    assert TextAugmentSampler([tag], seed=3).fit_resample(X, y)[0] == first
    assert TextAugmentSampler([tag], seed=4).fit_resample(X, y)[0] != first


def test_containers_kept_and_inputs_untouched() -> None:
    X, y = _data()
    xs, ys = pd.Series(X, name="review", index=range(100, 119)), pd.Series(y, name="label")
    X_res, y_res = TextAugmentSampler([tag, random_swap(0.5)], seed=0).fit_resample(xs, ys)
    assert isinstance(X_res, pd.Series) and X_res.name == "review" and len(X_res) == 36
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    assert xs.tolist() == X and xs.index[0] == 100
    frame_res, _ = TextAugmentSampler([tag], seed=0).fit_resample(pd.DataFrame({"t": X}), y)
    assert list(frame_res.columns) == ["t"] and len(frame_res) == 36
    arr_res, _ = TextAugmentSampler([tag], seed=0).fit_resample(np.array(X, dtype=object), y)
    assert isinstance(arr_res, np.ndarray) and arr_res.dtype == object


def test_in_an_imblearn_pipeline_with_tfidf_and_logistic_regression() -> None:
    X, y = _data()
    pipe = make_pipeline(TextAugmentSampler([tag], seed=0), TfidfVectorizer(),
                         LogisticRegression())
    pipe.fit(X, y)
    assert pipe.predict(["good film", "odd film"]).tolist() == ["pos", "mid"]
    assert len(pipe[1].vocabulary_) > len(TfidfVectorizer().fit(X).vocabulary_)  # variants
    scores = cross_val_score(clone(pipe), X * 2, y * 2, cv=2)
    assert len(scores) == 2
    assert clone(pipe[0]).get_params() == pipe[0].get_params()


def test_too_few_variants_warns_and_repeats() -> None:
    X, y = _data()
    sampler = TextAugmentSampler([never], seed=0)
    with pytest.warns(TextaugWarning, match="repeat"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.repeated_ == {"neg": 7, "mid": 10}
    rows = {"neg": range(12, 17), "mid": range(17, 19)}  # the originals, in turn
    assert X_res[len(X):] == [X[rows[cls][i % len(rows[cls])]]
                              for cls, need in sampler.sampling_strategy_.items()
                              for i in range(need)]


def test_errors_name_the_fix() -> None:
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="one label per text"):
        TextAugmentSampler([tag]).fit_resample(X, y[:3])
    with pytest.raises(InvalidParameterError, match="seed"):
        TextAugmentSampler([tag], seed=-1)
    with pytest.raises(ValueError, match="sampling_strategy"):
        TextAugmentSampler([tag], sampling_strategy="nonsense").fit_resample(X, y)


def test_importing_the_module_imports_neither_imblearn_nor_sklearn() -> None:
    code = ("import sys, textaug.integrations.imblearn; "
            "assert not {'imblearn', 'sklearn'} & set(sys.modules), 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
