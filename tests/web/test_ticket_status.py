"""The private link to a ticket and its status page: follow-ups, replies, rating and reopening,
on every database backend."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import tickets
from web import services
from web.tickets import korea_time

from .ticketing import FORM, form_tokens, page, send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


def reply(app, reference, body="We reset it.", *, status=None, links=()):
    with services.database(app).session() as session:
        tickets.add_reply(session, tickets.find_ticket(session, reference), body,
                          status=status, links=links)


def test_link_is_exchanged_for_the_session_and_a_clean_url(app, client):
    created = tickets.create_ticket(services.database(app), _submission(),
                                    idempotency_key="k1")
    response = client.get(f"/en/tickets/{created.token}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/en/tickets/{created.ticket.reference}/status"
    assert created.token not in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200


def _submission():
    from kb.submissions import parse_submission

    return parse_submission(FORM, locale="en")


@pytest.mark.parametrize("kind", ["wrong", "tampered", "expired"])
def test_bad_link_is_the_same_404_as_any_unknown_page(app, client, kind):
    created = tickets.create_ticket(services.database(app), _submission(), idempotency_key="k",
                                    link_days=0 if kind == "expired" else 180)
    token = {"wrong": "A" * 22, "tampered": created.token[:-2] + "zz",
             "expired": created.token}[kind]
    response = client.get(f"/en/tickets/{token}")
    unknown = client.get("/en/no-such-page")
    assert (response.status_code, unknown.status_code) == (404, 404)
    assert response.get_data() == unknown.get_data()


def test_status_page_needs_the_link_not_just_the_reference(app, client):
    reference = send_ticket(client)
    stranger = app.test_client()
    response = stranger.get(f"/en/tickets/{reference}/status")
    assert response.status_code == 404
    assert response.get_data() == stranger.get("/en/no-such-page").get_data()


def test_stranger_cannot_post_to_a_ticket(app, client):
    reference = send_ticket(client)
    stranger = app.test_client()
    tokens = form_tokens(stranger)
    response = stranger.post(f"/en/tickets/{reference}/messages",
                             data={"message": "hi", "csrf_token": tokens["csrf_token"]})
    assert response.status_code == 404
    assert len(stored_ticket(app, reference).messages) == 1


def _csrf(client, reference):
    html = page(client.get(f"/en/tickets/{reference}/status"))
    return html.find("input", attrs={"name": "csrf_token"})["value"]


def test_follow_up_is_added_to_the_conversation(app, client):
    reference = send_ticket(client)
    response = client.post(f"/en/tickets/{reference}/messages",
                           data={"message": "Also on TV", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 303
    bodies = [b.text for b in page(client.get(response.headers["Location"]))(
        attrs={"data-body": True})]
    assert bodies == ["It says locked.", "Also on TV"]


def test_empty_follow_up_is_refused_with_a_message(client):
    reference = send_ticket(client)
    response = client.post(f"/en/tickets/{reference}/messages",
                           data={"message": " ", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 422
    assert page(response).find(attrs={"data-error-for": "message"}).text == \
        "Please write a message."


def test_follow_up_error_speaks_the_page_locale(client):
    reference = send_ticket(client, locale="ko")
    csrf = page(client.get(f"/ko/tickets/{reference}/status")).find(
        "input", attrs={"name": "csrf_token"})["value"]
    response = client.post(f"/ko/tickets/{reference}/messages",
                           data={"message": " ", "csrf_token": csrf})
    assert response.status_code == 422
    error = page(response).find(attrs={"data-error-for": "message"})
    assert error.text == "메시지를 입력해 주세요."


def test_over_long_follow_up_is_kept_with_a_message(client):
    reference = send_ticket(client)
    text = "나" * 20_001
    response = client.post(f"/en/tickets/{reference}/messages",
                           data={"message": text, "csrf_token": _csrf(client, reference)})
    assert response.status_code == 422
    html = page(response)
    assert html.find("textarea", attrs={"name": "message"}).text == text
    assert "20,000" in html.find(attrs={"data-error-for": "message"}).text


def test_agent_reply_shows_with_its_linked_article(app, client):
    reference = send_ticket(client)
    reply(app, reference, "Try this.", status="proposed", links=["password-reset"])
    html = page(client.get(f"/en/tickets/{reference}/status"))
    agent = html.find(attrs={"data-author": "agent"})
    assert agent.find(attrs={"data-body": True}).text == "Try this."
    assert agent.find("a", attrs={"data-linked-article": "password-reset"})["href"] == \
        "/en/articles/password-reset"
    steps = {li["data-step"]: li["class"][0] for li in html("li", attrs={"data-step": True})}
    assert steps == {"received": "done", "investigating": "done", "proposed": "current",
                     "resolved": "todo"}


def test_resolved_ticket_offers_rating_and_reopen_instead_of_follow_up(app, client):
    reference = send_ticket(client)
    reply(app, reference, status="resolved")
    html = page(client.get(f"/en/tickets/{reference}/status"))
    assert html.find(attrs={"data-rate-form": True}) and html.find(attrs={"data-reopen-form": True})
    assert html.find(attrs={"data-follow-up-form": True}) is None


def test_solved_with_a_rating_closes_the_ticket(app, client):
    reference = send_ticket(client)
    reply(app, reference, status="resolved")
    response = client.post(f"/en/tickets/{reference}/rating", data={
        "rating": "5", "comment": "fast", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 303
    html = page(client.get(response.headers["Location"]))
    assert "5/5" in html.find(attrs={"data-closed": True}).text
    ticket = stored_ticket(app, reference)
    assert (ticket.status, ticket.rating, ticket.rating_comment) == ("closed", 5, "fast")


def test_rating_without_a_score_keeps_the_comment(app, client):
    reference = send_ticket(client)
    reply(app, reference, status="resolved")
    response = client.post(f"/en/tickets/{reference}/rating", data={
        "comment": "my words", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 422
    html = page(response)
    assert html.find(attrs={"data-error-for": "rating"}).text == "Choose a rating from 1 to 5."
    assert html.find("textarea", attrs={"name": "comment"}).text == "my words"


def test_still_not_solved_reopens_the_ticket(app, client):
    reference = send_ticket(client)
    reply(app, reference, status="resolved")
    response = client.post(f"/en/tickets/{reference}/reopen", data={
        "reopen_message": "Still locked", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 303
    html = page(client.get(response.headers["Location"]))
    assert html.find(attrs={"aria-current": "step"})["data-step"] == "investigating"
    assert html("div", attrs={"data-body": True})[-1].text == "Still locked"


def test_rating_an_unresolved_ticket_is_refused_without_change(app, client):
    reference = send_ticket(client)
    response = client.post(f"/en/tickets/{reference}/rating", data={
        "rating": "5", "csrf_token": _csrf(client, reference)})
    assert response.status_code == 409
    assert stored_ticket(app, reference).status == "received"


def test_times_on_the_status_page_are_korea_time():
    assert korea_time(dt.datetime(2026, 11, 22, 1, 50)) == "2026-11-22 10:50 KST"
