"""The editors' staff API: read, save with a base revision, 409 and 422, history, publish."""

from __future__ import annotations

import pytest

from kb import accounts
from tests.web.desking import add_person
from web import services


@pytest.fixture
def token(app):
    add_person(app, "editor@example.com", "editor")
    with services.database(app).session() as session:
        person = accounts.find_person(session, "editor@example.com")
        _, secret = accounts.issue_api_token(session, person, "tests")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def agent_token(app):
    add_person(app, "agent@example.com", "agent")
    with services.database(app).session() as session:
        person = accounts.find_person(session, "agent@example.com")
        _, secret = accounts.issue_api_token(session, person, "tests")
    return {"Authorization": f"Bearer {secret}"}


URL = "/api/desk/articles/ko/login-trouble"


def with_question(markdown: str, question: str) -> str:
    head, _, rest = markdown.partition("questions:\n")
    indent = rest[:len(rest) - len(rest.lstrip(" "))]
    return f"{head}questions:\n{indent}- {question}\n{rest}"


def test_only_editors_and_admins_may_use_it(client, agent_token):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=agent_token).status_code == 403


def test_get_save_publish_and_history(app, client, token):
    got = client.get(URL, headers=token).get_json()
    assert got["revision"] == 1 and got["status"] == "published"
    edited = with_question(got["markdown"], "API로 바꾼 질문")
    saved = client.put(URL, headers=token, json={"markdown": edited, "base_revision": 1,
                                                 "message": "new phrasing"})
    assert saved.status_code == 200 and saved.get_json()["revision"] == 2
    assert "API로 바꾼 질문" not in services.knowledge_base(app).get(
        "ko", "login-trouble").questions
    published = client.post(f"{URL}/publish", headers=token, json={"revision": 2})
    assert published.status_code == 200
    assert "API로 바꾼 질문" in services.knowledge_base(app).get("ko", "login-trouble").questions
    history = client.get(f"{URL}/revisions", headers=token).get_json()["revisions"]
    assert [(r["number"], r["author"], r["is_published"]) for r in history] == [
        (2, "editor@example.com", True), (1, "import", False)]


def test_a_stale_base_revision_is_409_with_a_diff_and_nothing_saved(client, token):
    markdown = client.get(URL, headers=token).get_json()["markdown"]
    client.put(URL, headers=token, json={"markdown": with_question(markdown, "먼저"),
                                         "base_revision": 1})
    late = client.put(URL, headers=token, json={"markdown": with_question(markdown, "나중"),
                                                "base_revision": 1})
    assert late.status_code == 409
    error = late.get_json()["error"]
    assert error["code"] == "stale_revision" and error["latest_revision"] == 2
    assert "-  - 먼저" in error["diff"] and "+  - 나중" in error["diff"]
    assert client.get(URL, headers=token).get_json()["revision"] == 2


def test_bad_front_matter_is_422_with_lines_and_nothing_saved(client, token):
    markdown = client.get(URL, headers=token).get_json()["markdown"]
    response = client.put(URL, headers=token, json={
        "markdown": markdown.replace("category:", "categroy:", 1), "base_revision": 1})
    assert response.status_code == 422
    problems = response.get_json()["error"]["problems"]
    line = next(n for n, text in enumerate(markdown.splitlines(), 1)
                if text.startswith("category:"))
    assert any(p["line"] == line and "categroy" in p["message"] for p in problems)
    assert client.get(URL, headers=token).get_json()["revision"] == 1


def test_missing_fields_are_named(client, token):
    response = client.put(URL, headers=token, json={"markdown": ""})
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"markdown", "base_revision"}


def test_an_unknown_article_is_404(client, token):
    assert client.get("/api/desk/articles/ko/no-such", headers=token).status_code == 404


def test_the_openapi_document_describes_the_editors_api(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/desk/articles/{locale}/{slug}"]) == {"get", "put"}
