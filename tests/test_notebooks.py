"""The notebooks in notebooks/ run top to bottom from a clean checkout, so they cannot rot.

They are committed without outputs; here each one is executed with nbclient in a fresh kernel
(ipykernel), from the notebooks folder, writing its files (the comparison plot) to a temporary
folder through $REPORTMINE_NOTEBOOK_OUT. Needs pip install -e ".[notebooks]".
"""
import json

import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["compare_bureaus", "quality"]


def test_notebooks_are_committed_without_outputs():
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert set(NAMES) <= set(found), found
    for name in found:
        notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, f"{name}.ipynb has outputs: clear them"


def execute(name, out_dir, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason='nbformat not installed: pip install -e ".[notebooks]"')
    nbclient = pytest.importorskip("nbclient", reason='nbclient not installed: pip install -e ".[notebooks]"')
    pytest.importorskip("ipykernel", reason='ipykernel not installed: pip install -e ".[notebooks]"')
    monkeypatch.setenv("REPORTMINE_NOTEBOOK_OUT", str(out_dir))  # the kernel inherits it
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, when a cell fails
    return notebook


def outputs(notebook, kind):
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream" and kind == "stream":
                yield output["text"]
            elif output["output_type"] in ("execute_result", "display_data") and kind in output["data"]:
                yield output["data"][kind]


def test_compare_bureaus_runs_and_saves_its_plot_with_chinese_labels(tmp_path, monkeypatch):
    notebook = execute("compare_bureaus", tmp_path, monkeypatch)
    png = tmp_path / "compare_bureaus.png"
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 100_000
    printed = "".join(outputs(notebook, "stream"))
    # the notebook itself asserts that matplotlib drew every character with the CJK font (no tofu)
    assert "all in Noto Sans CJK SC" in printed, printed
    assert "no two labels overlap" in printed, printed  # the notebook measures the labels' boxes
    assert list(outputs(notebook, "image/png")), "the plot is shown in the notebook too"
    tables = "".join(outputs(notebook, "text/html"))
    assert "检查企业" in tables and "隆回县应急管理局" in tables


def test_quality_runs_and_lists_the_errors(tmp_path, monkeypatch):
    notebook = execute("quality", tmp_path, monkeypatch)
    tables = "".join(outputs(notebook, "text/html"))
    for heading in ("precision", "recall", "measure", "a01_hunan_longhui_2022.txt", "sentence", "【"):
        assert heading in tables, heading
    # the confidence's calibration: bins with their accuracy, and the chart
    assert "mean_confidence" in tables and "right among them" in tables
    png = tmp_path / "confidence.png"
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # charts, not only tables: precision and recall by kind and by field, shown in the notebook
    assert "filled in gold" in tables and "qualifier" in tables
    chart = tmp_path / "quality.png"
    assert chart.is_file() and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list(outputs(notebook, "image/png"))) >= 2, "both charts are shown in the notebook"
