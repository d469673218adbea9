"""A ticket's search trail is complete even when the searches ran on another worker a moment
before and that worker has not written its queued events yet (the visitor's cookie carries the
recent steps)."""

from __future__ import annotations

import pytest

from kb.events import EventRecorder
from web import create_app, services

from .ticketing import send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def other_worker(backend_app):
    """A second app on the same database, whose event queue is not written during the test."""
    other = create_app({key: backend_app.config[key] for key in (
        "TESTING", "DATA_DIR", "ARTICLES_DIR", "SECRET_KEY", "DATABASE_URL")})
    services.of(other).search = services.search_engine(backend_app)
    services.event_recorder(other).close()
    services.of(other).events = EventRecorder(services.database(other), interval=3600)
    yield other
    services.event_recorder(other)._queue.queue.clear()  # lost, as in a SIGKILLed worker
    services.event_recorder(other).close()
    services.database(other).engine.dispose()


def test_trail_includes_searches_still_queued_on_another_worker(app, other_worker):
    browser = other_worker.test_client()
    assert browser.get("/en/search", query_string={"q": "reset password"}).status_code == 200
    assert browser.get("/en/articles/password-reset").status_code == 200
    assert services.event_recorder(other_worker).pending >= 2  # not written yet
    client = app.test_client()
    client._cookies = browser._cookies  # the load balancer sends the next request elsewhere
    reference = send_ticket(client)
    trail = stored_ticket(app, reference).trail
    assert [(step["kind"], step["query"] or step["slug"]) for step in trail] == [
        ("search", "reset password"), ("view", "password-reset")]
