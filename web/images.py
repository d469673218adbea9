"""The images articles show (``GET /images/<sha256>.<ext>``), public like the articles.

An image's name is the SHA-256 of its bytes, so a URL never changes meaning: it is cached for a
year as ``immutable``. The bytes were re-encoded by Pillow on upload; ``nosniff``, the stored
content type and a ``default-src 'none'`` policy of its own keep a browser from reading them as
anything but a picture, even when opened directly.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from kb import content
from web import services
from web.policies import PUBLIC, policy

bp = Blueprint("images", __name__)

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'",
}


@bp.get("/images/<digest>.<any(png, jpg, webp):extension>")
@policy(PUBLIC)
def image(digest: str, extension: str):
    with services.database(current_app).session() as session:
        found = content.read_image(session, digest)
    if found is None or found[0].extension != extension:
        abort(404)
    stored, data = found
    return Response(data, mimetype=stored.content_type, headers=HEADERS)
