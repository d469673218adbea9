"""Shared fixtures: an app on temporary data, its clients, and a writer of article files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.databases import postgres_schema
from web import create_app
from web.config import REPOSITORY

SAMPLE_ARTICLES = REPOSITORY / "articles"
FIGURES_PROPERTY = "battery figures"
"""The ``user_properties`` name of the security battery's figures (``tests/security``)."""
_FIGURES: dict[str, dict[str, object]] = {}


def pytest_runtest_logreport(report) -> None:
    """Gather the battery's figures from the test reports: in this process, or as pytest-xdist
    hands its workers' reports to the process that prints the summary."""
    for name, value in report.user_properties:
        if name == FIGURES_PROPERTY:
            test_id, numbers = value
            _FIGURES.setdefault(test_id, {}).update(numbers)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _FIGURES or hasattr(config, "workerinput"):  # a worker's summary is not shown
        return
    terminalreporter.section("security battery figures")
    for test_id in sorted(_FIGURES):
        numbers = ", ".join(f"{key}={value}" for key, value in _FIGURES[test_id].items())
        terminalreporter.write_line(f"{test_id}: {numbers}")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty SQLite database at the newest schema revision, made once: the apps of the suite
    start on copies of it, as fast as on an upgraded database (migrating each of them took
    ~0.25 s, 88 s of the suite)."""
    from kb import Database, schema

    path = tmp_path_factory.mktemp("schema") / "head.sqlite3"
    database = Database(f"sqlite:///{path}")
    schema.upgrade(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=DELETE")  # one self-contained file
    database.engine.dispose()
    return path


def copy_database(template: Path, path: Path) -> None:
    """Start the database at ``path`` as a copy of ``template``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    """The app on the sample articles, with its data folder and database under ``tmp_path``."""
    copy_database(migrated_sqlite, tmp_path / "data" / "deflect.sqlite3")
    app = create_app({
        "TESTING": True,
        "DATA_DIR": str(tmp_path / "data"),
        "ARTICLES_DIR": str(SAMPLE_ARTICLES),
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    })
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory):
    """One app on the sample articles for the whole session, its search index built once: for
    tests that only read, or that look only at their own client's (visitor's) events."""
    return create_app({
        "TESTING": True,
        "DATA_DIR": str(tmp_path_factory.mktemp("shared-data")),
        "ARTICLES_DIR": str(SAMPLE_ARTICLES),
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    })


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("DEFLECT_TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A database URL for tests that run on every backend: SQLite under ``tmp_path``, then
    PostgreSQL (a fresh schema per test) when ``DEFLECT_TEST_DATABASE_URL`` is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backend.sqlite3'}"
        return
    with postgres_schema("test") as url:
        yield url


CATEGORIES = {
    "account": {"order": 1, "name": {"ko": "계정", "en": "Account"}},
    "payment": {"order": 2, "name": {"ko": "결제", "en": "Payment"}},
}


@pytest.fixture
def backend_app(database_url, tmp_path, shared_app, monkeypatch, migrated_sqlite):
    """A fresh app on ``database_url`` (so on every backend) and its own data folder, reusing
    ``shared_app``'s loaded articles and search engine (the same sample folder) rather than
    parsing and indexing them again. Test modules opt in by overriding ``app`` with it."""
    from kb import KnowledgeBase
    from web import services

    loaded = services.knowledge_base(shared_app)
    if database_url.startswith("sqlite"):
        from sqlalchemy import make_url

        copy_database(migrated_sqlite, Path(make_url(database_url).database))
    monkeypatch.setattr(KnowledgeBase, "load", classmethod(lambda cls, folder: loaded))
    app = create_app({
        "TESTING": True,
        "DATA_DIR": str(tmp_path / "data"),
        "ARTICLES_DIR": str(SAMPLE_ARTICLES),
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "DATABASE_URL": database_url,
        "SMTP_URL": None,
        "PUBLIC_URL": None,
    })
    services.of(app).search = services.search_engine(shared_app)
    yield app
    services.event_recorder(app).close()
    services.database(app).engine.dispose()


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """An empty content folder with a categories.yml (account, payment)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "categories.yml").write_text(yaml.safe_dump(CATEGORIES, allow_unicode=True),
                                           encoding="utf-8")
    return folder


@pytest.fixture
def write_article(content_dir) -> Callable[..., Path]:
    """Write an article file; front matter fields default to a valid English account article.

    ``write_article(slug="x", body="...", title=None)`` leaves ``title`` out; ``raw=`` writes
    the given text as the whole file.
    """

    def write(slug: str = "login-trouble", *, locale: str = "en", category: str = "account",
              body: str = "How to sign in again.\n", raw: str | bytes | None = None,
              path: str | None = None, **fields) -> Path:
        target = content_dir / (path or f"{locale}/{category}/{slug}.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            if isinstance(raw, bytes):
                target.write_bytes(raw)
            else:
                target.write_text(textwrap.dedent(raw), encoding="utf-8")
            return target
        front = {"title": f"Article {slug}", "slug": slug, "locale": locale,
                 "category": category, "questions": [f"question about {slug}"],
                 "keywords": [slug], "status": "published", "updated": dt.date(2026, 11, 1)}
        front.update(fields)
        front = {k: v for k, v in front.items() if v is not None}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
        target.write_text(text + body, encoding="utf-8")
        return target

    return write


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one per session: the page tests (tests/browser)
    and the XSS battery (tests/security) share it, as Playwright's sync API runs only once
    per thread."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()
