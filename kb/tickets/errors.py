"""The errors the ticket functions raise, all under ``TicketError``."""

from __future__ import annotations

from kb.tickets.models import TRANSITIONS, Status


class TicketError(Exception):
    """Base class of the errors ``kb.tickets`` raises."""


class InvalidTransition(TicketError):
    """Raised for a move that ``TRANSITIONS`` does not allow from the ticket's current step."""

    def __init__(self, current: str, target: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[Status(current)])) or "none (it is closed)"
        super().__init__(f"a {current} ticket cannot become {target}; allowed: {allowed}")
        self.current = current
        self.target = target


class IdempotencyConflict(TicketError):
    """Raised by ``create_ticket`` when a key is reused with a different request."""


class AttachmentTaken(TicketError):
    """Raised by ``create_ticket`` when an upload is already attached to another ticket (each
    ticket owns its files: send the upload again as a copy)."""


class InvalidMessage(TicketError):
    """Raised for an empty or over-long message, rating or comment; ``code`` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
