"""TF factories: each returns a ready :class:`~textaug.tf.TransformationFunction`.

A factory's name is also its ``--tf`` name on the command line (``FACTORIES``). The
model-backed ones (``MODEL_BACKED``) load their model on first use, never at import.
"""

from collections.abc import Callable
from typing import Any

from textaug.tfs.aeda import aeda
from textaug.tfs.aliases import swap_aliases
from textaug.tfs.back_translation import back_translate
from textaug.tfs.contextual import contextual_insert, contextual_substitute
from textaug.tfs.eda import (
    eda,
    eda_defaults,
    random_deletion,
    random_insertion,
    random_swap,
    synonym_replacement,
)
from textaug.tfs.llm import llm_paraphrase
from textaug.tfs.nlpaug import from_nlpaug
from textaug.tfs.noise import char_noise, keyboard_typos, misspellings, ocr_errors

FACTORIES: dict[str, Callable[..., Any]] = {
    factory.__name__: factory
    for factory in (swap_aliases, synonym_replacement, random_insertion, random_swap,
                    random_deletion, eda, aeda, keyboard_typos, char_noise, ocr_errors,
                    misspellings, contextual_substitute, contextual_insert, back_translate,
                    llm_paraphrase)
}
MODEL_BACKED = frozenset({"contextual_substitute", "contextual_insert", "back_translate",
                          "llm_paraphrase"})

__all__ = [
    "aeda",
    "back_translate",
    "char_noise",
    "contextual_insert",
    "contextual_substitute",
    "eda",
    "eda_defaults",
    "from_nlpaug",
    "keyboard_typos",
    "llm_paraphrase",
    "misspellings",
    "ocr_errors",
    "random_deletion",
    "random_insertion",
    "random_swap",
    "swap_aliases",
    "synonym_replacement",
]
