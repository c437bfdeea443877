"""TF factories: each returns a ready :class:`~textaug.tf.TransformationFunction`.

A factory's name is also its ``--tf`` name on the command line (``FACTORIES``).
"""

from collections.abc import Callable
from typing import Any

from textaug.tfs.aeda import aeda
from textaug.tfs.aliases import swap_aliases
from textaug.tfs.eda import (
    eda,
    eda_defaults,
    random_deletion,
    random_insertion,
    random_swap,
    synonym_replacement,
)
from textaug.tfs.nlpaug import from_nlpaug
from textaug.tfs.noise import char_noise, keyboard_typos, misspellings, ocr_errors

FACTORIES: dict[str, Callable[..., Any]] = {
    factory.__name__: factory
    for factory in (swap_aliases, synonym_replacement, random_insertion, random_swap,
                    random_deletion, eda, aeda, keyboard_typos, char_noise, ocr_errors,
                    misspellings)
}

__all__ = [
    "aeda",
    "char_noise",
    "eda",
    "eda_defaults",
    "from_nlpaug",
    "keyboard_typos",
    "misspellings",
    "ocr_errors",
    "random_deletion",
    "random_insertion",
    "random_swap",
    "swap_aliases",
    "synonym_replacement",
]
