"""Worker processes for ``n_jobs``: forked where that is safe, spawned elsewhere.

A spawned worker starts a fresh interpreter and imports textaug, pandas and the TFs'
modules again (seconds per worker, more than a whole small job); a forked one starts
in milliseconds with all of that already loaded. Forking is safe only where the process
has no other thread whose locks a child could inherit held: so textaug forks on Linux
when this process runs one Python thread and has not loaded torch or a tokenizer library
(their thread pools do not survive a fork), and spawns everywhere else. Outputs do not
depend on the choice: every draw is derived from the seed and the row key.

Examples
--------
>>> start_method() in ("fork", "spawn")
True
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# Modules whose native thread pools make a forked child unsafe.
_THREADED = ("torch", "tokenizers", "tensorflow", "jax")


def start_method() -> str:
    """``"fork"`` where forking this process is safe (see the module notes), else
    ``"spawn"``."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return "spawn"
    if any(name in sys.modules for name in _THREADED):
        return "spawn"
    return "fork"


def process_pool(n_jobs: int, initializer: Callable[..., object] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of ``n_jobs`` worker processes, started the safe way for this process (each
    running ``initializer(*initargs)`` as it starts)."""
    return ProcessPoolExecutor(n_jobs, mp_context=multiprocessing.get_context(start_method()),
                               initializer=initializer, initargs=initargs)
