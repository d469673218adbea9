"""A resolved ticket turned into an article draft in the content store, linked to the ticket and
never served until an editor publishes it."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from kb import content, tickets
from web.config import REPOSITORY

from .desk import open_ticket, read
from .test_trail import VISITOR, write

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def db(db):
    """The ticket database with the sample help center in its content store."""
    report = content.import_folder(db, REPOSITORY / "articles")
    assert report.errors == []
    return db


def draft(db, reference, categories=("account", "payment")):
    with db.session() as session:
        return tickets.draft_from_ticket(session, tickets.find_ticket(session, reference),
                                         categories=categories, author="agent@example.com",
                                         today=TODAY)


def stored(db, slug, locale="en") -> content.ArticleState:
    with db.session() as session:
        return content.read_article(session, locale, slug)


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_a_resolved_ticket_becomes_a_draft_with_the_customers_words(db, knowledge, tmp_path):
    write(db, (0, "search", {"query": "account locked", "result_count": 2}))
    reference = open_ticket(db, minutes=1, session_id=VISITOR, subject="Locked out of my account",
                            description="It says my account is locked.\nI tried twice.")
    tickets.reply(db, knowledge, reference, message="Checking.", internal=True)
    tickets.reply(db, knowledge, reference, message="Wait 30 minutes, then **reset**.",
                  links=["password-reset"], status="resolved")
    made = draft(db, reference)
    assert (made.locale, made.slug, made.revision) == ("en", "locked-out-of-my-account", 1)
    state = stored(db, made.slug)
    assert (state.status, state.published, state.ticket_reference, state.owner) == (
        "draft", None, reference, "agent@example.com")
    assert front_matter(state.markdown) == {
        "title": "Locked out of my account", "slug": "locked-out-of-my-account",
        "locale": "en", "category": "account",
        "questions": ["It says my account is locked.", "account locked"],
        "related": ["password-reset"], "updated": TODAY}
    assert state.markdown.endswith("---\nWait 30 minutes, then **reset**.\n")


def test_the_draft_is_never_served_and_never_overwrites(db, knowledge):
    reference = open_ticket(db, locale="ko", subject="로그인이 안 돼요", category="other")
    tickets.reply(db, knowledge, reference, message="비밀번호를 재설정해 주세요.",
                  status="resolved")
    first = draft(db, reference, categories=("account",))
    second = draft(db, reference, categories=("account",))
    slug = f"ticket-{reference.lower()}"
    assert (first.slug, second.slug) == (slug, f"{slug}-2")
    assert [stored(db, s, "ko").status for s in (slug, f"{slug}-2")] == ["draft", "draft"]
    served = content.PublishedContent()
    with db.session() as session:
        served.refresh(session)
    assert served.knowledge.articles("ko")  # the sample help center is served...
    assert served.knowledge.get("ko", slug) is None  # ...and the drafts are not


def test_an_open_ticket_cannot_become_a_draft(db):
    reference = open_ticket(db)
    with pytest.raises(tickets.DraftRefused, match="only a resolved ticket"):
        draft(db, reference)
    with db.session() as session:
        assert [e.slug for e in content.list_articles(session, status="draft")] == []
    assert read(db, reference).status == "received"
