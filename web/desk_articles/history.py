"""An article's history (``/desk/articles/<locale>/<slug>/history``): every revision with its
author, time and message, and the diff to the revision before it; restoring one stores its
text again as the newest revision (a draft), so nothing is ever lost.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import content
from kb.content.store import find_item, text_of
from web import live, services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_articles import EDITORS, page
from web.policies import policy

MAX_DIFFS = 100
"""Revisions shown with their diff; older ones are listed without it."""


@bp.get("/articles/<locale>/<slug>/history")
@policy(EDITORS)
def articles_history(locale: str, slug: str):
    state = page.read_state(locale, slug)
    with services.database(current_app).session() as session:
        revisions = content.history(session, locale, slug)
        item = find_item(session, locale, slug)
        texts = {r.number: text_of(session, item, r.number) for r in revisions[:MAX_DIFFS + 1]}
    diffs = {r.number: content.diff(texts.get(r.number - 1, ""), texts[r.number],
                                    old_name=f"revision {r.number - 1}",
                                    new_name=f"revision {r.number}")
             for r in revisions[:MAX_DIFFS] if r.number - 1 in texts or r.number == 1}
    return render_template("desk_articles/history.html", state=state, revisions=revisions,
                           diffs=diffs, status_label=page.status_label)


@bp.post("/articles/<locale>/<slug>/restore/<int:number>")
@policy(EDITORS)
def articles_restore(locale: str, slug: str, number: int):
    page.read_state(locale, slug)
    base = request.form.get("base_revision", "")
    try:
        with services.database(current_app).session() as session:
            saved = content.restore(session, locale=locale, slug=slug, number=number,
                                    base_revision=int(base) if base.isdigit() else None,
                                    author=current_person.email)
    except content.ArticleNotFound:
        flash(_("There is no revision %(number)d.", number=number), "error")
    except content.StaleRevision:
        flash(_("Someone saved a newer revision meanwhile: look at the history again."),
              "error")
    except content.InvalidArticle as invalid:
        flash(_("Revision %(number)d cannot be restored: %(problems)s", number=number,
                problems="; ".join(p.message for p in invalid.problems)), "error")
    else:
        live.follow(current_app, force=True)
        flash(_("Revision %(number)d restored as revision %(new)d, a draft: publish it to "
                "serve it.", number=number, new=saved.revision), "success")
        return redirect(url_for("desk.articles_edit", locale=locale, slug=slug), 303)
    return redirect(url_for("desk.articles_history", locale=locale, slug=slug), 303)
