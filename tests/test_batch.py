import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportmine.batch import journal_path, read_journal, run_batch

from conftest import CORPUS


def make_folder(folder: Path, copies: int, seed: int = 7) -> Path:
    """Copies of the corpus documents with their digits changed, so each file is new text."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in (CORPUS / "docs").iterdir() if p.suffix == ".txt")
    for index in range(copies):
        source = sources[index % len(sources)]
        text = source.read_bytes().decode("utf-8", errors="ignore") if b"\xef\xbb\xbf" not in source.read_bytes()[:3] else source.read_text(encoding="utf-8-sig")
        text = "".join(str(rng.randint(1, 9)) if ch.isdigit() and rng.random() < 0.3 else ch for ch in text)
        (folder / f"doc{index:04d}_{source.name}").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_one_and_two_workers_give_byte_identical_outputs(tmp_path):
    docs = make_folder(tmp_path / "docs", 12)
    outputs = {}
    for workers in (1, 2):
        out, documents = tmp_path / f"m{workers}.jsonl", tmp_path / f"d{workers}.jsonl"
        summary = run_batch([docs], out, documents, workers=workers)
        assert summary.documents == 13 and summary.failed == 1
        outputs[workers] = (out.read_bytes(), documents.read_bytes())
    assert outputs[1] == outputs[2]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_streamed_formats_match_jsonl(tmp_path, suffix):
    import pandas as pd

    docs = make_folder(tmp_path / "docs", 4)
    run_batch([docs], tmp_path / "m.jsonl", workers=1)
    run_batch([docs], tmp_path / f"m{suffix}", workers=1)
    reference = pd.read_json(tmp_path / "m.jsonl", lines=True)
    other = pd.read_csv(tmp_path / f"m{suffix}") if suffix == ".csv" else pd.read_parquet(tmp_path / f"m{suffix}")
    assert list(other["text"]) == list(reference["text"])
    assert list(other["value"].astype(float)) == list(reference["value"].astype(float))


def test_truncated_journal_line_is_cut_and_redone(tmp_path):
    docs = make_folder(tmp_path / "docs", 3)
    out = tmp_path / "m.jsonl"
    run_batch([docs], out, workers=1)
    reference = out.read_bytes()
    journal = journal_path(out)
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:2]) + lines[2][:50])  # killed while writing the third line
    assert len(read_journal(journal)) == 2
    summary = run_batch([docs], out, workers=1, resume=True)
    assert (summary.skipped, summary.documents) == (2, 2)
    assert out.read_bytes() == reference


def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path):
    docs = make_folder(tmp_path / "docs", 60)
    reference = tmp_path / "reference.jsonl"
    # the rule extractor: its forked workers stream results steadily; spawned model workers can
    # deliver the whole ordered batch in one burst, leaving no moment to kill it mid-way
    run_batch([docs], reference, tmp_path / "reference_docs.jsonl", workers=2, extractor="rules")

    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    command = [sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(out), "--documents", str(documents),
               "--workers", "2", "--quiet", "--extractor", "rules"]
    process = subprocess.Popen(command, start_new_session=True)
    journal = journal_path(out)
    deadline = time.time() + 120
    while time.time() < deadline and (not journal.exists() or journal.read_bytes().count(b"\n") < 10):
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = journal.read_bytes().count(b"\n")
    assert 10 <= done < 61, f"the kill came too late or too early ({done} documents done)"
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 3, resumed.stderr  # the empty file is a failed document
    assert out.read_bytes() == reference.read_bytes()
    assert documents.read_bytes() == (tmp_path / "reference_docs.jsonl").read_bytes()
    rows = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 61 and len({r["path"] for r in rows}) == 61


def test_dask_local_cluster_with_two_workers_equals_the_local_run(tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="install the dask extra: pip install -e '.[dask]'")
    docs = make_folder(tmp_path / "docs", 10)
    run_batch([docs], tmp_path / "local.parquet", tmp_path / "local_docs.jsonl", workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = run_batch([docs], tmp_path / "dask.parquet", tmp_path / "dask_docs.jsonl", engine="dask",
                            dask_client=client)
    assert summary.documents == 11
    import pandas as pd

    local, remote = pd.read_parquet(tmp_path / "local.parquet"), pd.read_parquet(tmp_path / "dask.parquet")
    pd.testing.assert_frame_equal(local, remote)
    assert (tmp_path / "local_docs.jsonl").read_bytes() == (tmp_path / "dask_docs.jsonl").read_bytes()


def test_an_internal_error_on_one_document_is_its_error_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    from reportmine.rules import RuleExtractor

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("检查企业12家。", encoding="utf-8")
    (docs / "b.txt").write_text("触发内部错误。", encoding="utf-8")
    (docs / "c.txt").write_text("发现隐患30处。", encoding="utf-8")
    extract = RuleExtractor.extract

    def failing_on_b(self, text, *args, **kwargs):
        if "触发" in text:
            raise AttributeError("'NoneType' object has no attribute 'action'")
        return extract(self, text, *args, **kwargs)

    monkeypatch.setattr(RuleExtractor, "extract", failing_on_b)
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    summary = run_batch([docs], out, documents, workers=1)
    rows = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    assert summary.documents == 3 and summary.failed == 1
    assert [row["doc"] for row in rows] == ["a.txt", "b.txt", "c.txt"]
    assert "internal error" in rows[1]["error"] and "AttributeError" in rows[1]["error"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_workers_stop_when_the_outputs_cannot_be_opened(tmp_path):
    import multiprocessing

    docs = make_folder(tmp_path / "docs", 4)
    with pytest.raises(ValueError, match="unknown output format"):
        run_batch([docs], tmp_path / "out.xlsx", workers=2)
    assert multiprocessing.active_children() == []
