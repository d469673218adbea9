"""The desk's queue and workspace pages: what an agent sees and does, and who may not."""

from __future__ import annotations

import pytest

from kb import content, tickets
from web import services

from .desking import add_person, new_client, page, post, sign_in, signed_in
from .ticketing import outbox, send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def agent(app):
    return signed_in(app, "agent@example.com", "agent", name="Ara")


@pytest.fixture
def customer(app):
    return app.test_client()


def reply(agent, reference, **fields):
    path = f"/desk/tickets/{reference}"
    html = page(agent.get(path))
    seen = html.find("input", attrs={"name": "seen"})["value"]
    return post(agent, f"{path}/reply", {"seen": seen, **fields}, token_from=path)


def test_the_queue_lists_the_longest_waiting_first_with_step_counts(agent, customer):
    first = send_ticket(customer)
    second = send_ticket(customer, email="b@example.com")
    response = agent.get("/desk/tickets")
    assert response.status_code == 200
    html = page(response)
    assert [r["data-ticket"] for r in html.select("tr[data-ticket]")] == [first, second]
    assert html.select_one('[data-count="received"]').text.strip() == "2"


def test_a_bad_filter_is_named_beside_its_field_and_keeps_the_search(agent):
    response = agent.get("/desk/tickets?q=" + "x" * 201)
    assert response.status_code == 422
    html = page(response)
    assert html.find(id="q")["value"] == "x" * 201
    assert html.find(id="q-error").text == "Search with 200 characters or fewer."


def test_the_poll_endpoint_gives_counts_and_the_first_page(agent, customer):
    reference = send_ticket(customer)
    data = agent.get("/desk/tickets/updates").get_json()
    assert data["references"] == [reference] and data["counts"]["received"] == 1


def test_bulk_assign_to_me_and_move(app, agent, customer):
    a = send_ticket(customer)
    b = send_ticket(customer, email="b@example.com")
    response = post(agent, "/desk/tickets/bulk", {"reference": [a, b], "action": "assign",
                                                   "assignee": "mine"}, token_from="/desk/tickets")
    assert response.status_code == 303
    mine = page(agent.get("/desk/tickets?assignee=mine"))
    assert [r["data-ticket"] for r in mine.select("tr[data-ticket]")] == [a, b]
    post(agent, "/desk/tickets/bulk", {"reference": [a], "action": "move",
                                       "status": "investigating"}, token_from="/desk/tickets")
    assert stored_ticket(app, a).status == "investigating"


def test_the_workspace_shows_the_trail_and_suggests_articles(agent, customer):
    customer.get("/en/search?q=locked+account")
    reference = send_ticket(customer, description="My account is locked after a reset.")
    response = agent.get(f"/desk/tickets/{reference}")
    assert response.status_code == 200
    html = page(response)
    steps = html.select("[data-trail-step]")
    assert [s["data-trail-step"] for s in steps][0] == "search"
    assert "locked account" in steps[0].text
    assert html.select("[data-suggestions] [data-insert]")


def test_a_reply_with_an_inserted_link_reaches_status_page_and_mail(app, agent, customer):
    reference = send_ticket(customer)
    before = len(outbox(app))
    response = reply(agent, reference, message="Please [reset your password](password-reset).",
                     status="proposed", assignee="mine")
    assert response.status_code == 303
    ticket = stored_ticket(app, reference)
    assert (ticket.status, ticket.messages[-1].links) == ("proposed", ["password-reset"])
    assert ticket.assignee_id is not None
    assert len(outbox(app)) == before + 1
    status = page(customer.get(f"/en/tickets/{reference}/status"))
    assert status.select_one('[data-linked-article="password-reset"]') is not None


