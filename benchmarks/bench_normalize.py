"""Normalization throughput, reported against OpenCC's own t2s conversion in the same run.

    python benchmarks/bench_normalize.py [--repeat 200]

Reads the seeds (../shared/seeds) when present, else corpus/docs, decodes them, and times
reportmine.normalize.normalize() and opencc t2s over the same texts. The issue's target is
>= 5 million characters per second for normalize on the seeds.
"""
import argparse
from pathlib import Path

from reportmine.decode import decode_bytes
from reportmine.lexicons import load_lexicons
from reportmine.normalize import _t2s, normalize
from timing import best_of

ROOT = Path(__file__).resolve().parents[1]


def texts():
    seeds = ROOT.parent / "shared" / "seeds"
    folder = seeds if seeds.is_dir() else ROOT / "corpus" / "docs"
    return folder, [decode_bytes(p.read_bytes()).text for p in sorted(folder.iterdir()) if p.is_file()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="passes over the texts per timed run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the best is kept")
    args = parser.parse_args()
    folder, documents = texts()
    lexicons = load_lexicons()
    converter = _t2s()
    n_chars = sum(len(t) for t in documents) * args.repeat

    def run_normalize():
        for _ in range(args.repeat):
            for text in documents:
                normalize(text, lexicons)

    def run_opencc():
        for _ in range(args.repeat):
            for text in documents:
                converter.convert(text)

    run_normalize()  # warm caches (OpenCC dictionaries, compiled patterns)
    normalize_seconds, _ = best_of(args.runs, run_normalize)
    opencc_seconds, _ = best_of(args.runs, run_opencc)
    normalize_rate, opencc_rate = n_chars / normalize_seconds, n_chars / opencc_seconds
    print(f"texts: {len(documents)} from {folder} x {args.repeat} = {n_chars:,} characters")
    print(f"normalize   {normalize_rate / 1e6:8.2f} M chars/s")
    print(f"opencc t2s  {opencc_rate / 1e6:8.2f} M chars/s")
    print(f"ratio normalize/opencc: {normalize_rate / opencc_rate:.3f}")


if __name__ == "__main__":
    main()
