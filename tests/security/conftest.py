"""The reliability and security battery (``../shared/research/security.md`` §3).

One module per test id. Each test records its figures with ``figures(test_id, **numbers)``;
they travel with the test's report (also from a pytest-xdist worker) and are printed at the
end of every pytest run (``tests/conftest.py``), so they show in ``make test`` output without
``-s``. Counts are CI counts; ``DEFLECT_BATTERY_SCALE`` multiplies them for a longer periodic
run.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import FIGURES_PROPERTY

SCALE = max(1, int(os.environ.get("DEFLECT_BATTERY_SCALE", "1")))
"""Multiplier of the example and request counts (1 in CI)."""

# CI: the same examples on every run, no example database in clean clones, no timings.
settings.register_profile("battery", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])

@pytest.fixture
def figures(request) -> Callable[..., None]:
    """``figures("S6", requests=..., accepted=...)``: report a test's figures (printed for
    ``test_id`` at the end of the run)."""

    def record(test_id: str, **numbers: object) -> None:
        shown = {key: value if isinstance(value, int | float | str) else str(value)
                 for key, value in numbers.items()}
        request.node.user_properties.append((FIGURES_PROPERTY, (test_id, shown)))

    return record


SAMPLE_SLUG = "password-reset"
"""A published English article of the sample help center."""


@pytest.fixture
def make_app(tmp_path, shared_app, monkeypatch):
    """``make_app(**config)``: a fresh app with its own data folder and SQLite database that
    reuses ``shared_app``'s loaded sample articles and search engine (indexed once a session).
    Ticket rate limits are off: the battery sends many tickets from one address."""
    from kb import KnowledgeBase
    from web import create_app, services

    loaded = services.knowledge_base(shared_app)
    monkeypatch.setattr(KnowledgeBase, "load", classmethod(lambda cls, folder: loaded))
    made = []

    def make(**overrides):
        app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / f"data{len(made)}"),
                          "ARTICLES_DIR": shared_app.config["ARTICLES_DIR"],
                          "SECRET_KEY": "battery-secret", "SMTP_URL": None, "PUBLIC_URL": None,
                          "TICKET_LIMIT_PER_ADDRESS": 0, "TICKET_LIMIT_PER_EMAIL": 0,
                          **overrides})
        services.of(app).search = services.search_engine(shared_app)
        made.append(app)
        return app

    yield make
    for app in made:
        services.event_recorder(app).close()
        services.database(app).engine.dispose()
