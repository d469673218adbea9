"""Bad input on the contact form: a message per field, everything else typed kept, markup
shown as text, and the form's guards (CSRF, honeypot, rate limit), on every database backend."""

from __future__ import annotations

import pytest

from .ticketing import (
    FORM,
    field_values,
    page,
    post_contact,
    send_ticket,
    stored_ticket,
    stored_tickets,
)


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": None}, "email", "Please fill in this field."),
    ({"email": "min@@example"}, "email", "Enter an email address like name@example.com."),
    ({"description": "   "}, "description", "Please fill in this field."),
    ({"description": "x" * 20_001}, "description",
     "This is too long: at most 20,000 characters."),
    ({"category": "billing"}, "category", "Choose one of the listed categories."),
    ({"consent": None}, "consent", "We need your consent to use these details to answer you."),
], ids=["missing-email", "invalid-email", "empty-description", "long-description",
        "unknown-category", "no-consent"])
def test_bad_field_comes_back_with_its_message_and_the_rest_kept(app, client, changes, field,
                                                                message):
    response = post_contact(client, "send", **changes)
    assert response.status_code == 422
    html = page(response)
    assert html.find(attrs={"data-error-for": field}).text == message
    assert [e["data-error-for"] for e in html(attrs={"data-error-for": True})] == [field]
    kept = field_values(html)
    expected = {**FORM, **{k: (v if v is not None else "") for k, v in changes.items()}}
    if field == "category":
        expected["category"] = ""  # an unknown category cannot be shown selected
    assert {k: v for k, v in kept.items() if k != field} == {
        k: v for k, v in expected.items() if k != field}
    assert stored_tickets(app) == []


def test_long_description_is_kept_whole(client):
    html = page(post_contact(client, description="가" * 20_001))
    assert html.find("textarea", attrs={"name": "description"}).text == "가" * 20_001


def test_korean_page_gives_korean_messages(client):
    html = page(post_contact(client, locale="ko", email=""))
    assert html.find(attrs={"data-error-for": "email"}).text == "이 항목을 입력해 주세요."


SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)>**bold**'


def test_markup_in_every_field_is_shown_as_text_on_review(client):
    response = post_contact(client, subject=SCRIPT, description=SCRIPT, name=SCRIPT)
    html = page(response)
    assert html.find("script", string="alert(1)") is None and html.find("img", src="x") is None
    shown = {dd["data-field"]: dd.text for dd in html("dd", attrs={"data-field": True})}
    assert shown["subject"] == shown["description"] == shown["name"] == SCRIPT


def test_markup_in_every_field_is_shown_as_text_on_the_status_page(client):
    reference = send_ticket(client, subject=SCRIPT, description=SCRIPT, name=SCRIPT)
    html = page(client.get(f"/en/tickets/{reference}/status"))
    assert html.find("img", src="x") is None and html.find("strong") is None
    assert html.find(attrs={"data-subject": True}).text == SCRIPT
    assert html.find(attrs={"data-body": True}).text == SCRIPT


def test_markup_in_a_bad_form_is_kept_as_text(client):
    response = post_contact(client, subject=SCRIPT, email="")
    assert page(response).find("input", attrs={"name": "subject"})["value"] == SCRIPT
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_cr_lf_in_name_and_subject_becomes_spaces(app, client):
    reference = send_ticket(client, subject="Locked\r\nBcc: x@evil.example",
                            name="Min\r\nJi")
    ticket = stored_ticket(app, reference)
    assert (ticket.subject, ticket.name) == ("Locked Bcc: x@evil.example", "Min Ji")


def test_form_without_csrf_token_is_refused(app, client):
    response = client.post("/en/contact", data={**FORM, "action": "send",
                                                "idempotency_key": "k" * 22})
    assert response.status_code == 400
    assert stored_tickets(app) == []


def test_honeypot_looks_like_success_and_stores_nothing(app, client):
    response = post_contact(client, "send", website="http://spam.example")
    assert response.status_code == 200
    assert page(response).find("h1").text == "Thank you: we received your request"
    assert stored_tickets(app) == []


def test_rate_limit_keeps_the_form_and_says_why(app, client):
    app.config["TICKET_LIMIT_PER_EMAIL"] = 1
    send_ticket(client)
    response = post_contact(client, "send", subject="Second problem")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    html = page(response)
    assert "everything you typed is still here" in html.find(attrs={"data-notice": True}).text
    assert html.find(attrs={"data-field": "subject"}).text == "Second problem"
    assert len(stored_tickets(app)) == 1
