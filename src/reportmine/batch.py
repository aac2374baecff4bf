"""Batch extraction over many files: isolated workers under limits, a resumable journal, outputs
written safely.

How it stays correct at scale:
- The inputs are listed once (pipeline.input_files), in a stable order, each with a unique id;
  results come back in that order whatever the number of workers, so outputs are deterministic.
- A worker process extracts one document at a time. A document that runs past the time limit
  (--doc-timeout) or grows its worker past the memory limit (--doc-memory) is stopped, its worker
  killed and replaced, and it becomes an error row; so does a document whose worker dies (killed
  by the system, out of memory). The batch goes on; it cannot hang on one document.
- Every finished document is appended to the journal (OUT.journal.jsonl) as one line: the input's
  key (path, document id, size, mtime, sha256 of the bytes read) and the whole Document. A kill can
  only leave a truncated last line. --resume keeps the documents whose input is unchanged, extracts
  new and changed inputs, forgets removed ones (the journal is rewritten without them), and says
  which journal lines it could not read, by line number.
- The outputs are written to OUT.partial, merging the journal's documents with new ones in input
  order (memory stays flat), and renamed over OUT only at the end. A lock (OUT.lock) stops a second
  run from writing the same files at once.
- A few small inputs are extracted in this process: starting worker processes would cost more than
  the work (IN_PROCESS_BYTES, measured by benchmarks/bench_startup.py).
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
import warnings
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterator, Optional

from .errors import ReportmineError
from .pipeline import DEFAULT_EXTRACTOR, DEFAULT_MAX_BYTES, InputFile, Pipeline, display_path, input_files
from .readers import reason_key
from .records import Document

logger = logging.getLogger(__name__)

JOURNAL_SUFFIX = ".journal.jsonl"
LOCK_SUFFIX = ".lock"
DEFAULT_DOC_TIMEOUT = 300.0  # seconds; the slowest corpus document takes under one
DEFAULT_DOC_MEMORY = 4096    # MB of resident memory for a worker; one takes 150-170 MB on small documents
# Below this many bytes of input to extract, the documents are extracted in this process: worker
# processes start in 0.4-3 s (fork with the rules, spawn with the model) and two of them only catch up
# with one process after about this much text (benchmarks/bench_startup.py; see the README)
IN_PROCESS_BYTES = 1_000_000
# how often the supervisor looks at its workers' clocks and memory when no result arrives
POLL_SECONDS = 0.2


class NoInputFiles(ReportmineError):
    """The paths given hold no file to read."""


class BatchError(ReportmineError):
    """The batch cannot start: its outputs are locked by another run, or collide."""


@dataclass
class BatchSummary:
    documents: int = 0   # extracted in this run
    failed: int = 0      # of those, with an error
    kept: int = 0        # taken unchanged from the journal (--resume)
    kept_failed: int = 0  # of those, with an error
    metrics: int = 0
    chars: int = 0
    seconds: float = 0.0
    extractor: str = ""
    not_read: int = 0    # of those, `skipped` rows: found but not read (images, scanned PDFs, a reader not installed)
    in_process: bool = False
    workers: int = 0
    journal_problems: list = field(default_factory=list)
    first_errors: list = field(default_factory=list)
    # (status, reason) -> files: why files failed or were skipped (reason: readers.reason_key)
    reasons: Counter = field(default_factory=Counter)

    @property
    def read(self) -> int:
        """Documents read in this run (neither failed nor skipped)."""
        return self.documents - self.failed - self.not_read

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0

    @property
    def any_failed(self) -> bool:
        """Whether any row of the outputs is an error (the exit status says so)."""
        return bool(self.failed or self.kept_failed)


def journal_path(output: Path) -> Path:
    return Path(str(output) + JOURNAL_SUFFIX)


# ---- inputs and their keys ---------------------------------------------------------------
@dataclass
class _Task:
    index: int
    item: InputFile
    location: str          # the absolute path, shown escaped: the key's path
    size: Optional[int]
    mtime_ns: Optional[int]

    def key(self, sha256: Optional[str]) -> dict:
        return {"path": self.location, "doc": self.item.doc, "size": self.size, "mtime_ns": self.mtime_ns,
                "sha256": sha256}


def _task(index: int, item: InputFile) -> _Task:
    try:
        status = os.stat(item.path)  # never opens it: a FIFO or a dangling link cannot block or fail here
        size, mtime = (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else (None, None)
    except OSError:
        size, mtime = None, None
    return _Task(index, item, display_path(item.path), size, mtime)


def _sha256(path: str) -> Optional[str]:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _unchanged(task: _Task, key: dict) -> bool:
    """The journal's key still describes the file: same id, size and mtime, and (read only then)
    the same bytes. Files that were not regular or not readable are never done."""
    if task.size is None or key.get("sha256") is None:
        return False
    if (key.get("doc"), key.get("size"), key.get("mtime_ns")) != (task.item.doc, task.size, task.mtime_ns):
        return False
    return _sha256(task.item.path) == key["sha256"]


# ---- the journal -------------------------------------------------------------------------
@dataclass
class _JournalEntry:
    offset: int
    length: int
    key: dict
    failed: bool


def read_journal(journal: Path) -> tuple[dict, list, int]:
    """(entries by input path, problems, length of the complete lines). A line that is not a
    journal record is a problem, named by its line number; a last line without its newline is
    what a kill leaves, and is cut off without a word."""
    entries, problems, good_end = {}, [], 0
    if not journal.exists():
        return entries, problems, 0
    with open(journal, "rb") as handle:
        offset = 0
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                break
            reason = None
            try:
                record = json.loads(line)
            except ValueError as exc:
                reason = f"not JSON ({exc.msg})" if hasattr(exc, "msg") else "not JSON"
                record = None
            if reason is None:
                reason = _journal_record_problem(record)
            if reason is None:
                entries[record["input"]["path"]] = _JournalEntry(offset, len(line), record["input"],
                                                                 bool(record["document"].get("error")))
            else:
                problems.append(f"{journal} line {number}: {reason}; ignored (its document, if still an input, "
                                f"is extracted again)")
            offset += len(line)
            good_end = offset
    return entries, problems, good_end


def _journal_record_problem(record) -> Optional[str]:
    if not isinstance(record, dict):
        return f"not a journal record (a JSON {type(record).__name__ if record is not None else 'null'})"
    key, document = record.get("input"), record.get("document")
    if not isinstance(key, dict) or not isinstance(key.get("path"), str):
        return "not a journal record (no input path)"
    if not isinstance(document, dict) or not isinstance(document.get("doc"), str) \
            or not isinstance(document.get("metrics"), list):
        return "not a journal record (no document)"
    return None


def journal_documents(journal: Path) -> Iterator[Document]:
    """The journal's documents, in its order, as validated models."""
    with open(journal, "rb") as handle:
        for line in handle:
            if line.endswith(b"\n"):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if _journal_record_problem(record) is None:
                    yield Document.model_validate(record["document"])


