"""The queries that led to an article: counted from its click events, most frequent first."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kb import Database, schema
from kb.events import new_event, write_events
from kb.insights.searched import queries_for_article

NOW = dt.datetime(2026, 11, 20, 12)


def test_the_queries_that_opened_an_article_are_counted_most_frequent_first(database_url):
    database = Database(database_url)
    schema.upgrade(database)

    def click(query, slug="login-trouble", locale="ko", days=0):
        event = new_event("click", session_id="a" * 32, locale=locale, slug=slug, query=query,
                          rank=1)
        return dataclasses.replace(event, created_at=NOW - dt.timedelta(days=days))

    with database.session() as session:
        write_events(session, [click("로그인 안돼요"), click("로그인 안돼요"), click("비번"),
                               click("로그인", slug="password-reset"),
                               click("login", locale="en"), click("옛날 검색", days=40)])
    with database.session() as session:
        found = queries_for_article(session, "ko", "login-trouble",
                                    since=NOW - dt.timedelta(days=30))
    assert found == [("로그인 안돼요", 2), ("비번", 1)]
    database.engine.dispose()
