"""The agents' queue: longest wait first, filters, keyset pages, counts per step, bulk actions."""

from __future__ import annotations

import pytest

from kb import tickets
from kb.tickets import QueueFilter

from .desk import open_ticket, read


def page(db, filters=None, **options):
    with db.session() as session:
        return tickets.queue_page(session, filters, **options)


def refs(found) -> list[str]:
    return [row.reference for row in found.rows]


def test_the_longest_waiting_ticket_comes_first_and_an_answer_sends_it_back(db, knowledge):
    newest = open_ticket(db, minutes=30)
    oldest = open_ticket(db, minutes=0)
    middle = open_ticket(db, minutes=10)
    assert refs(page(db)) == [oldest, middle, newest]
    tickets.reply(db, knowledge, oldest, message="Looking into it.", status="investigating")
    assert refs(page(db)) == [middle, newest, oldest]


def test_keyset_pages_cover_every_ticket_once_in_order(db):
    made = [open_ticket(db, minutes=i) for i in range(7)]
    seen, cursor = [], None
    while True:
        found = page(db, limit=3, cursor=cursor)
        seen += refs(found)
        if found.next_cursor is None:
            break
        cursor = found.next_cursor
    assert seen == made


def test_tickets_with_the_same_waiting_time_page_by_id(db):
    made = [open_ticket(db, minutes=5) for _ in range(4)]
    first = page(db, limit=2)
    second = page(db, limit=2, cursor=first.next_cursor)
    assert refs(first) + refs(second) == made and second.next_cursor is None


@pytest.mark.parametrize("cursor", ["nonsense", "WzEsMl0", "!!!"], ids=["text", "wrong", "bad"])
def test_a_cursor_not_made_by_the_queue_is_refused_by_name(db, cursor):
    with pytest.raises(tickets.InvalidQueueFilter) as raised:
        page(db, cursor=cursor)
    assert set(raised.value.problems) == {"cursor"}


def test_counts_per_step_ignore_the_step_filter_but_keep_the_others(db, knowledge):
    a = open_ticket(db, category="payment")
    open_ticket(db, category="payment")
    open_ticket(db, category="account")
    tickets.reply(db, knowledge, a, message="Fixed.", status="resolved")
    found = page(db, QueueFilter(category="payment", steps=("resolved",)))
    assert refs(found) == [a]
    assert found.counts == {"received": 1, "investigating": 0, "proposed": 0, "resolved": 1,
                            "closed": 0}


@pytest.mark.parametrize(("text", "expected"), [
    ("locked", ["a"]), ("LOCKED", ["a"]), ("refund", ["b"]), ("kim@", ["b"]),
    ("환불", ["c"]), ("100%", []),
], ids=["body", "case", "subject", "email", "korean", "wildcard-is-literal"])
def test_text_finds_subject_body_and_email(db, text, expected):
    made = {"a": open_ticket(db, description="My account is locked."),
            "b": open_ticket(db, subject="Refund please", description="Charged twice.",
                             email="kim@example.com"),
            "c": open_ticket(db, locale="ko", subject="환불해 주세요", description="두 번 결제됨")}
    assert refs(page(db, QueueFilter(text=text))) == [made[k] for k in expected]


def test_text_that_is_a_reference_finds_that_ticket(db):
    open_ticket(db)
    wanted = open_ticket(db)
    assert refs(page(db, QueueFilter(text=wanted.lower().replace("-", "")))) == [wanted]


def test_locale_and_assignee_filters(db):
    mine = open_ticket(db, minutes=1)
    theirs = open_ticket(db, minutes=2)
    nobody = open_ticket(db, minutes=3, locale="ko", subject="로그인", description="안 돼요")
    tickets.assign(db, [mine], 7)
    tickets.assign(db, [theirs], 8)
    assert refs(page(db, QueueFilter(assignee=7))) == [mine]
    assert refs(page(db, QueueFilter(assignee="unassigned"))) == [nobody]
    assert refs(page(db, QueueFilter(assignee="anyone", locale="en"))) == [mine, theirs]


def test_bad_filters_are_all_named(db):
    with pytest.raises(tickets.InvalidQueueFilter) as raised:
        QueueFilter(steps=("open",), assignee="me", text="x" * 201)
    assert set(raised.value.problems) == {"status", "assignee", "q"}
    assert "received" in raised.value.problems["status"]


def test_a_page_size_out_of_range_is_refused(db):
    with pytest.raises(tickets.InvalidQueueFilter, match="limit must be from 1 to 200"):
        page(db, limit=0)


def test_bulk_move_checks_every_ticket_before_changing_any(db, knowledge):
    a, b = open_ticket(db), open_ticket(db)
    tickets.reply(db, knowledge, b, message="Done.", status="resolved")
    tickets.move_tickets(db, [b], "investigating")  # a reopen by an agent is allowed
    tickets.reply(db, knowledge, b, message="Done now.", status="resolved")
    with pytest.raises(tickets.AssignmentRefused) as raised:
        tickets.move_tickets(db, [a, b, "DF-2222-2222"], "proposed")
    assert set(raised.value.refused) == {b, "DF-2222-2222"}
    assert "cannot become proposed" in raised.value.refused[b]
    assert (read(db, a).status, read(db, b).status) == ("received", "resolved")


def test_bulk_move_records_who_moved_each_ticket(db):
    a, b = open_ticket(db), open_ticket(db)
    assert tickets.move_tickets(db, [a, b], "investigating", person_id=3) == [a, b]
    for reference in (a, b):
        steps = [(s.from_status, s.to_status, s.actor, s.person_id)
                 for s in read(db, reference).steps]
        assert steps == [(None, "received", "customer", None),
                         ("received", "investigating", "agent", 3)]


def test_bulk_assign_and_unassign(db):
    a, b = open_ticket(db), open_ticket(db)
    tickets.assign(db, [a, b], 5)
    assert (read(db, a).assignee_id, read(db, b).assignee_id) == (5, 5)
    tickets.assign(db, [b], None)
    assert read(db, b).assignee_id is None


def test_bulk_assign_with_an_unknown_reference_changes_nothing(db):
    a = open_ticket(db)
    with pytest.raises(tickets.AssignmentRefused) as raised:
        tickets.assign(db, [a, "DF-ZZZZ-ZZZZ"], 5)
    assert raised.value.refused == {"DF-ZZZZ-ZZZZ": "no such ticket"}
    assert read(db, a).assignee_id is None
