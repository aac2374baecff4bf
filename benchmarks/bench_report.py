"""The size of `reportmine report` for many documents: the index page and the document pages.

    python benchmarks/bench_report.py [--documents 500] [--extractor rules] [--keep DIR]

Builds n documents (corpus/docs copies, .txt and .html, with their digits changed, written as
UTF-8), extracts them once with `reportmine extract` (rules by default: the report's size does not
depend on the extractor), writes the report from the results with `reportmine report`, and prints
the bytes of the index page, of the document pages (median, largest, total) and the seconds the
report took. Run it against another checkout by putting that checkout's src first on PYTHONPATH.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, count: int, seed: int = 23) -> int:
    from reportmine.decode import decode_bytes

    rng = random.Random(seed)
    sources = sorted(p for p in (ROOT / "corpus" / "docs").iterdir() if p.is_file())
    texts = [(p.suffix, decode_bytes(p.read_bytes()).text) for p in sources]
    folder.mkdir(parents=True)
    total = 0
    for index in range(count):
        suffix, text = texts[index % len(texts)]
        changed = "".join(str(rng.randint(1, 9)) if "0" <= ch <= "9" else ch for ch in text)
        data = changed.encode("utf-8")
        (folder / f"doc{index:04d}{suffix}").write_bytes(data)
        total += len(data)
    return total


def cli(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "reportmine", *args], capture_output=True, text=True)
    if done.returncode not in (0, 3):
        raise SystemExit(f"reportmine {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--extractor", default="rules")
    parser.add_argument("--keep", type=Path, help="write the documents, results and report here (kept)")
    args = parser.parse_args()
    import reportmine

    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        docs, results, page = base / "docs", base / "results.jsonl", base / "report" / "report.html"
        size = build(docs, args.documents)
        print(f"reportmine {reportmine.__version__} from {Path(reportmine.__file__).parent}")
        print(f"{args.documents} documents, {size:,} bytes")
        cli("extract", str(docs), "-o", str(results), "--extractor", args.extractor, "--quiet")
        started = time.perf_counter()
        cli("report", str(results), "-o", str(page))
        seconds = time.perf_counter() - started
        pages = [p for p in page.parent.rglob("*.html") if p != page]
        sizes = sorted(p.stat().st_size for p in pages)
        print(f"report in {seconds:.1f} s: index {page.stat().st_size:,} bytes "
              f"({page.stat().st_size / args.documents:,.0f} per document)")
        if sizes:
            print(f"{len(sizes)} document pages: median {statistics.median(sizes):,.0f} bytes, "
                  f"largest {sizes[-1]:,}, total {sum(sizes):,}")
        else:
            print("no document pages: everything is in the one page")


if __name__ == "__main__":
    sys.exit(main())
