"""My account: change my password, set up the second factor, and manage my API tokens.

A password change ends every other session of mine (this one continues). The second factor is
set up in two steps: a pending secret is made (POST) and shown as a QR code drawn on the server
as SVG, then the first code from the app turns it on. A new API token is shown once, on the
page that answers the request that made it (``no-store``), and never again.
"""

from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from kb import accounts
from kb.ratelimit import RateLimited
from web import services
from web.desk import bp
from web.desk.auth import current_person, renew
from web.desk.forms import count_attempt, error_of, hashing, page


def _me(db_session) -> accounts.Person:
    person = accounts.get_person(db_session, current_person.id)
    if person is None:
        abort(404)
    return person


def qr_code(uri: str) -> Markup:
    """The ``otpauth://`` URI as an inline SVG QR code (no script, no style attribute)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, omitsize=True, dark="#1d1b26",
                                                light="#ffffff", title=gettext("QR code"))
    return Markup(svg)  # noqa: S704  made here from our own URI, no user markup


def _account_page(*, status: int = 200, errors: dict[str, str] | None = None, **context):
    with services.database(current_app).session() as db_session:
        person = _me(db_session)
        tokens = accounts.list_api_tokens(db_session, person)
    totp_qr = (qr_code(accounts.provisioning_uri(person.totp_pending, person.email))
               if person.totp_pending and not person.has_totp else None)
    return page("account.html", status=status, errors=errors, person=person, tokens=tokens,
                totp_qr=totp_qr, **context)


@bp.get("/account")
def account():
    return _account_page()


@bp.post("/account/password")
def password_change():
    current = request.form.get("current_password", "")
    new, again = request.form.get("password", ""), request.form.get("password_again", "")
    try:
        count_attempt("password", current_person.email)
    except RateLimited:
        return _account_page(status=429, errors={"current_password": "rate_limited"})
    with services.database(current_app).session() as db_session:
        stored = _me(db_session).password_hash
    if stored is None or not hashing().verify(stored, current):
        return _account_page(status=422, errors={"current_password": "current_password"})
    try:
        accounts.check_password(new, email=current_person.email)
    except accounts.InvalidInput as error:
        return _account_page(status=422, errors=error_of(error))
    if new != again:
        return _account_page(status=422, errors={"password_again": "password_mismatch"})
    password_hash = hashing().hash(new)
    with services.database(current_app).session() as db_session:
        person = _me(db_session)
        accounts.set_password(db_session, person, password_hash)
    renew(person)
    flash(gettext("Your password is changed. Your other sessions are signed out."), "notice")
    return redirect(url_for("desk.account"), 303)


@bp.post("/account/two-factor/start")
def totp_start():
    with services.database(current_app).session() as db_session:
        accounts.start_totp(db_session, _me(db_session))
    return redirect(url_for("desk.account", _anchor="two-factor"), 303)


@bp.post("/account/two-factor")
def totp_enable():
    code = request.form.get("code", "").strip()
    if not code:
        return _account_page(status=422, errors={"code": "code_required"})
    try:
        with services.database(current_app).session() as db_session:
            accounts.enable_totp(db_session, _me(db_session), code)
    except accounts.InvalidCode as error:
        return _account_page(status=422, errors=error_of(error), typed_code=code)
    flash(gettext("Two-factor sign-in is on. You will need a code each time you sign in."),
          "notice")
    return redirect(url_for("desk.account", _anchor="two-factor"), 303)


@bp.post("/account/two-factor/off")
def totp_disable():
    if current_person.is_totp_required:
        return _account_page(status=409, errors={"two_factor": "totp_is_required"})
    with services.database(current_app).session() as db_session:
        accounts.disable_totp(db_session, _me(db_session))
    flash(gettext("Two-factor sign-in is off."), "notice")
    return redirect(url_for("desk.account", _anchor="two-factor"), 303)


@bp.post("/account/tokens")
def token_create():
    label = request.form.get("label", "")
    try:
        with services.database(current_app).session() as db_session:
            _token, secret = accounts.issue_api_token(db_session, _me(db_session), label)
    except accounts.InvalidInput as error:
        return _account_page(status=422, errors=error_of(error), typed_label=label)
    return _account_page(status=201, new_token=secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):
    with services.database(current_app).session() as db_session:
        if not accounts.revoke_api_token(db_session, _me(db_session), token_id):
            abort(404)
    flash(gettext("The token is revoked: it no longer works."), "notice")
    return redirect(url_for("desk.account", _anchor="tokens"), 303)
