"""HTTP benchmark of ``/api/search``: concurrent clients over loopback against the real server.

Not a test (speed is never asserted): it prints requests per second and latency percentiles.
Without ``--url`` it starts ``deflect serve`` (gunicorn, the production server) on a free port
with a temporary data folder, waits for it, measures, and stops it. Each client is a separate
process with one keep-alive connection, so the client side is not held back by one GIL.

    python -m web.cli.bench_http --clients 8 --duration 10
    deflect bench-http --url http://127.0.0.1:5000
"""

from __future__ import annotations

import http.client
import itertools
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import click

from web.errors import DeflectError

QUERIES = [
    ("ko", "로그인이 안 돼요"), ("ko", "결제가 안 돼요"), ("ko", "환불 신청"),
    ("ko", "비번 까먹음"),
    ("ko", "구독 해지"), ("ko", "영상이 안 나와요"), ("ko", "자막"), ("ko", "기기 등록"),
    ("en", "can't log in"), ("en", "payment failed"), ("en", "refund"), ("en", "cancel plan"),
    ("en", "forgot password"), ("en", "video won't play"), ("en", "subtitles"),
]


def _client(url: str, seconds: float, offset: int, results) -> None:
    """Send searches one after another until ``seconds`` pass; report latencies (ms)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    latencies, errors = [], 0
    queries = itertools.islice(itertools.cycle(QUERIES), offset, None)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        locale, query = next(queries)
        path = f"/api/search?q={quote(query)}&locale={locale}"
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            latencies.append(elapsed)
        else:
            errors += 1
    connection.close()
    results.put((latencies, errors))


def run_benchmark(url: str, *, clients: int, seconds: float, warmup: float = 2.0) -> dict:
    """Drive ``url`` with ``clients`` processes for ``seconds``; return the measurements."""
    context = multiprocessing.get_context("spawn")
    if warmup:
        _measure(context, url, clients, warmup)
    latencies, errors, took = _measure(context, url, clients, seconds)
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {"clients": clients, "seconds": round(took, 2), "requests": len(latencies),
            "errors": errors, "requests_per_second": round(len(latencies) / took, 1),
            "p50_ms": round(percentile(0.50), 2), "p90_ms": round(percentile(0.90), 2),
            "p99_ms": round(percentile(0.99), 2), "max_ms": round(latencies[-1], 2)
            if latencies else 0.0,
            "mean_ms": round(statistics.fmean(latencies), 2) if latencies else 0.0}


def _measure(context, url: str, clients: int, seconds: float) -> tuple[list, int, float]:
    results = context.Queue()
    workers = [context.Process(target=_client, args=(url, seconds, n * 3, results))
               for n in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=seconds + 60) for _ in workers]
    took = time.perf_counter() - started
    for worker in workers:
        worker.join()
    latencies = [ms for batch, _ in collected for ms in batch]
    # Each client measures for ``seconds``; ``took`` also counts starting the processes.
    return latencies, sum(errors for _, errors in collected), min(took, seconds)


@contextmanager
def served(*, workers: int):
    """Run ``deflect serve`` on a free loopback port with a temporary data folder."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data_dir = Path(tempfile.mkdtemp(prefix="deflect-bench-"))
    deflect = shutil.which("deflect", path=str(Path(sys.executable).parent)) or "deflect"
    env = {**os.environ, "DEFLECT_DATA_DIR": str(data_dir), "DEFLECT_DATABASE_URL": ""}
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen([deflect, "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--workers", str(workers)], stdout=log, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DeflectError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise DeflectError(f"the server did not answer within {timeout:.0f} s")


@click.command("bench-http")
@click.option("--url", help="Benchmark this running server instead of starting one.")
@click.option("--clients", default=8, show_default=True, help="Concurrent client processes.")
@click.option("--duration", default=10.0, show_default=True, help="Seconds to measure.")
@click.option("--workers", default=2, show_default=True,
              help="Server worker processes (when the benchmark starts the server).")
def bench_http_command(url: str | None, clients: int, duration: float, workers: int) -> None:
    """Measure /api/search over loopback: requests per second and p50/p99 latency."""
    if url:
        report = run_benchmark(url.rstrip("/"), clients=clients, seconds=duration)
    else:
        with served(workers=workers) as started:
            report = run_benchmark(started, clients=clients, seconds=duration)
    click.echo(f"{report['requests']} requests in {report['seconds']} s from {clients} clients "
               f"({report['errors']} errors)")
    click.echo(f"{report['requests_per_second']} requests/s; latency p50 {report['p50_ms']} ms, "
               f"p90 {report['p90_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms")


if __name__ == "__main__":
    bench_http_command()
