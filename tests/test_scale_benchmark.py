"""benchmarks/scale.py: a quick run prints the memory table of both TFs at both sizes, the
two-job comparison with the same bytes written, and Dask's rows identical to pandas'."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "scale.py"
TFS = ["alias swapping", "EDA"]


def test_quick_run_prints_every_table_with_same_outputs(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                            text=True, check=True, cwd=tmp_path, timeout=300)
    assert "using the bundled" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: projects.csv, 400 projects repeated")
    top = next(i for i, line in enumerate(lines) if line.startswith("1. streaming CLI"))
    for start, tf in zip((top + 2, top + 5), TFS, strict=True):
        for line, rows in zip(lines[start:start + 2], ("2,000", "6,000"), strict=True):
            name, size, peak, speed, _ = line.rsplit(maxsplit=4)
            assert (name, size) == (tf, rows)
            assert 20 < float(peak) < 1024 and float(speed.replace(",", "")) > 0
        assert lines[start + 2].startswith(f"{tf} ") and "peak under 1 GiB: yes" in lines[start + 2]
    top = next(i for i, line in enumerate(lines) if line.startswith("2. --n-jobs 2"))
    for tf, line in zip(TFS, lines[top + 2:top + 4], strict=True):
        assert line.startswith(tf) and line.split()[-1] == "yes", line  # the same bytes
        assert line.split()[len(tf.split()) + 2].endswith("x")
    top = next(i for i, line in enumerate(lines) if line.startswith("3. Dask"))
    assert lines[top + 1].startswith("cluster start: ")
    for tf, line in zip(TFS, lines[top + 3:top + 5], strict=True):
        assert line.startswith(tf) and line.split()[-1] == "yes", line  # identical rows
    assert lines[-1].startswith("load average at the end: ")
