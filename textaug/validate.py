"""Judge a round of candidates with the run's validators.

Validators run in the order given, each in one batch over the candidates still
standing, so an expensive model only scores what the cheap checks let through. Then
sibling checks (``not_identical``) run candidate by candidate, in row and draw order,
against the candidates of the same row accepted so far; a sibling rejection takes the
place of that validator's own verdict.

Examples
--------
>>> from textaug.records import Record
>>> from textaug.validators import not_identical, negation_preserved
>>> original = Record({"text": "not bad at all"})
>>> candidates = [Record({"text": "bad at all"}), Record({"text": "Not  bad at ALL"})]
>>> checks = [not_identical(), negation_preserved()]
>>> for verdicts in judge(checks, [original] * 2, candidates, [0, 0], {}):
...     print([f"{name}: {v}" for name, v in verdicts])
['not_identical: accepted', 'negation_preserved: rejected: negators went from 1 to 0 (not)']
['not_identical: rejected: same as the original once case and spacing are ignored']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textaug.records import Record
from textaug.validators.base import BrokenValidatorError, Validator, Verdict

Judged = list[tuple[str, Verdict]]


def judge(validators: Sequence[Validator], originals: Sequence[Record],
          candidates: Sequence[Record], rows: Sequence[int],
          accepted: dict[int, list[Record]]) -> list[Judged]:
    """Each candidate's ``(validator, verdict)`` list, up to its first rejection.

    ``originals[i]`` is candidate i's original and ``rows[i]`` its row; candidates come
    in row and draw order. Accepted candidates are appended to ``accepted[row]``.
    """
    results: list[Judged] = [[] for _ in candidates]
    standing = list(range(len(candidates)))
    for validator in validators:
        if not standing:
            break
        verdicts = _checked_batch(validator, [originals[i] for i in standing],
                                  [candidates[i] for i in standing])
        for i, verdict in zip(standing, verdicts, strict=True):
            results[i].append((validator.name, verdict))
        standing = [i for i, verdict in zip(standing, verdicts, strict=True) if verdict.accepted]
    for i in standing:
        siblings = accepted.setdefault(rows[i], [])
        for k, validator in enumerate(validators):
            sibling_verdict = validator.check_siblings(candidates[i], siblings)
            if sibling_verdict is not None and not sibling_verdict.accepted:
                results[i][k] = (validator.name, sibling_verdict)
                break
        else:
            siblings.append(candidates[i])
    return results


def _checked_batch(validator: Validator, originals: Sequence[Record],
                   candidates: Sequence[Record]) -> list[Verdict]:
    """The validator's verdicts; where it raises, :meth:`Verdict.failed` for the candidates
    it fails on (a failed batch is judged again one candidate at a time to find them)."""
    try:
        return _batch(validator, originals, candidates)
    except BrokenValidatorError:
        raise
    except Exception as err:  # noqa: BLE001 - a validator's error belongs to its rows
        if len(candidates) == 1:
            return [Verdict.failed(err)]
    return [_checked_batch(validator, [o], [c])[0]
            for o, c in zip(originals, candidates, strict=True)]


def _batch(validator: Validator, originals: Sequence[Record],
           candidates: Sequence[Record]) -> list[Verdict]:
    out = validator.check_batch(originals, candidates)
    verdicts = list(out) if isinstance(out, Iterable) else []
    if len(verdicts) != len(candidates) or not all(isinstance(v, Verdict) for v in verdicts):
        raise BrokenValidatorError(
            f"Validator {validator.name!r}: check_batch must return a list of one Verdict "
            f"per candidate ({len(candidates)} here); it returned "
            f"{_shape(verdicts) if isinstance(out, Iterable) else type(out).__name__}.")
    return verdicts


def _shape(items: Sequence[object]) -> str:
    kinds = sorted({type(v).__name__ for v in items})
    return f"{len(items)} items" + (f" of type {', '.join(kinds)}" if kinds else "")


def passed(judged: Judged, validators: Sequence[Validator]) -> bool:
    """Whether every validator accepted."""
    return len(judged) == len(validators) and rejection(judged) is None


def rejection(judged: Judged) -> tuple[str, Verdict] | None:
    """The ``(validator, verdict)`` that rejected the candidate, or None."""
    return next(((name, v) for name, v in judged if not v.accepted), None)


def describe(judged: Judged) -> str:
    """``name: accepted; name: rejected (0.62): reason`` for one candidate."""
    return "; ".join(verdict.describe(name) for name, verdict in judged)
