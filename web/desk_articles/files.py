"""The editor's site files in the desk (``/desk/site-files/<name>``): ``categories.yml``,
``synonyms.txt`` and ``userdict.txt``, stored as revisions like articles and live at once.

A save is checked as ``deflect lint`` checks the folder (``categories.yml`` by the store,
the vocabulary files by ``search.check_vocabulary``); an error stores nothing and the page
comes back with the text typed and each problem's line. A save over someone else's newer
revision is refused (409) with the diff, the typed text kept.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import content
from kb.content.store import find_item, text_of
from web import live, services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_articles import EDITORS
from web.policies import policy

NAME = "<any(" + ", ".join(f'"{n}"' for n in content.FILE_NAMES) + "):file_name>"
MAX_FILE = 200_000


def _stored(name: str) -> tuple[str, int | None]:
    with services.database(current_app).session() as session:
        try:
            item = find_item(session, "", name)
        except content.ArticleNotFound:
            return "", None
        return text_of(session, item), item.latest


def vocabulary_problems(name: str, text: str) -> list:
    """The lint problems of a vocabulary file's text (none for ``categories.yml``, which the
    store checks itself)."""
    if name == "categories.yml":
        return []
    from search import check_vocabulary

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(text, encoding="utf-8")
        return check_vocabulary(Path(folder))


def _render(name: str | None, *, text: str = "", base: int | None = None, problems=(),
            conflict: str | None = None, status: int = 200):
    return render_template("desk_articles/files.html", name=name, names=content.FILE_NAMES,
                           text=text, base=base, problems=list(problems), conflict=conflict), \
        status


@bp.get("/site-files")
@policy(EDITORS)
def site_files():
    return _render(None)


@bp.get(f"/site-files/{NAME}")
@policy(EDITORS)
def site_file(file_name: str):
    text, base = _stored(file_name)
    return _render(file_name, text=text, base=base)


@bp.post(f"/site-files/{NAME}")
@policy(EDITORS)
def site_file_save(file_name: str):
    name = file_name
    text = request.form.get("text", "").replace("\r\n", "\n")
    if len(text) > MAX_FILE:
        abort(413)
    base_text = request.form.get("base_revision", "")
    base = int(base_text) if base_text.isdigit() else None
    problems = vocabulary_problems(name, text)
    try:
        with services.database(current_app).session() as session:
            saved = content.save_file(session, name=name, text=text, base_revision=base,
                                      author=current_person.email,
                                      message=request.form.get("message", "")[:500],
                                      problems=problems)
    except content.InvalidArticle as invalid:
        return _render(name, text=text, base=base, problems=invalid.problems, status=422)
    except content.StaleRevision as stale:
        return _render(name, text=text, base=stale.latest, status=409, conflict=content.diff(
            stale.latest_text, stale.text, old_name=f"revision {stale.latest}",
            new_name="yours"))
    live.follow(current_app, force=True)
    flash(_("Saved %(name)s as revision %(number)d; it is live now.", name=name,
            number=saved.revision) if saved.is_new else _("Nothing changed."), "success")
    if problems:
        flash(_("Warnings: %(problems)s", problems="; ".join(
            f"{p.line}: {p.message}" for p in problems)), "error")
    return redirect(url_for("desk.site_file", file_name=name), 303)
