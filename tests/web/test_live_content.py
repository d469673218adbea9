"""A saved change reaches every worker and host: apps sharing one database follow its content
clock (``web.live``), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from kb import content
from web import create_app, live, services

NEW_WORDS = "zorblatt"


@pytest.fixture
def hosts(database_url, tmp_path, content_dir, write_article):
    """Two apps ("hosts") on one database, each with its own data folder and search index."""
    write_article("login-trouble", title="Cannot sign in")
    write_article("card-declined", category="payment", title="My card was declined")
    apps = [create_app({"TESTING": True, "DATA_DIR": str(tmp_path / f"host-{n}"),
                        "ARTICLES_DIR": str(content_dir), "DATABASE_URL": database_url,
                        "SECRET_KEY": "test", "CONTENT_CHECK_SECONDS": 0})
            for n in range(2)]
    for app in apps:
        services.search_engine(app)
    yield apps
    for app in apps:
        services.event_recorder(app).close()
        services.database(app).engine.dispose()


def slugs_found(app, query: str) -> list[str]:
    response = app.test_client().get("/api/search", query_string={"q": query, "locale": "en"})
    assert response.status_code == 200
    return [hit["slug"] for hit in response.get_json()["results"]]


def edit_and_publish(app, words: str) -> None:
    database = services.database(app)
    with database.session() as session:
        state = content.read_article(session, "en", "login-trouble")
        saved = content.save_draft(
            session, locale="en", slug="login-trouble", base_revision=state.revision,
            markdown=state.markdown.replace("title: Cannot sign in", f"title: {words}"),
            author="editor@example.com", message="retitle")
        content.publish(session, locale="en", slug="login-trouble", revision=saved.revision)
    live.follow(app, force=True)  # what the saving worker does after a save


def test_the_first_start_imported_the_folder_once(hosts):
    with services.database(hosts[0]).session() as session:
        assert content.history(session, "en", "login-trouble")[0].number == 1
    for app in hosts:
        assert len(services.knowledge_base(app)) == 2


def test_a_published_change_is_served_and_searchable_by_the_other_host(hosts):
    saving, other = hosts
    assert "login-trouble" not in slugs_found(other, NEW_WORDS)

    edit_and_publish(saving, f"Cannot sign in {NEW_WORDS}")

    assert slugs_found(saving, NEW_WORDS)[:1] == ["login-trouble"]
    assert slugs_found(other, NEW_WORDS)[:1] == ["login-trouble"]
    page = other.test_client().get("/en/articles/login-trouble")
    assert NEW_WORDS in page.get_data(as_text=True)


def test_a_draft_changes_nothing_served_and_an_archive_removes_it_everywhere(hosts):
    saving, other = hosts
    with services.database(saving).session() as session:
        state = content.read_article(session, "en", "card-declined")
        content.save_draft(session, locale="en", slug="card-declined",
                           base_revision=state.revision, author="editor@example.com",
                           markdown=state.markdown + f"\n{NEW_WORDS}\n")
    assert slugs_found(other, NEW_WORDS) == []
    with services.database(saving).session() as session:
        content.archive(session, locale="en", slug="card-declined")
    assert other.test_client().get("/en/articles/card-declined").status_code == 404
    assert "card-declined" not in slugs_found(other, "card declined")


def test_a_worker_looks_at_the_clock_at_most_once_per_interval(hosts):
    saving, other = hosts
    other.config["CONTENT_CHECK_SECONDS"] = 3600
    live.follow(other, force=True)
    edit_and_publish(saving, f"Cannot sign in {NEW_WORDS}")
    assert live.follow(other) is None  # checked a moment ago: serves what it has
    assert services.knowledge_base(other).get("en", "login-trouble").title == "Cannot sign in"
    change = live.follow(other, force=True)
    assert change is not None and [a.slug for a in change.changed] == ["login-trouble"]


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
    "![x](x\" onerror=\"alert(1))",
]


def test_payloads_saved_in_an_article_body_execute_nothing_on_the_public_page(hosts):
    from bs4 import BeautifulSoup

    saving, other = hosts
    with services.database(saving).session() as session:
        state = content.read_article(session, "en", "login-trouble")
        saved = content.save_draft(session, locale="en", slug="login-trouble",
                                   base_revision=state.revision, author="editor@example.com",
                                   markdown=state.markdown + "\n\n" + "\n\n".join(PAYLOADS))
        content.publish(session, locale="en", slug="login-trouble", revision=saved.revision)
    response = other.test_client().get("/en/articles/login-trouble")
    assert response.status_code == 200
    body = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("main")
    assert body.find_all(["script", "iframe", "svg", "object", "embed"]) == []
    for element in body.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        for name in ("href", "src"):
            value = str(element.get(name, "")).replace("\t", "").lower()
            assert not value.startswith(("javascript:", "data:")), element


def test_a_saved_synonym_reaches_the_other_hosts_search(hosts):
    saving, other = hosts
    assert "login-trouble" not in slugs_found(other, NEW_WORDS)
    with services.database(saving).session() as session:
        content.save_file(session, name="synonyms.txt", text=f"{NEW_WORDS}, sign in\n",
                          base_revision=None, author="editor@example.com")
    assert slugs_found(other, NEW_WORDS)[:1] == ["login-trouble"]
    assert (services.vocabulary_dir(other) / "synonyms.txt").read_text() == (
        f"{NEW_WORDS}, sign in\n")


def test_a_categories_file_with_bad_yaml_is_refused_with_its_line(hosts):
    with services.database(hosts[0]).session() as session, \
            pytest.raises(content.InvalidArticle) as refused:
        content.save_file(session, name="categories.yml", text="account:\n  name: [ko\n",
                          base_revision=1, author="editor@example.com")
    assert [p.line for p in refused.value.problems if p.level == "error"] == [3]