def _journal_line(key: dict, document_json: str) -> bytes:
    return ('{"input":' + json.dumps(key, ensure_ascii=False) + ',"document":' + document_json + "}\n").encode("utf-8")


def _rewrite_journal(journal: Path, kept: list) -> None:
    """The journal with only the kept entries, in input order, replaced in one rename."""
    partial = journal.with_name(journal.name + ".partial")
    with open(journal, "rb") as source, open(partial, "wb") as sink:
        for entry in kept:
            source.seek(entry.offset)
            sink.write(source.read(entry.length))
        sink.flush()
        os.fsync(sink.fileno())
    os.replace(partial, journal)


# ---- extraction in a worker --------------------------------------------------------------
_worker_pipeline: Optional[Pipeline] = None


def _init_worker(lexicon_dirs, max_bytes, extractor=DEFAULT_EXTRACTOR, model_dir=None):
    global _worker_pipeline
    from .lexicons import load_lexicons

    _worker_pipeline = Pipeline(load_lexicons(lexicon_dirs), max_bytes=max_bytes, extractor=extractor,
                                model_dir=model_dir)


def _extract_one(path: str, doc: str) -> tuple:
    """(Document JSON, doc, n_metrics, n_chars, error, warning codes, skipped): the counts travel with the
    JSON so the main process need not parse it for them."""
    document = _worker_pipeline.extract_file(path, doc=doc)
    return (document.model_dump_json(), document.doc, len(document.metrics), document.n_chars, document.error,
            [w.code for w in document.warnings], document.skipped)


