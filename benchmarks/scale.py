"""Scale: the streaming CLI as the input grows, two jobs against one, Dask against pandas.

Usage:
    python benchmarks/scale.py [DATA] [--rows 100000 1000000] [--chunk-size 10000]
                               [--repeat 2] [--dask-rows 100000] [--quick]

DATA is Made With ML's projects.json or a CSV/JSON Lines file with ``text`` and ``tags``
columns (default, or when DATA is missing: textaug/data/projects.csv); its projects are
repeated to each row count. Printed side by side, for alias swapping (``--tf
swap_aliases``) and EDA (``--tf eda``), one augmentation per row, seed 0:

1. ``textaug augment`` streaming CSV to CSV with the JSON-list label column ``tags`` (the
   launcher and input writer of cli_memory.py), one job, at each ``--rows``: peak resident
   memory and input rows per second. Targets: the peak under 1 GiB, and flat (the largest
   input's peak within 10% of the smallest's).
2. ``--n-jobs 2`` against ``--n-jobs 1`` on the smallest ``--rows``: ``--repeat`` runs of
   each, interleaved; the best wall time of each, their ratio (target: at least 1.6x),
   CPU seconds (the command and its workers), and whether the two files are the same bytes.
3. ``textaug.dask.augment`` on a ``distributed.LocalCluster`` of two worker processes (one
   thread each) against ``textaug.augment`` (pandas, one process) on ``--dask-rows`` rows:
   whether the rows are identical, the time of each, and the cluster's overhead (starting
   it; a first small run that imports textaug and builds the TFs on the workers).

The machine's load average is printed before and after: other processes on the machine
take cores from the runs, most visibly from the two-job runs.
"""

from __future__ import annotations

import argparse
import filecmp
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_memory import CliRun, run_cli, write_input  # noqa: E402
from texts import add_data_arguments, load_projects, settle  # noqa: E402

TFS = {"alias swapping": "swap_aliases", "EDA": "eda"}
GIB = 1024


