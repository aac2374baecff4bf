"""Time on hostile document shapes, as a ratio to jieba.lcut on the same text in the same run.

    python benchmarks/bench_hostile.py [--size 24000] [--runs 3] [--shapes digit_run,long_list]
                                       [--profile] [--scaling]

Each shape (tests/hostile_shapes.py) goes end to end through Pipeline(extractor="rules").extract_text;
the best of --runs timings is compared with the best of jieba.lcut on the same texts (each run reads
a text of its own, the same shape built with another seed, so no cache carries one run over). The target
(issue #21) is every shape within 5x jieba.lcut. --profile adds, per shape, the share of the
extraction's time spent in each module and the five costliest functions (list comprehensions are
counted in the function that holds them). --scaling times a report built from corpus/docs at
20 KB and at 1.3 MB: the per-character cost of the large one should stay within 1.5x of the small.
"""
import argparse
import ast
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_shapes import SHAPES, build  # noqa: E402
from reportmine import Pipeline  # noqa: E402
from reportmine.decode import decode_bytes  # noqa: E402


def best_of(runs, function):
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def best_of_each(texts, function):
    best = float("inf")
    for text, is_html in texts:
        started = time.perf_counter()
        function(text, is_html)
        best = min(best, time.perf_counter() - started)
    return best


def _function_spans(path: Path) -> list:
    """(first line, last line, qualified name) of every function in a source file."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                spans.append((child.lineno, child.end_lineno, prefix + child.name))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix)
    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return spans


_SPANS: dict = {}


def _owner(filename: str, line: int, name: str) -> str:
    """A profile entry named by its module and enclosing function (<listcomp> at line 323 of
    extract_rules.py -> extract_rules._attribute)."""
    path = Path(filename)
    if "reportmine" not in path.parts:
        return "jieba" if "jieba" in path.parts else ("builtins" if filename == "~" else path.stem)
    if filename not in _SPANS:
        _SPANS[filename] = _function_spans(path) if path.is_file() else []
    inner = [span for span in _SPANS[filename] if span[0] <= line <= span[1]]
    function = max(inner, key=lambda span: span[0])[2] if inner else name
    return f"{path.stem}.{function}"


def profile(pipeline, text, is_html):
    profiler = cProfile.Profile()
    profiler.enable()
    pipeline.extract_text(text, is_html=is_html)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    by_function, total = defaultdict(float), 0.0
    for (filename, line, name), (_, _, own_time, _, callers) in stats.items():
        total += own_time
        if filename == "~" and callers:
            # a C function (a regex search, sorted, str.join) is charged to the functions that call it
            for (caller_file, caller_line, caller_name), (_, _, caller_share, _) in callers.items():
                by_function[_owner(caller_file, caller_line, caller_name)] += caller_share
        else:
            by_function[_owner(filename, line, name)] += own_time
    by_module = defaultdict(float)
    for function, seconds in by_function.items():
        by_module[function.split(".")[0]] += seconds
    return total, by_module, by_function


def corpus_report(size: int) -> str:
    """Reports from corpus/docs, one after another, until size characters."""
    texts = [decode_bytes(p.read_bytes()).text for p in sorted((ROOT / "corpus" / "docs").glob("*.txt"))]
    out, length, i = [], 0, 0
    while length < size:
        out.append(texts[i % len(texts)])
        length += len(texts[i % len(texts)]) + 1
        i += 1
    return "\n".join(out)[:size]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=24000, help="characters per shape (long_list: 3,000 items)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best is kept")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    parser.add_argument("--profile", action="store_true", help="where the time goes, per shape")
    parser.add_argument("--scaling", action="store_true", help="per-character cost, 20 KB vs 1.3 MB report")
    args = parser.parse_args()

    pipeline = Pipeline(extractor="rules")
    pipeline.extract_text("检查企业12家，罚款3.5万元。")  # load lexicons, jieba and OpenCC before timing
    jieba.lcut("检查企业12家")
    print(f"{'shape':16s} {'chars':>9s} {'jieba.lcut':>11s} {'extract':>10s} {'ratio':>7s}")
    for name in args.shapes.split(","):
        # each timed run reads a text of its own (the same shape, another seed), for jieba and for
        # the extraction alike: no cache (segmented clauses, judged indicators) carries a run over
        texts = [build(name, args.size, seed=21 + run) for run in range(args.runs)]
        jieba_seconds = best_of_each(texts, lambda text, is_html: jieba.lcut(text))
        extract_seconds = best_of_each(texts, lambda text, is_html: pipeline.extract_text(text, is_html=is_html))
        text, is_html = texts[0]
        print(f"{name:16s} {len(text):9,d} {jieba_seconds * 1000:9.1f}ms {extract_seconds * 1000:8.1f}ms "
              f"{extract_seconds / jieba_seconds:7.2f}", flush=True)
        if args.profile:
            total, by_module, by_function = profile(pipeline, *build(name, args.size, seed=20))
            modules = ", ".join(f"{m} {s / total:.0%}" for m, s in sorted(by_module.items(), key=lambda i: -i[1])[:5])
            print(f"    modules: {modules}")
            for function, seconds in sorted(by_function.items(), key=lambda i: -i[1])[:5]:
                print(f"    {seconds / total:5.1%}  {function}")
    if args.scaling:
        rates = {}
        for size in (20_000, 1_300_000):
            text = corpus_report(size)
            seconds = best_of(1 if size > 100_000 else args.runs, lambda: pipeline.extract_text(text))
            jieba_seconds = best_of(1 if size > 100_000 else args.runs, lambda: jieba.lcut(text))
            rates[size] = seconds / len(text)
            print(f"report {len(text):>9,d} chars: {seconds:7.2f}s, {rates[size] * 1e6:6.2f} us/char, "
                  f"{seconds / jieba_seconds:5.2f}x jieba.lcut", flush=True)
        print(f"per-char cost, 1.3 MB over 20 KB: {rates[1_300_000] / rates[20_000]:.2f}")


if __name__ == "__main__":
    main()