def _error_result(task: _Task, error: str) -> tuple:
    document = Document(doc=task.item.doc, path=task.location, error=error)
    return document.model_dump_json(), document.doc, 0, 0, error, [], None


def _worker_main(connection, init_args) -> None:
    """A worker process: load the pipeline once, then extract one document per message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    try:
        if _worker_pipeline is None:  # a forked worker has its parent's, loaded before the fork
            _init_worker(*init_args)
    except BaseException as exc:  # noqa: BLE001 - said to the main process, which stops the batch
        connection.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    connection.send(("ready",))
    parent = os.getppid()
    while True:
        # a main process killed outright (kill -9) sends no EOF while other forked workers hold
        # copies of its end of the pipe: a worker whose parent is gone stops by itself
        if not connection.poll(1.0):
            if os.getppid() != parent:
                return
            continue
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        index, path, doc = message
        connection.send(("done", index, _extract_one(path, doc)))


class _Worker:
    def __init__(self, context, init_args):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, init_args), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.task: Optional[_Task] = None
        self.started = 0.0

    def give(self, task: _Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.connection.send((task.index, task.item.path, task.item.doc))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()

    def resident_mb(self) -> Optional[float]:
        try:
            import psutil

            return psutil.Process(self.process.pid).memory_info().rss / 2 ** 20
        except Exception:  # noqa: BLE001 - gone, or not measurable here: the death is seen elsewhere
            return None


def _death_cause(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        hint = ": often the system running out of memory" if -code == signal.SIGKILL else ""
        return f"killed by signal {name}{hint}"
    return f"exited with status {code}"


class _WorkerPool:
    """Worker processes that each extract one document at a time, under a time and a memory
    limit, replaced when they die or are stopped; results in task order."""

    MAX_START_FAILURES = 3

    def __init__(self, size: int, context, init_args, doc_timeout: Optional[float], doc_memory: Optional[float]):
        self.context, self.init_args = context, init_args
        self.doc_timeout, self.doc_memory = doc_timeout, doc_memory
        self.start_failures = 0
        self.workers = [_Worker(context, init_args) for _ in range(size)]

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def results(self, tasks: list) -> Iterator[tuple]:
        pending = deque(tasks)
        finished: dict = {}
        # results wait here until the ones before them are in: bounded, so that one slow
        # document cannot make the others pile up in memory
        window = max(16, 4 * len(self.workers))
        first = 0  # position (in tasks) of the next result to give
        positions = {task.index: position for position, task in enumerate(tasks)}
        last_check = time.monotonic()
        while first < len(tasks):
            if first in finished:
                yield finished.pop(first)
                first += 1
                continue
            for worker in self.workers:
                if worker.ready and worker.task is None and pending and positions[pending[0].index] < first + window:
                    worker.give(pending.popleft())
            handles = [w.connection for w in self.workers] + [w.process.sentinel for w in self.workers]
            ready = set(wait(handles, timeout=POLL_SECONDS))
            for number, worker in enumerate(list(self.workers)):
                if worker.connection in ready:
                    try:
                        message = worker.connection.recv()
                    except (EOFError, OSError):
                        message = None
                    if message is not None:
                        self._receive(worker, message, finished, positions)
                        continue
                if worker.connection in ready or worker.process.sentinel in ready:
                    worker.process.join(timeout=1)
                    if not worker.process.is_alive():
                        self._replace(number, worker, finished, positions,
                                      f"the worker process extracting it died ({_death_cause(worker.process)})")
            now = time.monotonic()
            if now - last_check >= POLL_SECONDS:
                last_check = now
                self._enforce_limits(now, finished, positions)

    def _receive(self, worker: _Worker, message: tuple, finished: dict, positions: dict) -> None:
        if message[0] == "ready":
            worker.ready, self.start_failures = True, 0
        elif message[0] == "failed":
            raise BatchError(f"a worker process could not load the extractor: {message[1]}")
        else:
            _, index, result = message
            finished[positions[index]] = result
            worker.task = None

    def _replace(self, number: int, worker: _Worker, finished: dict, positions: dict, reason: str) -> None:
        task = worker.task
        worker.stop()
        if task is not None:
            logger.warning("%s: %s; the batch goes on with a new worker", task.item.doc, reason)
            finished[positions[task.index]] = _error_result(task, reason)
        elif not worker.ready:
            self.start_failures += 1
            if self.start_failures >= self.MAX_START_FAILURES:
                raise BatchError(f"worker processes die while starting ({_death_cause(worker.process)}); "
                                 f"try --workers 1, or a smaller --doc-memory if the system kills them")
        self.workers[number] = _Worker(self.context, self.init_args)

    def _enforce_limits(self, now: float, finished: dict, positions: dict) -> None:
        for number, worker in enumerate(list(self.workers)):
            if worker.task is None:
                continue
            if self.doc_timeout and now - worker.started > self.doc_timeout:
                self._replace(number, worker, finished, positions,
                              f"stopped after {self.doc_timeout:g} s, the time limit per document "
                              f"(raise it with --doc-timeout)")
                continue
            if self.doc_memory:
                resident = worker.resident_mb()
                if resident is not None and resident > self.doc_memory:
                    self._replace(number, worker, finished, positions,
                                  f"stopped when its worker used {resident:,.0f} MB, over the memory limit of "
                                  f"{self.doc_memory:,.0f} MB per worker (raise it with --doc-memory)")


# ---- extraction in this process ----------------------------------------------------------
class _DocumentTimeout(BaseException):
    """Raised by the alarm inside an in-process extraction; a BaseException, so that the
    pipeline's catch-all for internal errors does not swallow it."""


