"""The insights over hand-computed fixture traffic (``insights_traffic``): every figure exact,
the same whether a day is rolled up or read live, and kept when raw events are pruned.

Runs on SQLite and, when ``DEFLECT_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from kb import Database, KnowledgeBase, insights, schema
from kb.errors import InvalidDecision, InvalidWindow
from kb.events import EventRow
from kb.insights.models import RolledDay
from tests.kb.insights_traffic import DAY, LOGIN_KEY, XSS, write_traffic
from web.config import REPOSITORY

WINDOW = insights.Window(DAY, DAY + dt.timedelta(days=1))
LATER = dt.datetime.combine(DAY + dt.timedelta(days=5), dt.time(12))
"""A "now" when both days are finished: they are rolled up."""
SAME_DAY = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(23))
"""A "now" when the window's last day is still running: it is read live."""


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    schema.upgrade(database)
    write_traffic(database)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeBase.load(REPOSITORY / "articles")


def test_search_report_counts_every_figure_of_the_fixture(db):
    report = insights.search_report(db, WINDOW, now=LATER)
    assert (report["searches"], report["distinct_queries"]) == (4, 3)
    assert (report["zero_result_searches"], report["zero_result_rate"]) == (1, 0.25)
    assert report["is_zero_result_alarm"] is True
    assert (report["clicked_searches"], report["click_through_rate"]) == (2, 0.5)
    assert report["previous_searches"] == 0 and report["previous_zero_result_rate"] is None
    assert [(q["query"], q["count"]) for q in report["top_queries"]] == [
        ("로그인안돼요", 2), ("reset password", 1), ("학생 할인", 1)]
    login = report["top_queries"][0]
    assert (login["key"], login["clicks"], login["click_through"]) == (LOGIN_KEY, 1, 0.5)
    assert (login["followed_by_help"], login["followed_by_ticket"]) == (1, 1)
    assert [(q["query"], q["zero_results"]) for q in report["zero_result_queries"]] == [
        ("학생 할인", 1)]
    assert [q["query"] for q in report["queries_followed_by_help"]] == [
        "reset password", "로그인안돼요", "학생 할인"]
    assert report["low_click_through_queries"] == []


def test_spacing_variants_of_a_query_count_as_one(db):
    report = insights.search_report(db, WINDOW, locale="ko", now=LATER)
    assert report["searches"] == 3 and report["distinct_queries"] == 2


def test_funnel_counts_sessions_at_each_stage_and_both_deflections(db):
    funnel = insights.funnel_report(db, WINDOW, now=LATER)
    assert {s["stage"]: s["sessions"] for s in funnel["stages"]} == {
        "visited": 5, "searched": 3, "clicked": 2, "read": 3, "need_help": 2,
        "contact": 3, "suggestion": 1, "ticket": 2}
    assert funnel["used_help_center"] == 4 and funnel["self_service_score"] == 2.0
    assert (funnel["stage1_deflected"], funnel["stage1_deflection_rate"]) == (1, 0.25)
    assert (funnel["stage2_deflected"], funnel["stage2_deflection_rate"]) == (1, 0.3333)


def test_locale_filter_keeps_only_that_locales_sessions(db):
    funnel = insights.funnel_report(db, WINDOW, locale="ko", now=LATER)
    assert funnel["sessions"] == 3 and funnel["ticket_sessions"] == 1
    assert funnel["self_service_score"] == 3.0
    english = insights.summary(db, WINDOW, locale="en", now=LATER)
    assert (english["searches"], english["tickets"], english["sessions"]) == (1, 1, 2)


def test_articles_report_has_views_by_source_votes_notes_and_tickets_after(db, knowledge):
    report = {(a["locale"], a["slug"]): a
              for a in insights.articles_report(db, WINDOW, knowledge=knowledge, now=LATER)}
    login = report[("ko", "login-trouble")]
    assert login["views_by_source"] == {"search": 1, "suggestion": 0, "related": 0, "direct": 0}
    assert (login["helpful_votes"], login["unhelpful_votes"]) == (1, 0)
    assert (login["helpful_rate"], login["helpful_lower_bound"]) == (1.0, 0.2065)
    reset_ko = report[("ko", "password-reset")]
    assert reset_ko["views_by_source"]["direct"] == 1 and reset_ko["helpful_lower_bound"] == 0.0
    assert [n["comment"] for n in reset_ko["missing_comments"]] == [XSS]
    reset_en = report[("en", "password-reset")]
    assert (reset_en["views"], reset_en["tickets_after_view"]) == (1, 1)
    assert reset_ko["tickets_after_view"] == 0
    assert list(report)[0] in {("ko", "login-trouble"), ("en", "password-reset"),
                               ("ko", "password-reset")}


def test_summary_carries_the_documented_keys(db):
    figures = insights.summary(db, WINDOW, now=LATER)
    assert figures["window"] == {"from": "2026-11-20", "to": "2026-11-21"}
    assert (figures["searches"], figures["zero_result_searches"]) == (4, 1)
    assert figures["top_queries"][0] == {"query": "로그인안돼요", "count": 2}
    assert figures["zero_result_queries"] == [{"query": "학생 할인", "count": 1}]
    assert (figures["article_views"], figures["helpful_votes"], figures["unhelpful_votes"]) == (
        3, 1, 1)
    assert (figures["need_help"], figures["tickets"], figures["self_service_score"]) == (
        2, 2, 2.0)


