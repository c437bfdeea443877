"""benchmarks/to_labelled_text.py converts Made With ML CSVs to label<TAB>text files;
benchmarks/effect.py --quick runs end to end on a tiny generated data folder and resumes
from its cache."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
CONVERTER = ROOT / "benchmarks" / "to_labelled_text.py"
EFFECT = ROOT / "benchmarks" / "effect.py"
GRID = ROOT / "benchmarks" / "choose_policy.py"


def made_with_ml(folder):
    folder.mkdir()
    pd.DataFrame({"id": [1, 2, 3],
                  "title": ["Tabs\there", "Two\nlines", "No description"],
                  "description": ["and a\r\nbreak", "plain text", None],
                  "tag": ["mlops", "computer-vision", "other"]}).to_csv(folder / "dataset.csv",
                                                                        index=False)
    pd.DataFrame({"id": [4], "title": ["Holdout"], "description": ["row"],
                  "tag": ["natural-language-processing"]}).to_csv(folder / "holdout.csv",
                                                                  index=False)
    return folder


def test_converter_writes_label_tab_text_lines(tmp_path):
    src = made_with_ml(tmp_path / "src")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(CONVERTER), str(src), str(out)],
                            capture_output=True, text=True, check=True, timeout=120)
    folder = out / "madewithml_4class"
    assert (folder / "train.txt").read_text(encoding="utf-8") == (
        "mlops\tTabs here and a  break\n"
        "computer-vision\tTwo lines plain text\n"
        "other\tNo description\n")
    assert (folder / "test.txt").read_text(encoding="utf-8") == (
        "natural-language-processing\tHoldout row\n")
    assert "train.txt: 3 lines" in result.stdout and "test.txt: 1 lines" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["test.txt", "train.txt"]  # no temp file
    first = (folder / "train.txt").read_bytes()
    load_script(CONVERTER).convert(src, out)
    assert (folder / "train.txt").read_bytes() == first  # deterministic


def test_converter_names_a_missing_file(tmp_path):
    src = made_with_ml(tmp_path / "src")
    (src / "holdout.csv").unlink()
    with pytest.raises(SystemExit, match="holdout.csv not found: SRC must hold"):
        load_script(CONVERTER).convert(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written, not even the training file


def tiny_data_set(folder, seed=0):
    """Two labels with their own words, 60 training and 20 test texts."""
    rng = np.random.default_rng(seed)
    words = {"sports": ["match", "goal", "team", "player", "coach", "season", "league"],
             "cooking": ["recipe", "oven", "flavour", "kitchen", "dinner", "sauce", "bread"]}
    filler = ["the", "a", "great", "new", "quick", "story", "about", "really", "good"]
    folder.mkdir(parents=True)
    for name, n in (("train.txt", 60), ("test.txt", 20)):
        lines = []
        for i in range(n):
            label = ["sports", "cooking"][i % 2]
            text = rng.choice(words[label] * 2 + filler, size=8)
            lines.append(f"{label}\t{' '.join(text)}\n")
        (folder / name).write_text("".join(lines), encoding="utf-8")


def run_quick(data, cache):
    return subprocess.run([sys.executable, str(EFFECT), str(data), "--quick", "--cache",
                           str(cache)], capture_output=True, text=True, check=True,
                          timeout=600).stdout


def test_effect_quick_prints_the_table_and_resumes_from_the_cache(tmp_path):
    tiny_data_set(tmp_path / "data" / "tiny")
    out = run_quick(tmp_path / "data", tmp_path / "cache")
    lines = out.splitlines()
    assert lines[0] == "data set tiny: train 60, test 20, 2 labels"
    at = lines.index(next(line for line in lines if line.startswith("tiny, size 40, model tfidf")))
    assert lines[at + 1].split() == ["augmenter", "runs", "accuracy", "gain", "gain_low",
                                     "gain_high", "s_per_run"]
    rows = {row.split()[0]: row.split()[1:] for row in lines[at + 2:at + 5]}
    assert list(rows) == ["none", "eda-paper", "recommended"]
    assert rows["none"][:1] + rows["none"][2:4] == ["2", "0.00", "0.00"]
    for runs, accuracy, gain, low, high, seconds in rows.values():
        assert runs == "2" and 0 <= float(accuracy) <= 100 and float(seconds) > 0
        assert float(low) <= float(gain) <= float(high) or low == "NaN"
    average = lines.index("average over data sets (accuracy and gain in points):")
    assert lines[average + 1].split() == ["model", "size", "augmenter", "data_sets", "accuracy",
                                          "gain"]
    assert [row.split()[:4] for row in lines[average + 2:average + 5]] == [
        ["tfidf", "40", name, "1"] for name in ("none", "eda-paper", "recommended")]
    assert lines[-1].startswith("wall time ")
    cached = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(cached) == 6  # 3 augmenters x 2 seeds, one file per run
    again = run_quick(tmp_path / "data", tmp_path / "cache")
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == cached
    assert again.splitlines()[at + 2:at + 5] == lines[at + 2:at + 5]  # seconds as recorded


def test_effect_refuses_a_folder_without_data_sets(tmp_path):
    with pytest.raises(SystemExit, match="No data set in"):
        load_script(EFFECT).data_sets(tmp_path, tmp_path / "scratch")


def test_without_data_both_scripts_use_the_bundled_projects(tmp_path):
    missing = tmp_path / "no_such_folder"
    converted = subprocess.run([sys.executable, str(CONVERTER), str(missing), str(tmp_path)],
                               capture_output=True, text=True, check=True, timeout=120)
    assert f"{missing} not found: using the bundled" in converted.stderr
    train = (tmp_path / "bundled_projects" / "train.txt").read_text(encoding="utf-8")
    test = (tmp_path / "bundled_projects" / "test.txt").read_text(encoding="utf-8")
    labels = {line.split("\t")[0] for line in (train + test).splitlines()}
    assert labels == {"computer-vision", "natural-language-processing"}
    assert 2 * len(test.splitlines()) < len(train.splitlines())
    env = {**os.environ, "TEXTAUG_BENCH_QUICK": "1"}
    result = subprocess.run([sys.executable, str(EFFECT), "--cache", str(tmp_path / "cache")],
                            capture_output=True, text=True, check=True, timeout=600, env=env)
    assert "no DATA_DIR given: using the bundled" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data set bundled_projects: train ")
    assert any(line.startswith("bundled_projects, size 40, model tfidf, 2 seeds") for line in lines)
    assert (tmp_path / "cache" / "data" / "bundled_projects" / "train.txt").read_text(
        encoding="utf-8") == train


def test_choose_policy_quick_ranks_its_candidates_by_gain(tmp_path):
    tiny_data_set(tmp_path / "tiny")
    out = subprocess.run([sys.executable, str(GRID), str(tmp_path / "tiny"), "--quick",
                          "--cache", str(tmp_path / "cache")], capture_output=True, text=True,
                         check=True, timeout=600).stdout.splitlines()
    assert out[0].endswith("tiny: train 60, test 20, size 40, seeds [5]")
    assert out[2].startswith("model tfidf (")
    assert out[3].split() == ["size", "augmenter", "runs", "accuracy", "gain", "gain_low",
                              "gain_high"]
    rows = [line.split() for line in out[4:]]
    names = [" ".join(row[1:-5]) for row in rows]
    assert sorted(names) == sorted(["none", "eda-paper a.05 n16", "eda a.1 n4 +val",
                                    "sr-rs-rd a.1 n4", "rs-rd a.1 n4"])
    gains = [float(row[-3]) for row in rows]
    assert gains == sorted(gains, reverse=True) and gains[names.index("none")] == 0
