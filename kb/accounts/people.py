"""People: adding, finding, roles, disabling, passwords and signing in.

Every change that must end a person's sessions (a password change, a role change, disabling,
signing out) goes through ``end_sessions``, which adds one to the row's ``session_epoch`` in a
single ``UPDATE ... SET session_epoch = session_epoch + 1`` (two changes at once both count).
Changes that could leave nobody able to manage people write first (the epoch), so that on
SQLite the write lock is held before the remaining admins are counted, and on PostgreSQL they
also lock the active admins' rows: two admins demoting each other at once cannot both win.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb.accounts.errors import EmailTaken, InvalidInput, LastAdmin
from kb.accounts.models import ROLES, Person, PersonRole
from kb.accounts.passwords import PasswordHashing

MAX_EMAIL_CHARS = 254
MAX_NAME_CHARS = 100
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def normalize_email(text: str) -> str:
    """Return ``text`` trimmed and lower-cased if it looks like an email, else raise
    ``InvalidInput`` on ``email`` (``admin@localhost`` is accepted: no dot is required)."""
    email = text.strip().lower()
    if not email:
        raise InvalidInput("email_required", "an email address is required", field="email")
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email):
        raise InvalidInput("email_invalid", f"not an email address: {text!r}", field="email")
    return email


def check_name(text: str) -> str:
    """Return the display name trimmed, NFC, without control characters; at most 100 chars."""
    name = "".join(ch for ch in unicodedata.normalize("NFC", text).strip()
                   if unicodedata.category(ch)[0] != "C")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput("name_long", f"a name may have at most {MAX_NAME_CHARS} characters",
                           field="name")
    return name


def check_roles(roles: Iterable[str]) -> frozenset[str]:
    """Return ``roles`` as a set if each is one of ``ROLES`` and there is at least one."""
    chosen = frozenset(role.strip().lower() for role in roles)
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        raise InvalidInput("role_unknown", f"unknown role {unknown[0]!r}: choose from "
                           f"{', '.join(ROLES)}", field="roles")
    if not chosen:
        raise InvalidInput("roles_required", "choose at least one role", field="roles")
    return chosen


def find_person(session: Session, email: str) -> Person | None:
    """The person with ``email`` (any case), or ``None``."""
    return session.scalar(select(Person).where(Person.email == email.strip().lower()))


def get_person(session: Session, person_id: int) -> Person | None:
    """The person with id ``person_id``, or ``None``."""
    return session.get(Person, person_id)


def list_people(session: Session) -> list[Person]:
    """Every person, by email."""
    return list(session.scalars(select(Person).order_by(Person.email)))


def add_person(session: Session, email: str, *, roles: Iterable[str], name: str = "",
               password_hash: str | None = None) -> Person:
    """Add a person; raise ``InvalidInput`` or ``EmailTaken`` (also when another process adds
    the same email at the same moment: the unique index decides)."""
    person = Person(email=normalize_email(email), name=check_name(name),
                    password_hash=password_hash, is_disabled=False, session_epoch=0,
                    is_totp_required=False)
    person.role_rows = [PersonRole(role=role) for role in sorted(check_roles(roles))]
    if find_person(session, person.email) is not None:
        raise EmailTaken(f"{person.email} already has an account")
    try:
        with session.begin_nested():
            session.add(person)
    except IntegrityError:
        raise EmailTaken(f"{person.email} already has an account") from None
    return person


def end_sessions(session: Session, person: Person) -> None:
    """End every desk session of ``person`` at once (add one to the epoch)."""
    session.execute(update(Person).where(Person.id == person.id)
                    .values(session_epoch=Person.session_epoch + 1))
    session.refresh(person, ["session_epoch"])


def set_roles(session: Session, person: Person, roles: Iterable[str]) -> None:
    """Give ``person`` exactly ``roles`` and end their sessions; raise ``LastAdmin`` when this
    would remove the last active admin."""
    chosen = check_roles(roles)
    if chosen == person.roles:
        return
    end_sessions(session, person)
    if "admin" not in chosen:
        _keep_an_admin(session, person)
    person.role_rows = [PersonRole(role=role) for role in sorted(chosen)]
    session.flush()


def set_disabled(session: Session, person: Person, is_disabled: bool) -> None:
    """Disable (ending every session and API use) or enable ``person``."""
    if is_disabled == person.is_disabled:
        return
    end_sessions(session, person)
    if is_disabled:
        _keep_an_admin(session, person)
    person.is_disabled = is_disabled
    session.flush()


def set_password(session: Session, person: Person, password_hash: str) -> None:
    """Store a new password hash and end every session of ``person``."""
    person.password_hash = password_hash
    session.flush()
    end_sessions(session, person)


def set_totp_required(session: Session, person: Person, is_required: bool) -> None:
    """Require (or stop requiring) a second factor of ``person`` at sign-in."""
    person.is_totp_required = is_required


def authenticate(session: Session, hashing: PasswordHashing, email: str,
                 password: str) -> Person | None:
    """The active person whose email and password these are, else ``None``.

    Every failure (unknown email, no password yet, disabled, wrong password) costs one argon2
    verification, so the time does not tell them apart. A hash made with older parameters is
    replaced by one with the current parameters.
    """
    person = find_person(session, email)
    if person is None or person.password_hash is None or person.is_disabled:
        hashing.verify_nothing(password)
        return None
    if not hashing.verify(person.password_hash, password):
        return None
    if hashing.needs_rehash(person.password_hash):
        person.password_hash = hashing.hash(password)
    return person


def _keep_an_admin(session: Session, person: Person) -> None:
    if "admin" not in person.roles or person.is_disabled:
        return
    admins = session.scalars(
        select(Person.id).join(PersonRole).where(PersonRole.role == "admin",
                                                 Person.is_disabled.is_(False))
        .with_for_update(of=Person)).all()
    if set(admins) <= {person.id}:
        raise LastAdmin(f"{person.email} is the last active admin: make someone else admin "
                        "first")
