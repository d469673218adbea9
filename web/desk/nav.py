"""The desk's navigation: links only to parts that exist, each shown to the roles it serves."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from flask_babel import lazy_gettext

from web.desk import NAVIGATION, NavLink, bp
from web.desk.auth import current_person
from web.desk.messages import ROLE_NAMES
from web.i18n import other_locale

NAVIGATION.extend([
    NavLink("desk.home", lazy_gettext("Desk home")),
    NavLink("desk.people", lazy_gettext("People"), frozenset({"admin"})),
    NavLink("desk.account", lazy_gettext("My account")),
])


@bp.app_context_processor
def _navigation() -> dict:
    def visible() -> list[NavLink]:
        if not current_person.is_authenticated:
            return []
        return [link for link in NAVIGATION if not link.roles or link.roles & current_person.roles]

    def language_switch() -> str:
        """This page in the other language, keeping its query (``next`` on the sign-in page)."""
        return f"{request.path}?{urlencode({**request.args.to_dict(), 'locale': other_locale()})}"

    return {"desk_navigation": visible, "role_names": ROLE_NAMES,
            "desk_language_switch": language_switch}
