"""Insights over the event log: daily roll-ups, the reports of the desk, retention and the
popular articles. Every figure comes from ``daily.day_figures`` (see its definitions)."""

from kb.insights.daily import DERIVED_STAGES, FUNNEL_STAGES, query_key
from kb.insights.phrasings import DECISIONS, Phrasing, decide_phrasing, proposed_phrasings
from kb.insights.popular import popular_articles
from kb.insights.reports import (
    articles_report,
    daily_series,
    funnel_report,
    search_report,
    summary,
    wilson_lower_bound,
)
from kb.insights.retention import Pruned, prune
from kb.insights.rollups import collect, roll_up
from kb.insights.window import (
    DEFAULT_RETENTION_DAYS,
    PRESET_DAYS,
    Window,
    last_days,
    parse_window,
)

__all__ = [
    "DECISIONS",
    "DEFAULT_RETENTION_DAYS",
    "DERIVED_STAGES",
    "FUNNEL_STAGES",
    "PRESET_DAYS",
    "Phrasing",
    "Pruned",
    "Window",
    "articles_report",
    "collect",
    "daily_series",
    "decide_phrasing",
    "funnel_report",
    "last_days",
    "parse_window",
    "popular_articles",
    "proposed_phrasings",
    "prune",
    "query_key",
    "roll_up",
    "search_report",
    "summary",
    "wilson_lower_bound",
]
