"""A hang guard for tests of linear-time code: a run that takes minutes before a fix and
milliseconds after fails here instead of hanging the suite. It bounds a hang, it does not
time the code (speed lives in benchmarks/)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LIMIT = 20  # seconds; the code under test needs milliseconds on its adversarial inputs


class Hang(BaseException):
    """Raised by the guard's alarm (a BaseException, so no ``except Exception`` eats it)."""


@contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Interrupt the body after ``seconds`` (the regex engine checks for signals)."""

    def fire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def finishes(call: Callable[[], Any], what: str) -> Any:
    """``call()``, or a test failure naming ``what`` if it runs past :data:`LIMIT`."""
    try:
        with hang_guard(LIMIT):
            return call()
    except Hang:
        pytest.fail(f"{what} ran past {LIMIT} s: something in it is not linear")
