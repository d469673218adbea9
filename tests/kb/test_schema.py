"""Schema migrations: the migrations build exactly the declared tables, a release 0.1 database
upgrades with every row intact, and two processes upgrading at once leave one correct schema.

Each test runs on SQLite and, when ``DEFLECT_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, Table, inspect, make_url, text

from kb import Database, schema
from kb.db import Base
from kb.tickets import find_ticket

DATA = Path(__file__).resolve().parent.parent / "data"
RELEASE_SQLITE = DATA / "release-0.1.sqlite3"
RELEASE_POSTGRESQL = DATA / "release-0.1.postgresql.sql"


def _release_database(database_url: str) -> Database:
    """Write release 0.1's database (its ``create_all`` schema and rows) at ``database_url``."""
    if database_url.startswith("sqlite"):
        shutil.copyfile(RELEASE_SQLITE, make_url(database_url).database)
        return Database(database_url)
    database = Database(database_url)
    script = RELEASE_POSTGRESQL.read_text(encoding="utf-8")
    with database.engine.begin() as connection:
        for statement in script.split(";\n\n"):
            if statement.strip() and not statement.lstrip().startswith("--"):
                connection.exec_driver_sql(statement)
            elif "\n" in statement.strip():  # the header comment, then the first statement
                connection.exec_driver_sql(statement.split("\n", 1)[1])
    return database


def _contents(database: Database, columns: dict[str, list[str]] | None = None
              ) -> dict[str, list[tuple]]:
    """Every row of every release 0.1 table, in primary-key order, as plain values: of the
    ``columns`` given per table (those of release 0.1; later migrations add their own), else
    of all of them."""
    with database.engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote  # "window" is reserved in PG
        return {table: [tuple(row) for row in connection.execute(text(
                    f"SELECT {', '.join(map(quote, columns[table])) if columns else '*'} "
                    f"FROM {table} ORDER BY 1, 2"))]
                for table in sorted(schema.RELEASE_TABLES)}


def _columns(database: Database) -> dict[str, list[str]]:
    """The columns of each release 0.1 table as the database has them now."""
    found = inspect(database.engine)
    return {table: [c["name"] for c in found.get_columns(table)]
            for table in schema.RELEASE_TABLES}


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    yield database
    database.engine.dispose()


def test_migrations_build_exactly_the_declared_tables(database):
    change = schema.upgrade(database)

    assert (change.before, change.after, change.is_stamped) == (None, schema.head_revision(),
                                                                False)
    assert schema.schema_differences(database) == []


def test_a_table_declared_without_a_migration_is_found(database):
    schema.upgrade(database)
    table = Table("forgotten_widgets", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        differences = schema.schema_differences(database)
    finally:
        Base.metadata.remove(table)

    assert [(d[0], d[1].name) for d in differences] == [("add_table", "forgotten_widgets")]


def test_upgrading_twice_changes_nothing(database):
    schema.upgrade(database)
    change = schema.upgrade(database)

    assert change.is_changed is False
    assert schema.current_revision(database) == schema.head_revision()


def test_release_0_1_database_upgrades_with_every_row_intact(database_url):
    database = _release_database(database_url)
    before = _contents(database)
    release_columns = _columns(database)
    assert schema.current_revision(database) is None

    change = schema.upgrade(database)

    assert change.is_stamped and change.before == schema.BASELINE
    assert schema.current_revision(database) == schema.head_revision()
    assert _contents(database, release_columns) == before
    assert [len(before[t]) for t in ("tickets", "ticket_messages", "ticket_attachments",
                                     "ticket_links", "rate_counters", "events")] == [
        2, 4, 1, 2, 2, 5]
    assert schema.schema_differences(database) == []
    with database.session() as session:
        ticket = find_ticket(session, "DF-7K3Q-9XM4")
        assert ticket.subject == "결제했는데 이용권이 안 보여요"
        assert ticket.trail[1] == {"kind": "view", "slug": "payment-failed", "locale": "ko"}
        assert [m.links for m in ticket.messages] == [[], ["payment-failed", "refund"]]
        assert ticket.attachments[0].display_name == "영수증 캡처.png"
    database.engine.dispose()


_RACER = """
import sys, time
from pathlib import Path
from web.cli import cli
go = Path(sys.argv[1])
Path(sys.argv[2]).touch()
while not go.exists():
    time.sleep(0.005)
cli(args=["db", "upgrade"], prog_name="deflect")
"""


@pytest.mark.parametrize("start", ["empty", "release-0.1"])
def test_two_processes_upgrading_at_once_both_succeed(database_url, tmp_path, start):
    if start == "release-0.1":
        _release_database(database_url).engine.dispose()
    go = tmp_path / "go"
    env = {**os.environ, "DEFLECT_DATABASE_URL": database_url,
           "DEFLECT_DATA_DIR": str(tmp_path / "data")}
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    racers = [subprocess.Popen([sys.executable, "-c", _RACER, str(go), str(path)], env=env,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
              for path in ready]
    while not all(path.exists() for path in ready):  # both have imported everything
        assert all(racer.poll() is None for racer in racers), [r.communicate() for r in racers]
        time.sleep(0.01)
    go.touch()
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]

    assert [racer.returncode for racer in racers] == [0, 0], outputs
    assert sum("upgraded from" in output or "stamped" in output for output in outputs) == 1
    database = Database(database_url)
    assert schema.current_revision(database) == schema.head_revision()
    assert schema.schema_differences(database) == []
    assert {"alembic_version"} | set(Base.metadata.tables) == set(
        inspect(database.engine).get_table_names())
    database.engine.dispose()
