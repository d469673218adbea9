"""``deflect serve`` stops cleanly: a SIGTERM ends the master and every worker within seconds,
with no worker aborted or hanging (Kiwi's native thread must not cross gunicorn's fork)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from web.config import REPOSITORY

STOP_WITHIN = 10  # seconds; gunicorn's own graceful timeout is 30


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _is_running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; only its parent's wait is left


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"deflect serve did not start; see {log}")


def test_sigterm_stops_master_and_workers_promptly_without_an_abort(tmp_path):
    port = _free_port()
    deflect = shutil.which("deflect", path=str(Path(sys.executable).parent)) or "deflect"
    log = tmp_path / "server.log"
    env = {**os.environ, "DEFLECT_DATA_DIR": str(tmp_path / "data"),
           "DEFLECT_SECRET_KEY": "serve-test", "DEFLECT_DATABASE_URL": ""}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [deflect, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            stdout=output, stderr=subprocess.STDOUT, env=env, cwd=REPOSITORY)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        for _ in range(4):  # Korean searches, so that workers have used Kiwi
            with urllib.request.urlopen(f"{url}/api/search?q=%EB%A1%9C%EA%B7%B8%EC%9D%B8",
                                        timeout=30) as response:
                assert response.status == 200
        workers = _children(process.pid)
        assert len(workers) == 2
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            raise AssertionError("still running after SIGTERM:\n"
                                 + log.read_text(errors="replace")[-3000:]) from None
        waited = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text(errors="replace")
    assert process.returncode == 0, output[-3000:]
    assert waited < STOP_WITHIN
    assert not any(_is_running(pid) for pid in workers)
    for sign in ("system_error", "SIGABRT", "Aborted", "terminate called", "WORKER TIMEOUT",
                 "was sent SIGKILL", "exited with code"):
        assert sign not in output, output[-3000:]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
