"""Worker pools: forked where safe (Linux, one Python thread, no torch), spawned elsewhere;
the output is the same either way."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from textaug._pool import start_method

LINUX = sys.platform.startswith("linux")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=True, timeout=300).stdout.strip()


@pytest.mark.skipif(not LINUX, reason="fork is used on Linux only")
def test_a_fresh_single_threaded_process_forks_and_torch_or_a_thread_means_spawn() -> None:
    assert _run("from textaug._pool import start_method; print(start_method())") == "fork"
    assert _run("import torch; from textaug._pool import start_method; "
                "print(start_method())") == "spawn"


def test_another_thread_means_spawn() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not LINUX, reason="fork is used on Linux only")
def test_forked_workers_give_the_same_output_as_one_process() -> None:
    out = _run("""
        import pandas as pd, textaug
        from textaug._pool import start_method
        from textaug.tfs import random_deletion, random_swap
        from textaug.labeling import apply_lfs, regex_lf
        df = pd.DataFrame({"text": [f"row {i} with a few more words in it" for i in range(300)]})
        tfs = [random_swap(0.3), random_deletion(0.3)]
        policy = textaug.RandomPolicy(n_per_original=3)
        one = textaug.augment(df, tfs, policy, seed=1)
        method = start_method()
        two = textaug.augment(df, tfs, policy, seed=1, n_jobs=2)
        pd.testing.assert_frame_equal(one, two)
        lfs = [regex_lf("few", r"few", 1), regex_lf("row", r"row 1", 0)]
        assert (apply_lfs(df, lfs).L == apply_lfs(df, lfs, n_jobs=2).L).all()
        print(method, len(two) > 900)
    """)
    assert out == "fork True"
