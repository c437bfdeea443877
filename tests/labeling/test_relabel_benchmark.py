"""benchmarks/relabel.py: a quick run prints the outcomes, the tag moves and the timing."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "relabel.py"


def test_relabel_benchmark_runs_and_accounts_for_every_row(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--rows", "40",
                             "--examples", "1"], capture_output=True, text=True, check=True,
                            cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: ") and "(40 rows)" in lines[0]
    made, outcomes = lines[1].split("); ", 1)
    counts = [int(part.split()[1]) for part in outcomes.split(", ")]
    assert int(made.split(": ")[1].split()[0]) == sum(counts) > 0
    assert any(line.startswith("time: plain ") for line in lines)
