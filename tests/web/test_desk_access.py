"""Every route declares who may use it, and the desk refuses everyone else (security.md S2).

The matrix walks ``app.url_map``: a route without a policy fails; each staff route sends an
anonymous visitor to ``/desk/login`` (pages) or answers 401 JSON (``/api/desk/``), and answers
403 to a customer holding a ticket link and to a person without the role.
"""

from __future__ import annotations

import pytest

from web import create_app
from web.desk.auth import safe_next
from web.policies import CUSTOMER, PUBLIC, Policy, policy_for

from .desking import add_person, new_client, post, sign_in


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def client(app):
    return new_client(app)


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, a concrete URL) for every route of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        values = {name: ("en" if name == "locale" else 1 if "int" in
                         type(rule._converters[name]).__name__.lower() else "x")
                  for name in rule.arguments}
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url))
    return found


def staff_routes(app) -> list[tuple[str, str, str, Policy]]:
    return [(endpoint, method, url, policy_for(app, endpoint))
            for endpoint, method, url in routes(app)
            if policy_for(app, endpoint).kind == "staff"]


def test_every_route_declares_a_policy(app):
    missing = sorted({endpoint for endpoint, _m, _u in routes(app)
                      if policy_for(app, endpoint) is None})
    assert missing == [], f"routes without an access policy: {missing}"


def test_the_matrix_covers_the_desk_and_the_public_side(app):
    policies = {endpoint: policy_for(app, endpoint) for endpoint, _m, _u in routes(app)}
    assert policies["help.article"] == PUBLIC
    assert policies["tickets.status"] == CUSTOMER
    assert policies["desk.people"].roles == {"admin"}
    assert policies["api.desk_me"].kind == "staff"
    assert len(staff_routes(app)) >= 15


def test_a_route_without_a_policy_is_refused(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    assert new_client(app).get("/undeclared").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(app, client):
    for endpoint, method, url, _policy in staff_routes(app):
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (endpoint, method)
            assert response.get_json()["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        else:
            assert response.status_code == 303, (endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/desk/login"), endpoint


def test_anonymous_sign_in_redirect_keeps_the_page_to_return_to(client):
    response = client.get("/desk/people?x=1")
    assert response.headers["Location"] == "/desk/login?next=/desk/people?x%3D1"


def test_a_customer_with_a_ticket_link_gets_403(app, client):
    with client.session_transaction() as session:
        session["tickets"] = {"DF-AAAA-BBBB": "some-ticket-token"}
    for endpoint, method, url, _policy in staff_routes(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method)


@pytest.mark.parametrize("roles", [("agent",), ("editor",), ("agent", "editor")])
def test_a_person_without_the_role_gets_403(app, client, roles):
    add_person(app, "admin@example.com", "admin")
    add_person(app, "person@example.com", *roles)
    assert sign_in(client, "person@example.com").status_code == 303
    checked = 0
    for endpoint, method, url, policy in staff_routes(app):
        if not policy.roles or policy.roles & set(roles):
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method, response.status_code)
        checked += 1
    assert checked >= 5


def test_an_admin_reaches_the_admin_pages(app, client):
    add_person(app, "admin@example.com", "admin")
    sign_in(client, "admin@example.com")
    assert client.get("/desk/people").status_code == 200


def test_wrong_role_is_refused_before_the_csrf_check(app, client):
    add_person(app, "agent@example.com", "agent")
    sign_in(client, "agent@example.com")
    assert client.post("/desk/people", data={"email": "x@example.com"}).status_code == 403


@pytest.mark.parametrize("path", ["/desk/login", "/desk/", "/desk/account",
                                  "/desk/password/forgot", "/api/desk/me"])
def test_desk_responses_are_never_cached(app, client, path):
    add_person(app, "agent@example.com", "agent")
    sign_in(client, "agent@example.com")
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_session_cookie_is_secure_when_the_public_url_is_https(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "PUBLIC_URL": "https://help.example.com",
                      "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    add_person(app, "agent@example.com", "agent")
    client = new_client(app)
    response = sign_in(client, "agent@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_not_secure_on_plain_http(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("target", ["/desk/people", "/desk/?a=b", "/"])
def test_safe_next_keeps_paths_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
    "javascript:alert(1)", "/\t/evil.example", "evil.example", "", None, "/x\r\nSet-Cookie:a"],
    ids=["double-slash", "backslash", "two-backslashes", "scheme", "javascript", "tab",
         "relative", "empty", "none", "crlf"])
def test_safe_next_refuses_everything_else(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(app, client, target):
    add_person(app, "agent@example.com", "agent")
    response = sign_in(client, "agent@example.com", next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/"


def test_sign_in_returns_to_the_page_asked_for(app, client):
    add_person(app, "agent@example.com", "agent")
    response = sign_in(client, "agent@example.com", next="/desk/account")
    assert response.headers["Location"] == "/desk/account"


def test_sign_out_needs_a_post_with_a_csrf_token(app, client):
    add_person(app, "agent@example.com", "agent")
    sign_in(client, "agent@example.com")
    assert client.get("/desk/logout").status_code == 405
    assert client.post("/desk/logout").status_code == 400
    assert post(client, "/desk/logout", token_from="/desk/").status_code == 303


def test_roles_must_be_known():
    from web.policies import roles

    assert roles("agent", "admin").roles == {"agent", "admin"}
    with pytest.raises(ValueError, match="boss"):
        roles("boss")
    with pytest.raises(ValueError):
        roles()
