"""Browser fixtures: the real app under ``deflect serve`` and Debian's Chromium via Playwright.

Playwright's own browser download does not work here, so the tests drive ``/usr/bin/chromium``
(installed by ``scripts/system-deps.sh``). The server runs once per session on a free loopback
port with its data (database, index) in a temporary folder.
"""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kb import Database
from web.config import REPOSITORY

CHROMIUM = Path(os.environ.get("DEFLECT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPOSITORY / "test-artifacts"
START_TIMEOUT = 120  # seconds: the first start builds the search index and loads Kiwi


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"deflect serve exited with {process.returncode}:\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"deflect serve did not answer within {START_TIMEOUT} s; see {log}")


class Inbox:
    """An aiosmtpd handler keeping every message the server mails (real SMTP on loopback)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.port = _free_port()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def wait_for(self, matches, *, after_count: int = 1, timeout: float = 15.0):
        """The first ``(recipients, message)`` for which ``matches`` is true, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if matches(*m)]
            if len(found) >= after_count:
                return found[after_count - 1]
            time.sleep(0.1)
        raise AssertionError(f"no such mail within {timeout} s; got {len(self.messages)}")


@pytest.fixture(scope="session")
def mail_inbox():
    """The SMTP server ``deflect serve`` mails to during the browser tests."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, mail_inbox):
    """``(base_url, data_dir)`` of the help center served by ``deflect serve``, mailing to
    ``mail_inbox``."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    deflect = shutil.which("deflect", path=str(Path(sys.executable).parent)) or "deflect"
    log = data_dir / "server.log"
    env = {**os.environ, "DEFLECT_DATA_DIR": str(data_dir),
           "DEFLECT_SECRET_KEY": "browser-test-secret", "DEFLECT_DATABASE_URL": "",
           "DEFLECT_PASSWORD_HASH_PROFILE": "CHEAPEST",
           "DEFLECT_SMTP_URL": f"smtp://127.0.0.1:{mail_inbox.port}",
           # Every browser test sends its tickets from 127.0.0.1: one address, many tickets.
           "DEFLECT_TICKET_LIMIT_PER_ADDRESS": "0"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [deflect, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            stdout=output, stderr=subprocess.STDOUT, env=env, cwd=REPOSITORY)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield url, data_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server[0]


@pytest.fixture(scope="session")
def server_database(server) -> Database:
    return Database(f"sqlite:///{server[1] / 'deflect.sqlite3'}")


@pytest.fixture
def open_page(browser, base_url):
    """``open_page(path, locale=..., width=..., javascript=True)``: a fresh visitor's page.

    Every page fails the test if the browser reports a Content-Security-Policy violation or a
    script error.
    """
    contexts, problems = [], []

    def open_(path: str, *, locale: str = "ko-KR", width: int = 390, height: int = 844,
              javascript: bool = True):
        context = browser.new_context(base_url=base_url, locale=locale,
                                      viewport={"width": width, "height": height},
                                      java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" else None)
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
