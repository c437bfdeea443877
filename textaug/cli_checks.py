"""Checks of a command's arguments that ``textaug augment``, ``label`` and ``lf-report``
share, each failing with one line in the command line's words.

Examples
--------
>>> check_label_sep("|")
>>> check_label_sep("")
Traceback (most recent call last):
...
textaug.errors.InvalidParameterError: --label-sep takes the text between two labels ...
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textaug.errors import InvalidParameterError


def check_label_sep(sep: str | None) -> None:
    """``--label-sep`` is absent or some text (an empty one would split nothing)."""
    if sep == "":
        raise InvalidParameterError(
            '--label-sep takes the text between two labels in a cell, e.g. --label-sep "|". '
            "Got an empty string.")


def check_named_columns(source: Path, columns: list[Any],
                        named: Iterable[tuple[str, str | None]]) -> None:
    """Each column a flag names (``(flag, name)``, None: not given) is in INPUT."""
    for flag, name in named:
        if name is not None and name not in columns:
            raise InvalidParameterError(
                f"Column {name!r} (from {flag}) is not in {str(source)!r}. "
                f"Available columns: {columns}.")


def refuse_overwriting_input(source: Path, target: Path) -> None:
    """OUTPUT must not be INPUT: not by another spelling, a symlink or a hard link."""
    same = target.resolve() == source.resolve()
    if not same and target.exists() and source.exists():
        same = os.path.samefile(source, target)
    if same:
        raise InvalidParameterError(
            f"OUTPUT {str(target)!r} is the INPUT file {str(source)!r} (by another path or a "
            "link), and textaug never writes over its input: write to another path.")
