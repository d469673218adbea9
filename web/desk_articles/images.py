"""Adding an image to an article (``POST /desk/articles/<locale>/<slug>/images``): the editing
page's script sends a file the editor chose or pasted (multipart field ``image``, CSRF header)
and inserts the Markdown it gets back at the cursor.

Answers are JSON: 201 ``{"url", "markdown"}``; 413 (over a limit) or 422 (not an image, no
file) with the one error shape and a sentence naming the limit or the problem, in the desk's
language. The image is stored with the content (``kb.content.images``) and shown by any
article that links it; nothing changes in the article until the editor saves.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _

from kb import LOCALES, content
from web import i18n, services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_articles import EDITORS
from web.errors import error_body
from web.policies import policy


@bp.post("/articles/<locale>/<slug>/images")
@policy(EDITORS)
def articles_image(locale: str, slug: str):
    if locale not in LOCALES:
        abort(404)
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(error_body("no_image", _("Choose an image to add."))), 422
    data = upload.read(content.images.MAX_BYTES + 1)  # one byte more tells "over the limit"
    try:
        with services.database(current_app).session() as session:
            content.read_article(session, locale, slug)
            stored = content.save_image(session, data, upload.filename,
                                        author=current_person.email, locale=locale, slug=slug)
    except content.ArticleNotFound:
        abort(404)
    except content.InvalidImage as refused:
        body = error_body(refused.code, refused.message(i18n.page_locale()))
        return jsonify(body), 413 if refused.is_too_large else 422
    return jsonify(url=stored.url, markdown=stored.markdown), 201
