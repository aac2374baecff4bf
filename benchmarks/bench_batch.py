"""End-to-end batch throughput, compared with jieba.lcut over the same text in the same run.

    python benchmarks/bench_batch.py [--megabytes 20] [--workers 1 2]

Builds a corpus of at least --megabytes of UTF-8 text by copying corpus/docs with every digit
randomly changed (so no cache can help), then reports for each worker count: characters/s end to
end (reportmine.batch.run_batch, Parquet output), the ratio to jieba.lcut's characters/s over the
same documents in this process, and peak memory (largest resident set of this process and of any
worker); and the start-up time of `reportmine extract` on one small file.
Targets (issue 7): one worker >= 3x jieba.lcut; two workers >= 1.8x one; peak memory <= 600 MB.
"""
import argparse
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


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
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

        from reportmine.batch import run_batch

        rates = {}
        for workers in args.workers:
            out = work / f"out{workers}.parquet"
            started = time.perf_counter()
            summary = run_batch([docs], out, work / f"docs{workers}.parquet", workers=workers)
            seconds = time.perf_counter() - started
            rates[workers] = summary.chars / seconds
            own, children = peak_mb()
            print(f"workers={workers}: {rates[workers]:,.0f} chars/s end to end "
                  f"({rates[workers] / jieba_rate:.2f}x jieba.lcut), {summary.documents} documents, "
                  f"{summary.metrics} metrics, {seconds:.1f} s; peak RSS so far: main {own:.0f} MB, "
                  f"largest worker {children:.0f} MB")
        if 1 in rates and 2 in rates:
            print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")

        one = work / "one"
        one.mkdir()
        shutil.copy(next(docs.iterdir()), one / "a.txt")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reportmine", "extract", str(one), "-o", str(work / "one.jsonl"),
                        "--quiet", "--workers", "1"], check=True)
        print(f"start-up (one small document, new process): {time.perf_counter() - started:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
