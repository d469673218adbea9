"""Similar open tickets and merging them: one reply reaches every merged customer."""

from __future__ import annotations

import pytest

from kb import tickets

from .desk import open_ticket, read


def similar(db, reference):
    with db.session() as session:
        return [s.reference for s in
                tickets.similar_open_tickets(session, tickets.find_ticket(session, reference))]


def test_the_same_complaint_is_found_and_other_topics_and_locales_are_not(db):
    first = open_ticket(db, subject="App crashes on start",
                        description="The app crashes every time I open it.")
    same = open_ticket(db, subject="app crash when opening",
                       description="Since this morning the app crashes when I open it.")
    open_ticket(db, subject="Refund", description="Please refund my last payment.")
    open_ticket(db, locale="ko", subject="App crashes on start",
                description="The app crashes every time I open it.")
    assert similar(db, first) == [same]


def test_korean_words_with_different_particles_still_meet(db):
    first = open_ticket(db, locale="ko", subject="로그인이 안 돼요",
                        description="비밀번호를 맞게 넣어도 로그인이 안 됩니다.")
    same = open_ticket(db, locale="ko", subject="로그인을 못 해요",
                       description="비밀번호가 맞는데 로그인을 할 수 없어요.")
    open_ticket(db, locale="ko", subject="환불 요청", description="지난달 결제를 환불해 주세요.")
    assert similar(db, first) == [same]


def test_a_reply_to_the_target_reaches_every_merged_ticket(db, knowledge):
    target = open_ticket(db, email="a@example.com")
    others = [open_ticket(db, email=f"{n}@example.com") for n in "bc"]
    assert tickets.merge_tickets(db, target, others, person_id=2) == others
    assert similar(db, target) == []
    with db.session() as session:
        assert [r.reference for r in tickets.queue_page(session).rows] == [target]
    replied = tickets.reply(db, knowledge, target, message="The outage is over.",
                            links=["password-reset"], status="resolved")
    assert [r.ticket.reference for r in replied.merged] == others
    assert all(r.token for r in replied.merged)
    for reference in others:
        ticket = read(db, reference)
        assert ticket.status == "resolved"
        assert [m.body for m in ticket.public_messages][-1] == "The outage is over."
        assert [m.body for m in ticket.messages if m.internal] == [f"Merged into {target}."]
    with db.session() as session:
        assert tickets.article_link_counts(session) == {("en", "password-reset"): 3}


def test_merging_refuses_itself_closed_and_other_locales_naming_each(db, knowledge):
    target = open_ticket(db)
    korean = open_ticket(db, locale="ko", subject="로그인", description="안 돼요")
    with pytest.raises(tickets.MergeRefused) as raised:
        tickets.merge_tickets(db, target, [target, korean])
    assert str(raised.value) == (f"{target} is the ticket it would be merged into; "
                                 f"{korean} is in ko, {target} in en")
    assert read(db, korean).merged_into_id is None


def test_merging_an_unknown_reference_names_it(db):
    target = open_ticket(db)
    with pytest.raises(tickets.TicketNotFound, match="DF-2222-2222"):
        tickets.merge_tickets(db, target, ["DF-2222-2222"])
