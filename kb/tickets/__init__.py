"""Tickets: the "still need help?" requests, their conversation, attachments and lifecycle.

A ticket moves through ``STEPS`` (received → investigating → proposed → resolved), then the
customer either confirms it (closed, with a rating) or reopens it. The allowed moves are the data
in ``TRANSITIONS``; any other move raises ``InvalidTransition``. The customer reaches a ticket
only through a private link (``links``); the reference (``DF-7K3Q-9XM4``) is a label for people,
never a key.

Modules: ``models`` (tables, steps, history), ``intake`` (creation with idempotency and
limits), ``links`` (status links), ``lifecycle`` (moves and messages), ``queries`` (reading),
``replies`` (an agent's answer or internal note), and the desk's: ``queue`` (the agents' queue,
keyset pages), ``assignment`` (bulk assign and move), ``trail`` (what the customer tried first),
``saved_replies``, ``similar`` (similar open tickets, merging) and ``drafts`` (a ticket turned
into an article draft); ``changes`` (``change_ticket``: the one race-safe way every change is
applied and committed). The errors live in ``kb.errors``.
"""

from kb.errors import (
    AssignmentRefused,
    AttachmentTaken,
    DraftRefused,
    IdempotencyConflict,
    InvalidMessage,
    InvalidQueueFilter,
    InvalidSavedReply,
    InvalidTransition,
    MergeRefused,
    TicketChanged,
    TicketError,
    TicketNotFound,
    UnknownArticle,
)
from kb.tickets.assignment import MAX_BULK, assign, move_tickets
from kb.tickets.changes import change_ticket, lock_ticket
from kb.tickets.drafts import Draft, draft_from_ticket, draft_text
from kb.tickets.intake import Context, Created, Limits, NewAttachment, create_ticket
from kb.tickets.lifecycle import (
    MAX_COMMENT,
    add_customer_message,
    add_reply,
    check_transition,
    confirm,
    move,
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
    ArticleLink,
    Attachment,
    Message,
    Status,
    StepChange,
    Ticket,
    TicketLink,
    new_reference,
    normalize_reference,
)
from kb.tickets.queries import (
    Page,
    article_link_counts,
    find_attachment,
    find_ticket,
    linked_articles,
    list_tickets,
    page_tickets,
)
from kb.tickets.queue import (
    ANYONE,
    OPEN_STEPS,
    UNASSIGNED,
    QueueFilter,
    QueuePage,
    QueueRow,
    queue_page,
    step_counts,
)
from kb.tickets.replies import UNCHANGED, Replied, record_links, reply
from kb.tickets.saved_replies import (
    PLACEHOLDERS,
    SavedReply,
    delete_saved_reply,
    fill_placeholders,
    save_reply,
    saved_replies,
)
from kb.tickets.similar import SimilarTicket, merge_tickets, merged_into, similar_open_tickets
from kb.tickets.trail import TrailStep, customer_trail

__all__ = [
    "ALPHABET",
    "ANYONE",
    "LINK_DAYS",
    "MAX_BULK",
    "MAX_COMMENT",
    "MAX_TOKEN_LENGTH",
    "OPEN_STEPS",
    "PLACEHOLDERS",
    "REFERENCE",
    "STEPS",
    "TRANSITIONS",
    "UNASSIGNED",
    "UNCHANGED",
    "ArticleLink",
    "AssignmentRefused",
    "Attachment",
    "AttachmentTaken",
    "Context",
    "Created",
    "Draft",
    "DraftRefused",
    "IdempotencyConflict",
    "InvalidMessage",
    "InvalidQueueFilter",
    "InvalidSavedReply",
    "InvalidTransition",
    "Limits",
    "MergeRefused",
    "Message",
    "NewAttachment",
    "Page",
    "QueueFilter",
    "QueuePage",
    "QueueRow",
    "Replied",
    "SavedReply",
    "SimilarTicket",
    "Status",
    "StepChange",
    "Ticket",
    "TicketChanged",
    "TicketError",
    "TicketLink",
    "TicketNotFound",
    "TrailStep",
    "UnknownArticle",
    "add_customer_message",
    "add_reply",
    "article_link_counts",
    "assign",
    "change_ticket",
    "check_transition",
    "confirm",
    "create_ticket",
    "customer_trail",
    "delete_saved_reply",
    "draft_from_ticket",
    "draft_text",
    "fill_placeholders",
    "find_attachment",
    "find_by_token",
    "find_ticket",
    "hash_token",
    "issue_link",
    "linked_articles",
    "list_tickets",
    "merge_tickets",
    "merged_into",
    "move",
    "move_tickets",
    "lock_ticket",
    "new_reference",
    "normalize_reference",
    "page_tickets",
    "queue_page",
    "record_links",
    "reopen",
    "replace_links",
    "reply",
    "save_reply",
    "saved_replies",
    "similar_open_tickets",
    "step_counts",
    "revoke_links",
]
