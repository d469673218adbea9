"""The list of articles (``/desk/articles``): every stored article with its status, filtered
by language (``?language=``, as ``?locale=`` is the desk's own language switch), category,
status, missing or out-of-date translation, stale (``review_by`` passed), low helpfulness, and
sorted by title or by views; a text search over titles and questions.

Views and votes come from the insights' article report over the last ``FIGURE_DAYS`` days
(published articles only); a draft made from a ticket shows the ticket's reference.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, render_template, request

from kb import LOCALES, content, insights
from web import services
from web.desk import bp
from web.desk_articles import EDITORS, page
from web.policies import policy

FIGURE_DAYS = 30
FILTERS = ("q", "language", "category", "status", "translation", "stale", "low", "sort")
STATUSES = ("draft", "published", "archived")


def _figures(today: dt.date) -> dict[tuple[str, str], dict]:
    report = insights.articles_report(
        services.database(current_app), insights.last_days(FIGURE_DAYS, today=today),
        knowledge=services.knowledge_base(current_app), today=today)
    return {(row["locale"], row["slug"]): row for row in report}


def is_low(row: dict | None) -> bool:
    """Whether readers found an article unhelpful more often than helpful."""
    return bool(row) and row["unhelpful_votes"] > row["helpful_votes"]


@bp.get("/articles")
@policy(EDITORS)
def articles_list():
    typed = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    today = dt.datetime.now(dt.UTC).date()
    with services.database(current_app).session() as session:
        entries = content.list_articles(
            session, locale=typed["language"] if typed["language"] in LOCALES else None,
            category=typed["category"] or None,
            status=typed["status"] if typed["status"] in STATUSES else None,
            text=typed["q"] or None,
            translation=typed["translation"] if typed["translation"] in (
                content.TRANSLATION_MISSING, content.TRANSLATION_BEHIND) else None,
            stale_on=today if typed["stale"] else None)
    figures = _figures(today)
    categories = page.categories()
    if typed["low"]:
        entries = [e for e in entries if is_low(figures.get((e.locale, e.slug)))]
    if typed["sort"] == "views":
        entries.sort(key=lambda e: -(figures.get((e.locale, e.slug)) or {}).get("views", 0))
    return render_template("desk_articles/list.html", entries=entries, typed=typed,
                           figures=figures, categories=categories, category_names=dict(categories),
                           statuses=STATUSES,
                           status_label=page.status_label, today=today, is_low=is_low)
