"""Register the desk's ticket pages and their navigation link (imported by ``web.desk``)."""

from __future__ import annotations

from flask_babel import lazy_gettext

from web.desk import NAVIGATION, NavLink
from web.desk_tickets import AGENTS, queue, workspace  # noqa: F401  (register views)

NAVIGATION.insert(1, NavLink("desk.tickets_queue", lazy_gettext("Tickets"), AGENTS.roles))
