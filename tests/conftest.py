"""Shared fixtures: small labelled frames and simple TFs."""

from __future__ import annotations

import pandas as pd
import pytest

from textaug import transformation_function
from textaug.cli import main


@transformation_function()
def add_bang(x, rng):
    """Append one to three '!' (random), so draws differ."""
    return x.replace(text=x.text + "!" * (1 + rng.integers(3)))


@transformation_function()
def shout(x):
    """Upper-case the text; not applicable when it already is."""
    return None if x.text.isupper() else x.replace(text=x.text.upper())


@transformation_function()
def never(x):
    """Never applicable."""
    return None


@transformation_function()
def explode(x):
    """Raise on texts containing 'boom'."""
    if "boom" in x.text:
        raise ValueError("boom found")
    return x.replace(text=x.text + " ok")


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [10, 11, 12, 13, 14, 15],
        "text": ["the movie was good", "a survey of reinforcement learning for nlp tasks",
                 "GANs for art", "boom goes the model", "short", "CNNs and RNNs compared"],
        "tags": [["review"], ["reinforcement-learning", "natural-language-processing"],
                 ["generative-adversarial-networks"], ["other"], ["other"],
                 ["convolutional-neural-networks", "recurrent-neural-networks"]],
        "score": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
        "flag": pd.array([True, False, True, None, False, True], dtype="boolean"),
    })


@pytest.fixture
def run(capsys):
    """Call ``main`` in-process; return (exit code, stdout, stderr)."""

    def call(*argv: object) -> tuple[int, str, str]:
        rc = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return call
