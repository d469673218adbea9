"""R2: tickets survive kill -9 of a real ``deflect serve``; R2b: crashes at exact points.

R2. Four clients POST tickets to ``/api/tickets`` over loopback, each with its own
``Idempotency-Key``, retrying with the same key after any connection error or 5xx, while the
server is SIGKILLed again and again: serving workers (gunicorn starts new ones from the
preloaded app) and, once, the whole process group, which is then started again from scratch.
Pass: every acknowledged ticket is stored (0 lost), one row per key (0 duplicates), the
acknowledged reference is the stored one, and SQLite's ``PRAGMA integrity_check`` is ``ok``.
It runs on SQLite and, under ``scripts/with-postgres.sh``, on PostgreSQL too.

R2b. The test-only fault hook (``web/faults.py``, on only with ``DEFLECT_FAULT_INJECTION``)
kills the worker right after the COMMIT, before the response, and right before the COMMIT.
Pass: the retry is a replay of the same ticket (after) or creates exactly one (before).
Negative control: a client that retries with a new key after the post-commit crash makes a
duplicate, which the same row count sees.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from tests.browser.conftest import _free_port, _wait_until_healthy
from web.config import REPOSITORY

from .conftest import SCALE

CLIENTS = 4
TICKETS_PER_CLIENT = 40 * SCALE
WORKER_KILLS = 6
SEED = 20261201
RETRYABLE = (OSError, urllib.error.URLError, http.client.HTTPException, ConnectionError)


class Server:
    """``deflect serve`` with 2 workers in its own process group, restartable."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.data_dir, self.port = data_dir, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DEFLECT_DATA_DIR": str(data_dir),
                    "DEFLECT_DATABASE_URL": database_url, "DEFLECT_SECRET_KEY": "r2-secret",
                    "DEFLECT_FAULT_INJECTION": "true", "DEFLECT_TICKET_LIMIT_PER_ADDRESS": "0",
                    "DEFLECT_TICKET_LIMIT_PER_EMAIL": "0"}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        deflect = shutil.which("deflect", path=str(Path(sys.executable).parent)) or "deflect"
        log = self.data_dir / "server.log"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [deflect, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", "2"], stdout=output, stderr=subprocess.STDOUT, env=self.env,
                cwd=REPOSITORY, start_new_session=True)
        _wait_until_healthy(self.url, self.process, log)

    def workers(self) -> list[int]:
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_group(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill_group()


def post_ticket(url: str, key: str, subject: str, timeout: float = 10) -> tuple[int, dict]:
    body = json.dumps({"category": "account", "subject": subject, "description": "kill -9",
                       "email": "r2@example.com", "consent": True, "locale": "en"}).encode()
    request = urllib.request.Request(f"{url}/api/tickets", data=body, method="POST", headers={
        "Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {**json.loads(response.read()),
                                     "replayed": response.headers.get("Idempotent-Replayed")}
    except urllib.error.HTTPError as error:
        return error.code, {}


def submit_until_acknowledged(url: str, key: str, subject: str, stats: dict) -> str | None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, body = post_ticket(url, key, subject)
        except RETRYABLE:
            status, body = 0, {}
        if status == 201:
            return body["reference"]
        stats["retries"] += 1
        time.sleep(0.05)
    return None


def stored(database_url: str) -> dict[str, list[str]]:
    """Idempotency key → the references stored under it."""
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT idempotency_key, reference FROM tickets")).all()
    engine.dispose()
    found: dict[str, list[str]] = {}
    for key, reference in rows:
        found.setdefault(key, []).append(reference)
    return found


def integrity(database_url: str) -> str:
    if not database_url.startswith("sqlite"):
        return "n/a (PostgreSQL)"
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        result = connection.execute(text("PRAGMA integrity_check")).scalar_one()
    engine.dispose()
    return result


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """``(server, database_url)``: one served app per backend for R2 and R2b."""
    data_dir = tmp_path_factory.mktemp(f"r2-{request.param}")
    schema = None
    if request.param == "sqlite":
        database_url = f"sqlite:///{data_dir / 'deflect.sqlite3'}"
    elif not os.environ.get("DEFLECT_TEST_DATABASE_URL"):
        pytest.skip("PostgreSQL runs under scripts/with-postgres.sh (make test)")
    else:
        base = make_url(os.environ["DEFLECT_TEST_DATABASE_URL"])
        schema = f"r2_{secrets.token_hex(4)}"
        admin = create_engine(base, poolclass=NullPool)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        database_url = base.update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    server = Server(data_dir, database_url)
    server.start()
    yield server, database_url, request.param
    server.stop()
    if schema is not None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_acknowledged_tickets_survive_kill_9(served, figures):
    server, database_url, backend = served
    acknowledged: dict[str, str] = {}
    stats = {"retries": 0, "worker_kills": 0, "group_kills": 0, "unacknowledged": 0}
    lock = threading.Lock()

    def client(number: int) -> None:
        for index in range(TICKETS_PER_CLIENT):
            key = f"r2-{number}-{index}"
            reference = submit_until_acknowledged(server.url, key, f"ticket {key}", stats)
            with lock:
                if reference is None:
                    stats["unacknowledged"] += 1
                else:
                    acknowledged[f"api-{key}"] = reference

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    chance = random.Random(SEED)
    group_kill_at = WORKER_KILLS // 2 if backend == "sqlite" else None
    for round_ in range(WORKER_KILLS + (group_kill_at is not None)):
        time.sleep(chance.uniform(0.3, 0.8))
        if round_ == group_kill_at:
            server.kill_group()  # everything at once, then a cold start
            stats["group_kills"] += 1
            server.start()
            continue
        for pid in server.workers():
            os.kill(pid, signal.SIGKILL)
            stats["worker_kills"] += 1
    for thread in threads:
        thread.join()
    rows = stored(database_url)
    lost = [key for key in acknowledged if key not in rows]
    duplicates = [key for key, references in rows.items() if len(references) > 1]
    mismatched = [key for key, reference in acknowledged.items()
                  if key in rows and rows[key] != [reference]]
    check = integrity(database_url)
    figures(f"R2 {backend}", clients=CLIENTS, submissions=CLIENTS * TICKETS_PER_CLIENT,
            acknowledged=len(acknowledged), rows=sum(map(len, rows.values())),
            lost_acknowledged=len(lost), duplicates=len(duplicates),
            reference_mismatches=len(mismatched), integrity=check,
            seconds=round(time.monotonic() - started, 1), **stats)
    assert stats["worker_kills"] + stats["group_kills"] >= WORKER_KILLS
    assert stats["unacknowledged"] == 0
    assert lost == [] and duplicates == [] and mismatched == []
    assert check in ("ok", "n/a (PostgreSQL)")


def crash_once(server, point: str) -> None:
    (server.data_dir / "fault-crash-point").write_text(point)


def _first_attempt_fails(server, key: str, subject: str) -> bool:
    try:
        post_ticket(server.url, key, subject)
    except RETRYABLE:
        return True
    return False


@pytest.mark.parametrize("point", ["after_commit", "before_commit"])
def test_crash_points_then_retry_with_the_same_key(served, point, figures):
    server, database_url, backend = served
    key = f"r2b-{point}-{secrets.token_hex(4)}"
    crash_once(server, point)
    crashed = _first_attempt_fails(server, key, f"crash {point}")
    stats = {"retries": 0}
    reference = submit_until_acknowledged(server.url, key, f"crash {point}", stats)
    rows = stored(database_url).get(f"api-{key}", [])
    figures(f"R2b {backend}", **{f"{point}_crashed": crashed, f"{point}_rows": len(rows)})
    assert crashed
    assert rows == [reference]


def test_negative_control_retry_with_a_new_key_duplicates(served, figures):
    server, database_url, backend = served
    subject = f"control {secrets.token_hex(4)}"
    crash_once(server, "after_commit")
    assert _first_attempt_fails(server, f"control-{secrets.token_hex(4)}", subject)
    stats = {"retries": 0}
    submit_until_acknowledged(server.url, f"control-{secrets.token_hex(4)}", subject, stats)
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM tickets WHERE subject = :s"),
                                   {"s": subject}).scalar_one()
    engine.dispose()
    figures(f"R2b {backend}", control_rows_for_one_ticket=count)
    assert count == 2
