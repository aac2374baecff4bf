"""Batch extraction over many files: parallel workers, a resumable journal, streamed outputs.

How it stays correct at scale:
- Files are listed in a stable order (pipeline.iter_input_files) and results come back in that
  order whatever the number of workers (an ordered imap), so outputs are deterministic.
- Every finished document is appended to a journal (OUT + ".journal.jsonl") as ONE line holding
  the whole Document, flushed at once. A kill -9 can only leave a truncated last line, which the
  next --resume run cuts off; documents already in the journal (same path and sha256) are skipped.
- The requested outputs (metrics, documents; JSONL, CSV or Parquet) are written from the journal
  at the end in chunks, so memory stays flat however many documents there are.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .pipeline import DEFAULT_EXTRACTOR, DEFAULT_MAX_BYTES, Pipeline, iter_input_files
from .records import Document

JOURNAL_SUFFIX = ".journal.jsonl"


@dataclass
class BatchSummary:
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    metrics: int = 0
    chars: int = 0
    seconds: float = 0.0
    extractor: str = ""
    first_errors: list = field(default_factory=list)

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0


def journal_path(output: Path) -> Path:
    return Path(str(output) + JOURNAL_SUFFIX)


def file_key(path: Path) -> tuple[str, str]:
    """(path, sha256 of the bytes): a document is done when the journal holds this key."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return str(path), digest.hexdigest()


