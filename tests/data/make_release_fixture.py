"""Write the "database from release 0.1" fixtures (kept for the record; run with 0.1's code).

    .venv/bin/python tests/data/make_release_fixture.py

It was run once at release 0.1 (before Alembic), whose ``Database.create_all`` made the schema:
``release-0.1.sqlite3`` is that database with a few rows in every table, and
``release-0.1.postgresql.sql`` is the same schema (0.1's ``create_all`` DDL as compiled for
PostgreSQL) and rows as plain SQL, loaded into a fresh schema by the migration tests. With a
later release's code this script no longer describes 0.1: do not run it again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import create_mock_engine, inspect, text

from kb.db import Base, Database
from kb.events import EventRow
from kb.ratelimit import RateCounter
from kb.tickets import Attachment, Message, Ticket, TicketLink

HERE = Path(__file__).parent
SQLITE = HERE / "release-0.1.sqlite3"
POSTGRESQL = HERE / "release-0.1.postgresql.sql"
T0 = dt.datetime(2026, 11, 20, 9, 30, 0)


def _rows() -> list[Base]:
    ko = Ticket(
        id=1, reference="DF-7K3Q-9XM4", idempotency_key="key-ko-1", fingerprint="a" * 64,
        status="proposed", category="payment", subject="결제했는데 이용권이 안 보여요",
        locale="ko", email="민지@example.com", name="김민지", phone="010-1234-5678",
        session_id="0123456789abcdef0123456789abcdef", source_article="payment-failed",
        trail=[{"kind": "search", "query": "결제 오류", "locale": "ko"},
               {"kind": "view", "slug": "payment-failed", "locale": "ko"}],
        rating=None, rating_comment=None, reopen_count=0, consented_at=T0, created_at=T0,
        updated_at=T0 + dt.timedelta(hours=2))
    en = Ticket(
        id=2, reference="DF-2B5C-8DNP", idempotency_key="key-en-1", fingerprint="b" * 64,
        status="closed", category="account", subject="Can't sign in after changing my phone",
        locale="en", email="sam@example.com", name="", phone="", session_id=None,
        source_article=None, trail=[], rating=5, rating_comment="Fixed, thanks — 감사합니다",
        reopen_count=1, consented_at=T0, created_at=T0 + dt.timedelta(minutes=5),
        updated_at=T0 + dt.timedelta(days=1))
    return [
        ko, en,
        Message(id=1, ticket_id=1, author="customer", links=[], created_at=T0,
                body="어제 결제했는데 앱에 이용권이 없어요.\n영수증 첨부합니다."),
        Message(id=2, ticket_id=1, author="agent", links=["payment-failed", "refund"],
                created_at=T0 + dt.timedelta(hours=2),
                body="확인해 보니 결제가 아직 승인 중이에요. 아래 글을 참고해 주세요."),
        Message(id=3, ticket_id=2, author="customer", links=[],
                created_at=T0 + dt.timedelta(minutes=5),
                body="I switched phones and the code never arrives. <b>not bold</b> & done"),
        Message(id=4, ticket_id=2, author="agent", links=["login-trouble"],
                created_at=T0 + dt.timedelta(hours=5), body="Please try the steps here."),
        Attachment(id=1, public_id="pub-ko-receipt-01", ticket_id=1,
                   storage_name="0f3a9c2e.png", display_name="영수증 캡처.png",
                   content_type="image/png", size=48213, width=1080, height=1920,
                   created_at=T0),
        TicketLink(id=1, ticket_id=1, token_hash="c" * 64, created_at=T0,
                   expires_at=T0 + dt.timedelta(days=180)),
        TicketLink(id=2, ticket_id=2, token_hash="d" * 64, created_at=T0,
                   expires_at=T0 + dt.timedelta(days=180)),
        RateCounter(key="e" * 64, window=493_609, count=2),
        RateCounter(key="f" * 64, window=20_566, count=1),
        EventRow(id=1, created_at=T0 - dt.timedelta(minutes=3), kind="search",
                 session_id="0123456789abcdef0123456789abcdef", locale="ko", query="결제 오류",
                 result_count=4, is_zero_result=False),
        EventRow(id=2, created_at=T0 - dt.timedelta(minutes=2), kind="click",
                 session_id="0123456789abcdef0123456789abcdef", locale="ko",
                 query="결제 오류", slug="payment-failed", rank=1, source="search"),
        EventRow(id=3, created_at=T0 - dt.timedelta(minutes=1), kind="vote",
                 session_id="0123456789abcdef0123456789abcdef", locale="ko",
                 slug="payment-failed", value="no", comment="이용권이 여전히 없음"),
        EventRow(id=4, created_at=T0, kind="ticket",
                 session_id="0123456789abcdef0123456789abcdef", locale="ko",
                 slug="payment-failed", value="DF-7K3Q-9XM4"),
        EventRow(id=5, created_at=T0 + dt.timedelta(minutes=1), kind="search",
                 session_id="fedcba9876543210fedcba9876543210", locale="en",
                 query="qwertyuiop", result_count=0, is_zero_result=True),
    ]


def write_sqlite() -> Database:
    SQLITE.unlink(missing_ok=True)
    database = Database(f"sqlite:///{SQLITE}")
    database.create_all()
    with database.session() as session:
        for row in _rows():
            session.add(row)
            session.flush()
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
    return database


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def write_postgresql(database: Database) -> None:
    statements: list[str] = []
    mock = create_mock_engine("postgresql+psycopg://",
                              lambda sql, *a, **k: statements.append(
                                  str(sql.compile(dialect=mock.dialect)).strip()))
    Base.metadata.create_all(mock, checkfirst=False)
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
            bool_columns = {c.name for c in table.columns
                            if c.type.__class__.__name__ == "Boolean"}
            names = ", ".join(f'"{c}"' for c in columns)
            rows = connection.execute(
                text(f"SELECT {names} FROM {table.name} ORDER BY 1, 2")).all()
            for row in rows:
                values = []
                for column, value in zip(columns, row, strict=True):
                    if column in bool_columns and value is not None:
                        value = bool(value)
                    if column in json_columns and value is not None:
                        value = json.dumps(json.loads(value), ensure_ascii=False)
                    values.append(_literal(value))
                statements.append(
                    f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(values)})")
            if "id" in columns:
                statements.append(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"(SELECT max(id) FROM {table.name}))")
    header = ("-- Deflect release 0.1: its create_all schema and the rows of "
              "release-0.1.sqlite3 (tests/data/make_release_fixture.py).\n")
    POSTGRESQL.write_text(header + "".join(s + ";\n\n" for s in statements), encoding="utf-8")
    assert set(inspect(database.engine).get_table_names()) == set(Base.metadata.tables)


if __name__ == "__main__":
    write_postgresql(write_sqlite())
    print(f"wrote {SQLITE} ({SQLITE.stat().st_size} bytes) and {POSTGRESQL}")
