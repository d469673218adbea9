"""Defects of issue 11 in the request edge: CSRF behind TLS, trusted hosts and proxies, JSON
depth, numeric parameters, private caching, secure cookies and HSTS."""

from __future__ import annotations

import pytest

from web import create_app
from web.config import REPOSITORY

from .ticketing import FORM, form_tokens, page, post_contact, send_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


def _app(tmp_path, **overrides):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                       "ARTICLES_DIR": str(REPOSITORY / "articles"),
                       "SECRET_KEY": "test-secret-key", **overrides})


HTTPS = {"X-Forwarded-Proto": "https"}


def test_contact_form_behind_tls_without_a_referer_is_accepted(app, client):
    """Ticket pages send no referrer, so the form must not demand one over https."""
    tokens = form_tokens(client)
    response = client.post("/en/contact", data={**FORM, **tokens, "action": "review"},
                           headers=HTTPS, base_url="https://localhost")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert page(response).find("button", attrs={"value": "send"}) is not None


def test_status_page_forms_behind_tls_without_a_referer_are_accepted(app, client):
    reference = send_ticket(client)
    html = page(client.get(f"/en/tickets/{reference}/status"))
    token = html.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(f"/en/tickets/{reference}/messages",
                           data={"csrf_token": token, "message": "More detail"},
                           base_url="https://localhost")
    assert response.status_code == 303


def test_form_from_a_no_referrer_page_is_accepted(app, client):
    """Chromium sends ``Origin: null`` from a page with ``Referrer-Policy: no-referrer``."""
    tokens = form_tokens(client)
    response = client.post("/en/contact", data={**FORM, **tokens, "action": "review"},
                           headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
                           base_url="https://localhost")
    assert response.status_code == 200


def test_form_post_from_another_site_is_refused_even_with_a_token(app, client):
    tokens = form_tokens(client)
    for headers in ({"Origin": "https://evil.test"}, {"Sec-Fetch-Site": "cross-site"}):
        response = client.post("/en/contact", data={**FORM, **tokens, "action": "send"},
                               headers=headers)
        assert response.status_code == 400, headers
    from .ticketing import stored_tickets
    assert stored_tickets(app) == []


def test_untrusted_host_header_is_refused_and_never_reaches_mail(app, client):
    evil = "http://evil.test"
    assert client.get("/en/contact", base_url=evil).status_code == 400
    response = client.post("/api/tickets", json={**FORM, "consent": True}, base_url=evil)
    assert response.status_code == 400
    from .ticketing import outbox, stored_tickets
    assert stored_tickets(app) == []
    assert outbox(app) == []


def test_configured_trusted_host_is_served(tmp_path):
    app = _app(tmp_path, TRUSTED_HOSTS="help.example.com, .example.org")
    client = app.test_client()
    assert client.get("/healthz", base_url="http://help.example.com").status_code == 200
    assert client.get("/healthz", base_url="http://a.example.org").status_code == 200
    assert client.get("/healthz", base_url="http://localhost").status_code == 400


def test_public_url_host_is_trusted(tmp_path):
    client = _app(tmp_path, PUBLIC_URL="https://help.example.com").test_client()
    assert client.get("/healthz", base_url="https://help.example.com").status_code == 200


@pytest.mark.parametrize("path", ["/api/tickets", "/api/articles/en/password-reset/feedback"],
                         ids=["tickets", "feedback"])
def test_deeply_nested_json_is_a_clear_400(client, path):
    body = "[" * 30_000 + "]" * 30_000
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] in ("invalid_json", "invalid_body")


@pytest.mark.parametrize("value", ["9" * 5000, "-1", "0", "51", "1e3", "٣"])
def test_search_limit_out_of_range_names_the_parameter(client, value):
    response = client.get("/api/search", query_string={"q": "login", "limit": value})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter"
    assert "limit" in error["fields"] and "1 to" in error["fields"]["limit"]


def test_ticket_read_through_the_api_is_never_cached(app, client):
    response = client.post("/api/tickets", json={**FORM, "consent": True})
    token = response.get_json()["status_url"].rsplit("/", 1)[-1]
    read = client.get(f"/api/tickets/{token}")
    assert read.status_code == 200
    assert read.headers["Cache-Control"] == "no-store"


def test_https_public_url_makes_cookies_secure_and_sends_hsts(tmp_path):
    client = _app(tmp_path, PUBLIC_URL="https://help.example.com").test_client()
    response = client.get("/en/contact", base_url="https://help.example.com")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_sends_no_hsts_and_plain_cookies(tmp_path):
    response = _app(tmp_path).test_client().get("/en/contact")
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def _address_seen(app, headers) -> str:
    seen = []

    @app.get("/_address")
    def _address():
        from flask import request
        seen.append(request.remote_addr)
        return "ok"

    app.test_client().get("/_address", headers=headers,
                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen[0]


def test_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(tmp_path):
    app = _app(tmp_path)
    assert _address_seen(app, {"X-Forwarded-For": "203.0.113.9"}) == "10.0.0.2"


def test_forwarded_for_counts_behind_a_configured_proxy(tmp_path):
    app = _app(tmp_path, TRUSTED_PROXIES=1)
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    assert _address_seen(app, headers) == "203.0.113.9"


def test_contact_review_keeps_what_was_typed_behind_tls(app, client):
    response = post_contact(client, "review", subject="제목 그대로")
    assert response.status_code == 200
