"""What an editor does from the insights page: accept or reject a learned phrasing (an accepted
one becomes a new revision of its article) and start an article for a content gap (a draft in
the content store, opened in the editors' desk)."""

from __future__ import annotations

import hashlib
import re

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext

from kb import LOCALES, content, insights
from kb.errors import ArticleExists
from web import live, services
from web.desk.auth import current_person
from web.desk_articles import form
from web.insights import bp

MAX_QUESTIONS = 20
MAX_QUESTION = 200


@bp.post("/phrasings")
def decide():
    """Accept or reject one learned phrasing, then return to the page.

    Accepting adds the query to the article's ``questions`` as a new revision, published at
    once unless the article has a pending draft (then the draft carries it)."""
    posted = request.form
    decision = posted.get("decision", "")
    phrasing = insights.Phrasing(locale=posted.get("locale", ""), slug=posted.get("slug", ""),
                                 key=posted.get("key", ""),
                                 query=posted.get("query", "").strip(), sessions=0)
    article = services.knowledge_base(current_app).get(phrasing.locale, phrasing.slug)
    if (article is None or decision not in insights.DECISIONS or not phrasing.key
            or not phrasing.query):
        abort(400, description=gettext("Choose accept or reject for a proposed question."))
    added = None
    with services.database(current_app).session() as session:
        insights.decide_phrasing(session, phrasing, decision)
        if decision == "accepted":
            added = content.add_question(session, locale=phrasing.locale, slug=phrasing.slug,
                                         question=phrasing.query,
                                         author=current_person.email)
    if added is not None and added.is_published:
        live.follow(current_app, force=True)
        flash(gettext("“%(query)s” is now a question of “%(title)s”, published as revision "
                      "%(revision)d.", query=phrasing.query, title=article.title,
                      revision=added.saved.revision), "notice")
    elif added is not None:
        flash(gettext("“%(query)s” was added to the pending draft of “%(title)s”; it reaches "
                      "search when that draft is published.", query=phrasing.query,
                      title=article.title), "notice")
    back = {k: v for k, v in request.args.items() if k in ("days", "from", "to", "language",
                                                           "locale")}
    return redirect(url_for("insights.page", **back, _anchor="phrasings"), 303)


@bp.post("/draft")
def draft():
    """Start an article for a content gap: a draft whose questions are the group's queries,
    then open it in the editors' desk. The same group opens the same draft again."""
    questions = list(dict.fromkeys(q.strip()[:MAX_QUESTION] for q in request.form.getlist("q")
                                   if q.strip()))[:MAX_QUESTIONS]
    language = request.form.get("language")
    if not questions or language not in LOCALES:  # only a hand-made request gets here
        flash(gettext("A draft needs the gap's queries and its language."), "error")
        return redirect(url_for("insights.page"), 303)
    slug = gap_slug(questions)
    category = next(iter(services.knowledge_base(current_app).categories))  # the first listed
    try:
        with services.database(current_app).session() as session:
            content.create_draft(session, locale=language, slug=slug,
                                 markdown=gap_draft(questions, language=language, slug=slug,
                                                    category=category),
                                 author=current_person.email,
                                 message=gettext("draft for a content gap"))
    except ArticleExists:
        pass  # this gap's draft was started before: open it
    return redirect(url_for("desk.articles_edit", locale=language, slug=slug), 303)


def gap_slug(questions: list[str]) -> str:
    """``gap-`` and the ASCII words of the group's name, else a digest of its queries."""
    words = re.findall(r"[a-z0-9]+", questions[0].lower()) if questions[0].isascii() else []
    name = "-".join(words)[:50].strip("-")
    if len(name) < 3:
        name = hashlib.sha1("\n".join(sorted(questions)).encode()).hexdigest()[:8]
    return f"gap-{name}"


def gap_draft(questions: list[str], *, language: str, slug: str, category: str) -> str:
    """The draft's Markdown, written as the editing page writes it: the group's name as title,
    its queries as questions."""
    body = ("이 질문들에 답하는 내용을 여기에 써 주세요." if language == "ko"
            else "Write the answer to these questions here.")
    return form.compose(form.Typed(title=questions[0], slug=slug, category=category,
                                   questions="\n".join(questions), body=body), locale=language)