def main() -> None:
    args = parse_args()
    texts, tags = load_projects(args.data)
    print(f"data: {args.data.name}, {len(texts):,} projects repeated; textaug augment CSV to "
          f"CSV, --label-column tags (JSON lists), --n-per-original 1 --seed 0 --chunk-size "
          f"{args.chunk_size:,}; {os.cpu_count()} CPUs, load average {load()}")
    with tempfile.TemporaryDirectory() as folder:
        inputs = {rows: Path(folder, f"in_{rows}.csv") for rows in args.rows}
        for rows, path in inputs.items():
            write_input(path, texts, tags, rows)
        memory(inputs, args.chunk_size, Path(folder))
        jobs(inputs[args.rows[0]], args.rows[0], args, Path(folder))
    dask_against_pandas(texts, tags, args.dask_rows)
    print(f"\nload average at the end: {load()}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="input sizes for the memory table; the first also for the jobs")
    parser.add_argument("--chunk-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each --n-jobs, interleaved (default: 2)")
    parser.add_argument("--dask-rows", type=int, default=100_000)
    args = parser.parse_args()
    settle(args)
    if args.quick:
        args.rows, args.chunk_size, args.repeat, args.dask_rows = [2_000, 6_000], 1_000, 1, 2_000
    args.rows = sorted(args.rows)
    return args


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def memory(inputs: dict[int, Path], chunk_size: int, folder: Path) -> None:
    """Peak memory and rows per second of one job at each size, per TF."""
    print("\n1. streaming CLI, one job: peak memory and speed as the input grows "
          f"(targets: under {GIB:,} MiB; largest within 10% of smallest)")
    print(f"{'TF':<16} {'rows':>10} {'peak RSS MiB':>13} {'rows/s':>8} {'peak / first':>13}")
    for label, tf in TFS.items():
        peaks = []
        for rows, source in inputs.items():
            target = folder / "out.csv"
            run = run_cli(source, target, [tf], 1, chunk_size)
            target.unlink()
            peaks.append(run.peak_mib)
            print(f"{label:<16} {rows:>10,} {run.peak_mib:>13.0f} {rows / run.seconds:>8,.0f} "
                  f"{run.peak_mib / peaks[0]:>13.2f}", flush=True)
        flat = max(peaks) <= 1.1 * peaks[0]
        print(f"{label:<16} peak under 1 GiB: {yes(max(peaks) < GIB)}; flat (within 10%): "
              f"{yes(flat)}")


def jobs(source: Path, rows: int, args: argparse.Namespace, folder: Path) -> None:
    """Two jobs against one, interleaved runs, per TF."""
    print(f"\n2. --n-jobs 2 against --n-jobs 1 on {rows:,} rows (best of {args.repeat} "
          "interleaved runs; target: at least 1.6x)")
    print(f"{'TF':<16} {'1 job s':>8} {'2 jobs s':>9} {'speed-up':>9} {'CPU s 1/2':>11} "
          f"{'all runs s (1 | 2)':>24} {'same bytes':>11}")
    for label, tf in TFS.items():
        runs: dict[int, list[CliRun]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for n_jobs in (1, 2):
                runs[n_jobs].append(run_cli(source, folder / f"out_{n_jobs}.csv", [tf], n_jobs,
                                            args.chunk_size))
        same = filecmp.cmp(folder / "out_1.csv", folder / "out_2.csv", shallow=False)
        one, two = (min(r.seconds for r in runs[n]) for n in (1, 2))
        cpu = "/".join(f"{statistics.median(r.cpu_seconds for r in runs[n]):.0f}"
                       for n in (1, 2))
        every = " | ".join(" ".join(f"{r.seconds:.1f}" for r in runs[n]) for n in (1, 2))
        print(f"{label:<16} {one:>8.1f} {two:>9.1f} {one / two:>8.2f}x {cpu:>11} {every:>24} "
              f"{yes(same):>11}", flush=True)


def dask_against_pandas(texts: list[str], tags: list[list[str]], rows: int) -> None:
    """``textaug.dask.augment`` on a two-worker LocalCluster against ``textaug.augment``."""
    import distributed

    import textaug
    from textaug.tfs import FACTORIES

    frame = pd.DataFrame({"text": [texts[i % len(texts)] for i in range(rows)],
                          "tags": [list(tags[i % len(tags)]) for i in range(rows)]})
    print(f"\n3. Dask on a LocalCluster (2 worker processes, 1 thread each) against pandas "
          f"(one process), {rows:,} rows")
    start = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    with cluster, distributed.Client(cluster) as client:
        started = time.perf_counter() - start
        print(f"cluster start: {started:.1f} s")
        print(f"{'TF':<16} {'pandas s':>9} {'dask s':>7} {'pandas / dask':>14} "
              f"{'first run s':>12} {'identical':>10}")
        for label, tf in TFS.items():
            run = {"tfs": [FACTORIES[tf]()], "policy": textaug.ApplyOnePolicy(1), "seed": 0,
                   "label": "tags"}
            _, first = on_dask(client, frame.head(100), run)
            start = time.perf_counter()
            expected = textaug.augment(frame, **run)
            on_pandas = time.perf_counter() - start
            got, seconds = on_dask(client, frame, run)
            print(f"{label:<16} {on_pandas:>9.1f} {seconds:>7.1f} {on_pandas / seconds:>13.2f}x "
                  f"{first:>12.1f} {identical(expected, got):>10}", flush=True)
    print("dask s: building the graph (from_pandas, partitions of 10,000 rows), sending the "
          "rows to the workers, augmenting and gathering the output; first run s: the same "
          "for 100 rows, before (imports and TFs built on the workers)")


def on_dask(client: Any, frame: pd.DataFrame, run: dict[str, Any]) -> tuple[pd.DataFrame, float]:
    """The output of ``textaug.dask.augment`` computed on ``client`` (partitions of 10,000
    rows), and the seconds from building the graph to having the rows here."""
    import dask
    import dask.dataframe as dd

    import textaug.dask

    start = time.perf_counter()
    with dask.config.set({"dataframe.convert-string": False}):  # keep the label lists lists
        ddf = dd.from_pandas(frame, npartitions=max(2, len(frame) // 10_000))
    out = client.compute(textaug.dask.augment(ddf, **run)).result()
    return out, time.perf_counter() - start


def identical(expected: pd.DataFrame, got: pd.DataFrame) -> str:
    """"yes" when the frames have the same rows, columns and dtypes (the index aside)."""
    try:
        pd.testing.assert_frame_equal(expected.reset_index(drop=True),
                                      got.reset_index(drop=True))
    except AssertionError as err:
        return "NO: " + " ".join(str(err).split())[:200]
    return "yes"


def yes(flag: bool) -> str:
    return "yes" if flag else "NO"


if __name__ == "__main__":
    main()
