"""My account (password, second factor, API tokens) and the token-authenticated staff API."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from kb import accounts
from kb.accounts.models import utcnow
from web import services

from .desking import PASSWORD, add_person, new_client, page, person_row, post, sign_in, signed_in


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def agent(app):
    return signed_in(app, "agent@example.com", "agent", "editor", name="Min")


def change_password(client, current=PASSWORD, new="a different long password", again=None):
    return post(client, "/desk/account/password", {
        "current_password": current, "password": new,
        "password_again": new if again is None else again}, token_from="/desk/account")


def make_token(client, label="nightly export") -> str:
    response = post(client, "/desk/account/tokens", {"label": label}, token_from="/desk/account")
    assert response.status_code == 201
    return page(response).find(attrs={"data-new-token": True}).text


# Password

@pytest.mark.parametrize(("current", "new", "again", "field"), [
    ("wrong password!!", "a different long password", None, "current_password"),
    (PASSWORD, "short", None, "password"),
    (PASSWORD, "a different long password", "another long password", "password_again")],
    ids=["wrong-current", "short", "mismatch"])
def test_a_refused_password_change_names_the_field(app, agent, current, new, again, field):
    response = change_password(agent, current, new, again)
    assert response.status_code == 422
    assert page(response).find(id=f"{field}-error") is not None
    assert sign_in(new_client(app), "agent@example.com").status_code == 303


def test_a_password_change_takes_effect(app, agent):
    assert change_password(agent).status_code == 303
    assert sign_in(new_client(app), "agent@example.com").status_code == 422
    assert sign_in(new_client(app), "agent@example.com",
                   "a different long password").status_code == 303


# Second factor

def test_two_factor_is_set_up_with_a_server_drawn_qr_code(app, agent):
    assert post(agent, "/desk/account/two-factor/start",
                token_from="/desk/account").status_code == 303
    html = page(agent.get("/desk/account"))
    svg = html.select_one("figure.qr svg")
    assert svg is not None and svg.find("path") is not None
    assert "style" not in str(svg) and html.find("script") is None
    secret = html.find(attrs={"data-totp-secret": True}).text
    assert person_row(app, "agent@example.com").totp_secret is None  # not yet: pending only
    wrong = post(agent, "/desk/account/two-factor", {"code": "123"}, token_from="/desk/account")
    assert wrong.status_code == 422
    assert page(wrong).find("input", id="code")["value"] == "123"
    right = post(agent, "/desk/account/two-factor",
                 {"code": accounts.code_for(secret, utcnow())}, token_from="/desk/account")
    assert right.status_code == 303
    assert person_row(app, "agent@example.com").totp_secret == secret
    signing_in = new_client(app)
    assert sign_in(signing_in, "agent@example.com").headers["Location"] == "/desk/login/code"


def test_required_two_factor_cannot_be_turned_off(app, agent):
    with services.database(app).session() as session:
        person = accounts.find_person(session, "agent@example.com")
        person.totp_secret, person.is_totp_required = accounts.new_secret(), True
    response = post(agent, "/desk/account/two-factor/off", token_from="/desk/account")
    assert response.status_code == 409
    assert person_row(app, "agent@example.com").totp_secret is not None


# API tokens and /api/desk/me

def test_a_token_is_shown_once_and_listed_by_its_hint(app, agent):
    secret = make_token(agent)
    assert secret.startswith("dfl_")
    listing = page(agent.get("/desk/account"))
    assert secret not in str(listing)
    (item,) = listing.select("ul.tokens li")
    assert "nightly export" in item.text and secret[:8] in item.text


def test_a_blank_token_name_is_named(agent):
    response = post(agent, "/desk/account/tokens", {"label": "  "}, token_from="/desk/account")
    assert response.status_code == 422
    assert page(response).find(id="label-error") is not None


def test_api_desk_me_answers_the_token_holder(app, agent):
    secret = make_token(agent)
    response = new_client(app).get("/api/desk/me",
                                   headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.get_json() == {"id": person_row(app, "agent@example.com").id,
                                   "email": "agent@example.com", "name": "Min",
                                   "roles": ["agent", "editor"], "has_totp": False}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("header", ["Bearer dfl_not-a-real-token", "Bearer ", "Basic abc"])
def test_api_desk_me_refuses_a_bad_token_with_401(app, header):
    response = new_client(app).get("/api/desk/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_a_revoked_token_stops_working(app, agent):
    secret = make_token(agent)
    token_id = page(agent.get("/desk/account")).select_one("ul.tokens li")["data-token-id"]
    response = post(agent, f"/desk/account/tokens/{token_id}/revoke", token_from="/desk/account")
    assert response.status_code == 303
    assert new_client(app).get("/api/desk/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 401


def test_someone_elses_token_cannot_be_revoked(app, agent):
    make_token(agent)
    token_id = page(agent.get("/desk/account")).select_one("ul.tokens li")["data-token-id"]
    add_person(app, "other@example.com", "agent")
    other = new_client(app)
    sign_in(other, "other@example.com")
    response = post(other, f"/desk/account/tokens/{token_id}/revoke", token_from="/desk/account")
    assert response.status_code == 404


def test_a_disabled_persons_token_stops_working(app, agent):
    secret = make_token(agent)
    add_person(app, "boss@example.com", "admin")
    with services.database(app).session() as session:
        accounts.set_disabled(session, accounts.find_person(session, "agent@example.com"), True)
    assert new_client(app).get("/api/desk/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 401


def test_the_openapi_document_describes_api_desk_me(client):
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/desk/me"]["get"]
    assert operation["security"] == [{"deskToken": []}]
    assert set(operation["responses"]) == {"200", "401"}
    assert document["components"]["securitySchemes"]["deskToken"]["scheme"] == "bearer"
    assert "Person" in document["components"]["schemas"]


@pytest.mark.parametrize("path", ["/desk/login", "/desk/account", "/desk/people",
                                  "/desk/password/forgot"])
def test_desk_pages_have_no_inline_script_or_style(app, path):
    add_person(app, "boss@example.com", "admin")
    client = new_client(app)
    sign_in(client, "boss@example.com")
    if path == "/desk/login":
        client = new_client(app)
    if path == "/desk/account":  # with the QR code on it
        post(client, "/desk/account/two-factor/start", token_from="/desk/account")
    response = client.get(path)
    assert response.status_code == 200
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert html.find("script") is None and html.find("style") is None
    assert not [tag.name for tag in html.find_all(True)
                if "style" in tag.attrs or any(a.startswith("on") for a in tag.attrs)]
    assert [link["href"] for link in html.find_all("link", rel="stylesheet")] == \
        ["/static/css/desk.css"]
    for form in html.find_all("form", method="post"):
        assert form.find("input", attrs={"name": "csrf_token"}) is not None, form.get("action")
