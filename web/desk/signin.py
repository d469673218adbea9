"""Signing in and out, the second-factor step, and setting a password from a one-time link.

Sign-in answers an unknown email, a wrong password, a disabled person and a person with no
password yet with the same page, status and cookies, after the same argon2 work (security.md
S8); attempts are counted per client address and per typed email before the password is
checked. A reset request always says the same thing, whether or not the email has an account.
A one-time link is exchanged for the session and the browser moves to a clean URL, so the
secret stays out of history and referrers.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext

from kb import accounts
from kb.ratelimit import RateLimited
from web import services
from web.desk import bp, mails
from web.desk.auth import current_person, safe_next, sign_in, sign_out
from web.desk.forms import count_attempt, error_of, hashing, page
from web.policies import PUBLIC, policy

PENDING = "desk_pending"
"""Session key of a sign-in waiting for its second-factor code."""
PENDING_SECONDS = 300
LINK = "desk_link"
"""Session key of the one-time link being used."""
_log = logging.getLogger(__name__)  # sign-in outcomes, for audit (ASVS 16.3); %r: no log forging


def _limited(error: RateLimited, template: str, **context):
    body, status = page(template, status=429, errors={"form": "rate_limited"}, **context)
    return body, status, {"Retry-After": str(error.retry_after)}


def _after_sign_in(target: str | None):
    return redirect(safe_next(target) or url_for("desk.home"), 303)


@bp.get("/login")
@policy(PUBLIC)
def login():
    target = safe_next(request.args.get("next"))
    if current_person.is_authenticated and not current_person.is_token:
        return _after_sign_in(target)
    return page("login.html", typed={"email": "", "next": target or ""})


@bp.post("/login")
@policy(PUBLIC)
def login_submit():
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    typed = {"email": email, "next": safe_next(request.form.get("next")) or ""}
    errors = {name: f"{name}_required" for name, value in
              (("email", email), ("password", password)) if not value}
    if errors:
        return page("login.html", status=422, errors=errors, typed=typed)
    try:
        count_attempt("sign-in", email)
    except RateLimited as error:
        _log.warning("desk sign-in rate-limited for %r from %s", email, request.remote_addr)
        return _limited(error, "login.html", typed=typed)
    with services.database(current_app).session() as db_session:
        person = accounts.authenticate(db_session, hashing(), email, password)
    if person is None:
        _log.warning("desk sign-in refused for %r from %s", email, request.remote_addr)
        return page("login.html", status=422, errors={"form": "sign_in_failed"}, typed=typed)
    _log.info("desk password accepted for person %s from %s", person.id, request.remote_addr)
    if person.has_totp:
        session[PENDING] = {"id": person.id, "epoch": person.session_epoch,
                            "at": time.time(), "next": typed["next"]}
        return redirect(url_for("desk.code"), 303)
    sign_in(person)
    return _after_sign_in(typed["next"])


def _pending() -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return pending


@bp.get("/login/code")
@policy(PUBLIC)
def code():
    if _pending() is None:
        return redirect(url_for("desk.login"), 303)
    return page("code.html")


@bp.post("/login/code")
@policy(PUBLIC)
def code_submit():
    pending = _pending()
    if pending is None:
        return redirect(url_for("desk.login"), 303)
    typed = request.form.get("code", "").strip()
    if not typed:
        return page("code.html", status=422, errors={"code": "code_required"})
    try:
        count_attempt("code", str(pending["id"]))
    except RateLimited as error:
        return _limited(error, "code.html")
    with services.database(current_app).session() as db_session:
        person = accounts.get_person(db_session, pending["id"])
        is_valid = (person is not None and not person.is_disabled
                    and person.session_epoch == pending["epoch"]
                    and accounts.check_totp(db_session, person, typed))
    if not is_valid:
        _log.warning("desk code refused for person %s from %s", pending["id"],
                     request.remote_addr)
        return page("code.html", status=422, errors={"code": "invalid_code"})
    sign_in(person)
    return _after_sign_in(pending.get("next"))


@bp.post("/logout")
def logout():
    """Sign out everywhere: every session of this person ends, not only this browser's."""
    with services.database(current_app).session() as db_session:
        person = accounts.get_person(db_session, current_person.id)
        if person is not None:
            accounts.end_sessions(db_session, person)
    sign_out()
    flash(gettext("You are signed out."), "notice")
    return redirect(url_for("desk.login"), 303)


@bp.get("/password/forgot")
@policy(PUBLIC)
def forgot():
    return page("forgot.html", typed={"email": ""})


@bp.post("/password/forgot")
@policy(PUBLIC)
def forgot_submit():
    email = request.form.get("email", "").strip()
    try:
        email = accounts.normalize_email(email)
        count_attempt("reset", email)
    except accounts.InvalidInput as error:
        return page("forgot.html", status=422, errors=error_of(error), typed={"email": email})
    except RateLimited as error:
        return _limited(error, "forgot.html", typed={"email": email})
    secret = None
    with services.database(current_app).session() as db_session:
        person = accounts.find_person(db_session, email)
        if person is not None and not person.is_disabled:
            secret = accounts.issue_link(db_session, person, "reset")
    if secret is not None:
        mails.send_reset(person, secret)
    return page("forgot.html", typed={"email": email}, is_sent=True)


@bp.get("/password/<secret>")
@policy(PUBLIC)
def open_link(secret: str):
    """Exchange a one-time link for the session, then continue at a URL without it."""
    with services.database(current_app).session() as db_session:
        link = accounts.find_link(db_session, secret)
    if link is None:
        return page("password.html", status=404, is_invalid=True)
    session[LINK] = secret
    return redirect(url_for("desk.set_password"), 303)


def _link_person() -> accounts.Person | None:
    secret = session.get(LINK)
    if not isinstance(secret, str):
        return None
    with services.database(current_app).session() as db_session:
        link = accounts.find_link(db_session, secret)
        return accounts.get_person(db_session, link.person_id) if link else None


@bp.get("/password")
@policy(PUBLIC)
def set_password():
    person = _link_person()
    if person is None:
        return page("password.html", status=404, is_invalid=True)
    return page("password.html", person=person)


@bp.post("/password")
@policy(PUBLIC)
def set_password_submit():
    person = _link_person()
    if person is None:
        return page("password.html", status=404, is_invalid=True)
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    try:
        accounts.check_password(password, email=person.email)
    except accounts.InvalidInput as error:
        return page("password.html", status=422, errors=error_of(error), person=person)
    if password != again:
        return page("password.html", status=422, person=person,
                    errors={"password_again": "password_mismatch"})
    password_hash = hashing().hash(password)
    with services.database(current_app).session() as db_session:
        changed = accounts.use_link(db_session, session.pop(LINK), password_hash)
    if changed is None:
        return page("password.html", status=404, is_invalid=True)
    flash(gettext("Your password is set. Sign in with it."), "notice")
    return redirect(url_for("desk.login"), 303)
