"""Timing the queue as an agent's browser gets it: the whole ``/desk/tickets`` page (sign-in
check, filters, the query with its step counts, the template), through the app's own WSGI
stack, on a database ``kb.tickets.bench`` seeded.

``deflect bench-desk`` prints these beside the domain timings of ``kb.tickets.bench``; the
issue's bound (150 ms p95 with 20,000 tickets) is about this page.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from kb import accounts
from kb.tickets.bench import Timing
from web import create_app, services
from web.desk.forms import hashing

PAGES = {
    "page: open, first page": "/desk/tickets",
    "page: resolved": "/desk/tickets?status=resolved",
    "page: every step": "/desk/tickets?status=all",
    "page: mine": "/desk/tickets?assignee=mine",
    "page: unassigned, payment": "/desk/tickets?assignee=unassigned&category=payment",
    "page: text 'refund'": "/desk/tickets?status=all&q=refund",
}
_EMAIL = "bench-agent@example.com"
_PASSWORD = "bench-desk-password"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def measure_pages(database_url: str, data_dir: Path, *, repeats: int = 30) -> list[Timing]:
    """Time each page of ``PAGES`` as a signed-in agent, ``repeats`` times after one warm-up."""
    app = create_app({"DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
                      "SECRET_KEY": "bench-desk", "SMTP_URL": None,
                      "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    with app.app_context():
        password_hash = hashing().hash(_PASSWORD)
    with services.database(app).session() as session:
        if accounts.find_person(session, _EMAIL) is None:
            accounts.add_person(session, _EMAIL, roles=["agent"], password_hash=password_hash)
    client = app.test_client()
    token = _TOKEN.search(client.get("/desk/login").get_data(as_text=True)).group(1)
    signed = client.post("/desk/login", data={"csrf_token": token, "email": _EMAIL,
                                               "password": _PASSWORD})
    if signed.status_code != 303:
        raise RuntimeError(f"the bench agent could not sign in ({signed.status_code})")
    timings = []
    for name, path in PAGES.items():
        samples, rows = [], 0
        for attempt in range(repeats + 1):
            began = time.perf_counter()
            response = client.get(path)
            body = response.get_data(as_text=True)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            rows = body.count("data-ticket=")
            if attempt:  # the first run warms the caches
                samples.append(elapsed)
        timings.append(Timing.of(name, samples, rows))
    services.database(app).engine.dispose()
    return timings
