"""Validators: does an augmented candidate still deserve its original's label?

A validator takes ``(original, candidate)`` records and returns a :class:`Verdict`:
accepted or rejected, with a reason a person can read and, where the check measures
something, a score. Model-backed validators override ``check_batch`` to score many
pairs in one forward pass; the applier always calls the batch form.

Examples
--------
>>> @validator(name="shorter")
... def shorter(original, candidate):
...     return len(candidate.text) <= len(original.text)
>>> shorter("a long sentence", "a sentence")
Verdict(accepted=True, reason='', score=None)
>>> print(shorter("short", "much longer"))
rejected: shorter returned False
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, check_param
from textaug.records import Record


class BrokenValidatorError(TypeError):
    """A validator broke its contract (not a Verdict, or the wrong number of them): a bug
    in the validator, so it stops the run whatever ``on_error`` says."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: accepted or not, why, and a score where one was measured."""

    accepted: bool
    reason: str = ""
    score: float | None = None
    error: BaseException | None = field(default=None, compare=False, repr=False)

    @classmethod
    def accept(cls, reason: str = "", score: float | None = None) -> Verdict:
        return cls(True, reason, score)

    @classmethod
    def failed(cls, error: BaseException) -> Verdict:
        """The validator raised on this candidate: no verdict, an error."""
        return cls(False, f"raised {type(error).__name__}: {error}", None, error)

    @classmethod
    def reject(cls, reason: str, score: float | None = None) -> Verdict:
        return cls(False, reason, score)

    def __bool__(self) -> bool:
        return self.accepted

    def describe(self, validator: str) -> str:
        """One line: ``name: accepted (0.91)`` or ``name: rejected (0.62): reason``."""
        score = "" if self.score is None else f" ({self.score:.3g})"
        outcome = "accepted" if self.accepted else "rejected"
        return f"{validator}: {outcome}{score}" + (f": {self.reason}" if self.reason else "")

    def __str__(self) -> str:
        if self.accepted:
            return "accepted" + (f": {self.reason}" if self.reason else "")
        return f"rejected: {self.reason}"


class Validator:
    """A named label-preservation check. Subclasses implement ``check`` (or ``check_batch``).

    Parameters
    ----------
    name
        Names the validator in verdicts, provenance and the report.
    needs_label
        The check reads the row's labels, so the applier requires a label column.
    """

    def __init__(self, name: str, needs_label: bool = False) -> None:
        check_param(isinstance(name, str) and bool(name), type(self).__name__, "name",
                    "a non-empty str", name)
        self.name = name
        self.needs_label = needs_label

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def check(self, original: Record, candidate: Record) -> Verdict:
        """The verdict on one candidate."""
        return self.check_batch([original], [candidate])[0]

    def check_batch(self, originals: Sequence[Record],
                    candidates: Sequence[Record]) -> list[Verdict]:
        """The verdicts on many candidates (a model scores them in one pass)."""
        if type(self).check is Validator.check:
            raise NotImplementedError(f"{type(self).__name__} must define check or check_batch.")
        return [self.check(o, c) for o, c in zip(originals, candidates, strict=True)]

    def check_siblings(self, candidate: Record, accepted: Sequence[Record]) -> Verdict | None:
        """A verdict against the row's candidates accepted so far; None: no such check."""
        return None

    def __call__(self, original: Any, candidate: Any) -> Verdict:
        """Check a pair given as records, dicts, pandas Series or plain texts."""
        return self.check(as_record(original), as_record(candidate))


class FunctionValidator(Validator):
    """A validator made from a function ``(original, candidate) -> Verdict | bool``."""

    def __init__(self, func: Callable[[Record, Record], Verdict | bool], name: str | None = None,
                 needs_label: bool = False) -> None:
        if not callable(func):
            raise InvalidParameterError(f"A validator wraps a callable. Got {func!r}.")
        super().__init__(name or str(getattr(func, "__name__", type(func).__name__)),
                         needs_label)
        self.func = func

    def check(self, original: Record, candidate: Record) -> Verdict:
        out = self.func(original, candidate)
        if isinstance(out, Verdict):
            return out
        if isinstance(out, bool | np.bool_):
            return Verdict(bool(out), "" if out else f"{self.name} returned False")
        raise BrokenValidatorError(f"Validator {self.name!r} returned {type(out).__name__}; "
                                   "return a Verdict or a bool.")


def validator(name: str | Callable[..., Any] | None = None, needs_label: bool = False) -> Any:
    """Decorate ``f(original, candidate) -> Verdict | bool`` into a :class:`Validator`."""
    if callable(name):
        return FunctionValidator(name)

    def decorate(func: Callable[[Record, Record], Verdict | bool]) -> FunctionValidator:
        return FunctionValidator(func, name, needs_label)

    return decorate


def as_validator(obj: Any) -> Validator:
    """A :class:`Validator` as is; any other callable wrapped as a function validator."""
    if isinstance(obj, Validator):
        return obj
    if callable(obj):
        return FunctionValidator(obj)
    raise InvalidParameterError(
        "validators= takes Validator objects (textaug.validators.not_identical(), ...) or "
        f"callables (original, candidate) -> Verdict | bool. Got {obj!r}."
    )


def text_of(x: Record, role: str = "candidate") -> str:
    """The record's text; a missing or non-string text is bad input, named in the error.

    >>> text_of(Record({"text": float("nan")}), "original")
    Traceback (most recent call last):
    ...
    textaug.errors.InvalidParameterError: The original text is missing (nan); ...
    """
    text = x.text
    if isinstance(text, str):
        return text
    problem = ("missing" if text is None or text is pd.NA
               or (isinstance(text, float) and math.isnan(text)) else type(text).__name__)
    raise InvalidParameterError(
        f"The {role} text is {problem} ({text!r}); validators check strings. Drop or fill "
        f"such rows first, e.g. df.dropna(subset=[{x.text_field!r}]).")


def as_record(x: Any, text: str = "text", label: str | None = None) -> Record:
    """A record from a Record, a mapping, a pandas Series or a plain text.

    Without ``label``, a field called "label" is the label, if there is one.
    """
    if isinstance(x, Record):
        return x
    if isinstance(x, str):
        return Record({text: x}, text, label)
    if isinstance(x, Mapping) or hasattr(x, "to_dict"):
        fields = dict(x) if isinstance(x, Mapping) else x.to_dict()
        if label is None and "label" in fields:
            label = "label"
        return Record(fields, text, label)
    raise TypeError(f"A validator checks records, mappings, Series or texts. Got {type(x)}.")
