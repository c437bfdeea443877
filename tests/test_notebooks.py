"""Every notebook runs top to bottom in a Jupyter kernel (nbclient), small: the kernel gets
TEXTAUG_NOTEBOOK_QUICK=1 and a temporary working folder, where a notebook that looks for the
data beside the repository (``../shared``) finds none and uses the bundled projects."""

import warnings
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("TEXTAUG_NOTEBOOK_QUICK", "1")
    notebook = nbformat.read(path, as_version=4)
    with warnings.catch_warnings():  # the kernel machinery's own (the notebook's run there)
        warnings.simplefilter("ignore")
        nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(output.get("text", "") for cell in notebook.cells
                      if cell.cell_type == "code" for output in cell.get("outputs", []))
    assert "textaug:" in printed
    assert not [output for cell in notebook.cells if cell.cell_type == "code"
                for output in cell.get("outputs", []) if output.get("output_type") == "error"]


def test_notebooks_are_committed_with_their_outputs():
    nbformat = pytest.importorskip("nbformat")
    for path in NOTEBOOKS:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert all(c.get("outputs") or not c.source.strip() for c in cells[:1]), path.name
        assert sum(bool(c.get("outputs")) for c in cells) >= len(cells) // 2, path.name


def test_there_are_the_notebooks_of_the_issues():
    assert {p.name for p in NOTEBOOKS} >= {"augment_projects.ipynb", "did_it_help.ipynb"}
