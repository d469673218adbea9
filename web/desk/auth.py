"""Who is asking: desk sessions (Flask-Login), Bearer tokens on ``/api/desk/``, ``current_person``.

A session stores ``<person id>:<session epoch>`` as its Flask-Login id. Each request loads the
person and accepts the session only while the row still has that epoch, the person is active
and the sign-in is younger than ``SESSION_HOURS``: signing out, a password or role change and
disabling add one to the epoch, so every copy of an old cookie stops working at once
(security.md S7). ``/api/desk/`` requests may instead send ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask import Flask, current_app, g, request, session
from flask_login import AnonymousUserMixin, LoginManager, login_user, logout_user
from flask_login import current_user as _flask_login_user
from werkzeug.local import LocalProxy

from kb import accounts
from web import services

SESSION_HOURS = 12
"""A desk sign-in lasts at most this long, however active (ASVS 7.3.2)."""
_SIGNED_IN_AT = "desk_signed_in_at"
_BEARER = re.compile(r"Bearer\s+(\S+)", re.IGNORECASE)

login_manager = LoginManager()


@dataclass(frozen=True)
class DeskPerson:
    """The signed-in person as the web shell sees them (a snapshot of the row)."""

    id: int
    email: str
    name: str
    roles: frozenset[str]
    epoch: int
    has_totp: bool = False
    is_totp_required: bool = False
    is_token: bool = field(default=False)
    """Signed in by an API token rather than a session."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    @classmethod
    def of(cls, person: accounts.Person, *, is_token: bool = False) -> DeskPerson:
        return cls(id=person.id, email=person.email, name=person.name, roles=person.roles,
                   epoch=person.session_epoch, has_totp=person.has_totp,
                   is_totp_required=person.is_totp_required, is_token=is_token)

    def get_id(self) -> str:
        return f"{self.id}:{self.epoch}"

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def needs_totp_setup(self) -> bool:
        """An admin requires a second factor this person has not set up yet."""
        return self.is_totp_required and not self.has_totp

    @property
    def display_name(self) -> str:
        return self.name or self.email


class Nobody(AnonymousUserMixin):
    """Not signed in: no roles."""

    id = None
    roles: frozenset[str] = frozenset()

    def has_role(self, role: str) -> bool:
        return False


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.anonymous_user = Nobody
    login_manager.user_loader(_load_session_person)
    app.context_processor(lambda: {"current_person": current_person})


def _load_session_person(user_id: str) -> DeskPerson | None:
    try:
        person_id, epoch = (int(part) for part in user_id.split(":"))
        signed_in_at = dt.datetime.fromtimestamp(float(session[_SIGNED_IN_AT]), dt.UTC)
    except (KeyError, TypeError, ValueError):
        return None
    if dt.datetime.now(dt.UTC) - signed_in_at > dt.timedelta(hours=SESSION_HOURS):
        return None
    with services.database(current_app).session() as db_session:
        person = accounts.get_person(db_session, person_id)
        if person is None or person.is_disabled or person.session_epoch != epoch:
            return None
        return DeskPerson.of(person)


def _load_token_person() -> DeskPerson | None:
    found = _BEARER.fullmatch(request.headers.get("Authorization", "").strip())
    if found is None:
        return None
    with services.database(current_app).session() as db_session:
        person = accounts.find_token_owner(db_session, found.group(1))
        return DeskPerson.of(person, is_token=True) if person is not None else None


def _current_person() -> DeskPerson | Nobody:
    if "desk_person" not in g:
        person = None
        if request.path.startswith("/api/desk/") and "Authorization" in request.headers:
            person = _load_token_person()  # a token request never falls back to the cookie
        else:
            found = _flask_login_user._get_current_object()
            person = found if isinstance(found, DeskPerson) else None
        g.desk_person = person or Nobody()
    return g.desk_person


current_person: DeskPerson | Nobody = LocalProxy(_current_person)  # type: ignore[assignment]
"""The person making this request (``is_authenticated`` False when nobody is signed in)."""


def sign_in(person: accounts.Person) -> None:
    """Start a fresh desk session for ``person`` (the old session's contents are dropped,
    except the reading language)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(DeskPerson.of(person))
    session[_SIGNED_IN_AT] = dt.datetime.now(dt.UTC).timestamp()
    g.pop("desk_person", None)


def renew(person: accounts.Person) -> None:
    """Keep this session signed in after a change that ended all of the person's sessions."""
    signed_in_at = session.get(_SIGNED_IN_AT)
    login_user(DeskPerson.of(person))
    session[_SIGNED_IN_AT] = signed_in_at
    g.pop("desk_person", None)


def sign_out() -> None:
    """Forget the desk session in this browser (the caller ends the person's sessions)."""
    logout_user()
    session.clear()
    g.pop("desk_person", None)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else ``None`` (no open redirects).

    Accepted: a path starting with one ``/``; refused: ``//host``, any ``\\``, a scheme,
    control characters.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    if ":" in target.split("?", 1)[0].split("/", 2)[1]:
        return None  # e.g. "/javascript:..." is a path, but keep nothing scheme-like at all
    return target
