"""The one timing helper the benchmarks share (each benchmark runs as a script from this folder)."""
from __future__ import annotations

import time


def best_of(runs: int, function) -> tuple[float, object]:
    """The shortest wall time of `runs` calls of `function`, and what the last call returned."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result
