"""The reply the desk sends: internal notes, assignment in the same step, linked articles counted
per article, saved replies with placeholders, and the step history."""

from __future__ import annotations

import pytest

from kb import tickets

from .desk import open_ticket, read


def test_an_internal_note_is_kept_from_the_customer_and_issues_no_link(db, knowledge):
    reference = open_ticket(db)
    note = tickets.reply(db, knowledge, reference, message="Card issuer outage.",
                         internal=True, person_id=4)
    assert note.token is None
    ticket = read(db, reference)
    assert [(m.body, m.internal, m.person_id) for m in ticket.messages][1:] == [
        ("Card issuer outage.", True, 4)]
    assert [m.body for m in ticket.public_messages] == ["It says my account is locked."]
    assert len(ticket.messages) == 2 and ticket.waiting_since == ticket.created_at


def test_a_reply_can_assign_and_move_in_the_same_step(db, knowledge):
    reference = open_ticket(db)
    tickets.reply(db, knowledge, reference, message="On it.", status="investigating",
                  assignee=9, person_id=9)
    ticket = read(db, reference)
    assert (ticket.status, ticket.assignee_id) == ("investigating", 9)
    assert [(s.to_status, s.actor, s.person_id) for s in ticket.steps][-1] == (
        "investigating", "agent", 9)
    tickets.reply(db, knowledge, reference, message="Still on it.")
    assert read(db, reference).assignee_id == 9


def test_linked_articles_are_recorded_per_ticket_and_counted_per_article(db, knowledge):
    a, b = open_ticket(db), open_ticket(db)
    tickets.reply(db, knowledge, a, message="See these.", links=["password-reset"])
    tickets.reply(db, knowledge, a, message="And again.", links=["password-reset"])
    tickets.reply(db, knowledge, b, message="This one.", links=["password-reset"])
    with db.session() as session:
        assert tickets.linked_articles(session, read(db, a)) == [("en", "password-reset")]
        assert tickets.article_link_counts(session, locale="en") == {
            ("en", "password-reset"): 2}


def test_a_note_with_a_link_does_not_count_as_an_answer(db, knowledge):
    reference = open_ticket(db)
    tickets.reply(db, knowledge, reference, message="Maybe this?", links=["password-reset"],
                  internal=True)
    with db.session() as session:
        assert tickets.article_link_counts(session) == {}


def test_the_customer_moves_are_in_the_history_too(db, knowledge):
    reference = open_ticket(db)
    tickets.reply(db, knowledge, reference, message="Fixed.", status="resolved")
    with db.session() as session:
        ticket = tickets.find_ticket(session, reference)
        tickets.reopen(session, ticket, "Not yet.")
    assert [(s.from_status, s.to_status, s.actor) for s in read(db, reference).steps] == [
        (None, "received", "customer"), ("received", "resolved", "agent"),
        ("resolved", "investigating", "customer")]


@pytest.mark.parametrize(("locale", "name", "body", "expected"), [
    ("en", "Min", "Hello {name}, about {reference}.", "Hello Min, about {ref}."),
    ("en", "", "Hello {name}!", "Hello there!"),
    ("ko", "", "안녕하세요 {name}님, {reference} 건입니다.", "안녕하세요 고객님, {ref} 건입니다."),
    ("en", "Min", "Run `f({x})` first.", "Run `f({x})` first."),
], ids=["en", "no-name", "ko-no-name", "code-braces-stay"])
def test_saved_replies_fill_name_and_reference(db, locale, name, body, expected):
    reference = open_ticket(db, locale=locale, name=name)
    ticket = read(db, reference)
    assert tickets.fill_placeholders(body, ticket) == expected.replace("{ref}", reference)


def test_a_saved_reply_with_a_typo_placeholder_is_refused_with_every_problem(db):
    with pytest.raises(tickets.InvalidSavedReply) as raised:
        tickets.save_reply(db, locale="fr", name=" ", body="Hi {nmae}, {reference}")
    assert raised.value.problems == {
        "locale": "unknown locale 'fr'; locales are: ko, en",
        "name": "give the saved reply a name",
        "body": "unknown placeholder {nmae}; use {name} or {reference}"}


def test_saved_replies_are_per_locale_and_saving_a_name_again_replaces_it(db):
    tickets.save_reply(db, locale="en", name="Reset", body="Reset it.")
    tickets.save_reply(db, locale="en", name="Reset", body="Reset it, please.")
    tickets.save_reply(db, locale="ko", name="Reset", body="재설정해 주세요.")
    with db.session() as session:
        english = tickets.saved_replies(session, "en")
        assert [(r.name, r.body) for r in english] == [("Reset", "Reset it, please.")]
        assert len(tickets.saved_replies(session, "ko")) == 1
    assert tickets.delete_saved_reply(db, english[0].id) is True
    assert tickets.delete_saved_reply(db, english[0].id) is False


def test_a_reply_written_while_the_customer_wrote_is_refused_and_stores_nothing(db, knowledge):
    reference = open_ticket(db)
    seen = read(db, reference).messages[-1].id
    with db.session() as session:
        tickets.add_customer_message(session, tickets.find_ticket(session, reference),
                                     "Also, my card was charged.")
    with pytest.raises(tickets.TicketChanged) as raised:
        tickets.reply(db, knowledge, reference, message="Reset it.", seen=seen)
    assert len(raised.value.newer) == 1 and "changed while you wrote" in str(raised.value)
    assert len(read(db, reference).messages) == 2
    newest = read(db, reference).messages[-1].id
    tickets.reply(db, knowledge, reference, message="Reset it; refund sent.", seen=newest)
    assert read(db, reference).messages[-1].body == "Reset it; refund sent."
