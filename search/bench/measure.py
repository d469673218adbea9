"""What the bench measures with: latency percentiles, per-call timing and memory figures."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """Return p50/p95/p99 of latencies in milliseconds."""
    values = np.asarray(samples_ms)
    return {f"p{p}_ms": round(float(np.percentile(values, p)), 3) for p in (50, 95, 99)}


def time_each(function: Callable[[str, str], object], queries) -> list[float]:
    samples = []
    for text, locale in queries:
        started = time.perf_counter()
        function(text, locale)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def current_rss_mb() -> float:
    """Resident memory now (Linux ``/proc``; 0 elsewhere): what a serving worker holds."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    import os

    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)
