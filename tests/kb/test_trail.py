"""What the customer tried before writing, read from the event log by the ticket's session."""

from __future__ import annotations

import datetime as dt

from kb import events, tickets

from .desk import START, open_ticket, read

VISITOR = "ab" * 16


def write(db, *rows):
    """Events of ``VISITOR`` at ``START`` + seconds: ``(seconds, kind, fields)``."""
    with db.session() as session:
        events.write_events(session, [
            events.Event(kind=kind, session_id=fields.pop("session_id", VISITOR),
                         created_at=START + dt.timedelta(seconds=seconds), locale="en",
                         **fields)
            for seconds, kind, fields in rows])


def trail(db, reference):
    with db.session() as session:
        return tickets.customer_trail(session, read(db, reference))


def test_the_trail_has_searches_with_counts_and_clicks_reads_with_times_and_the_last_page(db):
    write(db,
          (0, "search", {"query": "locked out", "result_count": 4}),
          (5, "view", {"slug": "account-locked", "source": "search"}),
          (5, "click", {"slug": "account-locked", "query": "locked out", "rank": 1}),
          (95, "search", {"query": "unlock", "result_count": 0}),
          (100, "need_help", {"slug": "account-locked"}),
          (110, "suggestion_open", {"slug": "password-reset"}),
          (30, "vote", {"slug": "account-locked", "value": "no"}),
          (40, "search", {"query": "someone else", "session_id": "cd" * 16}))
    reference = open_ticket(db, minutes=2, session_id=VISITOR)
    steps = trail(db, reference)
    assert [(s.kind, s.query or s.slug) for s in steps] == [
        ("search", "locked out"), ("view", "account-locked"), ("search", "unlock"),
        ("need_help", "account-locked"), ("suggestion_open", "password-reset")]
    assert (steps[0].result_count, steps[0].clicked) == (4, ["account-locked"])
    assert (steps[2].result_count, steps[2].clicked) == (0, [])
    assert steps[1].seconds == 90


def test_events_after_the_ticket_or_a_day_before_it_are_not_in_its_trail(db):
    write(db, (-2 * 86400, "search", {"query": "last week"}),
          (10, "search", {"query": "just before"}),
          (600, "search", {"query": "after"}))
    reference = open_ticket(db, minutes=1, session_id=VISITOR)
    assert [s.query for s in trail(db, reference)] == ["just before"]


def test_without_events_the_trail_copied_into_the_ticket_is_used(db):
    stored = [{"kind": "search", "query": "refund", "slug": None, "locale": "en",
               "created_at": "2026-11-30T08:59:00"}]
    reference = open_ticket(db, trail=stored)
    steps = trail(db, reference)
    assert [(s.kind, s.query, s.created_at) for s in steps] == [
        ("search", "refund", dt.datetime(2026, 11, 30, 8, 59))]
