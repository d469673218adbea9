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


def observatory_score(headers) -> int:
    """The Mozilla HTTP Observatory score of the header checks that apply on http loopback."""
    score = 100
    policy = directives(headers.get("Content-Security-Policy", ""))
    if not policy:
        score -= 25
    elif any(bad in policy.get("script-src", policy.get("default-src", ""))
             for bad in ("'unsafe-inline'", "data:", "*")):
        score -= 20
    if "X-Frame-Options" not in headers and "frame-ancestors" not in policy:
        score -= 20
    if headers.get("X-Content-Type-Options") != "nosniff":
        score -= 5
    if score >= 90:
        if policy.get("default-src") == "default-src 'none'" and "'unsafe" not in str(policy):
            score += 10
        if "frame-ancestors" in policy:
            score += 5
        if headers.get("Referrer-Policy") in ("no-referrer", "same-origin", "strict-origin",
                                              "strict-origin-when-cross-origin"):
            score += 5
    return score


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


def test_headers_score_at_least_an_a_plus_on_the_observatory_checks(client):
    assert observatory_score(client.get("/ko/").headers) >= 115


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


def test_request_bodies_are_limited(shared_app):
    assert 0 < shared_app.config["MAX_CONTENT_LENGTH"] <= 64 * 1024 * 1024


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