def test_daily_series_has_every_day_of_the_window(db):
    assert insights.daily_series(db, WINDOW, now=LATER) == [
        {"day": "2026-11-20", "searches": 4, "zero_result_rate": 0.25, "tickets": 2},
        {"day": "2026-11-21", "searches": 0, "zero_result_rate": None, "tickets": 0}]


def test_rolled_up_and_live_figures_agree(db):
    live = insights.summary(db, WINDOW, now=SAME_DAY)
    with db.session() as session:
        assert set(session.scalars(select(RolledDay.day))) == {DAY}  # the 21st is running
    rolled = insights.summary(db, WINDOW, now=LATER)
    assert rolled == live
    with db.session() as session:
        assert set(session.scalars(select(RolledDay.day))) == {DAY, DAY + dt.timedelta(days=1)}


def test_a_day_is_rolled_up_once(db):
    assert insights.roll_up(db, DAY, DAY, now=LATER) == 1
    assert insights.roll_up(db, DAY, DAY, now=LATER) == 0
    assert insights.summary(db, WINDOW, now=LATER)["searches"] == 4


def test_prune_deletes_old_raw_events_and_keeps_the_figures(db, knowledge):
    pruned = insights.prune(db, retention_days=3, now=LATER)
    assert pruned.kept_from == dt.date(2026, 11, 23)
    assert pruned.deleted == 22 and pruned.rolled_days == 3  # the 20th, 21st and 22nd
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
    figures = insights.summary(db, WINDOW, now=LATER)
    assert (figures["searches"], figures["tickets"], figures["self_service_score"]) == (
        4, 2, 2.0)
    assert figures["top_queries"][0] == {"query": "로그인안돼요", "count": 2}


def test_prune_refuses_a_retention_under_a_day(db):
    with pytest.raises(InvalidWindow, match="at least 1 day"):
        insights.prune(db, retention_days=0, now=LATER)


def test_popular_articles_rank_by_views_then_fill_with_promoted(db, knowledge):
    popular = insights.popular_articles(db, knowledge, "ko", limit=3, now=LATER)
    assert [a.slug for a in popular][:2] == ["login-trouble", "password-reset"] or \
        [a.slug for a in popular][:2] == ["password-reset", "login-trouble"]
    promoted = [a for a in knowledge.promoted("ko") if a.slug not in {
        "login-trouble", "password-reset"}]
    assert popular[2] == promoted[0]


TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"start": "2026-11-20", "end": "2026-11-10"}, "from", "reversed"),
    ({"start": "2026-11-20", "end": "2026-12-02"}, "to", "in the future"),
    ({"days": 500}, "days", "at most 400"),
    ({"start": "2020-01-01"}, "from", "at most 400"),
    ({"start": "20. 11. 2026"}, "from", "YYYY-MM-DD"),
    ({"days": "abc"}, "days", "whole number"),
], ids=["reversed", "future", "too-long", "too-long-dates", "bad-date", "bad-days"])
def test_bad_windows_say_what_is_allowed(fields, field, message):
    with pytest.raises(InvalidWindow, match=message) as caught:
        insights.parse_window(today=TODAY, retention_days=400, **fields)
    assert caught.value.field == field


def test_windows_from_days_and_dates():
    assert insights.parse_window(days="7", today=TODAY) == insights.Window(
        dt.date(2026, 11, 25), TODAY)
    window = insights.parse_window(start="2026-11-01", end="2026-11-10", today=TODAY)
    assert window.previous() == insights.Window(dt.date(2026, 10, 22), dt.date(2026, 10, 31))


def test_wilson_lower_bound():
    assert insights.wilson_lower_bound(8, 10) == 0.4902
    assert insights.wilson_lower_bound(0, 0) is None


def test_a_clicked_query_without_a_ticket_is_proposed_as_a_phrasing(db):
    proposed = insights.proposed_phrasings(db, WINDOW, now=LATER)
    assert [(p.locale, p.slug, p.query, p.sessions) for p in proposed] == [
        ("ko", "login-trouble", "로그인안돼요", 1)]  # S4 clicked too, but opened a ticket


def test_known_and_decided_phrasings_are_not_proposed_again(db):
    [phrasing] = insights.proposed_phrasings(db, WINDOW, now=LATER)
    known = {("ko", "login-trouble"): {LOGIN_KEY}}
    assert insights.proposed_phrasings(db, WINDOW, known=known, now=LATER) == []
    with db.session() as session:
        insights.decide_phrasing(session, phrasing, "rejected", now=LATER)
    with db.session() as session:
        insights.decide_phrasing(session, phrasing, "accepted", now=LATER)  # last one wins
    assert insights.proposed_phrasings(db, WINDOW, now=LATER) == []


def test_a_decision_is_accepted_or_rejected(db):
    [phrasing] = insights.proposed_phrasings(db, WINDOW, now=LATER)
    with pytest.raises(InvalidDecision, match="accepted, rejected"), db.session() as session:
        insights.decide_phrasing(session, phrasing, "maybe")
