"""The public help center: home, categories, articles, search, feedback and the way to contact.

Every page lives under ``/<locale>/`` (``ko`` or ``en``); ``/`` picks one. Views read the
request, make one call into ``kb`` or the search engine (through ``web.help.queries``), log the
visit, and render a template from ``templates/help/``.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from kb import Article
from web import i18n, services, visitor
from web.help import links, queries, votes
from web.help.popular import popular

bp = Blueprint("help", __name__)
LOCALE = "<any(ko, en):locale>"
TOC_MIN_HEADINGS = 5
"""An article with at least this many ``##`` sections gets a table of contents."""
FEEDBACK_STATES = ("yes", "no", "sent")


@bp.app_context_processor
def _link_helpers() -> dict:
    return {"contact_url": links.contact_url, "article_link": links.article_link}


@bp.app_template_filter("summary")
def summary(article: Article, length: int = 100) -> str:
    """The article's first paragraph, shortened to about ``length`` characters."""
    first = article.text.split("\n", 1)[0]
    return first if len(first) <= length else first[:length].rsplit(" ", 1)[0] + "…"


@bp.before_request
def _remember_locale() -> None:
    locale = (request.view_args or {}).get("locale")
    if locale:
        i18n.remember_locale(locale)


def get_article(locale: str, slug: str) -> Article:
    """The published article; a redirect when the slug was renamed since; else 404."""
    article = services.knowledge_base(current_app).get(locale, slug)
    if article is None:
        from kb import content

        with services.database(current_app).session() as session:
            renamed = content.redirect_for(session, locale, slug)
        if renamed is not None and services.knowledge_base(current_app).get(locale, renamed):
            abort(redirect(url_for("help.article", locale=locale, slug=renamed), 301))
        abort(404)
    return article


@bp.get("/")
def index():
    return redirect(url_for("help.home", locale=i18n.preferred_locale()))


@bp.get(f"/{LOCALE}/")
def home(locale: str):
    knowledge = services.knowledge_base(current_app)
    counts = {key: len(knowledge.in_category(locale, key)) for key in knowledge.categories}
    visitor.record("visit", locale=locale)
    return render_template("help/home.html", popular=popular(locale),
                           categories=knowledge.categories.values(), counts=counts)


@bp.get(f"/{LOCALE}/categories/<category>")
def category(locale: str, category: str):
    knowledge = services.knowledge_base(current_app)
    found = knowledge.categories.get(category)
    if found is None:
        abort(404)
    visitor.record("visit", locale=locale)
    return render_template("help/category.html", category=found,
                           articles=knowledge.in_category(locale, category))


@bp.get(f"/{LOCALE}/articles/<slug>")
def article(locale: str, slug: str):
    found = get_article(locale, slug)
    arrival = links.read_arrival()
    visitor.record("view", locale=locale, slug=slug, source=arrival.source,
                   query=arrival.query, rank=arrival.rank)
    if arrival.source == "search" and arrival.rank:
        visitor.record("click", locale=locale, slug=slug, query=arrival.query, rank=arrival.rank)
    elif arrival.source == "suggestion":
        visitor.record("suggestion_open", locale=locale, slug=slug, query=arrival.query)
    knowledge = services.knowledge_base(current_app)
    state = request.args.get("feedback")
    return render_template(
        "help/article.html", article=found, arrival=arrival,
        category=knowledge.categories.get(found.category),
        translation=knowledge.translation(found, i18n.other_locale()),
        toc=[h for h in found.headings if h.level == 2], toc_min=TOC_MIN_HEADINGS,
        related=queries.related_articles(found),
        feedback_state=state if state in FEEDBACK_STATES else None)


@bp.post(f"/{LOCALE}/articles/<slug>/feedback")
def feedback(locale: str, slug: str):
    found = get_article(locale, slug)
    try:
        given = votes.parse_feedback(request.form)
    except votes.FeedbackError:
        abort(400)
    votes.record_feedback(found, given)
    state = "sent" if given.missing else ("yes" if given.is_helpful else "no")
    query = request.form.get("q", "").strip()[:queries.MAX_QUERY_LENGTH] or None
    return redirect(url_for("help.article", locale=locale, slug=slug, feedback=state, q=query,
                            _anchor="feedback"), code=303)


@bp.get(f"/{LOCALE}/search")
def search(locale: str):
    raw = request.args.get("q", "")
    category = request.args.get("category") or None
    knowledge = services.knowledge_base(current_app)
    if category not in knowledge.categories:
        category = None
    results, problem = None, None
    if raw.strip():
        try:
            results = queries.search_articles(raw, locale=locale, category=category, limit=20)
        except queries.BadQuery as error:
            problem = str(error)
    return render_template("help/search.html", query=raw.strip(), results=results,
                           problem=problem, category=category,
                           categories=knowledge.categories,
                           popular=popular(locale)), 400 if problem else 200


@bp.get(f"/{LOCALE}/need-help")
def need_help(locale: str):
    """Log a "still need help?" click, then open the contact path with the query and article."""
    query = request.args.get("q", "").strip()[:queries.MAX_QUERY_LENGTH] or None
    slug = request.args.get("article")
    if slug and services.knowledge_base(current_app).get(locale, slug) is None:
        slug = None
    visitor.record("need_help", locale=locale, query=query, slug=slug)
    return redirect(links.contact_url(locale, q=query, article=slug), code=303)