def read_journal(journal: Path) -> set:
    """Keys of the complete lines; a truncated last line (killed mid-write) is cut off."""
    done = set()
    if not journal.exists():
        return done
    good_end = 0
    with open(journal, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                row = json.loads(line)
            except ValueError:
                break
            done.add((row.get("path"), row.get("sha256")))
            good_end += len(line)
    if good_end != journal.stat().st_size:
        with open(journal, "r+b") as handle:
            handle.truncate(good_end)
    return done


# ---- workers -----------------------------------------------------------------------------
_worker_pipeline: Optional[Pipeline] = None


def _init_worker(lexicon_dirs, max_bytes, extractor=DEFAULT_EXTRACTOR, model_dir=None):
    global _worker_pipeline
    from .lexicons import load_lexicons

    _worker_pipeline = Pipeline(load_lexicons(lexicon_dirs), max_bytes=max_bytes, extractor=extractor,
                                model_dir=model_dir)


def _extract_one(path: str) -> tuple:
    """(journal line, doc, n_metrics, n_chars, error): the counts travel with the line so the
    main process need not parse it."""
    document = _worker_pipeline.extract_file(Path(path))
    return document.model_dump_json(), document.doc, len(document.metrics), document.n_chars, document.error


def _documents_in_order(paths: list, workers: int, lexicon_dirs, max_bytes, extractor=DEFAULT_EXTRACTOR,
                        model_dir=None) -> Iterator[tuple]:
    """Results in input order. With several workers the pool starts and takes its first tasks
    at once, not when the caller first asks: the workers load their dictionaries while the main
    process opens the outputs (pandas, pyarrow), instead of after it."""
    if workers <= 1:
        return _documents_in_process(paths, lexicon_dirs, max_bytes, extractor, model_dir)
    # fork is fastest, but forking a process in which torch has started its threads can deadlock:
    # once torch is loaded (the model extractor), workers are spawned instead
    use_fork = hasattr(os, "fork") and "torch" not in sys.modules and extractor == "rules"
    context = multiprocessing.get_context("fork" if use_fork else "spawn")
    pool = context.Pool(workers, initializer=_init_worker, initargs=(lexicon_dirs, max_bytes, extractor, model_dir))
    return _PoolResults(pool, pool.imap(_extract_one, paths, chunksize=2))


class _PoolResults:
    """The pool's ordered results; close() stops the workers, whether or not all were read."""

    def __init__(self, pool, results):
        self.pool, self.results = pool, results

    def __iter__(self):
        return self

    def __next__(self) -> tuple:
        return next(self.results)

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


def _documents_in_process(paths: list, lexicon_dirs, max_bytes, extractor, model_dir=None) -> Iterator[tuple]:
    _init_worker(lexicon_dirs, max_bytes, extractor, model_dir)
    for path in paths:
        yield _extract_one(path)


def _extract_batch(paths: list, lexicon_dirs, max_bytes, extractor=DEFAULT_EXTRACTOR, model_dir=None) -> list:
    """A Dask task: one batch of files in a worker process, Documents as JSON lines."""
    if _worker_pipeline is None:
        _init_worker(lexicon_dirs, max_bytes, extractor, model_dir)
    return [_extract_one(path) for path in paths]


def _documents_on_dask(paths: list, scheduler: Optional[str], lexicon_dirs, max_bytes, batch_size: int = 8,
                       client=None, extractor=DEFAULT_EXTRACTOR, model_dir=None) -> Iterator[str]:
    """The same extraction on a dask.distributed cluster: batches of files as tasks, results
    consumed in submission order (so the outputs equal a local run's). Workers read the files by
    path, so the paths must be readable on the workers (shared storage)."""
    from dask.distributed import Client

    own_client = client is None
    if own_client:
        client = Client(scheduler) if scheduler else Client(processes=True, n_workers=2, threads_per_worker=1)
    try:
        batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
        futures = client.map(_extract_batch, batches, lexicon_dirs=lexicon_dirs, max_bytes=max_bytes,
                             extractor=extractor, model_dir=model_dir, pure=False)
        for future in futures:
            yield from future.result()
            future.release()
    finally:
        if own_client:
            client.close()


def run_batch(inputs: Iterable[os.PathLike], output: Path, documents_output: Optional[Path] = None,
              workers: Optional[int] = None, resume: bool = False, lexicon_dirs=(), max_bytes: int = DEFAULT_MAX_BYTES,
              progress: Optional[Callable[[int, int, BatchSummary], None]] = None,
              engine: str = "local", scheduler: Optional[str] = None, dask_client=None,
              extractor: str = DEFAULT_EXTRACTOR, model_dir: Optional[os.PathLike] = None) -> BatchSummary:
    """Extract every file under inputs into output (and documents_output); see the module doc.
    engine "local" uses worker processes on this machine; "dask" sends batches to the
    dask.distributed scheduler at `scheduler` (or the given client, or a local cluster).
    model_dir: the model folder the model and combined extractors read (default: the shipped one)."""
    output = Path(output)
    workers = workers or os.cpu_count() or 1
    extractor = _usable_extractor(extractor, model_dir)
    model_dir = str(Path(model_dir).resolve()) if model_dir is not None else None  # workers may start elsewhere
    journal = journal_path(output)
    started = time.perf_counter()
    files = list(iter_input_files(inputs))
    done = read_journal(journal) if resume else set()
    if not resume and journal.exists():
        journal.unlink()
    todo = [str(p) for p in files if not done or file_key(p) not in done]
    summary = BatchSummary(skipped=len(files) - len(todo), extractor=extractor)
    journal.parent.mkdir(parents=True, exist_ok=True)
    order = [str(p) for p in files]
    # Ordered workers leave the journal as a prefix of the input list, so the outputs can be
    # written while the workers run: the journal's rows first, then each new document as it
    # arrives. If the journal is not such a prefix (other files were given to a resumed run),
    # the outputs are rebuilt from the journal, in input order, at the end instead.
    streaming = _is_prefix(journal, order)
    lexicon_dirs = tuple(map(str, lexicon_dirs))
    if engine == "dask":
        lines = _documents_on_dask(todo, scheduler, lexicon_dirs, max_bytes, client=dask_client, extractor=extractor,
                                   model_dir=model_dir)
    elif engine == "local":
        lines = _documents_in_order(todo, workers, lexicon_dirs, max_bytes, extractor, model_dir)
    else:
        raise ValueError(f"unknown engine {engine!r}: use local or dask")
    try:
        with _Outputs(output, documents_output, enabled=streaming) as outputs, open(journal, "a", encoding="utf-8") as sink:
            if streaming:
                for row in journal_rows(journal):
                    outputs.write(row)
            for index, (line, doc, n_metrics, n_chars, error) in enumerate(lines, 1):
                sink.write(line + "\n")
                sink.flush()
                if streaming:
                    outputs.write(json.loads(line))
                summary.documents += 1
                summary.metrics += n_metrics
                summary.chars += n_chars or 0
                if error:
                    summary.failed += 1
                    if len(summary.first_errors) < 5:
                        summary.first_errors.append((doc, error))
                if progress:
                    summary.seconds = time.perf_counter() - started
                    progress(index, len(todo), summary)
    finally:
        lines.close()  # the workers (or the Dask client) stop here, also when the outputs failed
    if not streaming:
        with _Outputs(output, documents_output) as outputs:
            for row in journal_rows(journal, order):
                outputs.write(row)
    summary.seconds = time.perf_counter() - started
    return summary


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


def _is_prefix(journal: Path, order: list) -> bool:
    if not journal.exists():
        return True
    with open(journal, "rb") as handle:
        for position, line in enumerate(handle):
            if position >= len(order) or json.loads(line).get("path") != order[position]:
                return False
    return True


class _Outputs:
    """The metrics file and the optional documents file, written row by row."""

    def __init__(self, output: Path, documents_output: Optional[Path], enabled: bool = True):
        # imported here: pandas is for the writing process, not for every worker that imports this module
        from .aggregate import JOINED_DOCUMENT_FIELDS, METRIC_COLUMNS, METRIC_JSON_COLUMNS, RowWriter

        self.enabled = enabled
        columns = METRIC_COLUMNS + [f"doc_{f}" for f in JOINED_DOCUMENT_FIELDS]
        self.writers = [RowWriter(output, columns, json_columns=METRIC_JSON_COLUMNS)] + ([RowWriter(documents_output)] if documents_output else [])

    def __enter__(self):
        if self.enabled:
            for writer in self.writers:
                writer.__enter__()
        return self

    def write(self, document: dict) -> None:
        from .aggregate import document_row_from_json, metric_rows_from_json

        self.writers[0].write_many(metric_rows_from_json(document))
        if len(self.writers) > 1:
            self.writers[1].write_many([document_row_from_json(document)])

    def __exit__(self, *exc):
        if self.enabled:
            for writer in self.writers:
                writer.__exit__(*exc)
        return False


def journal_documents(journal: Path, order: Optional[list] = None) -> Iterator[Document]:
    """Documents from the journal, in input order, as validated models."""
    for row in journal_rows(journal, order):
        yield Document.model_validate(row)


def journal_rows(journal: Path, order: Optional[list] = None) -> Iterator[dict]:
    """Documents from the journal as plain JSON dicts, in input order (the journal is already in
    order unless a resumed run was given other files; then lines are read back by offset, not all
    at once)."""
    offsets = []
    with open(journal, "rb") as handle:
        position = 0
        for line in handle:
            path = json.loads(line).get("path")
            offsets.append((path, position))
            position += len(line)
    if order is not None:
        rank = {path: i for i, path in enumerate(order)}
        offsets.sort(key=lambda item: rank.get(item[0], len(rank)))
    with open(journal, "rb") as handle:
        for _, position in offsets:
            handle.seek(position)
            yield json.loads(handle.readline())
