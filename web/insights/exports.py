"""CSV exports of the insights, safe to open in a spreadsheet.

Every cell was typed by a customer somewhere (queries, "what was missing?" notes), so a text
cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) gets a leading apostrophe (OWASP's CSV-injection advice). Numbers stay
numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` made inert for a spreadsheet: ``=1+1`` becomes ``'=1+1``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (with a byte-order mark, so spreadsheets read Korean as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def table(report: str, data: Any) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of ``report``'s CSV."""
    if report == "summary":
        return ["figure", "value"], [[k, v] for k, v in data.items()
                                     if not isinstance(v, list | dict)]
    if report == "search":
        header = ["list", "query", "key", "searches", "zero_results", "clicks",
                  "click_through", "followed_by_help", "followed_by_ticket"]
        rows = [[name, q["query"], q["key"], q["count"], q["zero_results"], q["clicks"],
                 q["click_through"], q["followed_by_help"], q["followed_by_ticket"]]
                for name in ("top_queries", "zero_result_queries", "low_click_through_queries",
                             "queries_followed_by_help")
                for q in data[name]]
        return header, rows
    if report == "articles":
        header = ["locale", "slug", "title", "views", "views_search", "views_suggestion",
                  "views_related", "views_direct", "helpful_votes", "unhelpful_votes",
                  "helpful_rate", "helpful_lower_bound", "tickets_after_view", "agent_links",
                  "review_by", "missing_comments"]
        rows = [[a["locale"], a["slug"], a["title"], a["views"],
                 *(a["views_by_source"][s] for s in ("search", "suggestion", "related",
                                                      "direct")),
                 a["helpful_votes"], a["unhelpful_votes"], a["helpful_rate"],
                 a["helpful_lower_bound"], a["tickets_after_view"], a["agent_links"],
                 a["review_by"], " | ".join(n["comment"] for n in a["missing_comments"])]
                for a in data]
        return header, rows
    if report == "funnel":
        rows = [[s["stage"], s["sessions"]] for s in data["stages"]]
        rows += [[name, data[name]] for name in (
            "used_help_center", "self_service_score", "stage1_deflected",
            "stage1_deflection_rate", "stage2_deflected", "stage2_deflection_rate")]
        return ["stage", "sessions"], rows
    if report == "daily":
        return ["day", "searches", "zero_result_rate", "tickets"], [
            [d["day"], d["searches"], d["zero_result_rate"], d["tickets"]] for d in data]
    if report == "gaps":
        return ["group", "queries", "searches", "zero_results", "tickets", "has_article"], [
            [g["name"], " | ".join(q["query"] for q in g["queries"]), g["searches"],
             g["zero_results"], g["tickets"], g["has_article"]] for g in data["groups"]]
    if report == "phrasings":
        return ["locale", "slug", "title", "query", "sessions"], [
            [p["locale"], p["slug"], p["title"], p["query"], p["sessions"]]
            for p in data["phrasings"]]
    raise KeyError(report)
