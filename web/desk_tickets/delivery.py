"""Mail after a desk reply: the customer of the ticket, and of every ticket merged into it."""

from __future__ import annotations

from kb import tickets
from web.tickets import notify


def mail_reply(replied: tickets.Replied) -> int:
    """Mail each customer a public reply reached (none for an internal note); how many."""
    sent = 0
    for each in (replied, *replied.merged):
        if each.token is not None:
            notify.send_reply_notice(each.ticket, each.message, each.token)
            sent += 1
    return sent
