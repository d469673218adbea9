"""``deflect articles import`` and ``export``: the Markdown folder in and out of the store."""

from __future__ import annotations

import email
import email.policy
import shutil

import pytest

from kb import content
from web import create_app, services
from web.cli import cli
from web.config import REPOSITORY


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(REPOSITORY / "articles", target)
    return target


@pytest.fixture
def app(tmp_path, folder, migrated_sqlite):
    from tests.conftest import copy_database

    copy_database(migrated_sqlite, tmp_path / "data" / "deflect.sqlite3")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "ARTICLES_DIR": str(folder), "SECRET_KEY": "test"})
    yield app
    services.event_recorder(app).close()


def edit(path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_export_writes_a_folder_lint_strict_accepts_and_import_finds_nothing_new(runner,
                                                                                  tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["articles", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "ko/account/login-trouble.md").read_bytes() == (
        REPOSITORY / "articles/ko/account/login-trouble.md").read_bytes()
    lint = runner.invoke(cli, ["lint", str(out), "--strict"])
    assert lint.exit_code == 0, lint.output
    again = runner.invoke(cli, ["articles", "import", str(out)])
    assert again.exit_code == 0, again.output
    assert "0 new, 0 changed" in again.output


def test_import_adds_a_revision_for_a_changed_file(runner, app, folder):
    edit(folder / "en/account/login-trouble.md", "title: ", "title: Updated ")
    result = runner.invoke(cli, ["articles", "import"])
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed" in result.output
    with services.database(app).session() as session:
        state = content.read_article(session, "en", "login-trouble")
    assert state.revision == state.published == 2 and "Updated " in state.markdown


def test_a_conflict_is_shown_as_a_diff_and_exits_1_writing_nothing(runner, app, folder):
    database = services.database(app)
    with database.session() as session:
        state = content.read_article(session, "en", "login-trouble")
        content.save_draft(session, locale="en", slug="login-trouble",
                           markdown=state.markdown.replace("title: ", "title: Web ", 1),
                           base_revision=state.revision, author="editor@example.com")
    file_text = edit(folder / "en/account/login-trouble.md", "title: ", "title: File ")

    result = runner.invoke(cli, ["articles", "import"])

    assert result.exit_code == 1
    assert "conflict: en/login-trouble" in result.output
    assert "-title: Web " in result.output and "+title: File " in result.output
    with database.session() as session:
        assert content.read_article(session, "en", "login-trouble").revision == 2
    assert (folder / "en/account/login-trouble.md").read_text(encoding="utf-8") == file_text


def test_a_broken_file_is_named_with_its_line_and_left_out(runner, app, folder):
    edit(folder / "en/account/login-trouble.md", "title:", "titel:")
    result = runner.invoke(cli, ["articles", "import"])
    assert result.exit_code == 1
    assert "login-trouble.md:2: error: unknown field 'titel'" in result.output
    with services.database(app).session() as session:
        assert content.read_article(session, "en", "login-trouble").revision == 1


def test_a_broken_synonyms_file_stops_the_import(runner, folder):
    (folder / "synonyms.txt").write_text("로그인 => \n", encoding="utf-8")
    result = runner.invoke(cli, ["articles", "import"])
    assert result.exit_code == 1
    assert "synonyms.txt:1" in result.output and "nothing was imported" in result.output


def test_export_into_a_file_is_refused(runner, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = runner.invoke(cli, ["articles", "export", str(target)])
    assert result.exit_code != 0 and "file.txt" in result.output


def test_remind_mails_the_owner_of_each_due_article(runner, app):
    database = services.database(app)
    with database.session() as session:
        state = content.read_article(session, "en", "login-trouble")
        markdown = (state.markdown.replace("slug: login-trouble", "slug: stale-answer", 1)
                    .replace("\n---\n", "\nreview_by: 2026-06-01\n---\n", 1))
        content.create_draft(session, locale="en", slug="stale-answer", markdown=markdown,
                             author="owner@example.com")
        content.publish(session, locale="en", slug="stale-answer")
    from web import live

    live.follow(app, force=True)
    result = runner.invoke(cli, ["remind", "--today", "2026-06-02"])
    assert result.exit_code == 0, result.output
    assert "en/stale-answer" in result.output and "mailed 1 editors" in result.output
    [sent] = list(services.outbox(app).glob("*.eml"))
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert message["To"] == "owner@example.com"
    assert "/en/articles/stale-answer" in message.get_content()


def test_a_renamed_slug_redirects_to_the_new_url(app):
    database = services.database(app)
    with database.session() as session:
        state = content.read_article(session, "en", "login-trouble")
        content.rename(session, locale="en", slug="login-trouble", new_slug="sign-in-trouble",
                       base_revision=state.revision, author="editor@example.com")
    client = app.test_client()
    response = client.get("/en/articles/login-trouble")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/en/articles/sign-in-trouble")
    assert client.get("/en/articles/sign-in-trouble").status_code == 200
