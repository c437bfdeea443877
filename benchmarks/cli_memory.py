"""Peak memory and rows per second of the streaming ``textaug augment``, as the input grows.

Usage:
    python benchmarks/cli_memory.py [DATA] [--rows 100000 1000000] [--chunk-size 10000]
                                    [--tf swap_aliases] [--n-jobs 1] [--quick]

DATA is Made With ML's projects.json or a CSV/JSON Lines file with ``text`` (and
``tags``) columns (default, or when DATA is missing: textaug/data/projects.csv). Its
projects are repeated to each row count and written as a CSV; ``textaug augment`` runs on
it in a child process (``--n-per-original 1 --seed 0 -q``, output CSV) and the child's
peak resident memory is read from ``os.wait4``. One line per size: rows, peak RSS, rows
per second of input, and the peak against the smallest size's (flat memory: close to 1);
``--whole`` adds a run of each size as one chunk, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_projects, settle  # noqa: E402


def write_input(path: Path, texts: list[str], tags: list[list[str]], rows: int) -> None:
    """``rows`` rows cycling through the projects, written without textaug."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "tags"])
        for i in range(rows):
            writer.writerow([texts[i % len(texts)], json.dumps(tags[i % len(tags)])])


# Linux keeps a process's peak RSS across exec, and a child starts as a copy of its parent:
# a small launcher process starts ``textaug augment`` and reports the peak of that alone (with
# --n-jobs, the largest of it and its worker processes, not their sum) and the CPU time of it
# and its workers.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


class CliRun(NamedTuple):
    """One ``textaug augment`` process: peak RSS (MiB), wall time and CPU time (s)."""

    peak_mib: float
    seconds: float
    cpu_seconds: float


def run_cli(source: Path, target: Path, tfs: list[str], n_jobs: int,
            chunk_size: int) -> CliRun:
    """Run ``textaug augment SOURCE -o TARGET`` (labels in ``tags``, one augmentation per
    row, seed 0) with ``tfs``, ``n_jobs`` and ``chunk_size``, in a child process."""
    command = [sys.executable, "-m", "textaug", "augment", str(source), "-o", str(target),
               "--label-column", "tags", "--n-per-original", "1", "--seed", "0", "-q",
               "--chunk-size", str(chunk_size), "--n-jobs", str(n_jobs)]
    for tf in tfs:
        command += ["--tf", tf]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True,
                          text=True, check=True)
    elapsed = time.perf_counter() - start
    status, peak_kib, cpu = done.stdout.split()
    if int(status):
        raise SystemExit(f"textaug augment failed with exit status {status}: {done.stderr}")
    return CliRun(int(peak_kib) / 1024, elapsed, float(cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--chunk-size", type=int, default=10_000)
    parser.add_argument("--tf", action="append", default=None,
                        help="TFs for textaug augment (default: swap_aliases)")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--whole", action="store_true",
                        help="also run each size as one chunk (the whole file in memory)")
    args = parser.parse_args()
    args.tf = args.tf or ["swap_aliases"]
    settle(args)
    if args.quick:
        args.rows, args.chunk_size = [2_000, 10_000], 500
    texts, tags = load_projects(args.data)
    print(f"textaug augment --tf {' --tf '.join(args.tf)} --chunk-size {args.chunk_size} "
          f"--n-jobs {args.n_jobs}, {len(texts)} projects repeated")
    print(f"{'rows':>10} {'chunk size':>11} {'peak RSS MiB':>13} {'rows/s':>9} "
          f"{'peak / first':>13}")
    sizes = [args.chunk_size] + ([10**12] if args.whole else [])
    first: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            source, target = Path(folder, f"in_{rows}.csv"), Path(folder, f"out_{rows}.csv")
            write_input(source, texts, tags, rows)
            for size in sizes:
                peak, seconds, _ = run_cli(source, target, args.tf, args.n_jobs, size)
                first.setdefault(size, peak)
                shown = "whole file" if size == 10**12 else f"{size:,}"
                print(f"{rows:>10,} {shown:>11} {peak:>13.0f} {rows / seconds:>9.0f} "
                      f"{peak / first[size]:>13.2f}", flush=True)
                target.unlink()
            source.unlink()


if __name__ == "__main__":
    main()
