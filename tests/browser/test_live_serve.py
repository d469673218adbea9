"""Two ``deflect serve`` hosts (two workers each, their own data folders) on one database: a
change published by a third process is served and searchable by every worker of both hosts.

PostgreSQL when ``DEFLECT_TEST_DATABASE_URL`` is set (the ``make test`` run), else one SQLite
file. Prints how long each host took; the test asserts only that both got there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kb import Database, content
from tests.browser.conftest import _free_port, _wait_until_healthy
from tests.databases import postgres_schema
from web.config import REPOSITORY

WORD = "quexotic"
DEADLINE = 30.0  # seconds; what is measured is printed, not asserted


@pytest.fixture
def shared_database_url(tmp_path):
    if not os.environ.get("DEFLECT_TEST_DATABASE_URL"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_schema("live") as url:
        yield url


ARTICLE = """---
title: {title}
slug: {slug}
locale: en
category: account
questions:
  - {question}
---
{body}
"""


@pytest.fixture
def articles(tmp_path) -> Path:
    """A small help center, so that each host builds its index in seconds."""
    folder = tmp_path / "articles"
    (folder / "en" / "account").mkdir(parents=True)
    shutil.copyfile(REPOSITORY / "articles" / "categories.yml", folder / "categories.yml")
    for slug, title, question, body in [
        ("password-reset", "Reset your password", "I forgot my password",
         "Open the sign-in page and choose *Forgot password*."),
        ("login-trouble", "I cannot sign in", "login does not work",
         "Check your email address, then reset your password."),
        ("change-email", "Change your email address", "new email",
         "Open your profile and edit the address."),
    ]:
        (folder / "en" / "account" / f"{slug}.md").write_text(ARTICLE.format(
            slug=slug, title=title, question=question, body=body), encoding="utf-8")
    return folder


@pytest.fixture
def hosts(tmp_path, shared_database_url, articles, monkeypatch):
    """Base URLs of two ``deflect serve`` started together on the shared database."""
    from tests.browser import conftest

    # two servers start at once on a machine shared with the rest of the suite
    monkeypatch.setattr(conftest, "START_TIMEOUT", 300)
    deflect = shutil.which("deflect", path=str(Path(sys.executable).parent)) or "deflect"
    started = []
    for n in range(2):
        data_dir = tmp_path / f"host-{n}"
        data_dir.mkdir()
        port = _free_port()
        log = data_dir / "server.log"
        env = {**os.environ, "DEFLECT_DATA_DIR": str(data_dir), "DEFLECT_SECRET_KEY": "live",
               "DEFLECT_DATABASE_URL": shared_database_url,
               "DEFLECT_ARTICLES_DIR": str(articles)}
        with log.open("wb") as output:
            process = subprocess.Popen(
                [deflect, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                stdout=output, stderr=subprocess.STDOUT, env=env, cwd=REPOSITORY)
        started.append((f"http://127.0.0.1:{port}", process, log))
    try:
        for url, process, log in started:
            _wait_until_healthy(url, process, log)
        yield [url for url, _, _ in started]
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def found(url: str, word: str = WORD) -> bool:
    query = urllib.parse.urlencode({"q": word, "locale": "en"})
    with urllib.request.urlopen(f"{url}/api/search?{query}", timeout=5) as response:
        hits = json.load(response)["results"]
    return bool(hits) and hits[0]["slug"] == "password-reset"


def test_a_published_change_reaches_every_worker_of_every_host(hosts, shared_database_url):
    for _ in range(20):  # each worker's first searches load its snapshot: not what we time
        for url in hosts:
            found(url, "password")
    assert not any(found(url) for url in hosts)
    database = Database(shared_database_url)
    with database.session() as session:
        state = content.read_article(session, "en", "password-reset")
        head, _, rest = state.markdown.partition("questions:\n")
        indent = rest[:len(rest) - len(rest.lstrip(" "))]
        saved = content.save_draft(
            session, locale="en", slug="password-reset", base_revision=state.revision,
            markdown=f"{head}questions:\n{indent}- my {WORD} password\n{rest}",
            author="editor@example.com", message="a new phrasing")
        content.publish(session, locale="en", slug="password-reset", revision=saved.revision)
    published = time.monotonic()
    database.engine.dispose()

    first: dict[str, float] = {}
    took: dict[str, float] = {}

    def watch(url: str) -> None:
        streak = 0
        while time.monotonic() - published < DEADLINE:
            if found(url):
                first.setdefault(url, time.monotonic() - published)
                streak += 1
                # ten answers in a row, so both workers (the kernel picks one) have it
                if streak == 10:
                    took[url] = time.monotonic() - published
                    return
            else:
                streak = 0
            time.sleep(0.05)  # 20 requests a second per host: the measure, not the load

    watchers = [threading.Thread(target=watch, args=(url,)) for url in hosts]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join()
    print("\npublished change searchable: " + ", ".join(
        f"host {n + 1}: first answer after {first.get(url, float('nan')):.2f} s, "
        f"every worker after {took.get(url, float('nan')):.2f} s"
        for n, url in enumerate(hosts)))
    assert set(took) == set(hosts)
