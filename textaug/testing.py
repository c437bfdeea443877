"""Assertions for a team's data-validation tests (pytest or plain ``assert``-style).

Each raises ``AssertionError`` whose message shows the first offending rows, so a
failing check in CI says what to fix.

Examples
--------
>>> import pandas as pd
>>> from textaug.validators import negation_preserved
>>> augmented = pd.DataFrame({
...     "text": ["the plot was not bad", "the plot was bad"],
...     "textaug_source": [0, 0], "textaug_is_original": [True, False]})
>>> assert_labels_preserved(augmented, [negation_preserved()])
Traceback (most recent call last):
...
AssertionError: 1 of 1 augmented rows fail the validators. First rows:
  row 1 (source 0), negation_preserved: negators went from 1 to 0 (not)
    original: 'the plot was not bad'
    augmented: 'the plot was bad'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from textaug.apply import EVALUATION_SPLITS
from textaug.errors import ColumnNotFoundError, InvalidParameterError
from textaug.records import IS_ORIGINAL, SOURCE, SPLIT_MARK, Record
from textaug.validate import judge, rejection
from textaug.validators.base import as_validator

MAX_SHOWN = 5


def assert_no_leakage(train: pd.DataFrame | None = None, val: pd.DataFrame | None = None,
                      test: pd.DataFrame | None = None, **options: Any) -> None:
    """No augmented variant, duplicate or near-duplicate of a row in another split.

    ``options`` go to :func:`textaug.check_splits` (``text=``, ``key=``,
    ``near_duplicates=``).
    """
    from textaug.leakage import check_splits

    report = check_splits(train=train, val=val, test=test, raise_on_leak=False, **options)
    if not report.ok:
        raise AssertionError(str(report))


def assert_only_train_augmented(train: pd.DataFrame | None = None,
                                val: pd.DataFrame | None = None,
                                test: pd.DataFrame | None = None) -> None:
    """Augmented rows appear in the training split only, and no split wears another's mark."""
    problems = []
    for name, frame in (("train", train), ("val", val), ("test", test)):
        if frame is None:
            continue
        mark = frame.attrs.get(SPLIT_MARK)
        if mark is not None and mark != name:
            problems.append(f"the frame passed as {name!r} is textaug.split's {mark!r} split")
        if name in EVALUATION_SPLITS and IS_ORIGINAL in frame.columns:
            made = frame.index[~frame[IS_ORIGINAL].astype(bool)]
            if len(made):
                shown = ", ".join(map(repr, made[:MAX_SHOWN]))
                problems.append(f"the {name} split holds {len(made)} augmented rows "
                                f"(index {shown}{' ...' if len(made) > MAX_SHOWN else ''})")
            else:
                problems.append(f"the {name} split went through augment() "
                                f"(it has the {IS_ORIGINAL!r} column)")
    if problems:
        raise AssertionError("Only the training split may be augmented: " + "; ".join(problems)
                             + ".")


def assert_labels_preserved(augmented: pd.DataFrame, validators: Sequence[Any], *,
                            originals: pd.DataFrame | None = None, text: str = "text",
                            label: str | None = None, key: str | None = None) -> None:
    """Every augmented row passes ``validators`` against its original.

    The originals are the frame's own original rows (``keep_original=True``) or
    ``originals``, matched on ``key`` (a column; default the index) through the
    ``textaug_source`` column.
    """
    checks = [as_validator(v) for v in validators]
    if not checks:
        raise InvalidParameterError("assert_labels_preserved needs at least one validator.")
    needy = [c.name for c in checks if c.needs_label]
    if needy and label is None:
        raise InvalidParameterError(f"The validators {needy} read labels: pass label='column'.")
    for column in (text, SOURCE, IS_ORIGINAL, *([label] if label else [])):
        if column not in augmented.columns:
            raise ColumnNotFoundError(
                f"Column {column!r} not in the augmented frame. Available columns: "
                f"{list(augmented.columns)}. Pass the frame augment() returned.")
    if originals is not None:
        for column in (text, *([label] if label else [])):
            if column not in originals.columns:
                raise ColumnNotFoundError(f"Column {column!r} not in originals. Available "
                                          f"columns: {list(originals.columns)}.")
    made = augmented[~augmented[IS_ORIGINAL].astype(bool)]
    if made.empty:
        return
    source_text = _originals(augmented, originals, key)
    missing = [s for s in made[SOURCE] if s not in source_text.index]
    if missing:
        raise AssertionError(
            f"{len(missing)} augmented rows have no original to compare with (sources "
            f"{missing[:MAX_SHOWN]}): keep the originals (keep_original=True) or pass originals=.")
    originals_of = [_record(source_text.loc[s], text, label) for s in made[SOURCE]]
    candidates = [_record(row, text, label) for _, row in made.iterrows()]
    judged = judge(checks, originals_of, candidates, list(range(len(candidates))), {})
    for verdicts in judged:  # a validator that raised: its error, not a failed assertion
        error = next((v.error for _, v in verdicts if v.error is not None), None)
        if error is not None:
            raise error
    failures = [(index, source, refusal) for index, source, verdicts in
                zip(made.index, made[SOURCE], judged, strict=True)
                if (refusal := rejection(verdicts)) is not None]
    if failures:
        lines = [f"{len(failures)} of {len(made)} augmented rows fail the validators. First rows:"]
        for index, source, (name, verdict) in failures[:MAX_SHOWN]:
            lines += [f"  row {index!r} (source {source!r}), {name}: {verdict.reason}",
                      f"    original: {source_text.loc[source][text]!r}",
                      f"    augmented: {made.loc[index][text]!r}"]
        raise AssertionError("\n".join(lines))


def _record(row: pd.Series, text: str, label: str | None) -> Record:
    return Record({str(k): v for k, v in row.items()}, text, label)


def _originals(augmented: pd.DataFrame, originals: pd.DataFrame | None,
               key: str | None) -> pd.DataFrame:
    """The source rows, indexed by their key."""
    if originals is None:
        kept = augmented[augmented[IS_ORIGINAL].astype(bool)]
        return kept.drop_duplicates(SOURCE).set_index(SOURCE, drop=False)
    if key is not None:
        if key not in originals.columns:
            raise ColumnNotFoundError(f"Key column {key!r} not in originals. Available columns: "
                                      f"{list(originals.columns)}.")
        return originals.set_index(key, drop=False)
    return originals
