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


def test_one_and_two_workers_and_this_process_give_byte_identical_outputs(tmp_path):
    docs = make_folder(tmp_path / "docs", 12)
    outputs = {}
    for workers, in_process in ((1, False), (2, False), (1, True)):
        out, documents = tmp_path / f"m{workers}{in_process}.jsonl", tmp_path / f"d{workers}{in_process}.jsonl"
        summary = run_batch([docs], out, documents, workers=workers, in_process=in_process)
        assert summary.documents == 13 and summary.failed == 1 and summary.in_process == in_process
        outputs[workers, in_process] = (out.read_bytes(), documents.read_bytes())
    assert outputs[1, False] == outputs[2, False] == outputs[1, True]


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
    assert not list(tmp_path.glob("*.partial"))


def test_truncated_journal_line_is_cut_and_redone(tmp_path):
    docs = make_folder(tmp_path / "docs", 3)
    out = tmp_path / "m.jsonl"
    run_batch([docs], out, workers=1)
    reference = out.read_bytes()
    journal = journal_path(out)
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:2]) + lines[2][:50])  # killed while writing the third line
    entries, problems, _ = read_journal(journal)
    assert len(entries) == 2 and problems == []  # what a kill leaves is no problem to report
    summary = run_batch([docs], out, workers=1, resume=True)
    assert (summary.kept, summary.documents) == (2, 2)
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


