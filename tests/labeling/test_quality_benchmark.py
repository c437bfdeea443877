"""benchmarks/labeling_quality.py: a quick run prints the quality table, fit times and
wrong examples; its helpers score and group LFs correctly."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import load_script
from textaug.lexicon import Lexicon

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "labeling_quality.py"


def test_quality_benchmark_prints_a_table_per_tag(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--top", "2", "--examples", "2"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: ") and "projects.csv (200 projects)" in lines[0]
    assert lines[1].split()[:4] == ["tag", "real", "LFs", "cover"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:6]}
    assert list(rows)[:2] == ["natural-language-processing", "computer-vision"]
    assert list(rows)[2:] == ["micro", "macro"]
    for tag in list(rows)[:2]:
        real, n_lfs, coverage, *figures = rows[tag]
        assert int(real) > 0 and int(n_lfs) >= 1 and 0 < float(coverage) <= 1, rows[tag]
        assert len(figures) == 9 and all(0 <= float(f) <= 1 for f in figures), figures
    assert all(len(rows[avg]) == 9 for avg in ("micro", "macro"))
    fit = next(i for i, line in enumerate(lines) if line.startswith("fit time over"))
    assert lines[fit + 1].split() == ["wall", "ms", "ratio", "CPU", "ms", "ratio"]
    timed = {line.split()[0]: line.split()[-4:] for line in lines[fit + 2: fit + 6]}
    assert list(timed) == ["majority", "label_model", "dawid_skene", "snorkel"]
    for wall, wall_ratio, cpu, cpu_ratio in timed.values():
        assert float(wall) > 0 and float(cpu) >= 0, (wall, cpu)
        assert wall_ratio.endswith("x") and cpu_ratio.endswith("x")
    assert timed["snorkel"][1] == timed["snorkel"][3] == "1.0x"
    assert lines[fit + 6].endswith("max |P difference| 0.00e+00")
    assert any(line.startswith("false positives of label_model: ") for line in lines)
    assert any(line.startswith("false negatives of label_model: ") for line in lines)
    assert "voted: keyword_" in result.stdout


def test_scores_count_precision_recall_f1():
    bench = load_script(SCRIPT)
    predicted = np.array([True, True, False, False])
    truth = np.array([True, False, True, False])
    assert bench.prf(predicted, truth) == (1, 1, 1)
    assert bench.scores(1, 1, 1) == (0.5, 0.5, 0.5)
    assert bench.scores(0, 0, 3) == (0.0, 0.0, 0.0)


def test_a_top_level_tag_gets_the_lfs_of_the_tags_below_it():
    bench = load_script(SCRIPT)
    lexicon = Lexicon({"computer-vision": ["cv"], "object-detection": ["yolo"],
                       "natural-language-processing": ["nlp"]},
                      parents={"object-detection": ["computer-vision"]})
    L = np.array([[-1, 1, -1], [1, -1, -1], [-1, -1, 1]])
    lf_tags = ["computer-vision", "object-detection", "natural-language-processing"]
    Ls, columns = bench.subtree_matrices(lexicon, L, lf_tags, ["computer-vision"])
    assert columns == {"computer-vision": [0, 1]}
    assert Ls["computer-vision"].tolist() == [[-1, 1], [1, -1], [-1, -1]]
    gold = [["natural-language-processing"], ["object-detection"], ["computer-vision"]]
    assert bench.scored_tags(lexicon, lf_tags, gold, 5) == ["computer-vision",
                                                             "natural-language-processing"]


def test_a_table_without_tags_is_refused_in_one_line(tmp_path):
    bench = load_script(SCRIPT)
    path = tmp_path / "texts.csv"
    path.write_text("text\nhello\n")
    with pytest.raises(SystemExit, match="no 'tags' column"):
        bench.load_projects(path)
