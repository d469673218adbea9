"""Ticket changes are race-safe: a rating and a reopen sent at the same moment, through the real
status-page views on separate threads, never both win (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from bs4 import BeautifulSoup

from kb import tickets
from web import services

from .ticketing import page, send_ticket, stored_ticket

ROUNDS = 8


@pytest.fixture
def app(backend_app):
    backend_app.config.update(TICKET_LIMIT_PER_EMAIL=0, TICKET_LIMIT_PER_ADDRESS=0)
    return backend_app


def _resolve(app, reference: str) -> None:
    with services.database(app).session() as session:
        tickets.add_reply(session, tickets.find_ticket(session, reference), "Fixed.",
                          status="resolved")


def _csrf(client, reference: str) -> str:
    html = page(client.get(f"/en/tickets/{reference}/status"))
    return html.find("input", attrs={"name": "csrf_token"})["value"]


def _post_at_once(app, client, posts) -> tuple[dict[str, int], dict[str, str]]:
    """Post each ``(path, data)`` on its own thread, released together; the same visitor (the
    cookies of ``client``) as if from two tabs."""
    barrier = threading.Barrier(len(posts))
    statuses: dict[str, int] = {}
    bodies: dict[str, str] = {}

    def post(path: str, data: dict) -> None:
        own = app.test_client()
        own._cookies = client._cookies
        barrier.wait()
        response = own.post(path, data=data)
        statuses[path.rsplit("/", 1)[-1]] = response.status_code
        bodies[path.rsplit("/", 1)[-1]] = response.get_data(as_text=True)

    threads = [threading.Thread(target=post, args=item) for item in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, bodies


def test_a_rating_and_a_reopen_at_once_never_both_succeed(app):
    for _ in range(ROUNDS):
        client = app.test_client()
        reference = send_ticket(client)
        _resolve(app, reference)
        token = _csrf(client, reference)
        statuses, bodies = _post_at_once(app, client, [
            (f"/en/tickets/{reference}/rating",
             {"rating": "5", "comment": "thanks", "csrf_token": token}),
            (f"/en/tickets/{reference}/reopen",
             {"reopen_message": "still broken", "csrf_token": token})])
        ticket = stored_ticket(app, reference)
        winners = sorted(kind for kind, status in statuses.items() if status == 303)
        assert len(winners) == 1, (statuses, ticket.status)
        loser = "reopen" if winners == ["rating"] else "rating"
        assert statuses[loser] == 409
        # The loser is told why and keeps what it typed.
        html = BeautifulSoup(bodies[loser], "html.parser")
        assert html.find(attrs={"data-moved": True}) is not None
        typed = "still broken" if loser == "reopen" else "thanks"
        assert html.find("textarea", attrs={"data-unsent": True}).text == typed
        if winners == ["rating"]:
            assert (ticket.status, ticket.rating, ticket.reopen_count) == ("closed", 5, 0)
        else:
            assert (ticket.status, ticket.rating, ticket.reopen_count) == \
                ("investigating", None, 1)


def test_stop_every_link_revokes_older_links_and_keeps_this_browser(app, client):
    from .ticketing import outbox

    reference = send_ticket(client)
    [first_mail] = outbox(app)
    old_link = next(line for line in first_mail.read_text().splitlines() if "/tickets/" in line)
    old_path = old_link.strip().split("localhost", 1)[-1]
    response = client.post(f"/en/tickets/{reference}/links/revoke",
                           data={"csrf_token": _csrf(client, reference)})
    assert response.status_code == 303
    html = page(client.get(f"/en/tickets/{reference}/status"))
    assert html.find(attrs={"data-links-revoked": True}) is not None
    stranger = app.test_client()
    assert stranger.get(old_path).status_code == 404
    assert len(outbox(app)) == 2  # the new link, mailed
    new_link = next(line for line in outbox(app)[-1].read_text().splitlines()
                    if "/tickets/" in line).strip().split("localhost", 1)[-1]
    assert stranger.get(new_link).status_code == 303


def test_stop_every_link_needs_a_csrf_token(app, client):
    reference = send_ticket(client)
    response = client.post(f"/en/tickets/{reference}/links/revoke")
    assert response.status_code == 400
    assert client.get(f"/en/tickets/{reference}/status").status_code == 200
