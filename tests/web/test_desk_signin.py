"""Signing in and out of the desk, on every database backend.

Sessions end when they should (security.md S7: a copied cookie is refused after sign-out, a
password change, a role change or disabling); sign-in and reset do not tell whether an email
has an account (S8); attempts are limited; the second factor; set and reset password links.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from pathlib import Path

import pytest

from kb import accounts
from kb.accounts.models import utcnow
from web.config import trusted_hosts
from web.desk.forms import hashing

from .desking import (
    PASSWORD,
    add_person,
    link_in,
    new_client,
    page,
    person_row,
    post,
    session_cookie,
    sign_in,
    use_cookie,
)


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def client(app):
    return new_client(app)


def outbox(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["DATA_DIR"]) / "outbox"
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))]


def is_signed_in(client) -> bool:
    response = client.get("/desk/")
    assert response.status_code in (200, 303)
    return response.status_code == 200


# Signing in

def test_sign_in_opens_the_desk_home_with_the_navigation(app, client):
    add_person(app, "boss@example.com", "admin", name="Boss Kim")
    response = sign_in(client, "Boss@Example.com")
    assert response.status_code == 303 and response.headers["Location"] == "/desk/"
    home = page(client.get("/desk/"))
    assert "Boss Kim" in home.h1.text
    links = [a["href"] for a in home.select("nav.desk-nav a")]
    # An admin answers tickets and edits articles too: both show between home and people.
    assert links == ["/desk/", "/desk/tickets", "/desk/articles", "/desk/people", "/desk/account",
                     "/desk/insights/"]


def test_an_agent_sees_no_link_to_people(app, client):
    add_person(app, "agent@example.com", "agent")
    sign_in(client, "agent@example.com")
    links = [a["href"] for a in page(client.get("/desk/")).select("nav.desk-nav a")]
    assert "/desk/people" not in links


def test_a_wrong_password_keeps_the_email_and_says_what_went_wrong(app, client):
    add_person(app, "agent@example.com", "agent")
    response = sign_in(client, "agent@example.com", "not the password")
    assert response.status_code == 422
    html = page(response)
    assert html.find(attrs={"data-error": "form"}).text == \
        "The email address or password is not right."
    assert html.find("input", id="email")["value"] == "agent@example.com"
    assert html.find("input", id="password")["value"] == ""


def test_blank_fields_are_named(client):
    response = post(client, "/desk/login", {"email": "", "password": ""})
    assert response.status_code == 422
    html = page(response)
    assert html.find(id="email-error").text == "Enter an email address."
    assert html.find(id="password-error").text == "Enter the password."
    assert html.find("input", id="email")["aria-invalid"] == "true"


def test_the_sign_in_page_speaks_korean_when_asked(client):
    html = page(client.get("/desk/login", headers={"Accept-Language": "ko-KR,ko"}))
    assert html.html["lang"] == "ko" and html.h1.text == "데스크 로그인"
    english = page(client.get("/desk/login?locale=en"))
    assert english.html["lang"] == "en"
    assert page(client.get("/desk/login")).html["lang"] == "en"  # the choice is remembered
    switch = page(client.get("/desk/login?next=/desk/people")).select_one("a.desk-lang")
    assert switch["href"] == "/desk/login?next=%2Fdesk%2Fpeople&locale=ko"


# Enumeration (S8)

def _masked(response, *secrets: str) -> str:
    text = response.get_data(as_text=True)
    text = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', text)
    for secret in secrets:
        text = text.replace(secret, "EMAIL")
    return text


def _cookie_shapes(response) -> list[str]:
    return sorted(re.sub(r"=[^;]*", "=", header, count=1)
                  for header in response.headers.getlist("Set-Cookie"))


def test_unknown_email_and_wrong_password_look_the_same(app, monkeypatch):
    add_person(app, "agent@example.com", "agent")
    verified = []
    real_verify = accounts.PasswordHashing.verify
    monkeypatch.setattr(accounts.PasswordHashing, "verify",
                        lambda self, stored, password: verified.append(1)
                        or real_verify(self, stored, password))
    answers = []
    for typed in ("agent@example.com", "nobody@example.com"):
        client = new_client(app)
        answers.append(sign_in(client, typed, "not the password"))
    assert answers[0].status_code == answers[1].status_code == 422
    assert _masked(answers[0], "agent@example.com") == _masked(answers[1], "nobody@example.com")
    assert _cookie_shapes(answers[0]) == _cookie_shapes(answers[1])
    assert verified == [1, 1]  # one argon2 verification each: the dummy hash for nobody


def test_a_person_without_a_password_yet_looks_like_a_wrong_password(app):
    add_person(app, "invited@example.com", "agent", password=None)
    response = sign_in(new_client(app), "invited@example.com", "anything at all")
    assert response.status_code == 422


def test_a_reset_request_says_the_same_for_known_and_unknown_emails(app):
    add_person(app, "agent@example.com", "agent")
    answers = [post(new_client(app), "/desk/password/forgot", {"email": typed},
                    token_from="/desk/password/forgot")
               for typed in ("agent@example.com", "nobody@example.com")]
    assert answers[0].status_code == answers[1].status_code == 200
    assert _masked(answers[0], "agent@example.com") == _masked(answers[1], "nobody@example.com")
    assert _cookie_shapes(answers[0]) == _cookie_shapes(answers[1])
    assert [m["To"] for m in outbox(app)] == ["agent@example.com"]


def test_a_malformed_reset_email_is_named_and_kept(client):
    response = post(client, "/desk/password/forgot", {"email": "min at example"},
                    token_from="/desk/password/forgot")
    assert response.status_code == 422
    html = page(response)
    assert html.find(id="email-error") is not None
    assert html.find("input", id="email")["value"] == "min at example"


# Rate limits

def test_sign_in_attempts_are_limited_per_account(app, client):
    app.config["DESK_LIMIT_PER_EMAIL"] = 3
    add_person(app, "agent@example.com", "agent")
    for _ in range(3):
        assert sign_in(client, "agent@example.com", "wrong password!").status_code == 422
    response = sign_in(client, "agent@example.com")  # even the right password now waits
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert page(response).find(attrs={"data-error": "form"}).text.startswith("Too many")
    assert page(response).find("input", id="email")["value"] == "agent@example.com"
    assert sign_in(client, "nobody@example.com", "wrong password!").status_code == 422


def test_sign_in_attempts_are_limited_per_address(app, client):
    app.config["DESK_LIMIT_PER_ADDRESS"] = 2
    for number in range(2):
        assert sign_in(client, f"p{number}@example.com", "wrong password!").status_code == 422
    assert sign_in(client, "p9@example.com", "wrong password!").status_code == 429


def test_unknown_and_known_emails_are_limited_alike(app):
    app.config["DESK_LIMIT_PER_EMAIL"] = 1
    add_person(app, "agent@example.com", "agent")
    statuses = []
    for typed in ("agent@example.com", "nobody@example.com"):
        client = new_client(app)
        statuses.append([sign_in(client, typed, "wrong password!").status_code
                         for _ in range(2)])
    assert statuses == [[422, 429], [422, 429]]


# Sessions end when they should (S7)

def _signed_in_copy(app, email: str = "agent@example.com"):
    """Sign in with one client; return it and a second client holding a copy of its cookie."""
    client = new_client(app)
    assert sign_in(client, email).status_code == 303
    thief = new_client(app)
    use_cookie(thief, session_cookie(client))
    assert is_signed_in(thief)
    return client, thief


def test_a_copied_cookie_stops_working_after_sign_out(app):
    add_person(app, "agent@example.com", "agent")
    client, thief = _signed_in_copy(app)
    other_device, _ = _signed_in_copy(app)
    assert post(client, "/desk/logout", token_from="/desk/").status_code == 303
    assert not is_signed_in(thief)
    assert not is_signed_in(client)
    assert not is_signed_in(other_device)  # signing out ends every session of the person


def test_a_copied_cookie_stops_working_after_a_password_change(app):
    add_person(app, "agent@example.com", "agent")
    client, thief = _signed_in_copy(app)
    response = post(client, "/desk/account/password", {
        "current_password": PASSWORD, "password": "a different long password",
        "password_again": "a different long password"}, token_from="/desk/account")
    assert response.status_code == 303
    assert not is_signed_in(thief)
    assert is_signed_in(client)  # the session that changed it goes on


@pytest.mark.parametrize("change", ["roles", "disable"])
def test_a_copied_cookie_stops_working_after_an_admin_change(app, change):
    add_person(app, "boss@example.com", "admin")
    person_id = add_person(app, "agent@example.com", "agent")
    _client, thief = _signed_in_copy(app)
    admin = new_client(app)
    sign_in(admin, "boss@example.com")
    if change == "roles":
        data, path = {"roles": ["agent", "editor"]}, f"/desk/people/{person_id}/roles"
    else:
        data, path = {"action": "disable"}, f"/desk/people/{person_id}/access"
    assert post(admin, path, data, token_from="/desk/people").status_code == 303
    assert not is_signed_in(thief)


def test_a_copied_cookie_fails_for_the_api_too(app):
    add_person(app, "agent@example.com", "agent")
    client, thief = _signed_in_copy(app)
    assert thief.get("/api/desk/me").status_code == 200
    post(client, "/desk/logout", token_from="/desk/")
    assert thief.get("/api/desk/me").status_code == 401


def test_a_session_older_than_its_lifetime_is_refused(app, client):
    add_person(app, "agent@example.com", "agent")
    sign_in(client, "agent@example.com")
    with client.session_transaction() as session:
        session["desk_signed_in_at"] = (dt.datetime.now(dt.UTC)
                                        - dt.timedelta(hours=13)).timestamp()
    assert not is_signed_in(client)


def test_signing_in_starts_a_new_session(app, client):
    add_person(app, "agent@example.com", "agent")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, "agent@example.com")
    with client.session_transaction() as session:
        assert "planted" not in session


# The second factor

def test_totp_sign_in_asks_for_a_code_and_refuses_a_replay(app, client):
    secret = accounts.new_secret()
    add_person(app, "agent@example.com", "agent", totp_secret=secret)
    response = sign_in(client, "agent@example.com")
    assert response.headers["Location"] == "/desk/login/code"
    assert not is_signed_in(client)
    wrong = post(client, "/desk/login/code", {"code": "12345"}, token_from="/desk/login/code")
    assert wrong.status_code == 422
    assert page(wrong).find(id="code-error").text.startswith("That code didn't work")
    code = accounts.code_for(secret, utcnow())
    right = post(client, "/desk/login/code", {"code": code}, token_from="/desk/login/code")
    assert right.status_code == 303 and right.headers["Location"] == "/desk/"
    assert is_signed_in(client)
    again = new_client(app)
    sign_in(again, "agent@example.com")
    replay = post(again, "/desk/login/code", {"code": code}, token_from="/desk/login/code")
    assert replay.status_code == 422


def test_the_code_step_without_a_password_step_goes_back_to_sign_in(client):
    assert client.get("/desk/login/code").headers["Location"] == "/desk/login"


def test_code_attempts_are_limited(app, client):
    app.config["DESK_LIMIT_PER_EMAIL"] = 2
    add_person(app, "agent@example.com", "agent", totp_secret=accounts.new_secret())
    sign_in(client, "agent@example.com")
    statuses = [post(client, "/desk/login/code", {"code": "000000"},
                     token_from="/desk/login/code").status_code for _ in range(3)]
    assert statuses[-1] == 429


# One-time links

@pytest.mark.parametrize(("public_url", "expected"), [
    ("https://help.example.com", "https://help.example.com/desk/password/"),
    (None, "http://127.0.0.1:5000/desk/password/")], ids=["configured", "default"])
def test_a_reset_link_is_built_on_the_public_url_never_the_request_host(
        app, client, public_url, expected):
    app.config["PUBLIC_URL"] = public_url
    # as configure() does at start: the public URL's host is one the app answers to
    app.config["TRUSTED_HOSTS"] = trusted_hosts(None, public_url or "")
    add_person(app, "agent@example.com", "agent", name="Min")
    post(client, "/desk/password/forgot", {"email": "agent@example.com"},
         token_from="/desk/password/forgot")  # the request's host is "localhost"
    (message,) = outbox(app)
    body = message.get_content()
    assert expected in body and "localhost" not in body
    assert message["To"] == "Min <agent@example.com>" and message["Content-Language"] == "en"


def test_a_reset_link_sets_a_new_password_once(app, client):
    add_person(app, "agent@example.com", "agent")
    _old, thief = _signed_in_copy(app)
    post(client, "/desk/password/forgot", {"email": "agent@example.com"},
         token_from="/desk/password/forgot")
    link = link_in(outbox(app)[0].get_content())
    opened = client.get(link)
    assert opened.status_code == 303 and opened.headers["Location"] == "/desk/password"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    form = page(client.get("/desk/password"))
    assert "agent@example.com" in form.text
    mismatch = post(client, "/desk/password", {"password": "a brand new password",
                                               "password_again": "a brand new passwort"},
                    token_from="/desk/password")
    assert mismatch.status_code == 422
    assert page(mismatch).find(id="password_again-error") is not None
    short = post(client, "/desk/password", {"password": "short", "password_again": "short"},
                 token_from="/desk/password")
    assert page(short).find(id="password-error").text == "Use at least 12 characters."
    done = post(client, "/desk/password", {"password": "a brand new password",
                                           "password_again": "a brand new password"},
                token_from="/desk/password")
    assert done.status_code == 303 and done.headers["Location"] == "/desk/login"
    assert not is_signed_in(thief)
    assert sign_in(new_client(app), "agent@example.com",
                   "a brand new password").status_code == 303
    assert new_client(app).get(link).status_code == 404


def test_an_unknown_link_says_it_no_longer_works(client):
    response = client.get("/desk/password/not-a-real-link")
    assert response.status_code == 404
    assert page(response).find(attrs={"data-error": "link"}) is not None


def test_an_old_hash_is_replaced_on_sign_in(app, client):
    old = accounts.PasswordHashing("RFC_9106_LOW_MEMORY")
    add_person(app, "agent@example.com", "agent")
    from web import services

    with services.database(app).session() as session:
        accounts.find_person(session, "agent@example.com").password_hash = old.hash(PASSWORD)
    assert sign_in(client, "agent@example.com").status_code == 303
    with app.app_context():
        assert not hashing().needs_rehash(person_row(app, "agent@example.com").password_hash)
