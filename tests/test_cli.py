import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from reportmine.cli import app

from conftest import CORPUS

runner = CliRunner()


def write_docs(folder):
    folder.mkdir()
    (folder / "a.txt").write_text("2021年总结\n检查企业128家次,发现隐患242项。", encoding="utf-8")
    (folder / "b.txt").write_bytes("整改率95.6%。".encode("gb18030"))
    (folder / "bad.txt").write_bytes(b"")
    return folder


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_extract_writes_every_format_and_one_row_per_document(tmp_path, suffix):
    docs = write_docs(tmp_path / "docs")
    out, documents = tmp_path / f"m{suffix}", tmp_path / f"d{suffix}"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out), "--documents", str(documents), "--quiet"])
    assert result.exit_code == 3  # some documents failed: the batch still finished and wrote everything
    if suffix == ".jsonl":
        metrics = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        rows = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    elif suffix == ".csv":
        metrics, rows = pd.read_csv(out).to_dict("records"), pd.read_csv(documents).to_dict("records")
    else:
        metrics, rows = pd.read_parquet(out).to_dict("records"), pd.read_parquet(documents).to_dict("records")
    assert [m["text"] for m in metrics] == ["128家次", "242项", "95.6%"]
    assert [r["doc"] for r in rows] == ["a.txt", "b.txt", "bad.txt"]
    assert isinstance(rows[2]["error"], str) and "empty" in rows[2]["error"]


def test_extract_rejects_unknown_format_and_missing_paths(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 2 and "unknown output format" in result.output
    result = runner.invoke(app, ["extract", str(tmp_path / "nope"), "-o", str(tmp_path / "m.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_python_dash_m_runs_the_cli(tmp_path):
    docs = write_docs(tmp_path / "docs")
    (docs / "bad.txt").unlink()
    completed = subprocess.run([sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(tmp_path / "m.jsonl")],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "documents ok: 2" in completed.stdout


def test_evaluate_prints_scores_like_the_reference_scorer(tmp_path):
    result = runner.invoke(app, ["evaluate", str(CORPUS / "docs"), str(CORPUS / "gold"), "--json", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("F1 ")
    scores = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert scores["gold"] > 500 and 0 <= scores["f1"] <= 1


def test_scheduler_implies_dask_and_contradicting_engine_is_an_error(tmp_path, monkeypatch):
    import reportmine.batch

    docs = write_docs(tmp_path / "docs")
    seen = {}

    def fake_run_batch(paths, output, documents, **kwargs):
        seen.update(kwargs)
        raise reportmine.batch.BatchError("stop here")

    monkeypatch.setattr(reportmine.batch, "run_batch", fake_run_batch)
    runner.invoke(app, ["extract", str(docs), "-o", str(tmp_path / "m.jsonl"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert seen["engine"] == "dask" and seen["scheduler"] == "tcp://127.0.0.1:8786"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(tmp_path / "m.jsonl"), "--engine", "local",
                                 "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--scheduler" in result.output and "--engine dask" in result.output


def test_model_extractor_without_the_extra_says_so_in_one_clear_sentence(tmp_path, monkeypatch):
    import reportmine.extract_model as extract_model

    docs = write_docs(tmp_path / "docs")
    reason = (f"the model extra is not installed (safetensors missing): {extract_model.INSTALL_HINT}; "
              f"extraction uses the rules only")
    monkeypatch.setattr(extract_model, "model_status", lambda *args, **kwargs: reason)
    result = runner.invoke(app, ["extract", str(docs), "-o", str(tmp_path / "m.jsonl"), "--extractor", "model"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert 'pip install "reportmine[model]"' in lines[0] and "--extractor rules" in lines[0]
    assert "uses the rules only" not in lines[0]  # it does not: --extractor model stops


@pytest.mark.parametrize("command", ["extract", "panel", "report", "show", "evaluate", "schema"])
def test_help_documents_the_exit_status(command):
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit status: 0" in text and "2 a user error" in text and "3 some documents failed" in text


def test_verbose_and_log_file_use_the_logging_module(tmp_path):
    docs = write_docs(tmp_path / "docs")
    log = tmp_path / "run.log"
    result = subprocess.run([sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(tmp_path / "m.jsonl"),
                             "--quiet", "--log-file", str(log), "--extractor", "rules"], capture_output=True, text=True)
    assert result.returncode == 3 and result.stderr == ""  # --quiet: errors only on the terminal
    text = log.read_text(encoding="utf-8")
    assert "WARNING reportmine.batch: bad.txt: empty file" in text and "a.txt: 2 metrics" in text
    verbose = subprocess.run([sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(tmp_path / "m.jsonl"),
                              "-v", "--extractor", "rules"], capture_output=True, text=True)
    assert "bad.txt: empty file" in verbose.stderr and "3 input files" in verbose.stderr


def test_the_library_never_configures_logging():
    code = ("import logging, reportmine; reportmine.extract_text('检查企业12家。'); "
            "import reportmine.batch, reportmine.cli; "
            "print(logging.getLogger().handlers, [type(h).__name__ for h in logging.getLogger('reportmine').handlers])")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == "[] ['NullHandler']"
