"""The event log: its records, the background recorder, the search trail, and what pages log."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import inspect, select

from kb import Database, schema
from kb.events import EventError, EventRecorder, EventRow, count_events, record_event, search_trail
from web import services, visitor

VISITOR = "0123456789abcdef0123456789abcdef"
OTHER = "f" * 32


@pytest.fixture
def database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'events.sqlite3'}")
    schema.upgrade(database)
    return database


def rows(database: Database, **where) -> list[EventRow]:
    with database.session() as session:
        statement = select(EventRow).order_by(EventRow.id)
        for column, value in where.items():
            statement = statement.where(getattr(EventRow, column) == value)
        return list(session.scalars(statement))


# Records and the trail

def test_events_table_holds_no_personal_data_columns(database):
    columns = {c["name"] for c in inspect(database.engine).get_columns("events")}
    assert columns == {"id", "created_at", "session_id", "kind", "locale", "query", "query_key",
                       "slug",
                       "rank", "source", "result_count", "is_zero_result", "value", "comment"}


def test_record_event_writes_with_the_callers_transaction(database):
    with database.session() as session:
        record_event(session, "ticket", session_id=VISITOR, locale="ko", slug="login-trouble")
    [row] = rows(database)
    assert (row.kind, row.session_id, row.slug) == ("ticket", VISITOR, "login-trouble")
    assert row.created_at is not None


@pytest.mark.parametrize(("kind", "session_id"), [("shout", VISITOR), ("view", "not-hex"),
                                                  ("view", "ABCDEF" * 5 + "AB")])
def test_unknown_kind_or_malformed_visitor_id_is_refused(database, kind, session_id):
    with database.session() as session, pytest.raises(EventError):
        record_event(session, kind, session_id=session_id)


def test_long_query_is_trimmed_to_the_column(database):
    with database.session() as session:
        record_event(session, "search", session_id=VISITOR, query="가" * 500)
    assert len(rows(database)[0].query) == 200


def test_search_trail_lists_searches_and_views_oldest_first(database):
    with database.session() as session:
        record_event(session, "search", session_id=VISITOR, locale="ko", query="로그인")
        record_event(session, "view", session_id=VISITOR, locale="ko", slug="login-trouble")
        record_event(session, "vote", session_id=VISITOR, locale="ko", slug="login-trouble")
        record_event(session, "search", session_id=OTHER, locale="ko", query="환불")
        record_event(session, "search", session_id=VISITOR, locale="ko", query="비밀번호")
    with database.session() as session:
        trail = search_trail(session, VISITOR)
    assert [(t.kind, t.query, t.slug) for t in trail] == [
        ("search", "로그인", None), ("view", None, "login-trouble"), ("search", "비밀번호", None)]


def test_search_trail_keeps_the_latest_items(database):
    with database.session() as session:
        for number in range(5):
            record_event(session, "search", session_id=VISITOR, query=f"q{number}")
    with database.session() as session:
        assert [t.query for t in search_trail(session, VISITOR, limit=2)] == ["q3", "q4"]


# The background recorder

def test_recorder_writes_queued_events_on_flush(database):
    recorder = EventRecorder(database, interval=60)
    recorder.record("search", session_id=VISITOR, query="login", result_count=3)
    recorder.flush()
    assert [(r.kind, r.query, r.result_count) for r in rows(database)] == [("search", "login", 3)]
    recorder.close()


def test_recorder_thread_writes_without_being_asked(database):
    recorder = EventRecorder(database, interval=0.02)
    recorder.record("view", session_id=VISITOR, slug="login-trouble")
    deadline = time.monotonic() + 10
    while not rows(database) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(rows(database)) == 1
    recorder.close()


def test_recorder_writes_what_is_left_when_closed(database):
    recorder = EventRecorder(database, interval=60)
    for _ in range(250):
        recorder.record("view", session_id=VISITOR, slug="login-trouble")
    recorder.close()
    assert len(rows(database)) == 250 and recorder.pending == 0


def test_full_recorder_writes_instead_of_dropping(database):
    recorder = EventRecorder(database, max_pending=3, interval=60)
    for _ in range(10):
        recorder.record("view", session_id=VISITOR, slug="login-trouble")
    recorder.close()
    assert len(rows(database)) == 10


# What the pages log

@pytest.fixture
def client(shared_app):
    return shared_app.test_client()


def visitor_events(app, client, **where) -> list[EventRow]:
    with client.session_transaction() as session:
        visitor_id = session[visitor.SESSION_KEY]
    services.event_recorder(app).flush()
    return rows(services.database(app), session_id=visitor_id, **where)


def test_the_visitor_id_is_random_hex_and_kept_across_requests(client):
    client.get("/en/articles/login-trouble")
    with client.session_transaction() as session:
        first = session[visitor.SESSION_KEY]
    client.get("/en/articles/password-reset")
    with client.session_transaction() as session:
        assert session[visitor.SESSION_KEY] == first
    assert re.fullmatch(r"[0-9a-f]{32}", first)


def test_two_visitors_get_different_ids(shared_app):
    ids = []
    for _ in range(2):
        client = shared_app.test_client()
        client.get("/en/articles/login-trouble")
        with client.session_transaction() as session:
            ids.append(session[visitor.SESSION_KEY])
    assert ids[0] != ids[1]


@pytest.mark.parametrize(("path", "count", "is_zero"), [
    ("/en/search?q=payment+failed", None, False),
    ("/en/search?q=xylophone+zzqx", 0, True),
    ("/api/search?q=payment&locale=en", None, False),
], ids=["page", "zero-result", "api"])
def test_a_search_is_logged_with_its_result_count(shared_app, client, path, count, is_zero):
    client.get(path)
    [event] = visitor_events(shared_app, client, kind="search")
    assert event.locale == "en" and event.query
    assert event.is_zero_result is is_zero
    assert event.result_count == count if count is not None else event.result_count > 0


def test_opening_a_search_result_logs_a_view_and_a_click_with_its_rank(shared_app, client):
    client.get("/ko/articles/payment-failed?src=search&q=결제+실패&rank=2")
    [view] = visitor_events(shared_app, client, kind="view")
    [click] = visitor_events(shared_app, client, kind="click")
    assert (view.source, view.slug, view.query) == ("search", "payment-failed", "결제 실패")
    assert (click.rank, click.slug) == (2, "payment-failed")


@pytest.mark.parametrize(("query", "source"), [("", "direct"), ("?src=related", "related"),
                                               ("?src=bogus", "direct")])
def test_a_view_logs_how_the_article_was_reached(shared_app, client, query, source):
    client.get(f"/en/articles/login-trouble{query}")
    [view] = visitor_events(shared_app, client, kind="view")
    assert view.source == source and view.rank is None


def test_opening_a_suggestion_is_logged(shared_app, client):
    client.get("/ko/articles/login-trouble?src=suggestion&q=로그ㅇ")
    [opened] = visitor_events(shared_app, client, kind="suggestion_open")
    assert (opened.slug, opened.query) == ("login-trouble", "로그ㅇ")


def test_still_need_help_is_logged(shared_app, client):
    client.get("/en/need-help?q=refund&article=refund-request")
    [event] = visitor_events(shared_app, client, kind="need_help")
    assert (event.query, event.slug, event.locale) == ("refund", "refund-request", "en")


def test_suggestions_are_not_logged(shared_app, client):
    client.get("/en/articles/login-trouble")
    client.get("/api/suggest?q=log&locale=en")
    assert [event.kind for event in visitor_events(shared_app, client)] == ["view"]


def test_the_trail_of_a_visit_reads_back_in_order(shared_app, client):
    client.get("/en/search?q=refund")
    client.get("/en/articles/refund-request?src=search&q=refund&rank=1")
    services.event_recorder(shared_app).flush()
    with client.session_transaction() as session:
        visitor_id = session[visitor.SESSION_KEY]
    with services.database(shared_app).session() as session:
        trail = search_trail(session, visitor_id)
    assert [(t.kind, t.query, t.slug) for t in trail] == [
        ("search", "refund", None), ("view", "refund", "refund-request")]


def test_events_can_be_counted_by_kind(database):
    with database.session() as session:
        record_event(session, "vote", session_id=VISITOR, value="yes")
        record_event(session, "vote", session_id=VISITOR, value="no")
    with database.session() as session:
        assert count_events(session, kind="vote", value="yes") == 1


def test_a_search_stores_its_analysed_key_so_spacing_variants_meet(shared_app, client):
    client.get("/ko/search?q=로그인안돼요")
    client.get("/ko/search?q=로그인 안 돼요")
    searches = visitor_events(shared_app, client, kind="search")
    assert [e.query for e in searches] == ["로그인안돼요", "로그인 안 돼요"]
    assert searches[0].query_key == searches[1].query_key == "로그인되"


def test_the_home_page_and_a_category_log_a_visit(shared_app, client):
    client.get("/en/")
    client.get("/ko/categories/account")
    visits = visitor_events(shared_app, client, kind="visit")
    assert [e.locale for e in visits] == ["en", "ko"]


def test_opening_the_contact_form_is_logged_with_its_article(shared_app, client):
    client.get("/en/contact?article=refund-request")
    [opened] = visitor_events(shared_app, client, kind="contact_open")
    assert (opened.locale, opened.slug) == ("en", "refund-request")
