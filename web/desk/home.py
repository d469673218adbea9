"""The desk's landing page: who is signed in, and the parts of the desk they may use."""

from __future__ import annotations

from web.desk import bp
from web.desk.forms import page


@bp.get("/")
def home():
    return page("home.html")
