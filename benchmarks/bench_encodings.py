"""Encoding detection measured on the corpus re-encoded: reportmine.decode against charset-normalizer.

    python benchmarks/bench_encodings.py

Every document of corpus/docs, whole and as 30-, 100- and 400-character snippets (three of each,
fixed seed), is encoded in UTF-8 with and without BOM, GB18030, Big5 (where it encodes), and UTF-16
with and without BOM; a detector is right when it gives back the same text. Short snippets are
where detection is ambiguous. charset-normalizer is measured when it is installed (it is not a
dependency: on this set it read fewer byte strings right, at about three times the time).
"""
import random
import sys
import time
from collections import Counter
from pathlib import Path

from reportmine.decode import decode_bytes
from reportmine.errors import DecodeError

ROOT = Path(__file__).resolve().parents[1]
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be")


def cases():
    rng = random.Random(1)
    for path in sorted((ROOT / "corpus" / "docs").iterdir()):
        text = decode_bytes(path.read_bytes()).text
        for length in (30, 100, 400, None):
            for _ in range(3 if length else 1):
                start = rng.randint(0, max(0, len(text) - (length or 0)))
                snippet = text[start:start + length] if length else text
                for encoding in ENCODINGS:
                    try:
                        yield length or "whole", encoding, snippet, snippet.encode(encoding)
                    except UnicodeEncodeError:
                        continue


def measure(label, detect, all_cases):
    wrong, total = Counter(), Counter()
    started = time.perf_counter()
    for length, encoding, snippet, data in all_cases:
        total[length] += 1
        try:
            right = detect(data).lstrip("\ufeff") == snippet.lstrip("\ufeff")
        except DecodeError:
            right = False
        wrong[length] += not right
    seconds = time.perf_counter() - started
    n, w = sum(total.values()), sum(wrong.values())
    by_length = ", ".join(f"{length}: {wrong[length]}" for length in total)
    print(f"{label:20s} right {n - w:5,d} of {n:,d} ({(n - w) / n:.1%}) in {seconds:5.1f}s; wrong by length: {by_length}")


def main():
    all_cases = list(cases())
    measure("reportmine.decode", lambda data: decode_bytes(data).text, all_cases)
    try:
        import charset_normalizer
    except ImportError:
        print("charset-normalizer not installed: not measured", file=sys.stderr)
        return

    def normalizer(data):
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise DecodeError("no encoding")
        return str(best)
    measure("charset-normalizer", normalizer, all_cases)


if __name__ == "__main__":
    main()
