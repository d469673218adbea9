"""Fixtures of the kb tests: a migrated database on every backend, the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import Database, KnowledgeBase, schema

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


@pytest.fixture(scope="session")
def knowledge():
    return KnowledgeBase.load(ARTICLES)


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    schema.upgrade(database)
    yield database
    database.engine.dispose()
