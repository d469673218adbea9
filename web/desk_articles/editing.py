"""The editing page (``/desk/articles/<locale>/<slug>``) and what its buttons do: save a draft
(or save and publish), schedule, archive, rename; and a new article (``/desk/articles/new``).

A save names the revision the editor started from: when someone saved meanwhile nothing is
stored and the page comes back (409) with the diff of both and the editor's text still in the
form; a text the loader's lint refuses comes back (422) with every problem beside its field and
line. The autosave posts the same form asking for JSON and gets the same answers as data.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from kb import LOCALES, content
from web import live, services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_articles import EDITORS, form, page
from web.errors import error_body
from web.policies import policy

MAX_MESSAGE = 500


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _carried(locale: str, slug: str) -> dict:
    return form.decompose(page.read_state(locale, slug).markdown).carried


@bp.get("/articles/<locale>/<slug>")
@policy(EDITORS)
def articles_edit(locale: str, slug: str):
    return page.render_edit(page.read_state(locale, slug))


@bp.post("/articles/<locale>/<slug>")
@policy(EDITORS)
def articles_save(locale: str, slug: str):
    typed = form.Typed.from_form(request.form, carried=_carried(locale, slug))
    is_publishing = request.form.get("action") == "publish"
    if is_publishing:  # a text whose front matter says draft is never served: publish means it
        typed.status = "published"
    markdown = form.compose(typed, locale=locale)
    base = _number(request.form.get("base_revision"))
    message = request.form.get("message", "")[:MAX_MESSAGE]
    try:
        with services.database(current_app).session() as session:
            saved = content.save_draft(session, locale=locale, slug=slug, markdown=markdown,
                                       base_revision=base, author=current_person.email,
                                       message=message or ("autosave" if _wants_json() else ""))
            if is_publishing:
                content.publish(session, locale=locale, slug=slug, revision=saved.revision)
    except content.StaleRevision as stale:
        return _refused(locale, slug, typed, stale)
    except content.InvalidArticle as invalid:
        return _invalid(locale, slug, typed, page.shown(invalid.problems, markdown), base)
    warnings = page.shown(saved.warnings, markdown)
    if is_publishing:
        live.follow(current_app, force=True)  # this worker serves it before answering
    if _wants_json():
        return jsonify(revision=saved.revision, is_new=saved.is_new,
                       warnings=[w.as_json() for w in warnings])
    if is_publishing:
        flash(_("Published revision %(number)d. Customers see it now.",
                number=saved.revision), "success")
    elif saved.is_new:
        flash(_("Draft saved as revision %(number)d.", number=saved.revision), "success")
    else:
        flash(_("Nothing changed since revision %(number)d.", number=saved.revision), "success")
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


def _refused(locale: str, slug: str, typed: form.Typed, stale: content.StaleRevision):
    difference = content.diff(stale.latest_text, stale.text,
                              old_name=f"revision {stale.latest}", new_name="yours")
    if _wants_json():
        document = error_body("stale_revision", str(stale))
        document["error"].update(latest_revision=stale.latest, diff=difference)
        return jsonify(document), 409
    return page.render_edit(page.read_state(locale, slug), typed=typed, base=stale.base,
                            conflict=difference, status=409)


def _invalid(locale: str, slug: str, typed: form.Typed, problems, base: int | None):
    if _wants_json():
        document = error_body("invalid_article", "the article has errors; nothing was saved")
        document["error"]["problems"] = [p.as_json() for p in problems]
        return jsonify(document), 422
    return page.render_edit(page.read_state(locale, slug), typed=typed, problems=problems,
                            base=base, status=422)


@bp.post("/articles/<locale>/<slug>/publish")
@policy(EDITORS)
def articles_publish(locale: str, slug: str):
    revision = _number(request.form.get("revision"))
    page.read_state(locale, slug)
    try:
        with services.database(current_app).session() as session:
            saved = content.publish(session, locale=locale, slug=slug, revision=revision)
    except content.StaleRevision:
        flash(_("Someone saved a newer revision: look at it before publishing."), "error")
    else:
        live.follow(current_app, force=True)
        flash(_("Published revision %(number)d. Customers see it now.",
                number=saved.revision), "success")
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


@bp.post("/articles/<locale>/<slug>/schedule")
@policy(EDITORS)
def articles_schedule(locale: str, slug: str):
    page.read_state(locale, slug)
    try:
        at = dt.datetime.fromisoformat(request.form.get("at", ""))
    except ValueError:
        flash(_("Choose the date and time to publish at."), "error")
        return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)
    at = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at - KOREA_OFFSET
    try:
        with services.database(current_app).session() as session:
            content.schedule(session, locale=locale, slug=slug,
                             revision=_number(request.form.get("revision")) or -1, at=at)
    except content.StaleRevision:
        flash(_("Someone saved a newer revision: look at it before scheduling."), "error")
    else:
        flash(_("Revision %(number)s will be published at %(when)s (Korea time).",
                number=request.form.get("revision"), when=request.form.get("at")), "success")
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


KOREA_OFFSET = dt.timedelta(hours=9)
"""The desk shows and takes times in Korea time (the team's), stored as naive UTC."""


@bp.post("/articles/<locale>/<slug>/archive")
@policy(EDITORS)
def articles_archive(locale: str, slug: str):
    page.read_state(locale, slug)
    with services.database(current_app).session() as session:
        content.archive(session, locale=locale, slug=slug)
    live.follow(current_app, force=True)
    flash(_("Archived: customers no longer see it. Every revision is kept."), "success")
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


@bp.post("/articles/<locale>/<slug>/rename")
@policy(EDITORS)
def articles_rename(locale: str, slug: str):
    page.read_state(locale, slug)
    new_slug = request.form.get("new_slug", "").strip()
    try:
        with services.database(current_app).session() as session:
            content.rename(session, locale=locale, slug=slug, new_slug=new_slug,
                           base_revision=_number(request.form.get("base_revision")),
                           author=current_person.email)
    except content.StaleRevision:
        flash(_("Someone saved a newer revision: look at it before renaming."), "error")
    except content.ArticleExists:
        flash(_("Another article already uses the address “%(slug)s”.", slug=new_slug), "error")
    except content.InvalidArticle as invalid:
        flash(_("Not renamed: %(problems)s", problems="; ".join(
            p.message for p in invalid.problems)), "error")
    else:
        live.follow(current_app, force=True)
        flash(_("Renamed. The old address leads here."), "success")
        return redirect(url_for("desk.articles_edit", locale=locale, slug=new_slug), 303)
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


@bp.get("/articles/new")
@policy(EDITORS)
def articles_new():
    chosen = request.args.get("language")
    locale = chosen if chosen in LOCALES else "ko"
    return page.render_new(locale, form.Typed(status="published"))


@bp.post("/articles/new")
@policy(EDITORS)
def articles_create():
    locale = request.form.get("locale") if request.form.get("locale") in LOCALES else "ko"
    typed = form.Typed.from_form(request.form)
    markdown = form.compose(typed, locale=locale)
    slug = typed.slug.strip()
    try:
        with services.database(current_app).session() as session:
            content.create_draft(session, locale=locale, slug=slug, markdown=markdown,
                                 author=current_person.email,
                                 message=request.form.get("message", "")[:MAX_MESSAGE])
    except content.InvalidArticle as invalid:
        return page.render_new(locale, typed, page.shown(invalid.problems, markdown), 422)
    except content.ArticleExists:
        return page.render_new(locale, typed, [page.Shown(
            "error", 3, "slug", None, _("Another article already uses this address."))], 422)
    flash(_("Draft saved as revision %(number)d.", number=1), "success")
    return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)


@bp.post("/articles/<locale>/<slug>/translate")
@policy(EDITORS)
def articles_translate(locale: str, slug: str):
    page.read_state(locale, slug)
    other = page.other_locale(locale)
    try:
        with services.database(current_app).session() as session:
            content.start_translation(session, locale=locale, slug=slug, to_locale=other,
                                      author=current_person.email)
    except content.ArticleExists:
        flash(_("The translation exists already."), "error")
        return redirect(url_for("desk.articles_edit", locale=other, slug=slug), 303)
    except content.InvalidArticle as invalid:
        flash(_("The translation could not start: %(problems)s", problems="; ".join(
            p.message for p in invalid.problems)), "error")
        return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)
    flash(_("Translation started as a draft with the structure copied: rewrite it."), "success")
    return redirect(url_for("desk.articles_edit", locale=other, slug=slug), 303)
