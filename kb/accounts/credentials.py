"""Secrets that stand in for a password: one-time links and personal API tokens.

A one-time link (``set`` for an invitation, ``reset`` for a forgotten password) and an API
token are 256-bit random values shown once and stored as their SHA-256 digest. A link works
once and until it expires; using one closes every other open link of the same person. A token
works until revoked, and only while its person is active.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.accounts.errors import InvalidInput
from kb.accounts.models import AccountLink, ApiToken, Person, utcnow
from kb.accounts.people import set_password

LINK_LIFETIMES = {"set": dt.timedelta(hours=24), "reset": dt.timedelta(minutes=30)}
"""How long each kind of one-time link works: an invitation a day, a reset half an hour."""
TOKEN_PREFIX = "dfl_"
MAX_LABEL_CHARS = 80


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a link or token is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_link(session: Session, person: Person, purpose: str, *,
               now: dt.datetime | None = None) -> str:
    """Create a one-time link of ``purpose`` (``set`` or ``reset``); return its secret."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session.add(AccountLink(person_id=person.id, purpose=purpose, token_hash=digest(secret),
                            created_at=now, expires_at=now + LINK_LIFETIMES[purpose]))
    return secret


def find_link(session: Session, secret: str, *,
              now: dt.datetime | None = None) -> AccountLink | None:
    """The open (unused, unexpired) link ``secret`` names, or ``None``."""
    return session.scalar(select(AccountLink).where(AccountLink.token_hash == digest(secret),
                                                    AccountLink.used_at.is_(None),
                                                    AccountLink.expires_at > (now or utcnow())))


def use_link(session: Session, secret: str, password_hash: str, *,
             now: dt.datetime | None = None) -> Person | None:
    """Set the password of the link's person and close all their open links; ``None`` if the
    link is unknown, used or expired.

    The link is closed by a conditional ``UPDATE ... WHERE used_at IS NULL`` before anything
    else: of two requests with one link, only the one whose update counted a row goes on.
    """
    now = now or utcnow()
    link = find_link(session, secret, now=now)
    if link is None:
        return None
    closed = session.execute(update(AccountLink).where(AccountLink.id == link.id,
                                                       AccountLink.used_at.is_(None))
                             .values(used_at=now))
    person = session.get(Person, link.person_id)
    if closed.rowcount != 1 or person is None or person.is_disabled:
        return None
    session.execute(update(AccountLink).where(AccountLink.person_id == person.id,
                                              AccountLink.used_at.is_(None))
                    .values(used_at=now))
    set_password(session, person, password_hash)
    return person


def issue_api_token(session: Session, person: Person, label: str, *,
                    now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token; return the row and the secret (shown once)."""
    label = label.strip()
    if not label:
        raise InvalidInput("label_required", "name the token (what uses it)", field="label")
    if len(label) > MAX_LABEL_CHARS:
        raise InvalidInput("label_long", f"a token name may have at most {MAX_LABEL_CHARS} "
                           "characters", field="label")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person_id=person.id, label=label, token_hash=digest(secret),
                     hint=secret[:8], created_at=now or utcnow())
    session.add(token)
    session.flush()
    return token, secret


def find_token_owner(session: Session, secret: str, *,
                     now: dt.datetime | None = None) -> Person | None:
    """The active person an unrevoked token belongs to (noting its use), else ``None``."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret),
                                                  ApiToken.revoked_at.is_(None)))
    if token is None:
        return None
    person = session.get(Person, token.person_id)
    if person is None or person.is_disabled:
        return None
    token.last_used_at = now or utcnow()
    return person


def list_api_tokens(session: Session, person: Person) -> list[ApiToken]:
    """The person's tokens that still work, newest first."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token(session: Session, person: Person, token_id: int, *,
                     now: dt.datetime | None = None) -> bool:
    """Revoke the person's token ``token_id``; ``False`` if they hold no such working token."""
    result = session.execute(
        update(ApiToken).where(ApiToken.id == token_id, ApiToken.person_id == person.id,
                               ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()))
    return result.rowcount == 1