def _documents_in_process(tasks: list, init_args, doc_timeout: Optional[float]) -> Iterator[tuple]:
    _init_worker(*init_args)
    # SIGALRM can only stop Python code, in the main thread, on Unix; elsewhere no time limit
    # applies in-process (the inputs are small: see IN_PROCESS_BYTES)
    alarm = bool(doc_timeout) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    for task in tasks:
        if not alarm:
            yield _extract_one(task.item.path, task.item.doc)
            continue

        def expire(signum, frame):
            raise _DocumentTimeout()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, doc_timeout)
        try:
            result = _extract_one(task.item.path, task.item.doc)
        except _DocumentTimeout:
            result = _error_result(task, f"stopped after {doc_timeout:g} s, the time limit per document "
                                         f"(raise it with --doc-timeout)")
            logger.warning("%s: %s", task.item.doc, result[4])
            _init_worker(*init_args)  # stopped anywhere: start again from a clean pipeline
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        yield result


# ---- extraction on a Dask cluster --------------------------------------------------------
def _extract_batch(items: list, lexicon_dirs, max_bytes, extractor=DEFAULT_EXTRACTOR, model_dir=None) -> list:
    """A Dask task: one batch of files in a worker process."""
    if _worker_pipeline is None:
        _init_worker(lexicon_dirs, max_bytes, extractor, model_dir)
    return [_extract_one(path, doc) for path, doc in items]


