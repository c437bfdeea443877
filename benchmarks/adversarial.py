"""Adversarial inputs: time growth per 10x of input for every rule-based TF, the CLI and
``parse_paraphrases``.

Usage:
    python benchmarks/adversarial.py [DATA] [--sizes 10000 100000 1000000] [--repeats 3]
                                     [--limit 60] [--fill 0.02] [--tfs NAME ...]

Each shape is one text cell of SIZE characters built to make a backtracking pattern slow:
a long token ending in "@", a domain with no dot, dotted local parts, "a@a@...", slashes
in one token and in many, one long URL, runs of newlines and spaces after an article,
separator runs inside a phrase, and many short words with links and addresses between them;
plus DATA's texts
(Made With ML's projects.json or a CSV / JSON Lines file with a ``text`` column; default:
the bundled textaug/data/projects.csv) joined into one cell, as ordinary prose.

Each rule-based TF factory in ``textaug.tfs.FACTORIES`` runs through ``textaug.augment``
(the path users take) on a one-row frame of each shape. The CLI runs in-process
(``textaug.cli.main``: ``augment`` on a CSV holding the cell, swap_aliases and random_swap,
two augmentations), so reading and writing the CSV is included. ``parse_paraphrases`` runs
on the shapes and on answers made of "```", "<think>", "[", "{" and list-item runs. A time
is the best of ``--repeats`` rounds in which the sizes take turns (a short run is timed
over enough runs to fill 20 ms); the table gives each name's time summed over the shapes
at each size and, per 10x step, the largest growth factor over the shapes, with that shape.
Linear is 10; the target is at most 12. A run past ``--limit`` seconds is stopped and the
shape's larger sizes are skipped (shown as ">LIMIT").
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import pairwise
from pathlib import Path

import pandas as pd

import textaug
from textaug.cli import main as cli_main
from textaug.errors import TextaugError
from textaug.tfs import FACTORIES, MODEL_BACKED
from textaug.tfs.llm import parse_paraphrases

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import QUICK_ENV, add_data_arguments, data_path, load_texts  # noqa: E402

LABELS = ["natural-language-processing", "generative-adversarial-networks", "computer-vision"]
Shape = Callable[[int], str]


def repeat(unit: str, n: int, tail: str = "") -> str:
    """``unit`` repeated to ``n`` characters in all, ``tail`` included."""
    body = n - len(tail)
    return (unit * (body // len(unit) + 1))[:body] + tail


SHAPES: dict[str, Shape] = {
    "token@": lambda n: repeat("a", n, "@"),
    "domain no dot": lambda n: "a@" + repeat("b", n - 2),
    "dotted local": lambda n: repeat("a.", n, "@x"),
    "a@a@": lambda n: repeat("a@", n),
    "slashes": lambda n: repeat("a/", n),
    "lone slashes": lambda n: repeat("a/ ", n),
    "long url": lambda n: "see https://" + repeat("x", n - 12),
    "newlines": lambda n: "an" + repeat("\n", n - 5, "NLP"),
    "spaces": lambda n: "use an" + repeat(" ", n - 6 - 3, "NLP"),
    "separators": lambda n: "computer" + repeat(" -", n - 14, "vision"),
    "words+links": lambda n: repeat("NLP gan a@b.co x/y www.q.org ", n),
}
ANSWER_SHAPES: dict[str, Shape] = {
    "fences": lambda n: repeat("```", n),
    "think": lambda n: repeat("<think>", n),
    "brackets": lambda n: repeat("[", n),
    "braces": lambda n: repeat('{"a": ', n),
    "items": lambda n: repeat("1. \n", n),
    "newlines": lambda n: repeat("\n", n, "x"),
}


class Hang(BaseException):
    """Raised by the alarm of :func:`limited` (a BaseException: nothing catches it)."""


@contextmanager
def limited(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def per_run(run: Callable[[], object], limit: float, fill: float = 0.02) -> float:
    """Seconds per run, timing enough runs together to fill ``fill`` seconds (1 to 1,000
    runs); inf when they run past ``limit``."""
    number = 1
    while True:
        start = time.perf_counter()
        try:
            with limited(limit):
                for _ in range(number):
                    run()
        except Hang:
            return float("inf")
        took = time.perf_counter() - start
        if took >= fill or number >= 1000:
            return took / number
        number *= 10


def tf_run(name: str, text: str) -> Callable[[], object]:
    frame = pd.DataFrame({"text": [text], "tags": [LABELS]})
    policy = textaug.ApplyOnePolicy(n_per_original=1, keep_original=False)

    def run() -> object:
        tf = FACTORIES[name]()  # cold caches each run
        return textaug.augment(frame, [tf], policy, label="tags", seed=0, dedupe=False)

    return run


def cli_run(text: str, folder: Path) -> Callable[[], object]:
    here = Path(tempfile.mkdtemp(dir=folder))  # one folder per cell: the runs are built first
    source, target = here / "in.csv", here / "out.csv"
    pd.DataFrame({"text": [text]}).to_csv(source, index=False)
    argv = ["augment", str(source), "-o", str(target), "--tf", "swap_aliases", "--tf",
            "random_swap", "--no-label-aware", "--n-per-original", "2", "--seed", "0", "-q"]

    def run() -> object:
        target.unlink(missing_ok=True)
        rc = cli_main(argv)
        if rc != 0:
            raise RuntimeError(f"textaug augment exited with {rc}")
        return rc

    return run


def parse_run(text: str) -> Callable[[], object]:
    def run() -> object:
        try:
            return parse_paraphrases(text)
        except TextaugError:  # "no paraphrases found" is an answer too
            return None

    return run


def measure(make: Callable[[str], Callable[[], object]], shapes: dict[str, Shape],
            sizes: list[int], repeats: int, limit: float,
            fill: float = 0.02) -> dict[str, list[float]]:
    """Seconds per shape at each size, the best of ``repeats`` rounds in which the sizes take
    turns (so a slow spell of the machine spoils every size alike); a size that ran past the
    limit is not run again, nor are the larger ones."""
    times: dict[str, list[float]] = {}
    for shape, build in shapes.items():
        runs = [make(build(n)) for n in sizes]
        best = [float("inf")] * len(sizes)
        stopped = len(sizes)
        for _ in range(repeats):
            for i, run in enumerate(runs[:stopped]):
                best[i] = min(best[i], per_run(run, limit, fill))
                if best[i] == float("inf"):
                    stopped = i
                    break
        times[shape] = best
    return times


def growth(times: dict[str, list[float]], step: int) -> tuple[float, str]:
    """The largest factor from size ``step`` to ``step + 1`` over the shapes, and its shape."""
    return max((row[step + 1] / row[step] if row[step + 1] != float("inf") else float("inf"),
                shape) for shape, row in times.items())


def report(name: str, times: dict[str, list[float]], sizes: list[int], limit: float) -> None:
    sums = [sum(row[i] for row in times.values()) for i in range(len(sizes))]
    cells = [f"{t:9.3f}" if t != float("inf") else f"{'>' + str(int(limit)):>9}" for t in sums]
    factors = []
    for step in range(len(sizes) - 1):
        factor, shape = growth(times, step)
        factors.append(f"{factor:6.1f} ({shape})" if factor != float("inf")
                       else f"{'hang':>6} ({shape})")
    print(f"{name:22}" + "".join(cells) + "   " + "   ".join(f"{f:24}" for f in factors),
          flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--fill", type=float, default=0.02,
                        help="time short runs together until they fill this many seconds")
    parser.add_argument("--tfs", nargs="+", default=None, metavar="NAME",
                        help="the TFs to time (default: every rule-based one)")
    args = parser.parse_args(argv)
    args.data = data_path(args.data)
    if args.quick:  # two TFs at two small sizes: checks the benchmark runs, means nothing
        args.sizes, args.repeats = [s // 10 for s in args.sizes[:2]], 1
        args.tfs = args.tfs or ["random_swap", "swap_aliases"]
        print(f"quick run (--quick or {QUICK_ENV}=1): sizes {args.sizes}, TFs {args.tfs}; "
              "the figures mean nothing", file=sys.stderr)
    sizes = sorted(args.sizes)
    names = args.tfs or sorted(n for n in FACTORIES if n not in MODEL_BACKED)
    timed = {"repeats": args.repeats, "limit": args.limit, "fill": args.fill}

    prose = " ".join(load_texts(args.data))
    shapes = {**SHAPES, "prose": lambda n: repeat(prose + " ", n)}
    print(f"{len(shapes)} shapes (prose from {args.data}); seconds, best of {args.repeats}, "
          "summed over the shapes; then per 10x of input the largest growth factor over the "
          "shapes (linear: 10, target: at most 12)")
    steps = [f"{a / 1000:g}K->{b / 1000:g}K" for a, b in pairwise(sizes)]
    print(f"{'':22}" + "".join(f"{n / 1000:>6g} KB" for n in sizes) + "   "
          + "   ".join(f"{step:24}" for step in steps))
    warnings.simplefilter("ignore", textaug.TextaugWarning)  # not-applicable rows are expected
    for name in names:
        tf_run(name, prose[:2000])()  # loads WordNet and the tables before the timing
        report(name, measure(partial(tf_run, name), shapes, sizes, **timed), sizes, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        report("cli augment", measure(partial(cli_run, folder=Path(folder)), shapes, sizes,
                                      **timed), sizes, args.limit)
    answers = {**shapes, **{f"answer {k}": v for k, v in ANSWER_SHAPES.items()}}
    report("parse_paraphrases", measure(parse_run, answers, sizes, **timed), sizes, args.limit)

if __name__ == "__main__":
    main()
