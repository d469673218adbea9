"""Saved replies: answers agents reuse, one set per locale, with ``{name}`` and ``{reference}``
filled in from the ticket.

Only those two placeholders exist; any other ``{word}`` is refused when the reply is saved, so
a typo never reaches a customer as a literal ``{nmae}``. Braces that are not one ``{word}``
(JSON, most code) stay as written.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from kb.articles import LOCALES
from kb.db import Base, Database
from kb.errors import InvalidSavedReply
from kb.submissions import MAX_DESCRIPTION
from kb.tickets.models import Ticket, utc_now

PLACEHOLDERS = ("name", "reference")
MAX_NAME = 100
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
FALLBACK_NAME = {"ko": "고객", "en": "there"}
"""``{name}`` when the customer gave none: "안녕하세요 고객님", "Hello there"."""


class SavedReply(Base):
    """One saved reply: a short ``name`` agents pick it by, unique per locale, and its body."""

    __tablename__ = "saved_replies"
    __table_args__ = (UniqueConstraint("locale", "name", name="uq_saved_replies_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locale: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


def save_reply(db: Database, *, locale: str, name: str, body: str) -> SavedReply:
    """Create the saved reply ``name`` of ``locale``, or replace its body if it exists.

    Raises ``InvalidSavedReply`` naming every bad field (all of them, not the first).
    """
    name, body = name.strip(), body.replace("\x00", "").strip()
    problems = {}
    if locale not in LOCALES:
        problems["locale"] = f"unknown locale {locale!r}; locales are: {', '.join(LOCALES)}"
    if not name:
        problems["name"] = "give the saved reply a name"
    elif len(name) > MAX_NAME:
        problems["name"] = f"the name is over {MAX_NAME} characters"
    if not body:
        problems["body"] = "the saved reply is empty"
    elif len(body) > MAX_DESCRIPTION:
        problems["body"] = f"the saved reply is over {MAX_DESCRIPTION} characters"
    unknown = sorted({m for m in _PLACEHOLDER.findall(body) if m not in PLACEHOLDERS})
    if unknown:
        problems["body"] = ("unknown placeholder " + ", ".join(f"{{{u}}}" for u in unknown)
                            + "; use {name} or {reference}")
    if problems:
        raise InvalidSavedReply(problems)
    for _attempt in range(2):
        try:
            with db.session() as session:
                saved = session.scalars(select(SavedReply).where(
                    SavedReply.locale == locale, SavedReply.name == name)).first()
                now = utc_now()
                if saved is None:
                    saved = SavedReply(locale=locale, name=name, body=body, created_at=now,
                                       updated_at=now)
                    session.add(saved)
                else:
                    saved.body, saved.updated_at = body, now
            return saved
        except IntegrityError:
            continue  # saved by someone else at the same moment: replace theirs
    raise InvalidSavedReply({"name": "this name was saved twice at once; try again"})


def saved_replies(session: Session, locale: str) -> list[SavedReply]:
    """The saved replies of ``locale`` by name."""
    return list(session.scalars(select(SavedReply).where(SavedReply.locale == locale)
                                .order_by(SavedReply.name)))


def delete_saved_reply(db: Database, reply_id: int) -> bool:
    """Delete saved reply ``reply_id``; ``False`` when there was none."""
    with db.session() as session:
        saved = session.get(SavedReply, reply_id)
        if saved is None:
            return False
        session.delete(saved)
        return True


def fill_placeholders(body: str, ticket: Ticket) -> str:
    """``body`` with ``{name}`` and ``{reference}`` of ``ticket`` filled in.

    >>> fill_placeholders("Hello {name}, about {reference}", ticket)  # doctest: +SKIP
    'Hello Min, about DF-7K3Q-9XM4'
    """
    values = {"name": ticket.name or FALLBACK_NAME.get(ticket.locale, ""),
              "reference": ticket.reference}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)
