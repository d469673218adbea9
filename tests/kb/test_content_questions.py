"""Adding an accepted learned phrasing to an article's questions: a new revision, published at
once unless a draft is pending; every front-matter form; nothing else of the text changes."""

from __future__ import annotations

import pytest
import yaml

from kb import Database, content, schema
from kb.content.questions import with_question
from web.config import REPOSITORY

ARTICLE = """---
title: 로그인이 안 돼요
slug: login-trouble
locale: ko
category: account
{questions}keywords: [로그인]
---
본문은 그대로예요.
"""


@pytest.fixture
def imported(database_url):
    database = Database(database_url)
    schema.upgrade(database)
    report = content.import_folder(database, REPOSITORY / "articles")
    assert report.errors == [] and report.conflicts == []
    yield database
    database.engine.dispose()


def questions_of(markdown: str) -> list[str]:
    return yaml.safe_load(markdown.split("---\n")[1])["questions"]


@pytest.mark.parametrize("questions, before", [
    ("questions:\n  - 로그인 안됨\n  - 비번 틀림\n", ["로그인 안됨", "비번 틀림"]),
    ("questions:\n    - 로그인 안됨\n", ["로그인 안됨"]),
    ("questions: [로그인 안됨, 비번 틀림]\n", ["로그인 안됨", "비번 틀림"]),
    ("questions: []\n", []),
    ("", None),
])
def test_every_form_of_the_questions_list_gets_one_more_item(questions, before):
    markdown = ARTICLE.format(questions=questions)
    question = '앱에서 "로그인" 누르면: 오류 # 떠요'

    changed = with_question(markdown, question)

    assert questions_of(changed) == [*(before or []), question]
    # Only the questions changed: drop them and the rest is the same text.
    assert changed.replace(questions, "").split("---\n", 2)[2] == markdown.split("---\n", 2)[2]
    assert "keywords: [로그인]" in changed and changed.endswith("본문은 그대로예요.\n")


def test_an_article_without_front_matter_is_refused():
    with pytest.raises(content.InvalidArticle, match="front matter"):
        with_question("본문뿐이에요\n", "질문")


def test_adding_to_a_published_article_publishes_a_new_revision(imported):
    with imported.session() as session:
        before = content.read_article(session, "ko", "refund-status")
        added = content.add_question(session, locale="ko", slug="refund-status",
                                     question="환불 돈 언제 와요", author="editor@example.com")
    with imported.session() as session:
        after = content.read_article(session, "ko", "refund-status")

    assert added.is_published and added.saved.revision == before.revision + 1
    assert after.published == after.revision == before.revision + 1
    assert questions_of(after.markdown)[-1] == "환불 돈 언제 와요"


def test_a_pending_draft_gets_the_question_and_stays_unpublished(imported):
    with imported.session() as session:
        state = content.read_article(session, "ko", "refund-status")
        content.save_draft(session, locale="ko", slug="refund-status",
                           markdown=state.markdown.replace("3~5일", "3~4일"),
                           base_revision=state.revision, author="writer@example.com")
    with imported.session() as session:
        added = content.add_question(session, locale="ko", slug="refund-status",
                                     question="환불 돈 언제 와요", author="editor@example.com")
        after = content.read_article(session, "ko", "refund-status")

    assert not added.is_published
    assert after.published == state.revision and after.revision == state.revision + 2
    assert "3~4일" in after.markdown and questions_of(after.markdown)[-1] == "환불 돈 언제 와요"


def test_a_missing_article_is_named(imported):
    with imported.session() as session, pytest.raises(content.ArticleNotFound):
        content.add_question(session, locale="ko", slug="no-such-article", question="질문",
                             author="editor@example.com")
