"""The agents' side of tickets on the desk: the queue (``/desk/tickets``) and the workspace
(``/desk/tickets/<reference>``), registered on the desk blueprint so they share its sign-in,
layout, language choice and ``no-store`` answers; and what the staff ticket API shares with
them (``context``, ``delivery``).

Every view is for agents (``AGENTS``); the module ``views`` registers them (imported by
``web.desk``), after the desk blueprint exists.
"""

from __future__ import annotations

from web.policies import roles

AGENTS = roles("agent", "admin")
"""Who may read and answer tickets."""
