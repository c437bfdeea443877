"""Tests of the self-contained report page (textaug.evaluate.html_report), in Chromium too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

import textaug
from textaug.errors import InvalidParameterError
from textaug.evaluate.html_report import evaluation_summary, report_html, write_report
from textaug.tfs import random_deletion, random_swap
from textaug.validators import length_bounds

TEXTS = ["the quick brown fox jumps over the lazy dog today",
         "a survey of deep learning for natural language processing tasks",
         "graph neural networks for <script>alert(1)</script> molecules and proteins"]
PNG = b"\x89PNG\r\n\x1a\n"


def run(validators=()):
    df = pd.DataFrame({"id": [1, 2, 3], "text": TEXTS, "label": ["a", "b", "a"]})
    return textaug.augment(df, [random_deletion(0.3), random_swap(0.2)],
                           textaug.RandomPolicy(sequence_length=2, n_per_original=3), seed=0,
                           label="label", key="id", validators=validators, return_report=True)


def runs() -> pd.DataFrame:
    rows = [(size, name, seed, 0.5 + 0.01 * seed + (0.04 if name == "eda" else 0.0))
            for size in (500, "None") for name in ("eda", "none") for seed in (0, 1, 2)]
    frame = pd.DataFrame(rows, columns=["size", "augmenter", "seed", "accuracy"])
    return frame.assign(macro_f1=frame["accuracy"] - 0.1, seconds=1.0)


def external_references(page: str) -> list[str]:
    """Anything a browser could fetch: URLs, src/href not to '#', CSS imports and url()."""
    found = re.findall(r"(?:https?:)?//[\w.-]+", page)
    found += re.findall(r"""(?:src|href)\s*=\s*(?!["']?#)[^\s>]*""", page)
    found += re.findall(r"@import|url\((?!#)", page)
    return found


def test_the_url_check_finds_what_a_browser_would_fetch():
    for fetching in ('<img src="x.png">', "<a href='https://example.org'>", "<link href=a.css>",
                     "<style>@import 'a.css'</style>", "<p style='background:url(a.png)'>",
                     '<use xlink:href="//cdn.example.org/a.svg#b"/>'):
        assert external_references(fetching), fetching
    assert external_references('<use xlink:href="#m1"/><g clip-path="url(#p2)">') == []


def test_the_page_has_every_section_and_names_no_url():
    out, report = run(validators=[length_bounds(min_tokens=8)])
    page = report_html(out, evaluation=runs(), report=report)
    for heading in ("Variants per TF chain", "Variants per TF", "Verdicts per validator",
                    "Diversity per TF chain", "Evaluation", "Examples", "Counts of the run"):
        assert f"<h2>{heading}</h2>" in page
    assert "<svg" in page and "</svg>" in page
    assert "<script" not in page
    assert external_references(page) == []


def test_the_page_is_the_same_each_time_and_matplotlib_is_left_as_it_was():
    matplotlib = pytest.importorskip("matplotlib")
    before = dict(matplotlib.rcParams)
    out, _ = run()
    assert report_html(out, evaluation=runs()) == report_html(out, evaluation=runs())
    assert dict(matplotlib.rcParams) == before


def test_per_tf_and_per_validator_counts_come_from_the_provenance_columns():
    out, _ = run(validators=[length_bounds(min_tokens=8)])
    page = report_html(out)
    variants = out[~out["textaug_is_original"]]
    for chain, count in variants["textaug_tfs"].value_counts().items():
        assert f"<td>{chain.replace('>', '&gt;')}</td>\n      <td>{count}</td>" in page
    kept = int((variants["textaug_verdicts"] != "").sum())  # accepted once each, on the end
    assert f"<td>length_bounds</td>\n      <td>{kept}</td>" in page


def test_an_encoder_adds_cosine_and_spread():
    def letters(texts):
        return [[t.count(c) for c in "aeiou"] for t in texts]

    page = report_html(run()[0], encoder=letters)
    assert "<th>cosine</th>" in page and "<th>spread</th>" in page
    assert "<th>cosine</th>" not in report_html(run()[0])


def test_evaluation_summary_pairs_each_run_with_the_baseline():
    summary = evaluation_summary(runs())
    assert summary[["size", "augmenter"]].values.tolist() == [
        ["500", "none"], ["500", "eda"], ["all", "none"], ["all", "eda"]]
    assert summary["gain"].tolist() == pytest.approx([0.0, 0.04, 0.0, 0.04])
    assert summary["accuracy"].tolist() == pytest.approx([0.51, 0.55, 0.51, 0.55])
    assert summary["runs"].tolist() == [3, 3, 3, 3]
    no_baseline = evaluation_summary(runs().query("augmenter == 'eda'"))
    assert no_baseline["gain"].isna().all()


def test_bad_runs_are_refused_in_one_line():
    with pytest.raises(InvalidParameterError, match=r"lack column\(s\) \['seed'\]"):
        evaluation_summary(runs().drop(columns="seed"))
    with pytest.raises(InvalidParameterError, match="'accuracy' column must hold numbers"):
        evaluation_summary(runs().assign(accuracy="high"))


def test_without_matplotlib_the_page_says_so(monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = report_html(run()[0], evaluation=runs())
    assert "No plot: matplotlib is not installed: pip install 'textaug[plot]'." in unescape(page)
    assert "<svg" not in page and "<h2>Evaluation</h2>" in page


def test_the_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    out, _ = run()
    target = tmp_path / "report.html"
    write_report(target, out, n=2)
    first = target.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>") and first.endswith(b"</html>\n")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="Nothing was written there"):
        write_report(target, out, n=3)
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_input_is_not_modified():
    out, report = run(validators=[length_bounds(min_tokens=8)])
    before = out.copy()
    report_html(out, evaluation=runs(), report=report, seed=3)
    pd.testing.assert_frame_equal(out, before)


def test_make_dev_installs_chromium_saying_so_first(tmp_path):
    venv = tmp_path / "venv"  # a dry run (-n) for a venv that does not exist: nothing runs
    done = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.dev"],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, check=True, timeout=60)
    recipe = done.stdout
    install = recipe.index("apt-get install -y -qq chromium")
    assert "command -v chromium" in recipe[:install]
    assert 'echo "Installing Debian\'s chromium package' in recipe[:install]
    assert '"$(id -u)" = 0' in recipe[:install]
    assert "browser test will be skipped" in recipe[install:]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium not found: 'make test' installs Debian's chromium package "
                    "(as root with apt-get), or install it yourself")
    return found


def headless(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120,
        check=True)


def test_the_page_renders_its_edits_in_headless_chromium(tmp_path):
    binary = chromium()
    out = pd.DataFrame({"text": ["the cat sat on the mat", "the dog sat on mat today"],
                        "textaug_source": [0, 0], "textaug_is_original": [True, False],
                        "textaug_tfs": ["", "edit"]})
    page = tmp_path / "report.html"
    write_report(page, out, evaluation=runs())
    dom = headless(binary, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    assert '<mark class="ta-rep" title="was: cat">dog</mark>' in dom
    assert '<del class="ta-del">the</del>' in dom
    assert '<ins class="ta-ins">today</ins>' in dom
    assert "<svg" in dom
    shot = tmp_path / "report.png"
    headless(binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,1400",
             page.as_uri())
    assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 1000
