"""What an agent reads for the desk's codes: steps, trail steps, filter and reply errors.

Lazy gettext strings, like ``web.tickets.names``; the desk names "closed" apart from "resolved"
(the customer confirmed it), where the customer's page does not.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from web.tickets.names import CATEGORY_NAMES

__all__ = ["CATEGORY_NAMES", "STEP_NAMES", "filter_error", "refusal", "reply_error"]

STEP_NAMES = {
    "received": lazy_gettext("Received"),
    "investigating": lazy_gettext("Investigating"),
    "proposed": lazy_gettext("Solution proposed"),
    "resolved": lazy_gettext("Resolved"),
    "closed": lazy_gettext("Closed"),
}

_FILTER_ERRORS = {
    "status": lazy_gettext("Choose one of the steps."),
    "assignee": lazy_gettext("Choose mine, unassigned or anyone."),
    "q": lazy_gettext("Search with 200 characters or fewer."),
    "cursor": lazy_gettext("This page link has expired. Start again from the first page."),
    "limit": lazy_gettext("Show from 1 to 200 tickets a page."),
    "locale": lazy_gettext("Choose Korean or English."),
}


def filter_error(field: str) -> str:
    """The message beside a queue filter that means nothing."""
    return str(_FILTER_ERRORS.get(field, lazy_gettext("This filter means nothing here.")))


def refusal(reason: str) -> str:
    """A bulk action's reason for one ticket, in the agent's language."""
    if reason == "no such ticket":
        return str(lazy_gettext("no such ticket"))
    if "cannot become" in reason:
        return str(lazy_gettext("it cannot move to that step from where it is"))
    return str(lazy_gettext("at most 200 tickets at once"))


_REPLY_ERRORS = {
    "required": lazy_gettext("Write a reply first."),
    "too_long": lazy_gettext("The reply is too long. Shorten it or split it in two."),
    "links": lazy_gettext("A linked article is not published in the customer's language."),
    "status": lazy_gettext("The ticket cannot move to that step from where it is."),
    "changed": lazy_gettext("New messages arrived while you wrote. Read them below; your "
                            "reply is kept, send it again when ready."),
}


def reply_error(code: str) -> str:
    """The message beside the reply form for ``code``."""
    return str(_REPLY_ERRORS.get(code, _REPLY_ERRORS["required"]))
