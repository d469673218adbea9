"""The live preview (``POST /desk/articles/preview``): the form as the public page will show it,
with the problems a save would report (``page.preview_of``), for the editing page's script.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from kb import LOCALES, content
from web import services
from web.desk import bp
from web.desk_articles import EDITORS, form, page
from web.policies import policy


@bp.post("/articles/preview")
@policy(EDITORS)
def articles_preview():
    locale = request.form.get("locale") if request.form.get("locale") in LOCALES else "ko"
    typed = form.Typed.from_form(request.form)
    original = request.form.get("original_slug", "")
    with services.database(current_app).session() as session:
        if original:  # the stored article keeps the fields the form does not show
            try:
                typed.carried = form.decompose(
                    content.read_article(session, locale, original).markdown).carried
            except content.ArticleNotFound:
                original = ""
        html, problems = page.preview_of(session, typed, locale=locale, slug=original or None)
    return jsonify(html=html, title=typed.title.strip(), problems=[p.as_json() for p in problems])
