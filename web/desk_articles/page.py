"""What the editing page shows: the article, the form as typed, problems by field and line,
a refused save's diff, and the other locale's translation beside it.

Shared by the views of ``editing`` (a save that fails re-renders the page with everything
typed) and the JSON answers of the autosave (the same problems, as data).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template
from flask_babel import gettext as _

from kb import LOCALES, content, rendering
from kb.articles import Problem
from kb.content.checks import check_article
from web import services
from web.desk_articles import form


@dataclass(frozen=True)
class Shown:
    """One lint problem as the form shows it: beside its field, with its line."""

    level: str
    line: int | None
    field: str | None
    body_line: int | None
    message: str

    def as_json(self) -> dict:
        return {"level": self.level, "line": self.line, "field": self.field,
                "body_line": self.body_line, "message": self.message}


def shown(problems, markdown: str) -> list[Shown]:
    """The problems of ``markdown`` (the composed text), each tied to its form field."""
    found = []
    for problem in problems:
        assert isinstance(problem, Problem)
        name = form.field_at(markdown, problem.line)
        found.append(Shown(problem.level, problem.line, name,
                           form.body_line(markdown, problem.line) if name == "body" else None,
                           problem.message))
    return found


def preview_of(session, typed: form.Typed, *, locale: str,
               slug: str | None = None) -> tuple[str, list[Shown]]:
    """The HTML customers would see for ``typed`` and the problems a save would report.

    The text is checked exactly as a save checks it (``check_article``: the loader's parse
    and lint, then the store's checks), so the HTML is the public page's (the loader's renderer
    and its nh3 allowlist). When an error stops the parse, the body alone is rendered by the
    same renderer, so the editor still sees their text."""
    markdown = form.compose(typed, locale=locale)
    try:
        article, problems = check_article(session, markdown, locale=locale,
                                          slug=slug or typed.slug.strip() or "draft")
        html = article.html
    except content.InvalidArticle as invalid:
        problems = invalid.problems
        html = rendering.render_body(typed.body, locale).html
    return html, shown(problems, markdown)


def other_locale(locale: str) -> str:
    return next(other for other in LOCALES if other != locale)


def read_state(locale: str, slug: str) -> content.ArticleState:
    """The stored article, or a 404 page."""
    if locale not in LOCALES:
        abort(404)
    with services.database(current_app).session() as session:
        try:
            return content.read_article(session, locale, slug)
        except content.ArticleNotFound:
            abort(404)


def translation_of(locale: str, slug: str) -> dict | None:
    """The other locale's article (read-only beside the form), and whether one of the two fell
    behind the other."""
    other = other_locale(locale)
    with services.database(current_app).session() as session:
        try:
            state = content.read_article(session, other, slug)
        except content.ArticleNotFound:
            return None
        entries = {(e.locale, e.slug): e for e in content.list_articles(session, text=None)
                   if e.slug == slug}
    here = entries.get((locale, slug))
    there = entries.get((other, slug))
    return {"state": state, "typed": form.decompose(state.markdown),
            "is_behind": bool(here and here.translation == content.TRANSLATION_BEHIND),
            "other_is_behind": bool(there and there.translation == content.TRANSLATION_BEHIND)}


def categories() -> list[tuple[str, str]]:
    """(key, name in the desk's language) of every category the help center has."""
    from flask_babel import get_locale

    language = str(get_locale() or "ko")
    return [(key, c.name_in(language)) for key, c in
            services.knowledge_base(current_app).categories.items()]


def render_edit(state: content.ArticleState, *, typed: form.Typed | None = None,
                problems: list[Shown] = (), base: int | None = None, conflict: str | None = None,
                status: int = 200):
    """The editing page of ``state``, showing ``typed`` (default: its latest revision) and its
    preview (the script keeps it current while the editor types)."""
    typed = typed or form.decompose(state.markdown)
    with services.database(current_app).session() as session:
        preview_html, _problems = preview_of(session, typed, locale=state.locale,
                                             slug=state.slug)
    return render_template(
        "desk_articles/edit.html", state=state, typed=typed, preview_html=preview_html,
        problems=list(problems), by_field=_by_field(problems),
        base=state.revision if base is None else base, conflict=conflict,
        translation=translation_of(state.locale, state.slug), other=other_locale(state.locale),
        categories=categories(), status_names=status_label), status


def render_new(locale: str, typed: form.Typed, problems: list[Shown] = (), status: int = 200):
    """The new-article page, showing what was typed and its problems."""
    return render_template("desk_articles/new.html", locale=locale, typed=typed,
                           problems=list(problems), by_field=_by_field(problems),
                           categories=categories()), status


def status_label(status: str) -> str:
    names = {"draft": _("Draft"), "published": _("Published"), "archived": _("Archived")}
    return names.get(status, status)


def _by_field(problems) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        if problem.field:
            where = (_("body line %(line)d", line=problem.body_line) if problem.body_line
                     else _("line %(line)d", line=problem.line))
            found.setdefault(problem.field, []).append(f"{where}: {problem.message}")
    return {name: " · ".join(messages) for name, messages in found.items()}
