"""``/api/tickets``: creation with ``Idempotency-Key``, the error shapes, reading by token,
and a concurrency test: every acknowledged ticket is stored, none twice."""

from __future__ import annotations

import threading

import pytest

from kb import tickets
from kb.submissions import parse_submission
from web import services
from web.api import openapi_document

from .ticketing import stored_tickets

BODY = {"category": "payment", "subject": "Charged twice", "description": "Two charges.",
        "email": "pay@example.com", "name": "", "phone": "", "consent": True, "locale": "en"}


@pytest.fixture
def app(backend_app):
    backend_app.config.update(TICKET_LIMIT_PER_ADDRESS=0, TICKET_LIMIT_PER_EMAIL=0)
    return backend_app


def post(client, body=None, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/tickets", json=BODY if body is None else body, headers=headers)


def test_created_ticket_answers_201_with_reference_and_status_url(app, client):
    response = post(client, key="order-1")
    assert response.status_code == 201
    data = response.get_json()
    assert set(data) == {"reference", "status_url"}
    assert data["status_url"].startswith("http://localhost/en/tickets/")
    assert [t.reference for t in stored_tickets(app)] == [data["reference"]]


def test_status_url_opens_the_ticket(client):
    url = post(client).get_json()["status_url"]
    response = client.get(url.removeprefix("http://localhost"), follow_redirects=True)
    assert response.status_code == 200


def test_retry_with_the_same_key_replays_the_same_ticket(app, client):
    first = post(client, key="retry-me")
    second = post(client, key="retry-me")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["reference"] == second.get_json()["reference"]
    assert len(stored_tickets(app)) == 1


def test_same_key_with_another_body_is_409(app, client):
    post(client, key="k-1")
    response = post(client, {**BODY, "subject": "Other"}, key="k-1")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"


def test_requests_without_a_key_are_separate_tickets(app, client):
    post(client)
    post(client)
    assert len(stored_tickets(app)) == 2


def test_invalid_fields_answer_422_with_a_message_per_field(app, client):
    response = post(client, {**BODY, "email": "nope", "description": "", "category": "x",
                             "locale": "ko"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == "invalid_ticket"
    assert error["fields"] == {"email": "name@example.com 같은 이메일 주소를 입력해 주세요.",
                               "description": "이 항목을 입력해 주세요.",
                               "category": "목록에 있는 문의 유형 중 하나를 선택해 주세요."}
    assert stored_tickets(app) == []


@pytest.mark.parametrize("body", [[1, 2], "text"], ids=["list", "string"])
def test_body_that_is_not_an_object_is_400(client, body):
    response = client.post("/api/tickets", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_malformed_idempotency_key_is_400(client):
    response = post(client, key="has space")
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {
        "Idempotency-Key": "use 1 to 255 visible ASCII characters"}


def test_rate_limited_answers_429_with_retry_after(app, client):
    app.config["TICKET_LIMIT_PER_EMAIL"] = 1
    post(client)
    response = post(client)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_ticket_is_read_by_its_token(client):
    token = post(client).get_json()["status_url"].rsplit("/", 1)[-1]
    response = client.get(f"/api/tickets/{token}")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["status"], data["step"], data["subject"]) == ("received", "received",
                                                               "Charged twice")
    assert data["messages"][0] == {"author": "customer", "body": "Two charges.", "links": [],
                                   "created_at": data["messages"][0]["created_at"]}
    assert "email" not in data and "idempotency_key" not in data


def test_ticket_json_names_the_article_it_came_from(app, client):
    created = tickets.create_ticket(
        services.database(app), parse_submission(BODY), idempotency_key="from-article",
        context=tickets.Context(source_article="double-charge"))
    response = client.get(f"/api/tickets/{created.token}")
    assert response.status_code == 200
    assert response.get_json()["source_article"] == {
        "slug": "double-charge", "title": "I was charged twice",
        "url": "/en/articles/double-charge"}


def test_ticket_json_without_an_article_says_null(client):
    token = post(client).get_json()["status_url"].rsplit("/", 1)[-1]
    response = client.get(f"/api/tickets/{token}")
    assert response.status_code == 200
    assert response.get_json()["source_article"] is None


@pytest.mark.parametrize("token", ["A" * 22, "DF-2222-2222", "x" * 300])
def test_unknown_token_is_404_in_the_error_shape(client, token):
    response = client.get(f"/api/tickets/{token}")
    assert response.status_code == 404
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_both_operations_are_in_the_openapi_document(app):
    with app.app_context():
        paths = openapi_document()["paths"]
    assert "post" in paths["/api/tickets"] and "get" in paths["/api/tickets/{token}"]
    assert "/api/tickets/suggestions" in paths


def test_concurrent_submissions_store_every_acknowledged_ticket_once(app):
    """8 threads in pairs: both threads of a pair send the same 12 keys in the same order (a
    double click, a retry on another connection), and each thread 6 keys of its own."""
    threads_count = 8
    plan = []
    for t in range(threads_count):
        shared = [f"pair{t // 2}-{i}" for i in range(12)]
        unique = [f"own{t}-{i}" for i in range(6)]
        plan.append([key for pair in zip(shared[::2], shared[1::2], unique, strict=True)
                     for key in pair])
    keys = {key for keys_ in plan for key in keys_}
    barrier = threading.Barrier(threads_count)
    acknowledged: list[tuple[str, str]] = []
    failures: list[str] = []

    def client_thread(my_keys):
        client = app.test_client()
        barrier.wait()
        for key in my_keys:
            response = post(client, {**BODY, "subject": key}, key=key)
            if response.status_code == 201:
                acknowledged.append((key, response.get_json()["reference"]))
            else:
                failures.append(f"{key}: {response.status_code} {response.get_data()[:200]}")

    threads = [threading.Thread(target=client_thread, args=(keys_,)) for keys_ in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = {t.subject: t.reference for t in stored_tickets(app)}
    sent = sum(len(p) for p in plan)
    print(f"submissions={sent} acknowledged={len(acknowledged)} rows={len(stored)}")
    assert failures == []
    assert len(acknowledged) == sent
    assert all(stored[key] == reference for key, reference in acknowledged)
    assert len(stored) == len({key for key, _ in acknowledged}) == len(keys)


def test_openapi_limits_are_the_ones_kb_enforces(app):
    from kb.submissions import LIMITS

    with app.app_context():
        document = openapi_document()
    fields = document["components"]["schemas"]["TicketRequest"]["properties"]
    assert {name: fields[name]["maxLength"] for name in LIMITS} == LIMITS
    token = document["paths"]["/api/tickets/{token}"]["get"]["parameters"][0]
    assert token["schema"]["maxLength"] == tickets.MAX_TOKEN_LENGTH


def test_only_the_named_areas_serve_api_routes(app):
    """A module dropped into web/api/ is not discovered: every /api view lives in a named area."""
    from web import api

    areas = (*api.PUBLIC_AREAS, *api.STAFF_AREAS)
    modules = {area.__name__ for area in areas} | {api.__name__}
    served = {app.view_functions[rule.endpoint].__module__
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert served == modules
