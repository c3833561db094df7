"""The example notebook runs clean in a kernel of this interpreter and its
outputs show rendered math (text/markdown and text/latex)."""

import json
import sys

import pytest

from library import ROOT

nbformat = pytest.importorskip("nbformat", reason="nbformat, nbclient and ipykernel come with the test extra")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = ROOT / "examples" / "symderive.ipynb"


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    """A kernelspec for the interpreter running the tests, found first on
    JUPYTER_PATH, so the notebook sees the same symderive and packages."""
    spec = tmp_path / "kernels" / "symderive-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "symderive test", "language": "python",
        "env": {"PYTHONPATH": str(ROOT)}}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "symderive-test"


def test_notebook_runs_and_shows_math(kernel_name):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    client = nbclient.NotebookClient(notebook, kernel_name=kernel_name, timeout=300,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on any error in a cell
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    rich = [o.data for o in outputs if o.output_type in ("execute_result", "display_data")]
    markdown = [d["text/markdown"] for d in rich if "text/markdown" in d]
    latex = [d["text/latex"] for d in rich if "text/latex" in d]
    assert len(markdown) >= 3 and len(latex) >= 3  # the report, a step, the derived report
    assert any(m.startswith("# Sigmoid, by the chain rule") and "$$" in m for m in markdown)
    assert any("Counterexample" in m and "refuted as expected" in m for m in markdown)
    assert any("derived step by step" in m and "Status: verified" in m for m in markdown)
    assert any("\\begin{align*}" in t for t in latex)
    assert "'verified'" in rich[0]["text/plain"]
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "000_sigmoid_chain_rule.md" in printed and "derived_expression.tex" in printed