def _documents_on_dask(tasks: list, scheduler: Optional[str], lexicon_dirs, max_bytes, batch_size: int = 8,
                       client=None, extractor=DEFAULT_EXTRACTOR, model_dir=None) -> Iterator[tuple]:
    """The same extraction on a dask.distributed cluster: batches of files as tasks, results
    consumed in submission order (so the outputs equal a local run's). The workers read the files
    by their absolute paths: the files must be on storage every worker sees, under the same path.
    A batch whose task fails (its worker died, KilledWorker ...) gives an error row per file."""
    from dask.distributed import Client

    own_client = client is None
    if own_client:
        client = Client(scheduler) if scheduler else Client(processes=True, n_workers=2, threads_per_worker=1)
    try:
        batches = [tasks[i:i + batch_size] for i in range(0, len(tasks), batch_size)]
        futures = client.map(_extract_batch, [[(t.item.path, t.item.doc) for t in batch] for batch in batches],
                             lexicon_dirs=lexicon_dirs, max_bytes=max_bytes, extractor=extractor, model_dir=model_dir,
                             pure=False)
        for batch, future in zip(batches, futures):
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - one failed task must not end the batch
                reason = f"the Dask task extracting it failed ({type(exc).__name__}: {exc})"
                results = [_error_result(task, reason) for task in batch]
                logger.warning("%d documents: %s", len(batch), reason)
            yield from results
            future.release()
    finally:
        if own_client:
            client.close()


# ---- the batch ---------------------------------------------------------------------------
def _locks(paths: list):
    """Exclusive locks on the outputs (OUT.lock beside each): a second run writing the same file
    at once gets a clear error instead of corrupting it. filelock takes an flock (fcntl) on Unix
    and a msvcrt lock on Windows; the system drops it when the process dies, even by kill -9, so
    no stale lock blocks the --resume that follows a crash."""
    from filelock import FileLock, Timeout

    held = []
    try:
        for path in sorted(set(paths)):
            lock = FileLock(str(path) + LOCK_SUFFIX, timeout=0)
            try:
                lock.acquire()
            except Timeout:
                raise BatchError(f"another reportmine run is writing {path} (it holds {path}{LOCK_SUFFIX}); "
                                 f"wait for it to finish, or write to another file") from None
            held.append(lock)
    except BaseException:
        for lock in held:
            lock.release()
        raise
    return held


def _check_outputs(output: Path, documents_output: Optional[Path]) -> list:
    from .aggregate import PARTIAL_SUFFIX, check_format

    check_format(output)
    written = [output]
    if documents_output is not None:
        check_format(documents_output)
        reserved = {os.path.abspath(p) for p in (output, journal_path(output), str(output) + LOCK_SUFFIX,
                                                 str(output) + PARTIAL_SUFFIX)}
        if os.path.abspath(documents_output) in reserved:
            raise BatchError(f"--documents {documents_output} names the metrics output (or its journal): "
                             f"give the documents their own file")
        written.append(documents_output)
    return written


def run_batch(inputs, output: os.PathLike, documents_output: Optional[os.PathLike] = None,
              workers: Optional[int] = None, resume: bool = False, lexicon_dirs=(), max_bytes: int = DEFAULT_MAX_BYTES,
              progress: Optional[Callable[[int, int, BatchSummary], None]] = None,
              engine: str = "local", scheduler: Optional[str] = None, dask_client=None,
              extractor: str = DEFAULT_EXTRACTOR, doc_timeout: Optional[float] = DEFAULT_DOC_TIMEOUT,
              doc_memory: Optional[float] = DEFAULT_DOC_MEMORY, in_process: Optional[bool] = None,
              manifest: Optional[dict] = None, model_dir: Optional[os.PathLike] = None) -> BatchSummary:
    """Extract every file under inputs into output (and documents_output); see the module doc.

    engine "local" uses worker processes on this machine (in_process: None decides by the size of
    the work, True or False forces it); "dask" sends batches to the dask.distributed scheduler at
    `scheduler` (or the given client, or a local cluster). Raises BatchError when the outputs are
    locked by another run or collide, ValueError for an unknown format or engine. manifest:
    metadata.load_manifest's rows, laid over each document's own metadata."""
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: use local or dask")
    output = Path(output)
    documents_output = Path(documents_output) if documents_output is not None else None
    written = _check_outputs(output, documents_output)
    started = time.perf_counter()
    locks = _locks(written)
    try:
        return _run_locked(inputs, output, documents_output, written, workers or os.cpu_count() or 1, resume,
                           tuple(map(str, lexicon_dirs)), max_bytes, progress, engine, scheduler, dask_client,
                           _usable_extractor(extractor, model_dir), doc_timeout, doc_memory, in_process, started,
                           manifest, str(model_dir) if model_dir is not None else None)
    finally:
        for lock in locks:
            lock.release()


