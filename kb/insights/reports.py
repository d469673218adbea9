"""The reports: search, articles, the deflection funnel, the daily series and the summary.

Each returns plain JSON-ready data so the desk page, ``/api/desk/insights/...``, the CSV export
and ``deflect report`` show the same figures. Rates are ``None`` when their denominator is 0.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import select

from kb.db import Database
from kb.events import SOURCES, EventRow
from kb.insights.daily import DERIVED_STAGES, FUNNEL_STAGES, Counts
from kb.insights.rollups import Figures, collect, days, utc_now
from kb.insights.window import Window
from kb.knowledge import KnowledgeBase
from kb.tickets.models import Message, Ticket

ZERO_RESULT_ALARM = 0.10
"""A zero-result rate above this is flagged: the help center misses what people ask."""
LOW_CLICK_THROUGH = 0.25
"""Queries searched at least ``MIN_SEARCHES`` times whose click-through is below this."""
MIN_SEARCHES = 3
TOP = 20
COMMENTS_PER_ARTICLE = 20
_TOTALS = ("search", "ticket", "need_help", "view", "vote", "funnel")


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places, or ``None`` when ``whole`` is 0."""
    return round(part / whole, 4) if whole else None


def wilson_lower_bound(positive: int, total: int, *, z: float = 1.96) -> float | None:
    """The lower bound of the 95 % Wilson score interval of ``positive / total``.

    >>> wilson_lower_bound(8, 10)
    0.4902
    """
    if total == 0:
        return None
    p = positive / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt((p * (1 - p) + z * z / (4 * total)) / total)
    return round((centre - margin) / (1 + z * z / total), 4)


def search_report(database: Database, window: Window, *, locale: str | None = None,
                  now: dt.datetime | None = None, limit: int = TOP) -> dict[str, Any]:
    """Searches, distinct queries, zero-result and click-through rates (with the previous
    window's), and the query lists, queries grouped by their analysed form."""
    now = now or utc_now()
    figures = collect(database, window.start, window.end, locale=locale, metrics=("search",),
                      now=now)
    before = collect(database, window.previous().start, window.previous().end, locale=locale,
                     metrics=("search",), now=now)
    queries = [_query(key, c) for (key, _), c in figures.of("search").items()]
    searches, zero = figures.total("search"), figures.total("search", "zero")
    clicked = figures.total("search", "clicks")
    previous, previous_zero = before.total("search"), before.total("search", "zero")
    by_count = sorted(queries, key=lambda q: (-q["count"], q["query"]))
    zero_rate = rate(zero, searches)
    return {
        "window": window.as_dict(), "previous_window": window.previous().as_dict(),
        "locale": locale,
        "searches": searches, "previous_searches": previous,
        "distinct_queries": len(queries),
        "zero_result_searches": zero, "zero_result_rate": zero_rate,
        "previous_zero_result_rate": rate(previous_zero, previous),
        "is_zero_result_alarm": zero_rate is not None and zero_rate > ZERO_RESULT_ALARM,
        "clicked_searches": clicked, "click_through_rate": rate(clicked, searches),
        "previous_click_through_rate": rate(before.total("search", "clicks"), previous),
        "top_queries": by_count[:limit],
        "zero_result_queries": [q for q in by_count if q["zero_results"]][:limit],
        "low_click_through_queries": sorted(
            (q for q in by_count if q["count"] >= MIN_SEARCHES and not q["zero_results"]
             and (q["click_through"] or 0) < LOW_CLICK_THROUGH),
            key=lambda q: (q["click_through"] or 0, -q["count"]))[:limit],
        "queries_followed_by_help": sorted(
            (q for q in by_count if q["followed_by_help"]),
            key=lambda q: (-q["followed_by_help"], q["query"]))[:limit],
    }


def _query(key: str, counts: Counts) -> dict[str, Any]:
    return {"query": counts.label or key, "key": key, "count": counts.count,
            "zero_results": counts.zero, "clicks": counts.clicks,
            "click_through": rate(counts.clicks, counts.count),
            "followed_by_help": counts.helps, "followed_by_ticket": counts.tickets}


