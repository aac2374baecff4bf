"""End-to-end batch throughput, compared with jieba.lcut over the same text in the same run.

    python benchmarks/bench_batch.py [--megabytes 20] [--workers 1 2] [--extractors combined rules]

Builds a corpus of at least --megabytes of UTF-8 text by copying corpus/docs with every digit
randomly changed (so no cache can help), then, for each extractor and worker count, runs
reportmine.batch.run_batch (Parquet output) in a NEW process, so that no run inherits another's
caches, loaded models or memory. Reports characters/s end to end (from the first file listed to
the last row written; interpreter start-up excluded, worker start-up included), the ratio to
jieba.lcut's characters/s over the same documents measured in this process, and the peak resident
memory of the run's main process and of its largest worker (wait4 on the run's process tree); then
the start-up time of `reportmine extract` on one small file per extractor.
Targets (issue 7): one worker >= 3x jieba.lcut; two workers >= 1.8x one; peak memory <= 600 MB.
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(folder: Path, megabytes: float, seed: int = 2026) -> int:
    from reportmine.decode import decode_bytes

    rng = random.Random(seed)
    sources = [decode_bytes(p.read_bytes()).text for p in sorted((ROOT / "corpus" / "docs").iterdir())]
    total, index = 0, 0
    while total < megabytes * 1e6:
        text = sources[index % len(sources)]
        text = "".join(str(rng.randint(0, 9)) if ch.isdigit() else ch for ch in text)
        data = text.encode("utf-8")
        (folder / f"doc{index:06d}.txt").write_bytes(data)
        total += len(data)
        index += 1
    return index


def one_run(docs: str, out: str, extractor: str, workers: int) -> None:
    """The measured run, in its own process: prints one JSON line."""
    from reportmine.batch import run_batch

    started = time.perf_counter()
    summary = run_batch([docs], Path(out), Path(out + ".docs.parquet"), workers=workers, extractor=extractor)
    seconds = time.perf_counter() - started
    print(json.dumps({"chars": summary.chars, "seconds": seconds, "documents": summary.documents,
                      "metrics": summary.metrics, "extractor": summary.extractor,
                      "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def measure(docs: Path, out: Path, extractor: str, workers: int) -> dict:
    process = subprocess.Popen([sys.executable, __file__, "--one", str(docs), str(out), extractor, str(workers)],
                               stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, _usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"run {extractor} x{workers} failed with status {status}")
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--extractors", nargs="+", default=["combined", "rules"])
    parser.add_argument("--one", nargs=4, metavar=("DOCS", "OUT", "EXTRACTOR", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        docs, out, extractor, workers = args.one
        one_run(docs, out, extractor, int(workers))
        return
    work = Path(tempfile.mkdtemp(prefix="reportmine-bench-"))
    try:
        docs = work / "docs"
        docs.mkdir()
        n_docs = build_corpus(docs, args.megabytes)
        texts = [p.read_text(encoding="utf-8") for p in sorted(docs.iterdir())]
        n_chars = sum(map(len, texts))
        print(f"corpus: {n_docs} documents, {sum(p.stat().st_size for p in docs.iterdir()) / 1e6:.1f} MB, "
              f"{n_chars:,} characters")

        import jieba

        jieba.setLogLevel(60)
        jieba.lcut("预热")
        started = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        jieba_rate = n_chars / (time.perf_counter() - started)
        del texts
        print(f"jieba.lcut: {jieba_rate:,.0f} chars/s")

        for extractor in args.extractors:
            rates = {}
            for workers in args.workers:
                run = measure(docs, work / f"out-{extractor}{workers}.parquet", extractor, workers)
                rates[workers] = run["chars"] / run["seconds"]
                print(f"{run['extractor']} workers={workers}: {rates[workers]:,.0f} chars/s end to end "
                      f"({rates[workers] / jieba_rate:.2f}x jieba.lcut), {run['documents']} documents, "
                      f"{run['metrics']} metrics, {run['seconds']:.1f} s; peak RSS: main {run['main_mb']:.0f} MB, "
                      f"largest worker {run['worker_mb']:.0f} MB")
            if 1 in rates and 2 in rates:
                print(f"{extractor}: 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")

        one = work / "one"
        one.mkdir()
        shutil.copy(next(docs.iterdir()), one / "a.txt")
        for extractor in args.extractors:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "reportmine", "extract", str(one), "-o", str(work / "one.jsonl"),
                            "--quiet", "--workers", "1", "--extractor", extractor], check=True)
            print(f"start-up, {extractor} (one small document, new process): {time.perf_counter() - started:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
