"""Translations (Flask-Babel): the page's locale comes from its URL, ``/<locale>/...``.

UI strings are written in English in the code and templates; ``web/translations/ko`` holds the
Korean catalogue. Only the ``.po`` source is kept in the repository: ``init_app`` compiles it to
a ``.mo`` under the data folder whenever the source is newer, so a fresh clone needs no step.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel

from kb import LOCALES

DEFAULT_LOCALE = "ko"
SOURCE_DIR = Path(__file__).resolve().parent / "translations"
REMEMBERED = "locale"
"""The session key holding the locale of the last page the visitor read."""


def init_app(app: Flask) -> None:
    compiled = Path(app.config["DATA_DIR"]) / "translations"
    compile_catalogues(SOURCE_DIR, compiled)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    Babel(app, locale_selector=page_locale)
    app.context_processor(lambda: {"locale": page_locale(), "other_locale": other_locale()})


def compile_catalogues(source: Path, target: Path) -> None:
    """Write ``target/<locale>/LC_MESSAGES/messages.mo`` for each ``.po`` newer than its ``.mo``."""
    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as file:
            catalogue = read_po(file, locale=po_path.parts[-3])
        partial = mo_path.with_name(f".{os.getpid()}.mo")
        with partial.open("wb") as file:
            write_mo(file, catalogue)
        os.replace(partial, mo_path)  # several workers may compile at once: never half a file


def page_locale() -> str:
    """The locale of the current request: the URL's, else ``?locale=``, else the default.

    A URL no route matched (a 404) still says its locale in its first segment: ``/en/...``.
    """
    if request:
        first = request.path.lstrip("/").split("/", 1)[0]
        if first == "desk":  # a locale in a desk URL is an article's, not the desk's language
            chosen = request.args.get("locale")
            return chosen if chosen in LOCALES else preferred_locale()
        chosen = (request.view_args or {}).get("locale") or request.args.get("locale") or first
        if chosen in LOCALES:
            return chosen
    return DEFAULT_LOCALE


def other_locale() -> str:
    current = page_locale()
    return next(code for code in LOCALES if code != current)


def preferred_locale() -> str:
    """For ``/``: the remembered choice, then ``Accept-Language``, then Korean."""
    remembered = session.get(REMEMBERED)
    if remembered in LOCALES:
        return remembered
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def remember_locale(locale: str) -> None:
    """Keep the locale the visitor is reading in, for their next visit to ``/``."""
    if session.get(REMEMBERED) != locale:
        session[REMEMBERED] = locale
