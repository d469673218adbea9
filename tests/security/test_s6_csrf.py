"""S6: every state-changing route refuses forged requests, and no GET changes state.

The routes come from ``app.url_map``, so a new route is covered (or fails for lack of a sample
value for one of its URL arguments) without editing this file. For each POST route three forged
variants are sent with the victim's session cookie: no CSRF token, another visitor's token, and
a valid token from a cross-site page (``Origin: http://evil.test``). The API takes no token: its
forgeries are what a cross-site page can send, a form-encoded POST and JSON naming another
origin. Pass: every forgery is refused (4xx) and the database and stored files are unchanged.
Positive control: the same requests, genuine, are accepted, also behind TLS (``https``) where
browsers send no Referer from our ``no-referrer`` pages. Negative control: the same harness on
an app with CSRF protection switched off counts accepted forgeries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from kb import accounts
from tests.web.desking import add_person, sign_in
from tests.web.ticketing import FORM, form_tokens, image_bytes, page, send_ticket, upload
from web import services, visitor

from .conftest import SAMPLE_SLUG

EVIL = "http://evil.test"
ANALYTICS = {"events"}
"""Tables a GET may append to: search and page-view analytics, not customer state."""


def _sample_args(app, client) -> dict[str, str]:
    """A value for every URL argument name the routes use: a ticket (with an image) to act on,
    and the victim signed in to the desk with every role, so that a desk route's refusal comes
    from its CSRF check and not from a missing sign-in."""
    reference = send_ticket(client, files=[upload(image_bytes(), "screen.png")])
    person_id = add_person(app, "victim@example.com", *accounts.ROLES)
    with services.database(app).session() as session:
        from kb import tickets
        ticket = tickets.find_ticket(session, reference)
        token = tickets.issue_link(session, ticket)
        public_id = ticket.attachments[0].public_id
        person = accounts.get_person(session, person_id)
        token_id = accounts.issue_api_token(session, person, "s6")[0].id
        secret = accounts.issue_link(session, person, "reset")
    assert sign_in(client, "victim@example.com").status_code == 303
    return {"locale": "en", "slug": SAMPLE_SLUG, "category": "account", "reference": reference,
            "token": token, "public_id": public_id, "filename": "css/site.css",
            "person_id": person_id, "token_id": token_id, "secret": secret,
            "report": "search", "name": "daily", "number": 1, "file_name": "synonyms.txt",
            "digest": "0" * 64, "extension": "png"}


def _build(rule, args: dict[str, str]) -> str:
    from flask import url_for

    return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def snapshot(app) -> dict:
    """Every row of every table, and the names of stored files (the state a request may change)."""
    with app.test_request_context():
        visitor.flush_events()
    engine = services.database(app).engine
    metadata = MetaData()
    metadata.reflect(engine)
    state: dict = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            state[table.name] = sorted(repr(tuple(row)) for row in rows)
    data = Path(app.config["DATA_DIR"])
    state["files"] = sorted(str(p.relative_to(data)) for folder in ("uploads", "outbox")
                            if (data / folder).exists() for p in (data / folder).rglob("*"))
    return state


def _form_data(endpoint: str, tokens: dict[str, str]) -> dict[str, str]:
    return {
        "tickets.submit": {**FORM, **tokens, "action": "send", "subject": "Forged ticket"},
        "tickets.follow_up": {"csrf_token": tokens["csrf_token"], "message": "forged message"},
        "tickets.rate": {"csrf_token": tokens["csrf_token"], "rating": "1", "comment": "x"},
        "tickets.reopen": {"csrf_token": tokens["csrf_token"], "reopen_message": "forged"},
        "help.feedback": {"csrf_token": tokens["csrf_token"], "helpful": "no",
                          "missing": "forged"},
    }.get(endpoint, {"csrf_token": tokens["csrf_token"]})


def _json_body(endpoint: str) -> dict:
    if endpoint == "api.create_ticket":
        return {"category": "account", "subject": "Forged", "description": "forged",
                "email": "forged@example.com", "consent": True, "locale": "en"}
    return {"helpful": False, "missing": "forged"}


def forgeries(client, attacker, url: str, endpoint: str) -> list[tuple[str, object]]:
    """``(variant, send)`` for each forged request against one POST route."""
    own, other = form_tokens(client), form_tokens(attacker)
    if url.startswith("/api/"):
        body = _json_body(endpoint)
        return [
            ("cross-site form", lambda: client.post(
                url, data={k: str(v) for k, v in body.items()}, headers={"Origin": EVIL})),
            ("cross-site JSON", lambda: client.post(
                url, json=body, headers={"Origin": EVIL, "Sec-Fetch-Site": "cross-site"})),
        ]
    no_token = {k: v for k, v in _form_data(endpoint, own).items() if k != "csrf_token"}
    return [
        ("no token", lambda: client.post(url, data=no_token)),
        ("another session's token", lambda: client.post(url, data=_form_data(endpoint, other))),
        ("cross-site with a valid token", lambda: client.post(
            url, data=_form_data(endpoint, own),
            headers={"Origin": EVIL, "Sec-Fetch-Site": "cross-site"})),
    ]


def sweep(app) -> dict:
    """Send every forgery to every POST route; return the counts and the accepted ones."""
    client, attacker = app.test_client(), app.test_client()
    with app.test_request_context():
        args = _sample_args(app, client)
        rules = [(rule, _build(rule, args)) for rule in app.url_map.iter_rules()
                 if "POST" in rule.methods]
    accepted, requests = [], 0
    for rule, url in rules:
        variants = forgeries(client, attacker, url, rule.endpoint)
        for variant, send in variants:
            requests += 1
            before = snapshot(app)
            status = send().status_code
            if status < 400 or snapshot(app) != before:
                accepted.append(f"{variant} → POST {url}: {status}")
    return {"routes": len(rules), "requests": requests, "accepted": accepted}


def test_forged_posts_are_refused_and_change_nothing(make_app, figures):
    app = make_app()
    result = sweep(app)
    figures("S6", post_routes=result["routes"], forged_requests=result["requests"],
            accepted_forgeries=len(result["accepted"]))
    assert result["routes"] >= 6
    assert result["accepted"] == []


def test_negative_control_without_csrf_protection_accepts_forgeries(make_app, figures):
    app = make_app(WTF_CSRF_ENABLED=False)
    result = sweep(app)
    figures("S6", control_accepted_forgeries=len(result["accepted"]))
    assert len(result["accepted"]) >= 3


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_genuine_posts_are_accepted(make_app, scheme):
    """The positive control: a same-origin form with its token works, also behind TLS, where
    the ticket pages' ``no-referrer`` policy means the browser sends no Referer."""
    app = make_app()
    base = f"{scheme}://localhost"
    client = app.test_client()
    tokens = form_tokens(client)
    response = client.post("/en/contact", base_url=base, headers={"Origin": base},
                           data={**FORM, **tokens, "action": "send"})
    assert response.status_code == 303, response.status_code
    status_url = response.headers["Location"]
    reference = status_url.split("/")[-2]
    html = page(client.get(status_url, base_url=base))
    token = html.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(f"/en/tickets/{reference}/messages", base_url=base,
                           headers={"Origin": base}, data={"csrf_token": token,
                                                           "message": "One more detail"})
    assert response.status_code in (200, 303), response.status_code
    response = client.post(f"/en/articles/{SAMPLE_SLUG}/feedback", base_url=base,
                           headers={"Origin": base},
                           data={"csrf_token": token, "helpful": "yes"})
    assert response.status_code in (200, 303), response.status_code


def _status(response) -> int:
    response.close()  # a streamed file (an attachment) stays open until closed
    return response.status_code


def test_no_get_changes_state(make_app, figures):
    app = make_app()
    client = app.test_client()
    with app.test_request_context():
        args = _sample_args(app, client)
        urls = [_build(rule, args) for rule in app.url_map.iter_rules()
                if "GET" in rule.methods]
    before = snapshot(app)
    statuses = {url: _status(client.get(url)) for url in urls}
    after = snapshot(app)
    changed = [name for name in before if name not in ANALYTICS and before[name] != after[name]]
    figures("S6", get_routes=len(urls), get_5xx=sum(s >= 500 for s in statuses.values()),
            tables_changed_by_get=len(changed))
    assert changed == []
    assert [url for url, status in statuses.items() if status >= 500] == []
