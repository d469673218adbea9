"""Fixture traffic with hand-computed answers, shared by the insights tests of kb and web.

Five visitors on ``DAY`` (the fifth on the day after), every figure worked out by hand in
``tests/kb/test_insights.py``:

    S1 ko  visit; search 로그인안돼요 (3 results); click + view login-trouble; vote yes
    S2 ko  search 로그인 안 돼요 (3 results); search 학생 할인 (0 results); need help;
           contact form; ticket
    S3 ko  view password-reset (direct); vote no; "what was missing?" note with a script tag;
           contact form; opens password-reset suggested there; no ticket
    S4 en  search reset password (2 results); click + view password-reset; need help;
           contact form; ticket
    S5 en  visit only, on the day after
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kb import Database
from kb.events import EventRow

DAY = dt.date(2026, 11, 20)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
LOGIN_KEY = "로그인되"


def session_id(number: int) -> str:
    return f"{number:032x}"


def _at(minute: int, *, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=minute)


def traffic(first: dt.date = DAY) -> list[dict[str, Any]]:
    """The fixture's events as rows of ``events``, on ``first`` and the day after."""
    rows: list[dict[str, Any]] = []

    def add(number: int, minute: int, kind: str, locale: str, day: dt.date = first,
            **fields: Any) -> None:
        row = {"session_id": session_id(number), "created_at": _at(minute, day=day),
               "kind": kind, "locale": locale, "query": None, "query_key": None,
               "slug": None, "rank": None, "source": None, "result_count": None,
               "is_zero_result": None, "value": None, "comment": None}
        row.update(fields)
        rows.append(row)

    add(1, 0, "visit", "ko")
    add(1, 1, "search", "ko", query="로그인안돼요", query_key=LOGIN_KEY, result_count=3,
        is_zero_result=False)
    add(1, 2, "click", "ko", query="로그인안돼요", slug="login-trouble", rank=1)
    add(1, 2, "view", "ko", slug="login-trouble", source="search", query="로그인안돼요", rank=1)
    add(1, 3, "vote", "ko", slug="login-trouble", value="yes")

    add(2, 0, "search", "ko", query="로그인 안 돼요", query_key=LOGIN_KEY, result_count=3,
        is_zero_result=False)
    add(2, 1, "search", "ko", query="학생 할인", query_key="학생 할인", result_count=0,
        is_zero_result=True)
    add(2, 2, "need_help", "ko", query="학생 할인")
    add(2, 3, "contact_open", "ko")
    add(2, 9, "ticket", "ko", value="payment")

    add(3, 0, "view", "ko", slug="password-reset", source="direct")
    add(3, 1, "vote", "ko", slug="password-reset", value="no")
    add(3, 2, "vote", "ko", slug="password-reset", value="missing", comment=XSS)
    add(3, 3, "contact_open", "ko")
    add(3, 4, "suggestion_open", "ko", slug="password-reset", source="suggestion",
        value="contact_form")

    add(4, 0, "search", "en", query="reset password", query_key="reset password",
        result_count=2, is_zero_result=False)
    add(4, 1, "click", "en", query="reset password", slug="password-reset", rank=1)
    add(4, 1, "view", "en", slug="password-reset", source="search", query="reset password")
    add(4, 2, "need_help", "en", slug="password-reset")
    add(4, 3, "contact_open", "en", slug="password-reset")
    add(4, 8, "ticket", "en", value="account")

    add(5, 0, "visit", "en", day=first + dt.timedelta(days=1))
    return rows


def write_traffic(database: Database, first: dt.date = DAY) -> None:
    """Insert the fixture's events, on ``first`` and the day after."""
    with database.session() as session:
        session.execute(EventRow.__table__.insert(), traffic(first))
