"""The staff ticket API (/api/desk/tickets): Bearer tokens, agents only, the queue, one ticket,
replies with 201, 409 and 422."""

from __future__ import annotations

import pytest

from .desking import page, post, signed_in
from .ticketing import send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


def token_for(app, email: str, *roles: str) -> dict[str, str]:
    client = signed_in(app, email, *roles)
    response = post(client, "/desk/account/tokens", {"label": "api"}, token_from="/desk/account")
    token = page(response).find(attrs={"data-new-token": True}).text
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def headers(app):
    return token_for(app, "agent@example.com", "agent")


def test_the_queue_page_has_the_documented_fields_and_a_cursor(app, client, headers):
    first = send_ticket(client)
    send_ticket(client, email="b@example.com")
    response = client.get("/api/desk/tickets?limit=1", headers=headers)
    assert response.status_code == 200
    data = response.get_json()
    assert [t["reference"] for t in data["tickets"]] == [first]
    assert set(data["tickets"][0]) == {"reference", "subject", "status", "category", "locale",
                                       "created_at", "waiting_since", "assignee"}
    following = client.get(f"/api/desk/tickets?limit=1&cursor={data['next_cursor']}",
                           headers=headers).get_json()
    assert following["next_cursor"] is None and len(following["tickets"]) == 1


def test_bad_filters_answer_422_naming_each(client, headers):
    response = client.get("/api/desk/tickets?status=open&assignee=me", headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"status", "assignee"}


def test_one_ticket_has_messages_trail_and_suggested_articles(client, headers):
    client.get("/en/search?q=locked+account")
    reference = send_ticket(client)
    data = client.get(f"/api/desk/tickets/{reference}", headers=headers).get_json()
    assert data["messages"][0]["author"] == "customer"
    assert data["trail"][0]["kind"] == "search"
    assert set(data["suggested_articles"][0]) == {"slug", "locale", "title", "score"}


def test_a_reply_is_201_and_a_stale_one_409(app, client, headers):
    reference = send_ticket(client)
    seen = client.get(f"/api/desk/tickets/{reference}", headers=headers).get_json()[
        "messages"][-1]["id"]
    response = client.post(f"/api/desk/tickets/{reference}/replies", headers=headers, json={
        "message": "Try this.", "links": ["password-reset"], "status": "proposed",
        "seen_message_id": seen})
    assert response.status_code == 201
    assert stored_ticket(app, reference).status == "proposed"
    stale = client.post(f"/api/desk/tickets/{reference}/replies", headers=headers,
                        json={"message": "Again.", "seen_message_id": seen})
    assert stale.status_code == 409
    assert len(stored_ticket(app, reference).messages) == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"message": ""}, "message"), ({"message": "x", "links": ["nope"]}, "links"),
    ({"message": "x", "status": "closed"}, "status"), ({"message": 3}, "message"),
    ({"message": "x", "internal": "yes"}, "internal"),
], ids=["empty", "unknown-article", "bad-move", "not-text", "internal-not-bool"])
def test_a_bad_reply_is_422_naming_the_field(client, headers, body, field):
    reference = send_ticket(client)
    response = client.post(f"/api/desk/tickets/{reference}/replies", headers=headers, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_without_a_token_401_and_without_the_agent_role_403(app, client):
    assert client.get("/api/desk/tickets").status_code == 401
    editor = token_for(app, "editor@example.com", "editor")
    assert client.get("/api/desk/tickets", headers=editor).status_code == 403


def test_the_openapi_document_describes_the_ticket_api(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/desk/tickets", "/api/desk/tickets/{reference}",
            "/api/desk/tickets/{reference}/replies"} <= set(paths)
