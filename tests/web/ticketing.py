"""Helpers for the ticket tests: fill in the contact form like a browser, read tickets back."""

from __future__ import annotations

import io
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from kb import tickets
from web import services

FORM = {"category": "account", "subject": "Cannot log in", "description": "It says locked.",
        "email": "min@example.com", "name": "Min", "phone": "010-1234-5678", "consent": "on"}


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_tokens(client, locale: str = "en") -> dict[str, str]:
    """The hidden fields (CSRF token, idempotency key) of a freshly opened contact form."""
    html = page(client.get(f"/{locale}/contact"))
    return {name: html.find("input", attrs={"name": name})["value"]
            for name in ("csrf_token", "idempotency_key")}


def post_contact(client, action: str = "review", *, locale: str = "en", tokens=None,
                 files=None, **changes):
    """Post the contact form with ``FORM`` changed by ``changes`` (``None`` leaves a field out)."""
    data = {**FORM, **(tokens or form_tokens(client, locale)), **changes, "action": action}
    data = {key: value for key, value in data.items() if value is not None}
    if files:
        data["screenshots"] = [FileStorage(stream, filename=name) for stream, name in files]
    # Encoded here, in memory: the test client spools large bodies to a temporary file that it
    # never closes, which pytest reports as an unraisable ResourceWarning.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(f"/{locale}/contact", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def send_ticket(client, *, locale: str = "en", files=None, **changes) -> str:
    """Send a ticket through the form; return its reference (the client holds its link)."""
    response = post_contact(client, "send", locale=locale, files=files, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].split("/")[-2]


def stored_tickets(app) -> list[tickets.Ticket]:
    with services.database(app).session() as session:
        return tickets.list_tickets(session)


def stored_ticket(app, reference: str) -> tickets.Ticket:
    with services.database(app).session() as session:
        return tickets.find_ticket(session, reference)


def field_values(html: BeautifulSoup) -> dict[str, str]:
    """What the contact form shows in each text field (the customer's typing, kept)."""
    values = {name: html.find("input", attrs={"name": name})["value"]
              for name in ("subject", "email", "name", "phone")}
    values["description"] = html.find("textarea", attrs={"name": "description"}).text
    selected = html.find("select", attrs={"name": "category"}).find("option", selected=True)
    values["category"] = selected["value"] if selected else ""
    values["consent"] = "on" if html.find("input", attrs={"name": "consent"}).has_attr(
        "checked") else ""
    return values


def image_bytes(kind: str = "PNG", size=(8, 6), color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format=kind)
    return output.getvalue()


def upload(data: bytes, name: str = "screen.png"):
    return (io.BytesIO(data), name)


def outbox(app) -> list[Path]:
    return sorted((Path(app.config["DATA_DIR"]) / "outbox").glob("*.eml"))