def articles_report(database: Database, window: Window, *, knowledge: KnowledgeBase,
                    locale: str | None = None, now: dt.datetime | None = None,
                    today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per article: views by source, helpful votes with the Wilson lower bound, "what was
    missing?" comments, tickets opened after reading it, agent replies linking it, and whether
    its ``review_by`` date has come; most viewed first."""
    now = now or utc_now()
    figures = collect(database, window.start, window.end, locale=locale,
                      metrics=("view", "vote", "ticket_after_view"), now=now)
    comments = _comments(database, window, locale)
    links = agent_links(database, window, locale=locale)
    today = today or now.date()
    report = []
    for article in knowledge.articles(locale):
        here = (article.locale, article.slug)
        views = {source: figures.count(article.locale, "view", source, article.slug)
                 for source in SOURCES}
        yes = figures.count(article.locale, "vote", "yes", article.slug)
        no = figures.count(article.locale, "vote", "no", article.slug)
        review_by = getattr(article, "review_by", None)
        report.append({
            "slug": article.slug, "locale": article.locale, "title": article.title,
            "views": sum(views.values()), "views_by_source": views,
            "helpful_votes": yes, "unhelpful_votes": no,
            "helpful_rate": rate(yes, yes + no),
            "helpful_lower_bound": wilson_lower_bound(yes, yes + no),
            "missing_comments": comments.get(here, []),
            "tickets_after_view": figures.count(*here[:1], "ticket_after_view", "", here[1]),
            "agent_links": links.get(here, 0),
            "review_by": review_by.isoformat() if review_by else None,
            "is_review_due": bool(review_by and review_by <= today),
        })
    report.sort(key=lambda a: (-a["views"], a["locale"], a["slug"]))
    return report


def agent_links(database: Database, window: Window, *,
                locale: str | None = None) -> dict[tuple[str, str], int]:
    """How many agent replies in the window linked each ``(locale, slug)``."""
    start = dt.datetime.combine(window.start, dt.time())
    end = dt.datetime.combine(window.end + dt.timedelta(days=1), dt.time())
    statement = (select(Ticket.locale, Message.links).join(Message.ticket)
                 .where(Message.author == "agent", Message.created_at >= start,
                        Message.created_at < end))
    if locale:
        statement = statement.where(Ticket.locale == locale)
    found: dict[tuple[str, str], int] = {}
    with database.session() as session:
        for ticket_locale, slugs in session.execute(statement):
            for slug in set(slugs or ()):
                found[(ticket_locale, slug)] = found.get((ticket_locale, slug), 0) + 1
    return found


def _comments(database: Database, window: Window,
              locale: str | None) -> dict[tuple[str, str], list[dict[str, str]]]:
    """The "what was missing?" notes of the window (kept as long as the raw events), newest
    first."""
    start = dt.datetime.combine(window.start, dt.time())
    end = dt.datetime.combine(window.end + dt.timedelta(days=1), dt.time())
    statement = (select(EventRow.locale, EventRow.slug, EventRow.comment, EventRow.created_at)
                 .where(EventRow.kind == "vote", EventRow.value == "missing",
                        EventRow.created_at >= start, EventRow.created_at < end)
                 .order_by(EventRow.created_at.desc(), EventRow.id.desc()))
    if locale:
        statement = statement.where(EventRow.locale == locale)
    found: dict[tuple[str, str], list[dict[str, str]]] = {}
    with database.session() as session:
        for row_locale, slug, comment, created_at in session.execute(statement):
            notes = found.setdefault((row_locale or "", slug or ""), [])
            if comment and len(notes) < COMMENTS_PER_ARTICLE:
                notes.append({"comment": comment, "date": created_at.date().isoformat()})
    return found


def funnel_report(database: Database, window: Window, *, locale: str | None = None,
                  now: dt.datetime | None = None) -> dict[str, Any]:
    """Sessions at each funnel stage, the self-service score and both deflection figures."""
    figures = collect(database, window.start, window.end, locale=locale,
                      metrics=("funnel",), now=now)
    return _funnel(window, figures)


def _funnel(window: Window, figures: Figures) -> dict[str, Any]:
    stage = {name: figures.total("funnel", key=name) for name in FUNNEL_STAGES + DERIVED_STAGES}
    return {
        "window": window.as_dict(),
        "stages": [{"stage": name, "sessions": stage[name]} for name in FUNNEL_STAGES],
        "sessions": stage["visited"],
        "used_help_center": stage["used_help_center"],
        "ticket_sessions": stage["ticket"],
        "self_service_score": (round(stage["used_help_center"] / stage["ticket"], 2)
                               if stage["ticket"] else None),
        "stage1_deflected": stage["stage1"],
        "stage1_deflection_rate": rate(stage["stage1"], stage["used_help_center"]),
        "stage2_deflected": stage["stage2"],
        "stage2_deflection_rate": rate(stage["stage2"], stage["contact"]),
    }


def daily_series(database: Database, window: Window, *, locale: str | None = None,
                 now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per day of the window: searches, the zero-result rate and tickets."""
    figures = collect(database, window.start, window.end, locale=locale,
                      metrics=("search", "ticket"), is_daily=True, now=now)
    series = []
    for day in days(window.start, window.end):
        counts = figures.daily.get(day, {})
        searches = counts.get("searches", 0)
        series.append({"day": day.isoformat(), "searches": searches,
                       "zero_result_rate": rate(counts.get("zero", 0), searches),
                       "tickets": counts.get("tickets", 0)})
    return series


def summary(database: Database, window: Window, *, locale: str | None = None,
            now: dt.datetime | None = None, limit: int = 10) -> dict[str, Any]:
    """The headline figures of every report in one object (``deflect report --json``)."""
    figures = collect(database, window.start, window.end, locale=locale, metrics=_TOTALS,
                      now=now)
    queries = [_query(key, c) for (key, _), c in figures.of("search").items()]
    by_count = sorted(queries, key=lambda q: (-q["count"], q["query"]))
    funnel = _funnel(window, figures)
    searches = figures.total("search")
    return {
        "window": window.as_dict(), "locale": locale,
        "searches": searches, "distinct_queries": len(queries),
        "zero_result_searches": figures.total("search", "zero"),
        "zero_result_rate": rate(figures.total("search", "zero"), searches),
        "click_through_rate": rate(figures.total("search", "clicks"), searches),
        "top_queries": [{"query": q["query"], "count": q["count"]} for q in by_count[:limit]],
        "zero_result_queries": [{"query": q["query"], "count": q["zero_results"]}
                                for q in by_count if q["zero_results"]][:limit],
        "article_views": figures.total("view"),
        "helpful_votes": figures.total("vote", key="yes"),
        "unhelpful_votes": figures.total("vote", key="no"),
        "need_help": figures.total("need_help"),
        "tickets": figures.total("ticket"),
        "sessions": funnel["sessions"],
        "self_service_score": funnel["self_service_score"],
        "stage1_deflection_rate": funnel["stage1_deflection_rate"],
        "stage2_deflection_rate": funnel["stage2_deflection_rate"],
    }
