"""Tickets: the "still need help?" requests, their conversation, attachments and lifecycle.

A ticket moves through ``STEPS`` (received → investigating → proposed → resolved), then the
customer either confirms it (closed, with a rating) or reopens it. The allowed moves are the data
in ``TRANSITIONS``; any other move raises ``InvalidTransition``. The customer reaches a ticket
only through a private link (``links``); the reference (``DF-7K3Q-9XM4``) is a label for people,
never a key.

Modules: ``models`` (tables, steps), ``intake`` (creation with idempotency and limits),
``links`` (status links), ``lifecycle`` (moves and messages), ``queries`` (reading) and
``replies`` (an agent's answer) and ``changes`` (``change_ticket``: the one race-safe way every
change is applied and committed). The errors live in ``kb.errors``.
"""

from kb.errors import (
    AttachmentTaken,
    IdempotencyConflict,
    InvalidMessage,
    InvalidTransition,
    TicketError,
    TicketNotFound,
    UnknownArticle,
)
from kb.tickets.changes import change_ticket, lock_ticket
from kb.tickets.intake import Context, Created, Limits, NewAttachment, create_ticket
from kb.tickets.lifecycle import (
    MAX_COMMENT,
    add_customer_message,
    add_reply,
    check_transition,
    confirm,
    reopen,
)
from kb.tickets.links import (
    LINK_DAYS,
    MAX_TOKEN_LENGTH,
    find_by_token,
    hash_token,
    issue_link,
    replace_links,
    revoke_links,
)
from kb.tickets.models import (
    ALPHABET,
    REFERENCE,
    STEPS,
    TRANSITIONS,
    Attachment,
    Message,
    Status,
    Ticket,
    TicketLink,
    new_reference,
    normalize_reference,
)
from kb.tickets.queries import Page, find_attachment, find_ticket, list_tickets, page_tickets
from kb.tickets.replies import Replied, reply

__all__ = [
    "ALPHABET",
    "LINK_DAYS",
    "MAX_COMMENT",
    "MAX_TOKEN_LENGTH",
    "REFERENCE",
    "STEPS",
    "TRANSITIONS",
    "Attachment",
    "AttachmentTaken",
    "Context",
    "Created",
    "IdempotencyConflict",
    "InvalidMessage",
    "InvalidTransition",
    "Limits",
    "Message",
    "NewAttachment",
    "Page",
    "Replied",
    "Status",
    "Ticket",
    "TicketError",
    "TicketLink",
    "TicketNotFound",
    "UnknownArticle",
    "add_customer_message",
    "add_reply",
    "change_ticket",
    "check_transition",
    "confirm",
    "create_ticket",
    "find_attachment",
    "find_by_token",
    "find_ticket",
    "hash_token",
    "issue_link",
    "list_tickets",
    "lock_ticket",
    "new_reference",
    "normalize_reference",
    "page_tickets",
    "reopen",
    "replace_links",
    "reply",
    "revoke_links",
]
