"""The staff desk under ``/desk/``: sign-in, the home page, people (admins) and my account.

Every view is for signed-in staff (``STAFF``) unless it says otherwise; the sign-in pages are
``PUBLIC``. Every desk response is ``no-store`` and sends no referrer. The desk speaks the
language chosen with ``?locale=`` (remembered), else the browser's. A person whom an admin
requires to use a second factor, and who has not set one up, can reach only "my account"
(to set it up) and sign out until they do.

Later parts of the desk add their pages to ``bp`` and their links to ``NAVIGATION``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, redirect, request, url_for

from kb import LOCALES
from web import i18n, policies

bp = Blueprint("desk", __name__, url_prefix="/desk", template_folder="templates")
policies.declare(bp, policies.STAFF)


@dataclass(frozen=True)
class NavLink:
    """One entry of the desk's navigation, shown to people holding any of ``roles``."""

    endpoint: str
    label: str
    roles: frozenset[str] = frozenset()  # empty: everyone signed in


NAVIGATION: list[NavLink] = []
"""The desk navigation, in order (``web.desk.nav`` fills it)."""
SETUP_ENDPOINTS = {"desk.account", "desk.totp_start", "desk.totp_enable", "desk.logout",
                   "desk.password_change"}
"""What a person who must still set up a second factor may use."""


@bp.before_request
def _choose_locale():
    chosen = request.args.get("locale")
    if chosen in LOCALES:
        i18n.remember_locale(chosen)
    from web.desk.auth import current_person

    if (current_person.is_authenticated and not current_person.is_token
            and current_person.needs_totp_setup and request.endpoint not in SETUP_ENDPOINTS):
        return redirect(url_for("desk.account", _anchor="two-factor"), 303)
    return None


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


from web.desk import account, home, nav, people, signin  # noqa: E402,F401  (register views)
from web.desk_articles import views as article_views  # noqa: E402,F401  (the editors' pages)
from web.desk_tickets import views  # noqa: E402,F401  (the ticket desk's pages)
