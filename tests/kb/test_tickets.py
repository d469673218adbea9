"""Tickets in the database: creation, idempotency, links, limits and the lifecycle.

Every test runs on SQLite and, when ``DEFLECT_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, select

from kb.ratelimit import RateLimited
from kb.submissions import InvalidSubmission, parse_submission
from kb.tickets import (
    ALPHABET,
    STEPS,
    TRANSITIONS,
    Context,
    IdempotencyConflict,
    InvalidMessage,
    InvalidTransition,
    Limits,
    NewAttachment,
    Status,
    Ticket,
    TicketLink,
    add_customer_message,
    add_reply,
    check_transition,
    confirm,
    create_ticket,
    find_attachment,
    find_by_token,
    find_ticket,
    hash_token,
    list_tickets,
    new_reference,
    normalize_reference,
    reopen,
)

FORM = {"category": "account", "subject": "Cannot log in", "description": "It says locked.",
        "email": "min@example.com", "name": "Min", "phone": "", "consent": "on"}


def submission(**changes):
    return parse_submission({**FORM, **changes}, locale=changes.pop("locale", "en"))


def create(db, key="key-1", **changes):
    return create_ticket(db, submission(**changes), idempotency_key=key)


def count_tickets(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Ticket))


def test_created_ticket_is_received_with_description_as_first_message(db):
    created = create(db)
    with db.session() as session:
        ticket = find_ticket(session, created.ticket.reference)
        assert (ticket.status, ticket.description) == ("received", "It says locked.")
        assert [m.author for m in ticket.messages] == ["customer"]


def test_reference_uses_only_unambiguous_characters():
    references = {new_reference() for _ in range(200)}
    assert all(re.fullmatch(rf"DF-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", r) for r in references)
    assert not set("01ILOU") & set(ALPHABET)


def test_reference_is_normalized_from_what_a_customer_types():
    assert normalize_reference(" df7k3q-9xm4 ") == "DF-7K3Q-9XM4"
    assert normalize_reference("DF-7K3Q-9XM") is None


def test_token_is_stored_only_as_its_sha256(db):
    created = create(db)
    with db.session() as session:
        stored = session.scalars(select(TicketLink.token_hash)).all()
    assert stored == [hash_token(created.token)]
    assert created.token not in stored and len(created.token) >= 22


def test_token_opens_its_ticket(db):
    created = create(db)
    with db.session() as session:
        assert find_by_token(session, created.token).reference == created.ticket.reference


@pytest.mark.parametrize("token", ["", "nope", "x" * 500], ids=["empty", "wrong", "huge"])
def test_unknown_token_opens_nothing(db, token):
    create(db)
    with db.session() as session:
        assert find_by_token(session, token) is None


def test_tampered_token_opens_nothing(db):
    token = create(db).token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with db.session() as session:
        assert find_by_token(session, tampered) is None


def test_expired_token_opens_nothing(db):
    created = create(db)
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=181)
    with db.session() as session:
        assert find_by_token(session, created.token, now=later) is None


def test_reference_is_not_a_key_for_customers(db):
    created = create(db)
    with db.session() as session:
        assert find_by_token(session, created.ticket.reference) is None


def test_same_key_same_request_is_a_replay_of_one_ticket(db):
    first = create(db)
    second = create(db)
    assert (second.is_replay, second.ticket.id) == (True, first.ticket.id)
    assert count_tickets(db) == 1


def test_replay_gives_a_new_working_token(db):
    first, second = create(db), create(db)
    assert first.token != second.token
    with db.session() as session:
        assert find_by_token(session, second.token).id == first.ticket.id


def test_same_key_other_request_is_a_conflict(db):
    create(db)
    with pytest.raises(IdempotencyConflict, match="another request"):
        create(db, subject="Something else")
    assert count_tickets(db) == 1


def test_concurrent_submits_with_one_key_store_one_ticket(db):
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit():
        barrier.wait()
        try:
            results.append(create(db, key="double-click").ticket.id)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and count_tickets(db) == 1


def test_email_limit_holds_and_keeps_the_count_in_the_database(db):
    limits = Limits(per_address=0, per_email=2)
    for key in ("a", "b"):
        create_ticket(db, submission(), idempotency_key=key, limits=limits)
    with pytest.raises(RateLimited) as raised:
        create_ticket(db, submission(), idempotency_key="c", limits=limits)
    assert raised.value.scope == "ticket-email" and raised.value.retry_after > 0
    assert count_tickets(db) == 2


def test_email_limit_ignores_case(db):
    limits = Limits(per_address=0, per_email=1)
    create_ticket(db, submission(), idempotency_key="a", limits=limits)
    with pytest.raises(RateLimited):
        create_ticket(db, submission(email="MIN@example.com"), idempotency_key="b",
                      limits=limits)


def test_address_limit_holds_across_emails(db):
    limits = Limits(per_address=1, per_email=0)
    create_ticket(db, submission(), idempotency_key="a", limits=limits,
                  context=Context(address="10.0.0.1"))
    with pytest.raises(RateLimited) as raised:
        create_ticket(db, submission(email="other@example.com"), idempotency_key="b",
                      limits=limits, context=Context(address="10.0.0.1"))
    assert raised.value.scope == "ticket-address"


def test_limit_resets_in_the_next_window(db):
    limits = Limits(per_address=0, per_email=1, seconds=3600)
    now = dt.datetime(2026, 11, 2, 10, 0)
    create_ticket(db, submission(), idempotency_key="a", limits=limits, now=now)
    create_ticket(db, submission(), idempotency_key="b", limits=limits,
                  now=now + dt.timedelta(hours=1))
    assert count_tickets(db) == 2


def test_replay_is_not_limited(db):
    limits = Limits(per_address=0, per_email=1)
    first = create_ticket(db, submission(), idempotency_key="a", limits=limits)
    again = create_ticket(db, submission(), idempotency_key="a", limits=limits)
    assert again.ticket.id == first.ticket.id


def test_trail_and_session_are_stored_with_the_ticket(db):
    trail = [{"kind": "search", "query": "로그인", "slug": None, "locale": "ko",
              "created_at": "2026-11-02T10:00:00"}]
    created = create_ticket(db, submission(), idempotency_key="k",
                            context=Context(session_id="a" * 32, trail=trail))
    with db.session() as session:
        ticket = find_ticket(session, created.ticket.reference)
        assert (ticket.trail, ticket.session_id) == (trail, "a" * 32)


def test_source_article_is_stored_with_the_ticket(db):
    created = create_ticket(db, submission(), idempotency_key="k",
                            context=Context(source_article="refund-policy"))
    plain = create(db, key="other")
    with db.session() as session:
        assert find_ticket(session, created.ticket.reference).source_article == "refund-policy"
        assert find_ticket(session, plain.ticket.reference).source_article is None


def test_attachment_is_found_only_with_its_own_ticket(db):
    image = NewAttachment(storage_name="f" * 32, display_name="화면.png",
                          content_type="image/png", size=10, width=1, height=1, digest="d")
    mine = create_ticket(db, submission(), idempotency_key="a",
                         context=Context(attachments=[image]))
    other = create(db, key="b", email="other@example.com")
    with db.session() as session:
        ticket = find_ticket(session, mine.ticket.reference)
        public_id = ticket.attachments[0].public_id
        assert find_attachment(session, ticket, public_id).display_name == "화면.png"
        assert find_attachment(session, find_ticket(session, other.ticket.reference),
                               public_id) is None


def test_transitions_cover_every_status():
    assert set(TRANSITIONS) == set(Status)
    assert STEPS == (Status.RECEIVED, Status.INVESTIGATING, Status.PROPOSED, Status.RESOLVED)


@pytest.mark.parametrize(("current", "target"), [
    ("received", "closed"), ("investigating", "received"), ("closed", "investigating"),
    ("resolved", "proposed"), ("received", "archived"),
])
def test_invalid_transition_is_a_named_error(current, target):
    with pytest.raises(InvalidTransition, match=f"a {current} ticket cannot become {target}"):
        check_transition(current, target)


def test_reply_with_invalid_status_changes_nothing(db):
    created = create(db)
    with pytest.raises(InvalidTransition), db.session() as session:
        add_reply(session, find_ticket(session, created.ticket.reference), "Hi",
                  status="closed")
    with db.session() as session:
        ticket = find_ticket(session, created.ticket.reference)
        assert (ticket.status, len(ticket.messages)) == ("received", 1)


def test_whole_lifecycle_to_a_rating(db):
    reference = create(db).ticket.reference
    for step in ("investigating", "proposed", "resolved"):
        with db.session() as session:
            add_reply(session, find_ticket(session, reference), f"now {step}", status=step,
                      links=["password-reset"])
    with db.session() as session:
        confirm(session, find_ticket(session, reference), 4, "thanks")
    with db.session() as session:
        ticket = find_ticket(session, reference)
        assert (ticket.status, ticket.step, ticket.rating) == ("closed", "resolved", 4)
        assert ticket.messages[-1].links == ["password-reset"]


def test_still_not_solved_reopens_with_the_message(db):
    reference = create(db).ticket.reference
    with db.session() as session:
        add_reply(session, find_ticket(session, reference), "Done", status="resolved")
    with db.session() as session:
        reopen(session, find_ticket(session, reference), "Still locked")
    with db.session() as session:
        ticket = find_ticket(session, reference)
        assert (ticket.status, ticket.reopen_count) == ("investigating", 1)
        assert ticket.messages[-1].body == "Still locked"


def test_rating_before_resolution_is_refused(db):
    reference = create(db).ticket.reference
    with pytest.raises(InvalidTransition), db.session() as session:
        confirm(session, find_ticket(session, reference), 5)


@pytest.mark.parametrize("rating", [0, 6, "5"], ids=["zero", "six", "text"])
def test_rating_outside_one_to_five_is_refused(db, rating):
    reference = create(db).ticket.reference
    with pytest.raises(InvalidMessage, match="1 to 5"), db.session() as session:
        confirm(session, find_ticket(session, reference), rating)


def test_empty_follow_up_is_refused(db):
    reference = create(db).ticket.reference
    with pytest.raises(InvalidMessage, match="empty"), db.session() as session:
        add_customer_message(session, find_ticket(session, reference), "  \n ")


def test_list_filters_by_status(db):
    create(db, key="a")
    second = create(db, key="b", email="b@example.com")
    with db.session() as session:
        add_reply(session, find_ticket(session, second.ticket.reference), "x",
                  status="investigating")
    with db.session() as session:
        assert [t.reference for t in list_tickets(session, status="investigating")] == [
            second.ticket.reference]
        assert len(list_tickets(session)) == 2


@pytest.mark.parametrize(("field", "value", "code"), [
    ("email", "", "required"), ("email", "not-an-email", "email"),
    ("email", "a@b", "email"), ("description", "   ", "required"),
    ("description", "x" * 20_001, "too_long"), ("category", "billing", "category"),
    ("consent", "", "consent"), ("phone", "<script>", "phone"),
])
def test_bad_field_is_named_with_its_code(field, value, code):
    with pytest.raises(InvalidSubmission) as raised:
        parse_submission({**FORM, field: value})
    assert raised.value.errors == {field: code}


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidSubmission) as raised:
        parse_submission({"category": "nope", "locale": "en"})
    assert set(raised.value.errors) == {"category", "subject", "description", "email", "consent"}


def test_error_messages_are_in_the_customers_language():
    with pytest.raises(InvalidSubmission) as raised:
        parse_submission({**FORM, "email": ""})
    assert raised.value.messages("ko") == {"email": "이 항목을 입력해 주세요."}
    assert raised.value.messages("en") == {"email": "Please fill in this field."}


def test_description_of_exactly_the_limit_is_accepted():
    assert len(parse_submission({**FORM, "description": "가" * 20_000}).description) == 20_000


def test_cr_lf_in_single_line_fields_becomes_spaces_keeping_every_word():
    parsed = parse_submission({**FORM, "subject": "Hello\r\nBcc: evil@example.com",
                               "name": "Min\nJi"})
    assert parsed.subject == "Hello Bcc: evil@example.com"
    assert parsed.name == "Min Ji"


def test_description_keeps_its_line_breaks_and_markup_as_text():
    parsed = parse_submission({**FORM, "description": "<b>one</b>\nline two"})
    assert parsed.description == "<b>one</b>\nline two"