def _run_locked(inputs, output, documents_output, written, workers, resume, lexicon_dirs, max_bytes, progress,
                engine, scheduler, dask_client, extractor, doc_timeout, doc_memory, in_process, started, manifest,
                model_dir=None):
    journal = journal_path(output)
    ours = {os.path.abspath(p) for path in written for p in (path, journal_path(path))}
    items = []
    for item in input_files(inputs):
        if item.path in ours:  # an output of this very run, found in an input folder
            logger.info("%s is an output of this run: not read as an input", item.doc)
        else:
            items.append(item)
    if not items:
        raise NoInputFiles(f"no files found in {', '.join(map(str, inputs))} (hidden files are not read)")
    tasks = [_task(index, item) for index, item in enumerate(items)]
    summary = BatchSummary(extractor=extractor)
    kept: dict = {}
    if resume:
        entries, summary.journal_problems, good_end = read_journal(journal)
        for problem in summary.journal_problems:
            logger.warning("%s", problem)
        for task in tasks:
            entry = entries.get(task.location)
            if entry is not None and _unchanged(task, entry.key):
                kept[task.index] = entry
        in_order = [kept[t.index] for t in tasks if t.index in kept]
        if summary.journal_problems or len(in_order) != len(entries) \
                or any(a.offset > b.offset for a, b in zip(in_order, in_order[1:])):
            _rewrite_journal(journal, in_order)  # without removed, changed and unreadable lines
            offset = 0
            for entry in in_order:
                entry.offset, offset = offset, offset + entry.length
        elif journal.exists() and good_end != journal.stat().st_size:
            with open(journal, "r+b") as handle:
                handle.truncate(good_end)  # the half-written line a kill left
    elif journal.exists():
        journal.unlink()
    todo = [task for task in tasks if task.index not in kept]
    summary.kept = len(kept)
    summary.kept_failed = sum(1 for entry in kept.values() if entry.failed)
    journal.parent.mkdir(parents=True, exist_ok=True)
    todo_bytes = sum(task.size or 0 for task in todo)
    init_args = (lexicon_dirs, max_bytes, extractor, model_dir)
    pool = None
    if not todo:
        results = iter(())
    elif engine == "dask":
        results = _documents_on_dask(todo, scheduler, lexicon_dirs, max_bytes, client=dask_client, extractor=extractor,
                                     model_dir=model_dir)
    else:
        summary.in_process = in_process if in_process is not None else (todo_bytes < IN_PROCESS_BYTES or len(todo) <= 1)
        if summary.in_process:
            results = _documents_in_process(todo, init_args, doc_timeout)
        else:
            # started now, before the outputs are opened: the workers load their dictionaries
            # while this process imports pandas and pyarrow
            summary.workers = min(workers, len(todo))
            context = _pool_context(extractor)
            if context.get_start_method() == "fork":
                # loaded once here, then shared by every forked worker (copy-on-write), and by the
                # ones that replace a stopped worker: starting a worker costs a fork, not a second
                # load of the dictionaries (1-3 s of CPU each)
                _init_worker(*init_args)
            pool = _WorkerPool(summary.workers, context, init_args, doc_timeout, doc_memory)
            results = pool.results(todo)
    logger.info("%d input files: %d to extract (%s bytes), %d unchanged in the journal; %s", len(tasks), len(todo),
                f"{todo_bytes:,}", len(kept), "dask" if engine == "dask" else
                ("in this process" if summary.in_process else f"{summary.workers} worker processes"))
    try:
        _write(tasks, kept, results, journal, output, documents_output, summary, progress, len(todo), started, manifest)
    finally:
        # the workers (or the Dask client) stop here, also when the outputs failed
        if pool is not None:
            pool.close()
        close = getattr(results, "close", None)
        if close is not None:
            close()
    summary.seconds = time.perf_counter() - started
    return summary