def test_an_internal_note_stays_on_the_desk(app, agent, customer):
    reference = send_ticket(customer)
    before = len(outbox(app))
    assert reply(agent, reference, message="VIP, call first.", internal="1").status_code == 303
    assert len(outbox(app)) == before
    assert page(agent.get(f"/desk/tickets/{reference}")).select_one("[data-internal]")
    conversation = page(customer.get(f"/en/tickets/{reference}/status")).find(
        attrs={"data-conversation": True})
    assert "VIP" not in conversation.text


def test_a_reply_written_while_the_customer_wrote_keeps_the_text_and_says_so(app, agent,
                                                                             customer):
    reference = send_ticket(customer)
    path = f"/desk/tickets/{reference}"
    seen = page(agent.get(path)).find("input", attrs={"name": "seen"})["value"]
    with services.database(app).session() as session:
        tickets.add_customer_message(session, tickets.find_ticket(session, reference),
                                     "Also charged twice!")
    response = post(agent, f"{path}/reply", {"seen": seen, "message": "Reset it."},
                    token_from=path)
    assert response.status_code == 409
    html = page(response)
    assert html.find(id="message").text == "Reset it."
    assert html.select_one("[data-new]").find(attrs={"data-body": True}).text == \
        "Also charged twice!"
    assert len(stored_ticket(app, reference).messages) == 2


def test_an_empty_reply_is_refused_beside_the_form(agent, customer):
    reference = send_ticket(customer)
    response = reply(agent, reference, message="  ", status="proposed")
    assert response.status_code == 422
    html = page(response)
    assert html.find(id="message-error").text == "Write a reply first."
    assert html.find(id="status").find("option", selected=True)["value"] == "proposed"


@pytest.mark.parametrize("payload", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'],
                         ids=["script", "attribute"])
def test_customer_text_is_escaped_in_the_queue_and_workspace(agent, customer, payload):
    reference = send_ticket(customer, subject=payload, description=payload, name=payload)
    for path in ("/desk/tickets", f"/desk/tickets/{reference}"):
        html = page(agent.get(path))
        assert not html.find("script", string="alert(1)")
        assert not html.select("img[onerror]")


@pytest.mark.parametrize("roles", [("editor",), ()], ids=["editor", "anonymous"])
def test_only_agents_reach_the_ticket_desk(app, customer, roles):
    reference = send_ticket(customer)
    client = new_client(app)
    if roles:
        add_person(app, "editor@example.com", *roles)
        sign_in(client, "editor@example.com")
    for path in ("/desk/tickets", f"/desk/tickets/{reference}", "/desk/tickets/updates"):
        response = client.get(path)
        assert response.status_code == (403 if roles else 303), path


def test_turn_into_an_article_stores_a_draft_for_the_editors(app, agent, customer):
    reference = send_ticket(customer, subject="Cannot log in after reset")
    path = f"/desk/tickets/{reference}"
    refused = post(agent, f"{path}/draft", token_from=path)
    assert refused.status_code == 303
    assert "Only a resolved ticket" in page(agent.get(path)).select_one("p.notice").text
    reply(agent, reference, message="Clear the app's cache.", status="resolved")

    response = post(agent, f"{path}/draft", token_from=path)

    assert response.status_code == 303 and response.location.endswith(path)
    notice = page(agent.get(path)).select_one("p.notice").text
    assert "en/cannot-log-in-after-reset" in notice
    with services.database(app).session() as session:
        draft = content.read_article(session, "en", "cannot-log-in-after-reset")
    assert (draft.status, draft.ticket_reference) == ("draft", reference)
    assert "Clear the app's cache." in draft.markdown


def test_an_agent_who_edits_too_goes_straight_to_the_draft(app, customer):
    client = signed_in(app, "both@example.com", "agent", "editor")
    reference = send_ticket(customer, subject="Cannot log in after reset")
    reply(client, reference, message="Clear the app's cache.", status="resolved")

    response = post(client, f"/desk/tickets/{reference}/draft",
                    token_from=f"/desk/tickets/{reference}")

    assert response.status_code == 303
    assert response.location.endswith("/desk/articles/en/cannot-log-in-after-reset")
