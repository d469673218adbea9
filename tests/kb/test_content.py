"""The content store: revisions in the database, import/export with conflicts, one function per
editor action, race-safe saves, and what a worker serves. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import filecmp
import threading

import pytest
from sqlalchemy import func, select

from kb import Database, content
from kb.content.models import Revision
from kb.loader import load_articles
from web.config import REPOSITORY

SAMPLE = REPOSITORY / "articles"


@pytest.fixture
def imported(database, folder) -> Database:
    report = content.import_folder(database, folder)
    assert report.errors == [] and report.conflicts == []
    return database


def revisions(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Revision))


def latest(database: Database, locale: str, slug: str) -> content.ArticleState:
    with database.session() as session:
        return content.read_article(session, locale, slug)


def with_question(markdown: str, question: str) -> str:
    """``markdown`` with ``question`` first in its ``questions`` list (same indentation)."""
    head, _, rest = markdown.partition("questions:\n")
    indent = rest[:len(rest) - len(rest.lstrip(" "))]
    return f"{head}questions:\n{indent}- {question}\n{rest}"


def save(database: Database, markdown: str, *, base: int | None, slug: str = "login-trouble",
         locale: str = "ko", author: str = "editor@example.com") -> content.Saved:
    with database.session() as session:
        return content.save_draft(session, locale=locale, slug=slug, markdown=markdown,
                                  base_revision=base, author=author, message="edit")


def test_import_then_export_is_byte_identical_and_lint_clean(imported, tmp_path):
    out = tmp_path / "out"
    report = content.export_folder(imported, out)
    expected = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*") if p.is_file())
    assert sorted(report.written) == expected
    for relative in expected:
        assert filecmp.cmp(SAMPLE / relative, out / relative, shallow=False), relative
    assert load_articles(out).problems == []


def test_import_counts_and_a_second_import_changes_nothing(database, folder):
    first = content.import_folder(database, folder)
    articles = len(list(folder.glob("*/*/*.md")))
    assert len(first.created) == articles + 3  # and categories.yml, synonyms.txt, userdict.txt
    count = revisions(database)
    second = content.import_folder(database, folder)
    assert second.created == second.updated == [] and len(second.unchanged) == articles + 3
    assert revisions(database) == count


def test_a_changed_file_becomes_a_new_published_revision(imported, folder):
    path = folder / "ko/account/login-trouble.md"
    path.write_text(with_question(path.read_text(encoding="utf-8"), "새로운 질문 문장"),
                    encoding="utf-8")
    report = content.import_folder(imported, folder)
    assert report.updated == ["ko/login-trouble"]
    state = latest(imported, "ko", "login-trouble")
    assert state.revision == 2 and state.published == 2
    assert "새로운 질문 문장" in state.markdown


def test_a_web_edit_is_kept_when_the_file_did_not_change(imported, folder, tmp_path):
    state = latest(imported, "ko", "login-trouble")
    edited = with_question(state.markdown, "웹에서 고친 질문")
    save(imported, edited, base=state.revision)
    report = content.import_folder(imported, folder)
    assert report.kept == ["ko/login-trouble"] and report.conflicts == []
    assert latest(imported, "ko", "login-trouble").markdown == edited
    content.export_folder(imported, folder, drafts=True)
    assert (folder / "ko/account/login-trouble.md").read_text(encoding="utf-8") == edited
    assert content.import_folder(imported, folder).kept == []


def test_a_file_and_a_web_edit_both_changed_is_a_conflict_and_nothing_is_lost(imported, folder):
    path = folder / "ko/account/login-trouble.md"
    state = latest(imported, "ko", "login-trouble")
    web_text = with_question(state.markdown, "웹 편집")
    save(imported, web_text, base=state.revision)
    file_text = with_question(state.markdown, "파일 편집")
    path.write_text(file_text, encoding="utf-8")
    count = revisions(imported)

    report = content.import_folder(imported, folder)

    assert [c.key for c in report.conflicts] == ["ko/login-trouble"]
    conflict = report.conflicts[0]
    assert conflict.file_text == file_text and conflict.stored_text == web_text
    assert "-  - 웹 편집" in conflict.diff() and "+  - 파일 편집" in conflict.diff()
    assert revisions(imported) == count
    assert latest(imported, "ko", "login-trouble").markdown == web_text
    assert path.read_text(encoding="utf-8") == file_text


def test_import_leaves_out_a_broken_file_and_names_its_line(imported, folder):
    path = folder / "en/account/login-trouble.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1),
                    encoding="utf-8")
    report = content.import_folder(imported, folder)
    unknown = [p for p in report.errors if p.path == path and "'titel'" in p.message]
    assert unknown and unknown[0].line == 2
    assert "en/login-trouble" not in report.updated
    assert latest(imported, "en", "login-trouble").revision == 1


def test_a_stale_base_revision_is_refused_with_both_texts(imported):
    state = latest(imported, "ko", "login-trouble")
    first = with_question(state.markdown, "첫 번째 편집")
    second = with_question(state.markdown, "두 번째 편집")
    assert save(imported, first, base=state.revision).revision == 2
    with pytest.raises(content.StaleRevision) as refused:
        save(imported, second, base=state.revision)
    assert refused.value.latest == 2 and refused.value.latest_text == first
    assert refused.value.text == second
    assert latest(imported, "ko", "login-trouble").markdown == first


def test_two_editors_saving_at_once_one_wins_one_is_told(imported):
    state = latest(imported, "ko", "login-trouble")
    texts = [with_question(state.markdown, f"동시 편집 {n}")
             for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def edit(text: str) -> None:
        barrier.wait()
        try:
            outcomes.append(save(imported, text, base=state.revision))
        except content.StaleRevision as error:
            outcomes.append(error)

    threads = [threading.Thread(target=edit, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["Saved", "StaleRevision"]
    assert latest(imported, "ko", "login-trouble").revision == 2


def test_bad_front_matter_is_never_saved_and_names_the_line(imported):
    state = latest(imported, "ko", "login-trouble")
    count = revisions(imported)
    broken = state.markdown.replace("category:", "categroy:", 1)
    with pytest.raises(content.InvalidArticle) as refused:
        save(imported, broken, base=state.revision)
    lines = [line for line, text in enumerate(broken.splitlines(), 1) if "categroy" in text]
    problem = next(p for p in refused.value.problems if "categroy" in p.message)
    assert problem.line == lines[0] and "did you mean 'category'" in problem.message
    assert str(problem.path) == "ko/_/login-trouble.md" or problem.path.name == "login-trouble.md"
    assert revisions(imported) == count


@pytest.mark.parametrize(("old", "new", "words"), [
    ("category: account", "category: nowhere", "unknown category 'nowhere'"),
    ("slug: login-trouble", "slug: other-slug", "rename the article"),
    ("locale: ko", "locale: en", "translations are separate"),
])
def test_a_revision_must_fit_the_store(imported, old, new, words):
    state = latest(imported, "ko", "login-trouble")
    assert old in state.markdown
    with pytest.raises(content.InvalidArticle) as refused:
        save(imported, state.markdown.replace(old, new, 1), base=state.revision)
    problem = next(p for p in refused.value.problems if words in p.message)
    line = next(n for n, text in enumerate(state.markdown.splitlines(), 1) if text == old)
    assert problem.line == line


def test_a_link_to_a_missing_article_is_refused(imported):
    state = latest(imported, "ko", "login-trouble")
    with pytest.raises(content.InvalidArticle) as refused:
        save(imported, state.markdown + "\n[없는 글](no-such-article)\n", base=state.revision)
    assert any("no-such-article" in p.message for p in refused.value.problems)


def test_publishing_archiving_and_what_a_worker_serves(imported):
    published = content.PublishedContent()
    with imported.session() as session:
        first = published.refresh(session)
        assert published.refresh(session) is None  # the clock has not moved
    assert first is not None and first.knowledge.get("ko", "login-trouble") is not None
    state = latest(imported, "ko", "login-trouble")
    edited = with_question(state.markdown, "게시 전 질문")
    saved = save(imported, edited, base=state.revision)

    with imported.session() as session:
        draft_change = published.refresh(session)
    assert draft_change is not None and draft_change.changed == ()  # a draft serves nothing new

    with imported.session() as session:
        content.publish(session, locale="ko", slug="login-trouble", revision=saved.revision)
    with imported.session() as session:
        change = published.refresh(session)
    assert [a.key for a in change.changed] == [("ko", "login-trouble")]
    assert "게시 전 질문" in change.knowledge.get("ko", "login-trouble").questions

    with imported.session() as session:
        content.archive(session, locale="ko", slug="login-trouble")
    with imported.session() as session:
        change = published.refresh(session)
    assert [a.key for a in change.removed] == [("ko", "login-trouble")]
    assert change.knowledge.get("ko", "login-trouble") is None


def test_history_and_restore(imported):
    state = latest(imported, "ko", "login-trouble")
    edited = with_question(state.markdown, "나중에 되돌릴 질문")
    save(imported, edited, base=1)
    with imported.session() as session:
        content.restore(session, locale="ko", slug="login-trouble", number=1, base_revision=2,
                        author="editor@example.com")
    with imported.session() as session:
        entries = content.history(session, "ko", "login-trouble")
    assert [e.number for e in entries] == [3, 2, 1]
    assert entries[0].message == "restore revision 1"
    assert latest(imported, "ko", "login-trouble").markdown == state.markdown
    assert "+  - 나중에 되돌릴 질문" in content.diff(state.markdown, edited)


def test_create_draft_for_a_ticket_and_rename_with_a_redirect(imported):
    markdown = (latest(imported, "en", "login-trouble").markdown
                .replace("slug: login-trouble", "slug: new-answer", 1))
    with imported.session() as session:
        saved = content.create_draft(session, locale="en", slug="new-answer",
                                     markdown=markdown, author="agent@example.com",
                                     message="from a ticket", ticket_reference="DF-7K3Q-9XM4")
    assert saved.revision == 1
    with imported.session() as session, pytest.raises(content.ArticleExists):
        content.create_draft(session, locale="en", slug="new-answer", markdown=markdown,
                             author="agent@example.com")
    state = latest(imported, "en", "new-answer")
    assert state.status == "draft" and state.ticket_reference == "DF-7K3Q-9XM4"
    with imported.session() as session:
        content.rename(session, locale="en", slug="new-answer", new_slug="better-answer",
                       base_revision=1, author="editor@example.com")
    with imported.session() as session:
        assert content.redirect_for(session, "en", "new-answer") == "better-answer"
    assert "slug: better-answer" in latest(imported, "en", "better-answer").markdown


def test_first_start_imports_once_even_when_two_start_together(database, folder):
    results: list[object] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        barrier.wait()
        results.append(content.import_if_empty(database, folder))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r is not None for r in results) == 1
    assert revisions(database) == len(list(folder.glob("*/*/*.md"))) + 3


def test_a_scheduled_revision_is_published_once_when_its_time_comes(imported):
    import datetime as dt

    state = latest(imported, "ko", "login-trouble")
    saved = save(imported, with_question(state.markdown, "예약 게시 질문"), base=state.revision)
    at = dt.datetime(2030, 1, 1, 9, 0)
    with imported.session() as session:
        content.schedule(session, locale="ko", slug="login-trouble", revision=saved.revision,
                         at=at)
    with imported.session() as session:
        assert content.publish_due(session, at - dt.timedelta(seconds=1)) == []
    assert latest(imported, "ko", "login-trouble").published == 1
    with imported.session() as session:
        assert content.publish_due(session, at) == ["ko/login-trouble"]
    with imported.session() as session:
        assert content.publish_due(session, at) == []
    assert latest(imported, "ko", "login-trouble").published == saved.revision


def test_due_for_review_lists_published_articles_past_their_date(imported):
    import datetime as dt

    state = latest(imported, "en", "login-trouble")
    dated = state.markdown.replace("\n---\n", "\nreview_by: 2026-06-01\n---\n", 1)
    saved = save(imported, dated, base=state.revision, locale="en")
    with imported.session() as session:
        content.publish(session, locale="en", slug="login-trouble", revision=saved.revision)
    published = content.PublishedContent()
    with imported.session() as session:
        published.refresh(session)
        early = content.due_for_review(session, published.knowledge, dt.date(2026, 5, 31))
        due = content.due_for_review(session, published.knowledge, dt.date(2026, 6, 1))
    assert early == []
    assert [(d.locale, d.slug, d.review_by, d.owner) for d in due] == [
        ("en", "login-trouble", dt.date(2026, 6, 1), "import")]


def test_review_by_must_be_a_date(imported):
    state = latest(imported, "en", "login-trouble")
    with pytest.raises(content.InvalidArticle) as refused:
        save(imported, state.markdown.replace("\n---\n", "\nreview_by: soon\n---\n", 1),
             base=state.revision, locale="en")
    assert any("'review_by' must be a date" in p.message for p in refused.value.problems)


def test_the_desk_list_filters(imported):
    import datetime as dt

    with imported.session() as session:
        every = content.list_articles(session)
        korean_accounts = content.list_articles(session, locale="ko", category="account")
        found = content.list_articles(session, text="E-4010")  # a phrase of one question
    assert len(every) == len(list(SAMPLE.glob("*/*/*.md")))
    assert {e.category for e in korean_accounts} == {"account"}
    assert {e.locale for e in korean_accounts} == {"ko"}
    assert ("ko", "login-trouble") in {(e.locale, e.slug) for e in found}
    assert all(e.status == "published" and not e.has_draft for e in every)

    state = latest(imported, "en", "login-trouble")
    dated = state.markdown.replace("\n---\n", "\nreview_by: 2026-06-01\n---\n", 1)
    save(imported, dated, base=state.revision, locale="en")
    with imported.session() as session:
        stale = content.list_articles(session, stale_on=dt.date(2026, 6, 1))
        behind = content.list_articles(session, translation=content.TRANSLATION_BEHIND)
        drafts = [e for e in content.list_articles(session, locale="en") if e.has_draft]
    assert [(e.locale, e.slug) for e in stale] == [("en", "login-trouble")]
    assert [(e.locale, e.slug) for e in behind] == [("ko", "login-trouble")]
    assert [e.slug for e in drafts] == ["login-trouble"]



def test_starting_a_translation_copies_the_structure_as_a_draft(database, content_dir,
                                                                 write_article):
    write_article("shared", locale="ko")
    write_article("shared", locale="en")
    write_article("korean-only", locale="ko")
    write_article("source", locale="ko", related=["shared", "korean-only"],
                  body="[공유](shared)와 [한국어만](korean-only)을 보세요.\n")
    content.import_folder(database, content_dir)
    with database.session() as session:
        saved = content.start_translation(session, locale="ko", slug="source",
                                          to_locale="en", author="editor@example.com")
    assert saved.key == "en/source" and saved.revision == 1
    draft = latest(database, "en", "source")
    assert draft.status == "draft" and "locale: en" in draft.markdown
    assert "[공유](shared)" in draft.markdown and "[한국어만]" not in draft.markdown
    assert "한국어만을 보세요" in draft.markdown
    assert "- shared" in draft.markdown and "- korean-only" not in draft.markdown
    with database.session() as session, pytest.raises(content.ArticleExists):
        content.start_translation(session, locale="ko", slug="source", to_locale="en",
                                  author="editor@example.com")
