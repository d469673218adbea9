"""Helpers for the desk tests: people in the database, signing in like a browser."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from kb import accounts
from web import services
from web.desk.forms import hashing

PASSWORD = "correct horse battery"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def add_person(app, email: str, *roles: str, password: str | None = PASSWORD,
               name: str = "", totp_secret: str | None = None) -> int:
    """Add a person (with a password unless ``password=None``); return their id."""
    with app.app_context():
        password_hash = hashing().hash(password) if password else None
    with services.database(app).session() as session:
        person = accounts.add_person(session, email, roles=roles or ("agent",), name=name,
                                     password_hash=password_hash)
        person.totp_secret = totp_secret
        session.flush()
        return person.id


def person_row(app, email: str) -> accounts.Person | None:
    with services.database(app).session() as session:
        return accounts.find_person(session, email)


def csrf_token(client, path: str = "/desk/login") -> str:
    """The CSRF token of the form on ``path`` (the client keeps the session that holds it)."""
    found = page(client.get(path)).find("input", attrs={"name": "csrf_token"})
    assert found is not None, f"no form with a CSRF token on {path}"
    return found["value"]


def post(client, path: str, data: dict | None = None, *, token_from: str = "/desk/login",
         **kwargs):
    """POST a desk form the way a browser does: with the CSRF token of a page it opened."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **(data or {})},
                       **kwargs)


def sign_in(client, email: str, password: str = PASSWORD, **fields):
    return post(client, "/desk/login", {"email": email, "password": password, **fields})


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def use_cookie(client, value: str) -> None:
    client.set_cookie("session", value)


def link_in(text: str) -> str:
    """The path of the one-time desk link in a mail's text."""
    found = re.search(r"https?://[^/\s]+(/desk/password/[\w-]+)", text)
    assert found, text
    return found.group(1)


def signed_in(app, email: str, *roles: str, name: str = ""):
    """A new client (English) signed in as a new person with ``roles`` (an agent without)."""
    add_person(app, email, *roles, name=name)
    client = new_client(app)
    assert sign_in(client, email).status_code == 303
    return client


def new_client(app):
    """A test client whose browser asks for English (the desk's default is Korean)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en"
    return client