def _pool_context(extractor: str):
    # fork is fastest, but forking a process in which torch has started its threads can deadlock (a
    # caller's torch: extraction never imports it). The model extractors' workers are spawned too,
    # as when the tagger ran on torch: whether a forked child may use the BLAS NumPy was built with
    # after its parent ran it depends on that BLAS (OpenMP ones can hang), and is not tested here
    use_fork = hasattr(os, "fork") and "torch" not in sys.modules and extractor == "rules"
    return multiprocessing.get_context("fork" if use_fork else "spawn")


def _write(tasks, kept, results, journal, output, documents_output, summary, progress, n_todo, started,
           manifest: Optional[dict] = None) -> None:
    """Journal and outputs, in input order: a kept document is copied from the journal, a new one
    appended to it (flushed at once, fsync'd at least every second and at the end)."""
    from .aggregate import METRIC_FILE_COLUMNS, DOCUMENT_COLUMNS, RowWriter, document_row_from_json, metric_rows_from_json

    last_sync = time.monotonic()
    done = 0
    with RowWriter(output, METRIC_FILE_COLUMNS) as metrics_file, \
            (RowWriter(documents_output, DOCUMENT_COLUMNS) if documents_output else _NoFile()) as documents_file, \
            open(journal, "ab") as sink, open(journal, "rb") as source:
        for task in tasks:
            entry = kept.get(task.index)
            if entry is not None:
                source.seek(entry.offset)
                document = json.loads(source.read(entry.length))["document"]
            else:
                document_json, doc, n_metrics, n_chars, error, warning_codes, skipped = next(results)
                document = json.loads(document_json)
                if manifest:
                    from .metadata import apply_manifest

                    # the user's metadata over the text's, kept in the journal as the outputs have it
                    document = apply_manifest(document, manifest)
                    document_json = json.dumps(document, ensure_ascii=False)
                # the hash of the bytes the worker read: if the file changed since it was listed,
                # the size or mtime in the key no longer match it and --resume extracts it again
                sink.write(_journal_line(task.key(document.get("sha256")), document_json))
                sink.flush()
                if time.monotonic() - last_sync > 1.0:
                    os.fsync(sink.fileno())
                    last_sync = time.monotonic()
                done += 1
                _count(summary, doc, n_metrics, n_chars, error, warning_codes, skipped)
                if progress:
                    summary.seconds = time.perf_counter() - started
                    progress(done, n_todo, summary)
            metrics_file.write_many(metric_rows_from_json(document))
            if documents_output:
                documents_file.write_many([document_row_from_json(document)])
        sink.flush()
        os.fsync(sink.fileno())


def _count(summary: BatchSummary, doc: str, n_metrics: int, n_chars: int, error: Optional[str], warning_codes,
           skipped: Optional[str] = None) -> None:
    summary.documents += 1
    summary.metrics += n_metrics
    summary.chars += n_chars or 0
    if error:
        summary.failed += 1
        summary.reasons["error", reason_key(error)] += 1
        logger.warning("%s: %s", doc, error)
        if len(summary.first_errors) < 5:
            summary.first_errors.append((doc, error))
    elif skipped:
        summary.not_read += 1
        summary.reasons["skipped", reason_key(skipped)] += 1
        logger.info("%s: skipped: %s", doc, skipped)
    else:
        logger.debug("%s: %d metrics", doc, n_metrics)
    if warning_codes:
        counts = Counter(warning_codes)
        logger.info("%s: warnings %s", doc, ", ".join(f"{code} x{n}" if n > 1 else code for code, n in counts.items()))


class _NoFile:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _usable_extractor(extractor: str, model_dir=None) -> str:
    """"combined" becomes "rules" here, said once, when the model extra is missing: the workers
    then fork instead of spawning, and every worker need not repeat the warning."""
    if extractor != "combined":
        return extractor
    from .extract_model import ModelUnavailableWarning, model_status

    reason = model_status(model_dir, load=False)
    if reason is None:
        return extractor
    warnings.warn(f"reportmine: {reason}", ModelUnavailableWarning, stacklevel=3)
    return "rules"
