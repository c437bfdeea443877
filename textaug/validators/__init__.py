"""Label-preservation validators, passed as ``augment(..., validators=[...])``.

Each factory returns a :class:`Validator`; any callable ``(original, candidate) ->
Verdict | bool`` works too (see :func:`validator`). A factory's name is also its
``--validator`` name on the command line (``FACTORIES``).
"""

from collections.abc import Callable
from typing import Any

from textaug.validators.base import Validator, Verdict, as_validator, validator
from textaug.validators.classifier import classifier_agreement
from textaug.validators.lf_agreement import lf_agreement
from textaug.validators.rules import (
    label_keywords,
    length_bounds,
    lexicon_consistent,
    negation_preserved,
    not_identical,
    protected_terms,
)
from textaug.validators.semantic import semantic_similarity

FACTORIES: dict[str, Callable[..., Any]] = {
    factory.__name__: factory
    for factory in (not_identical, protected_terms, negation_preserved, length_bounds,
                    lexicon_consistent, semantic_similarity, classifier_agreement)
}

__all__ = [
    "FACTORIES",
    "Validator",
    "Verdict",
    "as_validator",
    "classifier_agreement",
    "label_keywords",
    "length_bounds",
    "lf_agreement",
    "lexicon_consistent",
    "negation_preserved",
    "not_identical",
    "protected_terms",
    "semantic_similarity",
    "validator",
]
