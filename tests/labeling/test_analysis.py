"""lf_summary against snorkel's LFAnalysis.lf_summary, and plot_lf_summary on the Agg backend."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from textaug.errors import InvalidParameterError
from textaug.labeling.analysis import lf_summary, plot_lf_summary


def snorkel_summary(L: np.ndarray, names: list[str], gold: np.ndarray | None) -> pd.DataFrame:
    labeling = pytest.importorskip("snorkel.labeling")
    lfs = [labeling.LabelingFunction(name, f=lambda x: -1) for name in names]
    with warnings.catch_warnings():  # snorkel's own scipy and division warnings
        warnings.simplefilter("ignore")
        return labeling.LFAnalysis(L, lfs).lf_summary(gold)


def random_matrix(seed: int, rows: int, lfs: int, classes: int,
                  abstain: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    L = rng.integers(0, classes, size=(rows, lfs))
    L[rng.random((rows, lfs)) < abstain] = -1
    return L, rng.integers(-1, classes, size=rows)


@pytest.mark.parametrize(("seed", "rows", "lfs", "classes", "abstain"), [
    (0, 200, 6, 2, 0.7), (1, 150, 9, 4, 0.5), (2, 80, 3, 7, 0.9), (3, 60, 5, 3, 0.0),
    (4, 40, 4, 2, 1.0), (5, 1, 3, 2, 0.3),
])
def test_same_numbers_as_snorkel_on_random_matrices(seed: int, rows: int, lfs: int,
                                                     classes: int, abstain: float) -> None:
    L, gold = random_matrix(seed, rows, lfs, classes, abstain)
    names = [f"lf_{j}" for j in range(lfs)]
    pd.testing.assert_frame_equal(lf_summary(L), snorkel_summary(L, names, None),
                                  check_exact=True)
    pd.testing.assert_frame_equal(lf_summary(L, gold=gold), snorkel_summary(L, names, gold),
                                  check_exact=True)


def test_same_numbers_as_snorkel_with_an_lf_that_never_votes_and_gold_without_unknowns() -> None:
    L, _ = random_matrix(7, 120, 5, 3, 0.6)
    L[:, 2] = -1
    gold = np.random.default_rng(8).integers(0, 3, size=120)
    names = ["a", "b", "silent", "d", "e"]
    ours = lf_summary(L, names=names, gold=gold)
    pd.testing.assert_frame_equal(ours, snorkel_summary(L, names, gold), check_exact=True)
    assert ours.loc["silent", "Polarity"] == []
    assert [ours.at["silent", "Coverage"], ours.at["silent", "Emp. Acc."]] == [0.0, 0.0]


def test_counts_by_hand() -> None:
    L = np.array([[0, 0, -1], [0, 1, -1], [2, -1, -1], [-1, -1, -1], [1, 1, 1]])
    summary = lf_summary(L, gold=[0, 1, -1, 0, 0])
    assert summary["Polarity"].tolist() == [[0, 1, 2], [0, 1], [1]]
    assert summary["Coverage"].tolist() == [0.8, 0.6, 0.2]
    assert summary["Overlaps"].tolist() == [0.6, 0.6, 0.2]
    assert summary["Conflicts"].tolist() == [0.2, 0.2, 0.0]  # agreeing overlaps are no conflict
    assert summary["Correct"].tolist() == [1, 2, 0]
    assert summary["Incorrect"].tolist() == [2, 1, 1]  # the row of unknown gold counts in neither
    assert summary["Emp. Acc."].tolist() == [0.25, 2 / 3, 0.0]  # ... but against accuracy


def test_takes_an_applier_result_by_its_l_and_names() -> None:
    L, gold = random_matrix(9, 30, 3, 2, 0.4)
    result = SimpleNamespace(L=L, names=["kw_nlp", "kw_cv", "regex_gan"])
    summary = lf_summary(result, gold=gold)
    assert summary.index.tolist() == ["kw_nlp", "kw_cv", "regex_gan"]
    assert summary["j"].tolist() == [0, 1, 2]
    pd.testing.assert_frame_equal(summary, lf_summary(L, names=result.names, gold=gold))
    assert lf_summary(result, names=["x", "y", "z"]).index.tolist() == ["x", "y", "z"]


def test_a_sparse_matrix_holds_label_plus_one_as_snorkel_builds_it() -> None:
    sparse = pytest.importorskip("scipy.sparse")
    L, gold = random_matrix(13, 40, 4, 3, 0.6)
    pd.testing.assert_frame_equal(lf_summary(sparse.csr_matrix(L + 1), gold=gold),
                                  lf_summary(L, gold=gold))


def test_gold_as_a_column_vector_a_series_or_integral_floats() -> None:
    L, gold = random_matrix(10, 25, 3, 3, 0.3)
    expected = lf_summary(L, gold=gold)
    for form in (gold[:, None], pd.Series(gold), gold.astype(float), gold.tolist()):
        pd.testing.assert_frame_equal(lf_summary(L, gold=form), expected)


def test_empty_matrices_give_zeros_without_warnings() -> None:
    no_rows = lf_summary(np.empty((0, 2), dtype=int), gold=[])
    assert no_rows[["Coverage", "Overlaps", "Conflicts", "Emp. Acc."]].to_numpy().sum() == 0.0
    assert no_rows["Polarity"].tolist() == [[], []]
    no_lfs = lf_summary(np.empty((4, 0), dtype=int))
    assert no_lfs.empty
    assert no_lfs.columns.tolist() == ["j", "Polarity", "Coverage", "Overlaps", "Conflicts"]


@pytest.mark.parametrize(("L", "message"), [
    (np.array([0, 1, -1]), "2-D integer label matrix"),
    (np.array([[0.5, 1.0]]), "2-D integer label matrix"),
    (np.array([[0, -2]]), "-1 for abstain. Got 'a label -2'"),
    ("not a matrix", "2-D integer label matrix"),
])
def test_a_bad_matrix_is_one_clear_error(L: object, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"'L' parameter of lf_summary.*{message}"):
        lf_summary(L)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"names": ["only_one"]}, "one name per LF \\(2\\). Got '1 names'"),
    ({"gold": [0, 1, 0]}, "one integer label per row of L \\(2\\)"),
    ({"gold": [0.5, 1.0]}, "one integer label per row of L"),
    ({"gold": ["a", "b"]}, "one integer label per row of L"),
    ({"gold": [0, -3]}, "-1 for unknown"),
])
def test_bad_names_or_gold_are_one_clear_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        lf_summary(np.array([[0, 1], [-1, 1]]), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def agg() -> object:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    plt = pytest.importorskip("matplotlib.pyplot")
    yield plt
    plt.close("all")


def bar_widths(ax: object, label: str) -> list[float]:
    container = next(c for c in ax.containers if c.get_label() == label)  # type: ignore[attr-defined]
    return [round(bar.get_width(), 12) for bar in container]


def test_plot_shows_coverage_and_accuracy_per_lf(agg: object) -> None:
    L, gold = random_matrix(11, 50, 4, 2, 0.5)
    summary = lf_summary(L, names=["a", "b", "c", "d"], gold=gold)
    fig = plot_lf_summary(L, names=["a", "b", "c", "d"], gold=gold)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c", "d"]
    assert bar_widths(ax, "Coverage") == summary["Coverage"].round(12).tolist()
    assert bar_widths(ax, "Emp. Acc.") == summary["Emp. Acc."].round(12).tolist()


def test_plot_of_a_summary_without_gold_draws_on_the_given_axes(agg: object) -> None:
    L, _ = random_matrix(12, 30, 3, 2, 0.5)
    summary = lf_summary(L).nlargest(2, "Coverage")
    fig, ax = agg.subplots()  # type: ignore[attr-defined]
    assert plot_lf_summary(summary, ax=ax) is fig
    assert [c.get_label() for c in ax.containers] == ["Coverage"]
    assert bar_widths(ax, "Coverage") == summary["Coverage"].round(12).tolist()


def test_plot_rejects_a_table_that_is_not_a_summary() -> None:
    with pytest.raises(InvalidParameterError, match="table from lf_summary.*Got a DataFrame"):
        plot_lf_summary(pd.DataFrame({"x": [1]}))


# -- multi-label: gold tags per row, one tag per LF -------------------------------------------


def random_tag_votes(seed: int, rows: int, tags: list[str]) -> tuple[np.ndarray, list]:
    """Binary LFs (vote 1, some 0, else abstain) and each row's true tags (some unknown)."""
    rng = np.random.default_rng(seed)
    L = np.where(rng.random((rows, len(tags))) < 0.4, rng.integers(0, 2, (rows, len(tags))), -1)
    gold: list = [[t for t in dict.fromkeys(tags) if rng.random() < 0.5] for _ in range(rows)]
    for i in rng.choice(rows, size=rows // 10, replace=False):
        gold[i] = None
    return L, gold


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tag_gold_equals_snorkel_run_lf_by_lf_with_binary_gold(seed: int) -> None:
    tags = ["nlp", "cv", "nlp", "gan", "cv"]  # two LFs may share a tag
    L, gold = random_tag_votes(seed, 90, tags)
    names = [f"kw_{j}" for j in range(len(tags))]
    ours = lf_summary(L, names=names, gold=gold, tags=tags)
    plain = snorkel_summary(L, names, None)
    pd.testing.assert_frame_equal(ours[plain.columns], plain, check_exact=True)
    for j, tag in enumerate(tags):
        binary = np.array([-1 if g is None else int(tag in g) for g in gold])
        theirs = snorkel_summary(L[:, [j]], [names[j]], binary)
        for column in ("Correct", "Incorrect", "Emp. Acc."):
            assert ours.at[names[j], column] == theirs.at[names[j], column], (tag, column)


def test_tag_gold_counts_by_hand() -> None:
    L = np.array([[1, -1], [1, 1], [-1, 0], [1, -1], [0, 1]])
    gold = [["NLP"], ["cv"], ["cv", "nlp"], None, "cv"]  # spelling normalised; a str is one tag
    summary = lf_summary(L, gold=gold, tags=["nlp", "Computer Vision"])
    # LF 0 (nlp) votes 1, 1, -, 1 (unknown), 0: right on rows 0 and 4, wrong on row 1
    assert summary["Correct"].tolist()[0] == 2
    assert summary["Incorrect"].tolist()[0] == 1  # the unknown row counts in neither ...
    assert summary["Emp. Acc."].tolist()[0] == 0.5  # ... but against accuracy, as in snorkel
    # LF 1 (computer-vision, no row's tag) votes 1, 0, 1: its 0 on row 2 is right
    assert [summary.at["lf_1", c] for c in ("Correct", "Incorrect")] == [1, 2]
    assert summary.at["lf_1", "Emp. Acc."] == pytest.approx(1 / 3)


def test_tag_gold_keeps_one_label_gold_as_it_was() -> None:
    L, gold = random_matrix(14, 30, 3, 2, 0.4)
    pd.testing.assert_frame_equal(lf_summary(L, gold=gold), snorkel_summary(
        L, [f"lf_{j}" for j in range(3)], gold), check_exact=True)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tags": ["a", "b"]}, "'tags' parameter of lf_summary must be given with gold"),
    ({"tags": ["a"], "gold": [["a"], []]}, "one non-empty str tag per LF \\(2\\)"),
    ({"tags": "ab", "gold": [["a"], []]}, "one non-empty str tag per LF"),
    ({"tags": ["a", ""], "gold": [["a"], []]}, "one non-empty str tag per LF"),
    ({"tags": ["a", "b"], "gold": [["a"]]}, "one collection of tags per row of L \\(2\\)"),
    ({"tags": ["a", "b"], "gold": [["a"], 3]}, "a list of tags \\(or None\\) per row. Got '3 in"),
])
def test_bad_tags_or_tag_gold_are_one_clear_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        lf_summary(np.array([[1, 1], [-1, 1]]), **kwargs)  # type: ignore[arg-type]
