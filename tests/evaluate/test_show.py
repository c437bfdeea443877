"""Tests of the notebook table (textaug.evaluate.show) and AugmentReport._repr_html_."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

import textaug
from textaug.errors import InvalidParameterError
from textaug.evaluate.show import Shown, show
from textaug.tfs import random_deletion, random_swap
from textaug.validators import length_bounds

TEXTS = ["the quick brown fox jumps over the lazy dog today",
         "a survey of deep learning for natural language processing tasks",
         "graph neural networks for <script>alert(1)</script> molecules and proteins"]


def run(validators=(), keep=True):
    df = pd.DataFrame({"id": [1, 2, 3], "text": TEXTS, "label": ["a", "b", "a"]})
    return textaug.augment(df, [random_deletion(0.3), random_swap(0.2)],
                           textaug.RandomPolicy(sequence_length=2, n_per_original=3,
                                                keep_original=keep),
                           seed=0, label="label", key="id", validators=validators,
                           return_report=True)


def rows_of(page: str, kind: str) -> list[str]:
    return re.findall(rf'<tr class="{kind}">(.*?)</tr>', page)


def test_each_original_with_its_variants_and_chains():
    out, _ = run()
    page = show(out)._repr_html_()
    assert len(rows_of(page, "ta-original")) == 3
    variants = rows_of(page, "ta-variant")
    assert len(variants) == int((~out["textaug_is_original"]).sum())
    for row, chain in zip(variants, out.loc[~out["textaug_is_original"], "textaug_tfs"],
                          strict=True):
        assert f"<td>{chain.replace('>', '&gt;')}</td>" in row
        assert re.search(r'class="ta-(ins|del|rep)"', row)  # every variant differs somehow


def test_legend_names_the_three_edits_and_the_greyed_rejections():
    page = show(run()[0]).to_html()
    legend = re.search(r'<p class="ta-legend">(.*?)</p>', page).group(1)
    for mark in ('class="ta-ins"', 'class="ta-rep"', 'class="ta-del"', "rejected"):
        assert mark in legend
    assert "<style>" in page and "<style>" not in show(run()[0]).to_html(style=False)


def test_user_text_is_escaped_everywhere():
    nasty = "<script>alert('x')</script>"
    out = pd.DataFrame({"text": [nasty + " a b", nasty + " a"], "textaug_source": [nasty] * 2,
                        "textaug_is_original": [True, False],
                        "textaug_tfs": ["", nasty], "textaug_verdicts": ["", nasty]})
    page = show(out)._repr_html_()
    assert "<script" not in page
    assert page.count("&lt;script&gt;") >= 5
    out2, _ = run()
    assert "<script" not in show(out2)._repr_html_()


def test_verdicts_and_greyed_rejections():
    out, report = run(validators=[length_bounds(min_tokens=8)])
    assert report.rejections, "the test needs rejected candidates"
    page = show(out, report=report)._repr_html_()
    assert "length_bounds: accepted" in page
    rejected = rows_of(page, "ta-rejected")
    assert len(rejected) == len(report.rejections)
    assert all("length_bounds: rejected" in row for row in rejected)
    assert not rows_of(show(out)._repr_html_(), "ta-rejected")


def test_n_and_seed_pick_originals_without_touching_global_rngs():
    out, _ = run()
    states = random.getstate(), np.random.get_state()[1].copy()
    assert [i.key for i in show(out, n=2).items] == [1, 2]
    picked = [i.key for i in show(out, n=2, seed=5).items]
    assert picked == [i.key for i in show(out, n=2, seed=5).items]
    assert len(picked) == 2 and picked == sorted(picked)
    assert {tuple(i.key for i in show(out, n=2, seed=s).items) for s in range(20)} != {(1, 2)}
    assert random.getstate() == states[0]
    assert (np.random.get_state()[1] == states[1]).all()
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InvalidParameterError, match="'n' parameter of show"):
            show(out, n=bad)


def test_originals_something_was_made_from_come_first():
    out = pd.DataFrame({"text": ["plain", "kept", "kept too", "third", "third one"],
                        "textaug_source": [0, 1, 1, 2, 2],
                        "textaug_is_original": [True, True, False, True, False],
                        "textaug_tfs": ["", "", "t", "", "t"]})
    assert [i.key for i in show(out).items] == [1, 2, 0]
    assert [i.key for i in show(out, n=2).items] == [1, 2]
    assert [i.key for i in show(out, n=1, seed=0).items] in ([1], [2])
    assert [i.key for i in show(out.iloc[:1]).items] == [0]


def test_plain_text_and_missing_originals():
    out, _ = run(keep=False)
    shown = show(out, n=1)
    assert isinstance(shown, Shown)
    assert repr(shown).startswith("row 1: (not in frame)\n  + ")
    assert "the original is not in the frame" in shown._repr_html_()
    assert repr(show(out.iloc[:0])) == "(no rows)"


def test_the_input_is_not_modified_and_bad_frames_are_refused():
    out, report = run(validators=[length_bounds(min_tokens=8)])
    before = out.copy()
    show(out, report=report, seed=1)
    pd.testing.assert_frame_equal(out, before)
    with pytest.raises(InvalidParameterError, match=r"show needs .*textaug_tfs"):
        show(out.drop(columns="textaug_tfs"))


def test_report_repr_html_has_the_per_tf_and_per_validator_counts():
    _, report = run(validators=[length_bounds(min_tokens=8)])
    page = report._repr_html_()
    tables = re.findall(r"<table.*?</table>", page, flags=re.DOTALL)
    assert len(tables) == 2
    counts = report.to_frame()
    for name in ("random_deletion", "random_swap"):
        assert f"<th>{name}</th>" in tables[0]
        assert f"<td>{counts.loc[name, 'applied']}</td>" in tables[0]
    assert "length_bounds" in tables[1] and "rejected" in tables[1]
    assert len(re.findall(r"<table", run()[1]._repr_html_())) == 1  # no validators, no verdicts
