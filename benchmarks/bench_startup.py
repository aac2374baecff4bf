"""Where worker processes start paying for themselves: a batch of n small documents extracted in
this process, and by two worker processes.

    python benchmarks/bench_startup.py [--counts 1 2 4 8 16 32 64 128] [--extractors rules combined] [--repeats 3]

For each extractor and count, builds n documents (corpus/docs copies with their digits changed,
~6 KB each) and times run_batch from its call to its return (pipeline and worker start-up
included, interpreter start-up excluded), each run in a NEW process so no run inherits another's
loaded dictionaries or models. Prints wall seconds (best of --repeats) for each way, their ratio,
and the CPU seconds of each run's process tree (the pool's extra start-up work: on a machine
other jobs share, wall times follow CPU). The batch's threshold (batch.IN_PROCESS_BYTES) should
sit where the ratio crosses 1.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, count: int, seed: int = 11) -> int:
    from reportmine.decode import decode_bytes

    rng = random.Random(seed)
    sources = [decode_bytes(p.read_bytes()).text for p in sorted((ROOT / "corpus" / "docs").glob("*.txt"))]
    folder.mkdir(parents=True)
    total = 0
    for index in range(count):
        text = "".join(str(rng.randint(0, 9)) if ch.isdigit() else ch for ch in sources[index % len(sources)])
        data = text.encode("utf-8")
        (folder / f"doc{index:04d}.txt").write_bytes(data)
        total += len(data)
    return total


def one_run(docs: str, out: str, extractor: str, in_process: bool) -> None:
    from reportmine.batch import run_batch

    started = time.perf_counter()
    run_batch([docs], Path(out), workers=2, extractor=extractor, in_process=in_process)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def measure(docs: Path, out: Path, extractor: str, in_process: bool) -> tuple:
    """(wall seconds of the run, CPU seconds of its whole process tree, interpreter start included)"""
    process = subprocess.Popen([sys.executable, __file__, "--one", str(docs), str(out), extractor, str(int(in_process))],
                               stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's usage includes its workers, waited for
    if status != 0:
        raise SystemExit(f"run {extractor} in_process={in_process} failed with status {status}")
    return json.loads(output.strip().splitlines()[-1])["seconds"], usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32, 64, 128])
    parser.add_argument("--extractors", nargs="+", default=["rules", "combined"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        docs, out, extractor, in_process = args.one
        one_run(docs, out, extractor, in_process == "1")
        return
    work = Path(tempfile.mkdtemp(prefix="reportmine-startup-"))
    try:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'extractor':9} {'docs':>5} {'bytes':>9} {'in process s':>12} {'2 workers s':>11} {'workers/in':>10} "
              f"{'CPU s in / workers':>18}")
        for count in args.counts:
            docs = work / f"docs{count}"
            size = build(docs, count)
            for extractor in args.extractors:
                times, cpu = {}, {}
                for in_process in (True, False):
                    runs = [measure(docs, work / f"out{count}{extractor}{in_process}.jsonl", extractor, in_process)
                            for _ in range(args.repeats)]
                    times[in_process], cpu[in_process] = min(runs)
                print(f"{extractor:9} {count:5} {size:9,} {times[True]:12.2f} {times[False]:11.2f} "
                      f"{times[False] / times[True]:10.2f} {cpu[True]:8.1f} / {cpu[False]:7.1f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
