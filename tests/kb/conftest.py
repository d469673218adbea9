"""Fixtures of the kb tests: a migrated database on every backend, the sample articles (and a
copy of them to edit)."""

from __future__ import annotations

import shutil
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


@pytest.fixture
def database(db):
    """``db`` under the content tests' name."""
    return db


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the sample help center, free to edit."""
    target = tmp_path / "folder"
    shutil.copytree(ARTICLES, target)
    return target
