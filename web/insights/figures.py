"""Reading an insights request: the window and locale as typed, and the report they ask for.

The desk page, the CSV export, the plots and ``/api/desk/insights/...`` all go through
``read_request`` and ``build``, so they show the same figures for the same query string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from werkzeug.datastructures import MultiDict

from kb import LOCALES, insights
from kb.errors import InvalidWindow
from web import services

REPORTS = ("summary", "search", "articles", "funnel", "daily", "gaps", "phrasings")
"""The reports served as JSON and CSV."""
FULL_LIST = 500
"""Queries and groups listed in an export (the page shows the top ``insights.reports.TOP``)."""


@dataclass(frozen=True)
class Request:
    """A checked insights request: the window, the locale filter (``None``: all) and what was
    typed, to show back in the form."""

    window: insights.Window
    locale: str | None
    typed: dict[str, str]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def retention_days() -> int:
    value = current_app.config.get("EVENT_RETENTION_DAYS")
    return value if isinstance(value, int) and value >= 1 else insights.DEFAULT_RETENTION_DAYS


def typed_values(args: MultiDict) -> dict[str, str]:
    """What the person typed in the window form, trimmed to sane lengths."""
    return {name: (args.get(name) or "").strip()[:20]
            for name in ("days", "from", "to", "language")}


def read_request(args: MultiDict) -> Request:
    """The window and content language (``language``; the page's own language is
    ``?locale=``) of a query string; raises ``InvalidWindow`` naming the field (``language``
    too, for an unknown one)."""
    typed = typed_values(args)
    locale = typed["language"] or None
    if locale is not None and locale not in LOCALES:
        raise InvalidWindow("language", f"unknown locale {locale!r}: use one of "
                                      f"{', '.join(LOCALES)} or leave it empty for all")
    window = insights.parse_window(days=typed["days"] or None, start=typed["from"] or None,
                                   end=typed["to"] or None, today=today(),
                                   retention_days=retention_days())
    return Request(window, locale, typed)


def build(report: str, chosen: Request, *, limit: int = insights.reports.TOP) -> Any:
    """The data of ``report`` (one of ``REPORTS``) for ``chosen``."""
    database = services.database(current_app)
    window, locale = chosen.window, chosen.locale
    if report == "summary":
        return insights.summary(database, window, locale=locale)
    if report == "search":
        return insights.search_report(database, window, locale=locale, limit=limit)
    if report == "articles":
        return insights.articles_report(database, window, locale=locale,
                                        knowledge=services.knowledge_base(current_app))
    if report == "funnel":
        return insights.funnel_report(database, window, locale=locale)
    if report == "daily":
        return insights.daily_series(database, window, locale=locale)
    if report == "gaps":
        from web.insights.gaps import content_gaps

        return content_gaps(chosen, limit=limit)
    if report == "phrasings":
        from web.insights.gaps import learned_phrasings

        return learned_phrasings(chosen, limit=limit)
    raise KeyError(report)
