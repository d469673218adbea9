"""The editing page's side panels, as JSON for its script (editors only):

- ``panels``: the published articles that say what the text being typed says (the engine's
  ``similar_to_text``, this article left out) and the queries that led customers here
  (``kb.insights.searched``);
- ``try``: where the draft would rank for a query among the published articles. The draft is
  indexed into a scratch copy of the live index generation (``Engine.refresh``, the same call a
  publish makes) and the query is ranked there by the same engine code; the live index is never
  touched and nothing is special-cased.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from flask import current_app, jsonify, request

from kb import content
from kb.content.checks import check_article
from kb.insights.searched import queries_for_article
from web import services
from web.desk import bp
from web.desk_articles import EDITORS, form, page
from web.policies import policy

SEARCHED_DAYS = 90
SIMILAR_LIMIT = 4
SIMILAR_MIN_SCORE = 0.1
"""Below this score an article does not say the same thing, it only shares a word or two."""


@bp.post("/articles/<locale>/<slug>/panels")
@policy(EDITORS)
def articles_panels(locale: str, slug: str):
    page.read_state(locale, slug)
    typed = form.Typed.from_form(request.form)
    text = "\n".join([typed.title, typed.questions, typed.body])
    hits = services.search_engine(current_app).similar_to_text(
        text, locale=locale, limit=SIMILAR_LIMIT + 1) if text.strip() else []
    similar = [{"slug": h.slug, "title": h.title, "score": round(h.score, 2),
                "url": h.url} for h in hits
               if h.slug != slug and h.score >= SIMILAR_MIN_SCORE][:SIMILAR_LIMIT]
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=SEARCHED_DAYS)
    with services.database(current_app).session() as session:
        searched = queries_for_article(session, locale, slug, since=since)
    return jsonify(similar=similar, searched=[{"query": q, "clicks": n} for q, n in searched])


@bp.post("/articles/<locale>/<slug>/try")
@policy(EDITORS)
def articles_try(locale: str, slug: str):
    page.read_state(locale, slug)
    query = request.form.get("query", "").strip()[:200]
    typed = form.Typed.from_form(request.form)
    with services.database(current_app).session() as session:
        typed.carried = form.decompose(content.read_article(session, locale, slug)
                                       .markdown).carried
        markdown = form.compose(typed, locale=locale)
        try:
            article, _warnings = check_article(session, markdown, locale=locale, slug=slug)
        except content.InvalidArticle as invalid:
            return jsonify(error="invalid_article", problems=[
                p.as_json() for p in page.shown(invalid.problems, markdown)]), 422
    if not query:
        return jsonify(error="empty_query"), 422
    ranked = rank_draft(article, query)
    rank = ranked.index(slug) + 1 if slug in ranked else None
    return jsonify(query=query, rank=rank, total=len(ranked), ranked=ranked[:10])


def rank_draft(article, query: str) -> list[str]:
    """The slugs found for ``query`` in ``article``'s locale, best first, with ``article``
    indexed as if it were published (in a scratch copy of the live generation)."""
    from search import Engine
    from search.index import POINTER, IndexStore

    engine = services.search_engine(current_app)
    live = engine.store.current()
    with tempfile.TemporaryDirectory(dir=current_app.config["DATA_DIR"]) as folder:
        root = Path(folder) / "index"
        if live is not None:
            shutil.copytree(live.path, root / live.name)
            (root / POINTER).write_text(live.name, encoding="utf-8")
        scratch = Engine(IndexStore(root), settings=engine.settings)
        scratch.synonyms = engine.synonyms
        scratch.refresh(dataclasses.replace(article, status="published"))
        limit = sum(1 for d in scratch.documents if d.locale == article.locale)
        return scratch.rank(query, locale=article.locale, limit=max(limit, 1))