def test_dask_local_cluster_with_two_workers_equals_the_local_run(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed", reason="install the dask extra: pip install -e '.[dask]'")
    make_folder(tmp_path / "docs", 10)
    monkeypatch.chdir(tmp_path)  # relative paths: a real cluster's workers resolve them in their own folder
    run_batch(["docs"], tmp_path / "local.parquet", tmp_path / "local_docs.jsonl", workers=2)

    class Recording:
        def __init__(self, client):
            self.client, self.sent = client, []

        def map(self, function, batches, **kwargs):
            self.sent.extend(batches)
            return self.client.map(function, batches, **kwargs)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        recording = Recording(client)
        summary = run_batch(["docs"], tmp_path / "dask.parquet", tmp_path / "dask_docs.jsonl", engine="dask",
                            dask_client=recording)
    assert summary.documents == 11
    sent = [path for batch in recording.sent for path, _ in batch]
    assert len(sent) == 11 and all(os.path.isabs(path) for path in sent)
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


# ---- faults: limits, dead workers, locks, resume (issue #21) ------------------------------
def trigger_folder(tmp_path, trigger: str) -> Path:
    """Three small documents, the middle one holding the text that triggers the fault."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("检查企业12家。", encoding="utf-8")
    (docs / "b.txt").write_text(f"{trigger}。检查企业13家。", encoding="utf-8")
    (docs / "c.txt").write_text("发现隐患30处。", encoding="utf-8")
    return docs


def fault_on(monkeypatch, trigger: str, fault):
    """RuleExtractor.extract runs fault() on the document holding trigger. The workers are forked,
    so they inherit the patch (the batch spawns them once torch is loaded, as the training tests of
    the same session do; the rules in a forked worker never touch torch)."""
    import multiprocessing

    from reportmine import batch
    from reportmine.rules import RuleExtractor

    monkeypatch.setattr(batch, "_pool_context", lambda extractor: multiprocessing.get_context("fork"))

    extract = RuleExtractor.extract

    def faulty(self, text, *args, **kwargs):
        if trigger in text:
            fault()
        return extract(self, text, *args, **kwargs)

    monkeypatch.setattr(RuleExtractor, "extract", faulty)


def rows_of(path: Path) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_worker_killed_by_the_system_gives_an_error_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    docs = trigger_folder(tmp_path, "杀死进程")
    fault_on(monkeypatch, "杀死进程", lambda: os.kill(os.getpid(), signal.SIGKILL))
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    summary = run_batch([docs], out, documents, workers=2, in_process=False, extractor="rules")
    rows = rows_of(documents)
    assert [r["doc"] for r in rows] == ["a.txt", "b.txt", "c.txt"]
    assert "died" in rows[1]["error"] and "SIGKILL" in rows[1]["error"]
    assert rows[0]["error"] is None and rows[2]["error"] is None
    assert summary.failed == 1 and len(rows_of(out)) == 2


@pytest.mark.parametrize("in_process", [False, True])
def test_a_document_past_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch, in_process):
    docs = trigger_folder(tmp_path, "无尽循环")
    fault_on(monkeypatch, "无尽循环", lambda: time.sleep(600))
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    summary = run_batch([docs], out, documents, workers=1, in_process=in_process, extractor="rules", doc_timeout=2)
    rows = rows_of(documents)
    assert [r["doc"] for r in rows] == ["a.txt", "b.txt", "c.txt"]
    assert "time limit" in rows[1]["error"] and "--doc-timeout" in rows[1]["error"]
    assert rows[2]["error"] is None and summary.failed == 1


def test_a_document_past_the_memory_limit_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch):
    docs = trigger_folder(tmp_path, "吃光内存")
    hog = []

    def grow():
        hog.append(bytearray(1500 * 2 ** 20))  # 1.5 GB, touched (zeroed) page by page
        time.sleep(600)

    fault_on(monkeypatch, "吃光内存", grow)
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    run_batch([docs], out, documents, workers=1, in_process=False, extractor="rules", doc_memory=1000)
    rows = rows_of(documents)
    assert "memory limit" in rows[1]["error"] and "--doc-memory" in rows[1]["error"]
    assert rows[0]["error"] is None and rows[2]["error"] is None


def test_a_second_run_on_the_same_output_is_refused_and_the_first_is_intact(tmp_path):
    from reportmine.batch import BatchError

    docs = make_folder(tmp_path / "docs", 2)
    out = tmp_path / "m.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from filelock import FileLock; "
                               "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); time.sleep(120)",
                               str(out) + ".lock"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"  # another run is writing out
        with pytest.raises(BatchError, match="another reportmine run is writing"):
            run_batch([docs], out, workers=1)
        result = subprocess.run([sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(out), "--quiet"],
                                capture_output=True, text=True)
        assert result.returncode == 2 and "another reportmine run is writing" in result.stderr
        assert not out.exists() and not journal_path(out).exists()  # nothing touched
    finally:
        holder.kill()
        holder.wait()
    assert run_batch([docs], out, workers=1).documents == 3  # the lock died with its holder


def test_output_and_documents_must_be_different_files(tmp_path):
    from reportmine.batch import BatchError

    docs = make_folder(tmp_path / "docs", 1)
    for documents in (tmp_path / "m.jsonl", tmp_path / "m.jsonl.journal.jsonl", tmp_path / "." / "m.jsonl"):
        with pytest.raises(BatchError, match="give the documents their own file"):
            run_batch([docs], tmp_path / "m.jsonl", documents)
    assert not (tmp_path / "m.jsonl").exists()


def test_an_interrupted_run_leaves_the_previous_outputs_whole(tmp_path):
    docs = make_folder(tmp_path / "docs", 4)
    out, documents = tmp_path / "m.csv", tmp_path / "d.parquet"
    run_batch([docs], out, documents, workers=1)
    before = out.read_bytes(), documents.read_bytes()

    def interrupt(done, total, summary):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([docs], out, documents, workers=1, progress=interrupt)
    assert (out.read_bytes(), documents.read_bytes()) == before
    assert not list(tmp_path.glob("*.partial"))


def test_resume_neither_hangs_nor_fails_on_a_fifo_a_dangling_link_or_an_unreadable_file(tmp_path):
    docs = make_folder(tmp_path / "docs", 3)
    out = tmp_path / "m.jsonl"
    command = [sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(out), "--quiet", "--extractor", "rules"]
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 3  # empty.txt
    os.mkfifo(docs / "pipe.txt")
    os.symlink(docs / "nowhere.txt", docs / "dangling.txt")
    (docs / "unreadable.txt").write_text("检查企业12家", encoding="utf-8")
    (docs / "unreadable.txt").chmod(0)
    resumed = subprocess.run(command + ["--resume", "--documents", str(tmp_path / "d.jsonl")],
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 3, resumed.stderr
    rows = {row["doc"]: row for row in rows_of(tmp_path / "d.jsonl")}
    assert len(rows) == 7
    assert "not a regular file" in rows["pipe.txt"]["error"] and "cannot read" in rows["dangling.txt"]["error"]


def test_resume_replaces_changed_inputs_drops_removed_ones_and_ignores_respelling(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, count in (("a.txt", 12), ("b.txt", 13), ("c.txt", 14)):
        (docs / name).write_text(f"检查企业{count}家。", encoding="utf-8")
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    run_batch([docs], out, documents)
    (docs / "b.txt").write_text("检查企业99家，发现隐患7处。", encoding="utf-8")  # changed
    (docs / "c.txt").unlink()  # removed
    monkeypatch.chdir(tmp_path)
    summary = run_batch(["./docs/"], out, documents, resume=True)  # the same folder, spelled otherwise
    assert (summary.kept, summary.documents) == (1, 1)
    assert [(m["doc"], m["text"]) for m in rows_of(out)] == [("a.txt", "12家"), ("b.txt", "99家"), ("b.txt", "7处")]
    assert [d["doc"] for d in rows_of(documents)] == ["a.txt", "b.txt"]
    assert len(journal_path(out).read_text(encoding="utf-8").splitlines()) == 2
    # nothing changed: everything kept, outputs identical to a fresh run's
    again = run_batch([docs], out, documents, resume=True)
    assert (again.kept, again.documents) == (2, 0)
    fresh = tmp_path / "fresh.jsonl"
    run_batch([docs], fresh)
    assert out.read_bytes() == fresh.read_bytes()


def test_resume_reports_corrupt_journal_lines_by_number_and_extracts_their_documents_again(tmp_path):
    docs = make_folder(tmp_path / "docs", 3)
    out = tmp_path / "m.jsonl"
    run_batch([docs], out)
    reference = out.read_bytes()
    journal = journal_path(out)
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0] + b"[]\n{}\nnull\n" + b"\0" * 20 + b"\n" + lines[2] + lines[3])
    summary = run_batch([docs], out, resume=True)
    assert [p.split(": ", 1)[0].rsplit(" ", 1)[-1] for p in summary.journal_problems] == ["2", "3", "4", "5"]
    assert (summary.kept, summary.documents) == (3, 1)  # the second document's line was replaced
    assert out.read_bytes() == reference
    assert read_journal(journal)[1] == []  # rewritten clean


def test_resume_exits_3_when_a_kept_document_failed(tmp_path):
    docs = make_folder(tmp_path / "docs", 1)  # and empty.txt
    out = tmp_path / "m.jsonl"
    command = [sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(out), "--quiet"]
    assert subprocess.run(command, capture_output=True).returncode == 3
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 3, "the outputs hold an error row"


# ---- bounded rows, file names, ids, in-process runs ---------------------------------------
def test_rows_carry_a_bounded_context_not_the_whole_sentence(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    sentence = "，".join(f"检查企业{i + 1}家" for i in range(1000)) + "。"  # one 11,000-character sentence
    (docs / "long.txt").write_text(sentence, encoding="utf-8")
    out = tmp_path / "m.jsonl"
    run_batch([docs], out, extractor="rules")
    rows = rows_of(out)
    assert len(rows) == 1000
    for row in rows:
        assert len(row["context"]) <= 200 + len(row["text"])
        assert sentence[row["context_start"]:row["context_start"] + len(row["context"])] == row["context"]
    # the whole sentence on every row made this 22 MB (and the journal as much again); a row is now
    # its context (about 600 bytes of UTF-8), its evidence (a rule name and offsets per decided
    # field) and its fields: about 1.5 KB, whatever the sentence's length
    assert out.stat().st_size < 2_000_000 and journal_path(out).stat().st_size < 2_000_000


def test_a_file_name_that_is_not_utf8_is_kept_and_shown_escaped(tmp_path):
    docs = make_folder(tmp_path / "docs", 1)
    (docs / os.fsdecode(b"bad\xff\xfe.txt")).write_text("检查企业7家。", encoding="utf-8")
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    summary = run_batch([docs], out, documents)
    rows = {row["doc"]: row for row in rows_of(documents)}
    assert summary.documents == 3 and "bad\\xff\\xfe.txt" in rows
    assert rows["bad\\xff\\xfe.txt"]["warnings"][0]["code"] == "file_name_not_utf8"
    assert [m["doc"] for m in rows_of(out)].count("bad\\xff\\xfe.txt") == 1
    from reportmine.cli import app
    from typer.testing import CliRunner

    page = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(out), "-o", str(page)])
    assert result.exit_code == 3  # empty.txt has no text; the others render
    assert "bad\\xff\\xfe.txt" in page.read_text(encoding="utf-8") and page.stat().st_size > 1000


def test_documents_in_different_folders_keep_apart(tmp_path):
    for bureau, count in (("bureau_a", 12), ("bureau_b", 13)):
        (tmp_path / "reports" / bureau).mkdir(parents=True)
        (tmp_path / "reports" / bureau / "2023年工作总结.txt").write_text(f"检查企业{count}家。", encoding="utf-8")
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    run_batch([tmp_path / "reports"], out, documents)
    rows = rows_of(documents)
    assert [r["doc"] for r in rows] == ["bureau_a/2023年工作总结.txt", "bureau_b/2023年工作总结.txt"]
    assert all(os.path.isabs(r["path"]) for r in rows)
    assert {m["doc_path"] for m in rows_of(out)} == {r["path"] for r in rows}
    # two folders given, the same name in each: the ids are spelled from the folders
    run_batch([tmp_path / "reports" / "bureau_a", tmp_path / "reports" / "bureau_b"], out, documents)
    assert len({r["doc"] for r in rows_of(documents)}) == 2


def test_a_few_small_files_are_extracted_in_this_process(tmp_path, monkeypatch):
    import multiprocessing

    from reportmine import batch

    docs = make_folder(tmp_path / "docs", 3)
    started = []

    def watch(done, total, summary):
        started.append(len(multiprocessing.active_children()))

    summary = run_batch([docs], tmp_path / "m.jsonl", workers=2, progress=watch)
    assert summary.in_process and summary.workers == 0 and started == [0, 0, 0, 0]
    monkeypatch.setattr(batch, "IN_PROCESS_BYTES", 5_000)  # the same files, now over the threshold
    summary = run_batch([docs], tmp_path / "b.jsonl", workers=2)
    assert not summary.in_process and summary.workers == 2
