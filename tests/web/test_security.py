"""Security headers, no inline script, cookies, CSRF on forms and same-origin JSON writes."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from web.security import JSON_BODY_LIMIT

PAGES = ["/ko/", "/en/", "/ko/articles/login-trouble", "/en/categories/payment",
         "/en/search?q=payment", "/ko/search?q=쀍쀍", "/ko/nothing-here"]
FEEDBACK = "/api/articles/en/login-trouble/feedback"


@pytest.fixture
def client(shared_app):
    return shared_app.test_client()


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES + ["/api/search?q=login", "/api/nothing"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == "default-src 'none'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; font-src 'self'; connect-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
PAGE_KINDS = {
    "html page": ("/ko/", 200, "text/html"),
    "article": ("/en/articles/login-trouble", 200, "text/html"),
    "html 404": ("/ko/nothing-here", 404, "text/html"),
    "json": ("/api/search?q=login", 200, "application/json"),
    "json 404": ("/api/nothing", 404, "application/json"),
    "redirect": ("/en/need-help?q=x", 303, None),
    "static file": ("/static/favicon.svg", 200, "image/svg+xml"),
    "health check": ("/healthz", 200, "application/json"),
}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_each_kind_of_response_carries_exactly_the_security_headers(client, kind):
    path, status, content_type = PAGE_KINDS[kind]
    with client.get(path) as response:  # closes the static file's stream
        assert response.status_code == status
        if content_type:
            assert response.mimetype == content_type
        assert {name: response.headers.get(name) for name in EXPECTED_HEADERS} == EXPECTED_HEADERS


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client, path):
    html = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    assert all(script.get("src", "").startswith("/static/") for script in html.find_all("script"))
    assert html.find("style") is None
    assert not [tag.name for tag in html.find_all(True)
                if "style" in tag.attrs or any(a.startswith("on") for a in tag.attrs)]
    assert all(link["href"].startswith("/static/") for link in html.find_all("link"))


def test_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = client.get("/en/articles/login-trouble").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_form_body_over_the_limit_is_refused_with_413(client, shared_app):
    """The request says it is one byte over ``MAX_CONTENT_LENGTH``: refused before it is read.

    (The contact form reads up to a ceiling above it to show the form again:
    tests/web/test_uploads.py.)"""
    over = shared_app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/en/articles/login-trouble/feedback", data=b"x" * 16,
                           content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(over)})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").find("h1") is not None


def test_page_form_without_a_csrf_token_is_refused(client):
    response = client.post("/en/articles/login-trouble/feedback", data={"helpful": "yes"})
    assert response.status_code == 400


def test_json_write_from_another_origin_is_refused(client):
    response = client.post(FEEDBACK, json={"helpful": True},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "cross_origin"


def test_json_write_a_browser_marks_cross_site_is_refused(client):
    response = client.post(FEEDBACK, json={"helpful": True},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_json_write_from_our_own_origin_is_accepted(client):
    response = client.post(FEEDBACK, json={"helpful": True},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 201


def test_api_write_must_be_json(client):
    response = client.post(FEEDBACK, data={"helpful": "yes"})
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_api_write_larger_than_the_json_limit_is_refused(client):
    response = client.post(FEEDBACK, data=b'{"missing": "' + b"x" * JSON_BODY_LIMIT + b'"}',
                           content_type="application/json")
    assert response.status_code == 413
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_need_help_never_redirects_off_site(client):
    response = client.get("/en/need-help?q=x&article=//evil.example")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/")
    assert not response.headers["Location"].startswith("//")
