"""What a customer reads for the codes stored on a ticket: its category and its step.

The values are lazy gettext strings (the shared catalogue, ``web/translations``): they turn into
words in the locale of the page or mail that renders them, so the tables are built once here and
the templates and mails look a code up (``CATEGORY_NAMES[ticket.category]``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext

CATEGORY_NAMES = {
    "account": lazy_gettext("Account and login"),
    "payment": lazy_gettext("Payment"),
    "refund": lazy_gettext("Refund"),
    "subscription": lazy_gettext("Subscription"),
    "playback": lazy_gettext("Playback and app errors"),
    "complaint": lazy_gettext("Complaint"),
    "other": lazy_gettext("Something else"),
}
"""One name for each of ``kb.submissions.CATEGORIES``."""

STEP_NAMES = {
    "received": lazy_gettext("Received"),
    "investigating": lazy_gettext("Investigating"),
    "proposed": lazy_gettext("Solution proposed"),
    "resolved": lazy_gettext("Resolved"),
    "closed": lazy_gettext("Resolved"),  # a closed ticket is a resolved one the customer confirmed
}
"""One name for each ``kb.tickets.Status``."""
