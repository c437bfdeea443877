"""benchmarks/alias_quality.py: each detector catches issue 13's quoted defects and passes
good swaps; a quick run prints every class and the rows augmented."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "alias_quality.py"


BENCH = load_script(SCRIPT)
CURATED = BENCH.Curated.load()

GOOD = [  # swaps a reader cannot tell from real text
    ("We study GAN-based models.", "We study generative adversarial network-based models."),
    ("Autogenerate your CV using NLP.", "Autogenerate your CV using natural language processing."),
    ("NLP for Developers", "Natural Language Processing for Developers"),
    ("ML Cheatsheets.", "Machine Learning Cheatsheets."),
    ("The machine learning model is ready.", "The ML model is ready."),
    ("a survey of reinforcement learning for nlp tasks", "a survey of rl for nlp tasks"),
    ("A survey of reinforcement learning for NLP tasks", "A survey of RL for NLP tasks"),
    ("Deep Learning based parking management.", "DL based parking management."),
    ("We like a GAN.", "We like a generative adversarial network."),
    ("TensorFlow Lite models", "TF Lite models"),
    ("A machine learning package for streaming data in Python.",
     "A machine learning package for data streams in Python."),
    ("Faster R-CNN beats plain CNNs.", "Faster R-CNN beats plain ConvNets."),
]

DEFECTS = {
    "joined": [
        ("Faster R-CNN, R-FCN, and SSD.", "Faster R-convolutional neural network, R-FCN, and SSD."),
        ("GAN-BERT. Enhancing", "Generative adversarial network-BERT. Enhancing"),
        ("GP-GAN: Towards", "GP-generative adversarial network: Towards"),
        ("VAE-SNE. A model", "Variational autoencoder-SNE. A model"),
        ("Drifter-ML. A framework", "Drifter-machine learning. A framework"),
        ("using pure huggingface/nlp", "using pure huggingface/natural language processing"),
    ],
    "meaning": [
        ("Libraries of outlier detection.", "Libraries of outlier."),
        ("querying tabular data like csvs", "querying tabular like csvs"),
        ("spaCy POS tagging.", "spaCy POs."),
        ("Model for Image Animation.", "Model for Image Cartoon."),
    ],
    "repetition": [
        ("Semantic Segmentation models", "Semantic Image segmentation models"),
        ("Guide to Time Series Forecasting in Python",
         "Guide to Time Series Analysis Forecasting in Python"),
        ("a library for segmentation of images.", "a library for image segmentation of images."),
        ("the field of Reinforcement Learning (RL), from", "the field of RL (RL), from"),
        ("W&B: Weights and Biases. Track", "W&B: W&B. Track"),
        ("Natural Language processing (NLP), in short", "Natural Language processing (NLProc), in "
                                                        "short"),
    ],
    "casing": [
        ("NLP for Developers", "Nlproc for Developers"),
        ("ML Cheatsheets.", "Machine learning Cheatsheets."),
        ("The machine learning model is ready.", "The ml model is ready."),
        ("A survey of reinforcement learning for NLP tasks", "A survey of rl for NLP tasks"),
        ("Notes on deep learning.", "Notes on dl."),
        ("a survey of rl for nlp tasks", "a survey of Reinforcement Learning for nlp tasks"),
        ("NLP rocks.", "natural language processing rocks."),
    ],
}


@pytest.mark.parametrize("name", BENCH.CLASSES)
@pytest.mark.parametrize(("orig", "out"), GOOD)
def test_good_swaps_show_no_defect(name, orig, out):
    assert not BENCH.DETECTORS[name](orig, out, CURATED), (name, out)


@pytest.mark.parametrize(("name", "orig", "out"),
                         [(name, o, n) for name, pairs in DEFECTS.items() for o, n in pairs])
def test_each_detector_catches_the_issues_examples(name, orig, out):
    assert BENCH.DETECTORS[name](orig, out, CURATED), out


def test_defects_counts_each_class_apart():
    pairs = [pair for pairs in DEFECTS.values() for pair in pairs] + GOOD
    found = BENCH.defects(pairs, CURATED)
    for name, expected in DEFECTS.items():
        assert set(expected) <= set(found[name]), name
        assert not set(GOOD) & set(found[name]), name


def test_quick_run_prints_every_class_and_rows_augmented(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                            text=True, check=True, cwd=tmp_path, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: ") and "projects.csv (60 rows)" in lines[0]
    augmented = lines[1].split()
    assert augmented[:5] == ["rows", "with", "at", "least", "one"]
    assert 0 < int(augmented[6]) <= 60
    counts = {line.split()[0]: int(line.split()[1]) for line in lines[2:6]}
    assert list(counts) == list(BENCH.CLASSES)
    assert counts == dict.fromkeys(BENCH.CLASSES, 0), result.stdout
