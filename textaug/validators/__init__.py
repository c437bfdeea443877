"""Label-preservation validators, passed as ``augment(..., validators=[...])``.

Each factory returns a :class:`Validator`; any callable ``(original, candidate) ->
Verdict | bool`` works too (see :func:`validator`). A factory's name is also its
``--validator`` name on the command line (``FACTORIES``).
"""

from collections.abc import Callable
from typing import Any

from textaug.validators.base import Validator, Verdict, as_validator, validator
from textaug.validators.rules import (
    label_keywords,
    length_bounds,
    lexicon_consistent,
    negation_preserved,
    not_identical,
    protected_terms,
)

FACTORIES: dict[str, Callable[..., Any]] = {
    factory.__name__: factory
    for factory in (not_identical, protected_terms, negation_preserved, length_bounds,
                    lexicon_consistent)
}

__all__ = [
    "FACTORIES",
    "Validator",
    "Verdict",
    "as_validator",
    "label_keywords",
    "length_bounds",
    "lexicon_consistent",
    "negation_preserved",
    "not_identical",
    "protected_terms",
    "validator",
]
