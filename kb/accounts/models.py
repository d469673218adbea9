"""The tables of staff accounts: people and their roles, API tokens, one-time links.

A person's ``session_epoch`` is the server-side revocation point of every desk session: a
session remembers the epoch it began in, and a request is signed in only while the row still
has that epoch. Signing out, a password change, a role change and disabling all add one.
Secrets (API tokens, link tokens) are stored as SHA-256 digests: they are 256-bit random
values, so a fast digest is enough and a stolen database holds nothing usable.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.db import Base

ROLES = ("agent", "editor", "admin")
"""Roles a person may hold, any number of them."""


def utcnow() -> dt.datetime:
    """Now, as the naive UTC the tables store."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Person(Base):
    """A member of staff who signs in to the desk."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_totp_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    role_rows: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PersonRole.role")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


class PersonRole(Base):
    """One role one person holds."""

    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class ApiToken(Base):
    """A personal token for ``/api/desk/``: shown once, kept as a digest, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AccountLink(Base):
    """A one-time link that sets a password: an invitation (``set``) or a reset (``reset``)."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
