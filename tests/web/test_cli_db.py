"""``deflect db``: upgrade and current on the configured database, and the app's own upgrade at
start on a data folder written by release 0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from kb import Database, schema
from kb.tickets import find_ticket
from web import create_app, services
from web.cli import cli

RELEASE_SQLITE = Path(__file__).resolve().parent.parent / "data" / "release-0.1.sqlite3"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A data folder the ``deflect`` commands use (through the environment, as in production)."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DEFLECT_DATA_DIR", str(folder))
    monkeypatch.delenv("DEFLECT_DATABASE_URL", raising=False)
    return folder


def _deflect(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_db_upgrade_creates_the_schema_then_has_nothing_to_do(data_dir):
    first = _deflect("db", "upgrade")
    second = _deflect("db", "upgrade")

    head = schema.head_revision()
    assert first.exit_code == 0, first.output
    assert first.output.endswith(f"deflect.sqlite3: upgraded from an empty database "
                                 f"to revision {head}\n")
    assert second.exit_code == 0
    assert second.output.endswith(f"at revision {head} (the newest), no change\n")
    database = Database(f"sqlite:///{data_dir / 'deflect.sqlite3'}")
    assert "tickets" in inspect(database.engine).get_table_names()
    database.engine.dispose()


def test_db_upgrade_stamps_a_release_0_1_database(data_dir):
    shutil.copyfile(RELEASE_SQLITE, data_dir / "deflect.sqlite3")

    before = _deflect("db", "current")
    result = _deflect("db", "upgrade")
    after = _deflect("db", "current")

    head = schema.head_revision()
    assert before.output.endswith(f"revision none, newest {head} (run `deflect db upgrade`)\n")
    assert result.exit_code == 0
    assert "a database from release 0.1 (before migrations), stamped at revision 0001" in (
        result.output)
    assert after.output.endswith(f"revision {head}, newest {head} (up to date)\n")


def test_db_upgrade_names_the_database_it_cannot_reach(data_dir, monkeypatch):
    monkeypatch.setenv("DEFLECT_DATABASE_URL", "postgresql+psycopg://deflect:secret@127.0.0.1:1/x")

    result = _deflect("db", "upgrade")

    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: could not upgrade postgresql+psycopg://deflect:***@127.0.0.1:1/x: ")
    assert "secret" not in result.output


def test_app_start_upgrades_a_release_0_1_data_folder_keeping_its_tickets(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(RELEASE_SQLITE, data / "deflect.sqlite3")

    app = create_app({"TESTING": True, "DATA_DIR": str(data), "SECRET_KEY": "test"})

    database = services.database(app)
    assert schema.current_revision(database) == schema.head_revision()
    with database.session() as session:
        assert find_ticket(session, "DF-2B5C-8DNP").rating_comment == "Fixed, thanks — 감사합니다"
    services.event_recorder(app).close()
    database.engine.dispose()
