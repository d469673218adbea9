"""``tickets.reply``: an agent's answer in one transaction, on every database backend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kb import tickets
from kb.submissions import parse_submission

FORM = {"category": "account", "subject": "Cannot log in", "description": "It says locked.",
        "email": "min@example.com", "consent": "on"}


@pytest.fixture
def reference(db) -> str:
    created = tickets.create_ticket(db, parse_submission(FORM, locale="en"),
                                    idempotency_key="reply-test")
    return created.ticket.reference


def stored(db, reference):
    with db.session() as session:
        ticket = tickets.find_ticket(session, reference)
        links = session.scalar(select(func.count()).select_from(tickets.TicketLink))
        return ticket, links


def test_reply_adds_the_message_moves_the_step_and_issues_a_working_link(db, knowledge,
                                                                          reference):
    replied = tickets.reply(db, knowledge, reference.lower(), message="Try a reset.",
                            links=["password-reset"], status="proposed")
    assert isinstance(replied, tickets.Replied)
    assert (replied.message.author, replied.message.links) == ("agent", ["password-reset"])
    ticket, links = stored(db, reference)
    assert ticket.status == "proposed" and links == 2
    assert [m.body for m in ticket.messages] == ["It says locked.", "Try a reset."]
    with db.session() as session:
        assert tickets.find_by_token(session, replied.token).reference == reference


def test_unknown_article_names_the_slug_and_stores_nothing(db, knowledge, reference):
    with pytest.raises(tickets.UnknownArticle) as raised:
        tickets.reply(db, knowledge, reference, message="See this",
                      links=["password-reset", "no-such-article"])
    assert raised.value.slugs == ("no-such-article",)
    assert str(raised.value) == "no published en article: no-such-article"
    ticket, links = stored(db, reference)
    assert len(ticket.messages) == 1 and links == 1


def test_a_move_not_allowed_stores_nothing(db, knowledge, reference):
    with pytest.raises(tickets.InvalidTransition, match="cannot become closed"):
        tickets.reply(db, knowledge, reference, message="Closing", status="closed")
    ticket, links = stored(db, reference)
    assert (ticket.status, len(ticket.messages), links) == ("received", 1, 1)


def test_an_empty_message_is_refused(db, knowledge, reference):
    with pytest.raises(tickets.InvalidMessage) as raised:
        tickets.reply(db, knowledge, reference, message="   ")
    assert raised.value.code == "required"


def test_an_unknown_reference_is_ticket_not_found(db, knowledge):
    with pytest.raises(tickets.TicketNotFound, match="DF-2222-2222"):
        tickets.reply(db, knowledge, "DF-2222-2222", message="Hello")
