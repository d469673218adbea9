"""A resolved ticket turned into an article draft the loader reads and never publishes."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from kb import KnowledgeBase, load_articles, tickets

from .desk import open_ticket, read
from .test_trail import VISITOR, write

TODAY = dt.date(2026, 12, 1)


def draft(db, reference, folder, categories=("account", "payment")):
    with db.session() as session:
        return tickets.draft_from_ticket(session, tickets.find_ticket(session, reference),
                                         folder, categories=categories, today=TODAY)


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_a_resolved_ticket_becomes_a_draft_with_the_customers_words(db, knowledge, tmp_path):
    write(db, (0, "search", {"query": "account locked", "result_count": 2}))
    reference = open_ticket(db, minutes=1, session_id=VISITOR, subject="Locked out of my account",
                            description="It says my account is locked.\nI tried twice.")
    tickets.reply(db, knowledge, reference, message="Checking.", internal=True)
    tickets.reply(db, knowledge, reference, message="Wait 30 minutes, then **reset**.",
                  links=["password-reset"], status="resolved")
    made = draft(db, reference, tmp_path)
    assert made.path == tmp_path / "en" / "account" / "locked-out-of-my-account.md"
    assert front_matter(made.path.read_text(encoding="utf-8")) == {
        "title": "Locked out of my account", "slug": "locked-out-of-my-account",
        "locale": "en", "category": "account",
        "questions": ["It says my account is locked.", "account locked"],
        "status": "draft", "related": ["password-reset"], "updated": TODAY}
    assert made.text.endswith("---\nWait 30 minutes, then **reset**.\n")


def test_the_draft_loads_as_an_unpublished_article_and_never_overwrites(db, knowledge,
                                                                        tmp_path):
    (tmp_path / "categories.yml").write_text(
        "account: {order: 1, name: {ko: 계정, en: Account}}\n", encoding="utf-8")
    reference = open_ticket(db, locale="ko", subject="로그인이 안 돼요", category="other")
    tickets.reply(db, knowledge, reference, message="비밀번호를 재설정해 주세요.",
                  status="resolved")
    first = draft(db, reference, tmp_path, categories=("account",))
    second = draft(db, reference, tmp_path, categories=("account",))
    slug = f"ticket-{reference.lower()}"
    assert (first.slug, second.slug) == (slug, f"{slug}-2")
    loaded = load_articles(tmp_path)
    assert sorted(a.slug for a in loaded.articles if not a.is_published) == [
        slug, f"{slug}-2"]
    assert not [p for p in loaded.problems if p.level == "error"]
    assert KnowledgeBase.from_result(loaded).get("ko", slug) is None


def test_an_open_ticket_cannot_become_a_draft(db, tmp_path):
    reference = open_ticket(db)
    with pytest.raises(tickets.DraftRefused, match="only a resolved ticket"):
        draft(db, reference, tmp_path / "articles")
    assert not (tmp_path / "articles").exists()
    assert read(db, reference).status == "received"
