"""Shared fixtures: an app on temporary data, its clients, and a writer of article files."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from web import create_app
from web.config import REPOSITORY

SAMPLE_ARTICLES = REPOSITORY / "articles"


@pytest.fixture
def app(tmp_path):
    """The app on the sample articles, with its data folder and database under ``tmp_path``."""
    app = create_app({
        "TESTING": True,
        "DATA_DIR": str(tmp_path / "data"),
        "ARTICLES_DIR": str(SAMPLE_ARTICLES),
        "SECRET_KEY": "test-secret-key",
    })
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CATEGORIES = {
    "account": {"order": 1, "name": {"ko": "계정", "en": "Account"}},
    "payment": {"order": 2, "name": {"ko": "결제", "en": "Payment"}},
}


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
