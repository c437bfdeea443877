"""Every shell command in README.md runs as written in a fresh clone (issue 11, items 21-22).

The clone holds the repository's files (tracked, and untracked ones git does not ignore)
with no ``../shared`` beside it, and ``.venv`` linked to the environment running these
tests. The benchmarks run with ``TEXTAUG_BENCH_QUICK=1`` (small sizes). ``make demo`` and
``make test`` are not run from here: they install into ``.venv`` and are what CI runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = ["make demo", "make test"]  # the README's first block; they install, CI runs them
MAKE_BENCH = "make -o .venv/.dev bench"  # -o: never reinstall into the linked .venv
TIMEOUT = 300
WRITERS = (".venv/bin/textaug augment ", ".venv/bin/textaug label ")  # commands that write -o


def readme_commands() -> list[list[str]]:
    """The commands of each ```bash block: continuation lines joined, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M):
        lines = (re.sub(r"\s+#.*$", "", line) for line in block.replace("\\\n", " ").split("\n"))
        blocks.append([" ".join(line.split()) for line in lines if line.strip()])
    return blocks


def to_run() -> list[str]:
    """Every README command but the two set-up ones, and ``make bench``."""
    commands = [c for block in readme_commands() for c in block]
    return [c for c in commands if c not in SETUP] + [MAKE_BENCH]


def repository_files() -> list[str]:
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: cannot tell which files a clone holds")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout
    return sorted({name for name in listed.split("\0") if name})


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository in a folder of its own, without a ../shared sibling."""
    root = tmp_path_factory.mktemp("fresh") / "textaug"
    for name in repository_files():
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    assert not (root.parent / "shared").exists()
    return root


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEXTAUG_BENCH_QUICK": "1"}
    try:
        return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command!r} ran past {TIMEOUT} s in a quick run: a benchmark must "
                    "honour --quick / TEXTAUG_BENCH_QUICK=1 (see benchmarks/texts.py)")


def test_readme_starts_with_the_two_setup_commands():
    assert readme_commands()[0] == SETUP


def test_readme_has_commands_to_run():
    commands = to_run()
    assert any(c.startswith(".venv/bin/textaug ") for c in commands)
    for command in WRITERS + (".venv/bin/textaug lf-report ",):
        assert any(c.startswith(command) for c in commands), command
    assert sum("benchmarks/" in c for c in commands) >= 4


def test_every_readme_command_runs_in_a_fresh_clone(clone: Path):
    commands = to_run()
    with ThreadPoolExecutor(2) as pool:  # two at a time: the benchmarks load big libraries
        results = list(pool.map(lambda c: run(c, clone), commands))
    failed = [f"{c!r} exited {r.returncode}:\n{r.stderr[-2000:]}"
              for c, r in zip(commands, results, strict=True) if r.returncode]
    assert not failed, "\n\n".join(failed)
    for command, result in zip(commands, results, strict=True):
        if "shared/" in command or command == MAKE_BENCH:  # no ../shared beside a clone
            assert "using the bundled" in result.stderr, (command, result.stderr[-2000:])
    made = [c for c in commands if c.startswith(WRITERS)]
    for command in made:
        output = clone / command.split(" -o ")[1].split()[0]
        assert output.is_file() and output.stat().st_size > 0, command
    for command, result in zip(commands, results, strict=True):
        if command.startswith(".venv/bin/textaug lf-report "):
            assert "Coverage" in result.stdout and "keyword_" in result.stdout, result.stdout
        if command.startswith(".venv/bin/textaug label ") and " --gold " in command:
            assert "precision" in result.stdout, result.stdout


@pytest.mark.parametrize("stamp", [".core", ".dev"])
def test_make_says_what_it_installs_before_it_runs(tmp_path, stamp):
    venv = tmp_path / "venv"  # a dry run (-n) for a venv that does not exist: nothing runs
    done = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/{stamp}"], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=60)
    lines = done.stdout.splitlines()
    install = next(i for i, line in enumerate(lines) if "textaug.wordnet install" in line)
    note = lines[install - 1]
    assert note.startswith("echo ") and "WordNet" in note, lines
    assert "apt-get install wordnet-base" in note and "nltk" in note and "root" in note
