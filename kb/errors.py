"""The errors ``kb`` raises: one base class, so callers can catch all of them at once.

    KBError
     ├── InvalidSubmission: a contact form or API body with bad fields (``kb.submissions``)
     ├── UploadError: an attachment that cannot be stored (``kb.uploads``)
     ├── RateLimited: too many tickets from one address or email (``kb.ratelimit``)
     ├── EventError: an event of an unknown kind or with a bad session id (``kb.events``)
     ├── UnknownArticle: a reply links a slug that is not a published article
     ├── ContentError: an article could not be saved or found (``kb.content``)
     │    ├── InvalidArticle: Markdown whose parse or lint has errors (nothing saved)
     │    ├── StaleRevision: an edit based on a revision that is no longer the latest
     │    ├── ArticleNotFound: a locale and slug that name no article in the store
     │    ├── ArticleExists: a new article whose slug is taken in its locale
     │    └── InvalidImage: an article image that is not an image or is over a limit
     ├── InvalidWindow: an insights window that is reversed, in the future or too long
     ├── InvalidDecision: an answer to a learned phrasing other than accepted or rejected
     ├── AccountError: a staff-account change was refused (``kb.accounts.errors``)
     └── TicketError: a ticket operation failed (``kb.tickets``)
          ├── InvalidTransition: a move ``TRANSITIONS`` does not allow
          ├── TicketNotFound: a reference that names no ticket
          ├── IdempotencyConflict: an idempotency key reused for another request
          ├── InvalidMessage: an empty or over-long message, rating or comment
          ├── InvalidQueueFilter: a queue filter, cursor or page size that means nothing
          ├── InvalidSavedReply: a saved reply with an empty name or body, or unknown {fields}
          ├── MergeRefused: tickets that cannot be merged (closed, other locale, itself)
          ├── AssignmentRefused: a bulk assignment or move naming tickets it cannot change
          ├── DraftRefused: a ticket that cannot become an article draft (not resolved)
          └── TicketChanged: a reply written while someone else wrote on the ticket

None of them is a ``ValueError``: web catches the error it means, never a bare ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.articles import Problem


class KBError(Exception):
    """Base class of every error raised by the ``kb`` package."""


class InvalidSubmission(KBError):
    """Raised by ``parse_submission``: ``errors`` maps each bad field to a code of ``MESSAGES``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{field}: {code}" for field, code in errors.items()))
        self.errors = errors

    def messages(self, locale: str) -> dict[str, str]:
        """The error of each field as a sentence in ``locale``."""
        from kb.submissions import describe

        return {field: describe(code, locale, field) for field, code in self.errors.items()}


class UploadError(KBError):
    """Raised by ``uploads.reencode`` for a file that cannot be stored; ``code`` keys
    ``uploads.MESSAGES``."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__(f"{name}: {code}")
        self.code = code
        self.name = name

    def message(self, locale: str) -> str:
        """The problem as a sentence in ``locale``, naming the file."""
        from kb.uploads import MESSAGES

        text = MESSAGES[self.code].get(locale, MESSAGES[self.code]["en"])
        return text.format(name=self.name)


class RateLimited(KBError):
    """Raised by ``ratelimit.enforce`` when a limit is exceeded; ``retry_after`` is in seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(f"too many requests for {scope}; retry in {retry_after} s")
        self.scope = scope
        self.retry_after = retry_after


class EventError(KBError):
    """Raised by ``events.new_event`` for an unknown kind or a malformed session id (a caller's
    bug)."""


class UnknownArticle(KBError):
    """Raised by ``tickets.reply`` when a linked slug is not a published article of the ticket's
    locale; ``slugs`` are the unknown ones."""

    def __init__(self, locale: str, slugs: Sequence[str]) -> None:
        super().__init__(f"no published {locale} article: {', '.join(slugs)}")
        self.locale = locale
        self.slugs = tuple(slugs)


class ContentError(KBError):
    """Base class of the errors ``kb.content`` raises when an article cannot be saved."""


class InvalidArticle(ContentError):
    """Raised by ``kb.content`` when a revision's Markdown has errors: ``problems`` holds every
    one (and the warnings), each with its line; nothing was saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.level == "error"]
        super().__init__("; ".join(str(p) for p in errors) or "the article has errors")
        self.problems = tuple(problems)


class InvalidImage(ContentError):
    """Raised by ``kb.content.images.save_image`` for a file that is not an image or is over a
    limit; ``code`` keys ``kb.content.images.MESSAGES`` and ``is_too_large`` says which."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__(f"{name}: {code}")
        self.code = code
        self.name = name

    @property
    def is_too_large(self) -> bool:
        return self.code in ("too_large", "too_big_image")

    def message(self, locale: str) -> str:
        """The problem as a sentence in ``locale``, naming the file and the limit."""
        from kb.content.images import MESSAGES

        text = MESSAGES[self.code].get(locale, MESSAGES[self.code]["en"])
        return text.format(name=self.name)


class StaleRevision(ContentError):
    """Raised by ``kb.content`` when an edit names a ``base`` revision that someone else has
    since replaced with ``latest``; ``latest_text`` is theirs, ``text`` the refused one."""

    def __init__(self, *, key: str, base: int | None, latest: int, latest_text: str,
                 text: str) -> None:
        super().__init__(f"{key} is at revision {latest}, not {base}: someone saved it "
                         "meanwhile; merge their change into yours and save again")
        self.key = key
        self.base = base
        self.latest = latest
        self.latest_text = latest_text
        self.text = text


class ArticleNotFound(ContentError):
    """Raised by ``kb.content`` for a locale and slug (or file name) that name nothing stored."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no article {key!r} in the content store")
        self.key = key


class ArticleExists(ContentError):
    """Raised by ``kb.content.create_draft`` when the slug is already used in the locale."""

    def __init__(self, key: str) -> None:
        super().__init__(f"{key} already exists: pick another slug or edit that article")
        self.key = key


class InvalidWindow(KBError):
    """Raised by ``insights.parse_window`` for a window that is reversed, ends in the future,
    is longer than the event retention or names no date; ``field`` is the bad input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidDecision(KBError):
    """Raised by ``insights.decide_phrasing`` for a decision other than ``accepted`` or
    ``rejected``."""


class TicketError(KBError):
    """Base class of the errors ``kb.tickets`` raises (also when a ticket cannot be stored)."""


class InvalidTransition(TicketError):
    """Raised for a move that ``TRANSITIONS`` does not allow from the ticket's current step."""

    def __init__(self, current: str, target: str) -> None:
        from kb.tickets.models import TRANSITIONS, Status

        allowed = ", ".join(sorted(TRANSITIONS[Status(current)])) or "none (it is closed)"
        super().__init__(f"a {current} ticket cannot become {target}; allowed: {allowed}")
        self.current = current
        self.target = target


class TicketNotFound(TicketError):
    """Raised by ``tickets.reply`` for a reference that names no ticket."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no ticket {reference!r}: references look like DF-7K3Q-9XM4")
        self.reference = reference


class IdempotencyConflict(TicketError):
    """Raised by ``create_ticket`` when a key is reused with a different request."""


class AttachmentTaken(TicketError):
    """Raised by ``kb.tickets.create_ticket`` when an upload is already attached to another
    ticket (each ticket owns its files: send the upload again as a copy)."""


class InvalidMessage(TicketError):
    """Raised for an empty or over-long message, rating or comment; ``code`` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class InvalidQueueFilter(TicketError):
    """Raised by ``tickets.queue_page`` for bad filters; ``problems`` maps each field (``status``,
    ``assignee``, ``q``, ``cursor``, ``limit``) to a sentence saying what to send instead."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = problems


class InvalidSavedReply(TicketError):
    """Raised by ``tickets.save_reply`` for an empty name or body, an unknown locale or a
    placeholder other than ``{name}`` and ``{reference}``; ``problems`` maps field → sentence."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = problems


class MergeRefused(TicketError):
    """Raised by ``tickets.merge_tickets`` when a ticket cannot be merged into the target (it is
    the target, closed, in another locale, or already merged)."""


class AssignmentRefused(TicketError):
    """Raised by ``tickets.assign`` and ``tickets.move_tickets`` when a reference names no
    ticket or a move is not allowed; ``refused`` maps each reference to the reason, and
    nothing is changed."""

    def __init__(self, refused: dict[str, str]) -> None:
        super().__init__("; ".join(f"{ref}: {why}" for ref, why in refused.items()))
        self.refused = refused


class DraftRefused(TicketError):
    """Raised by ``tickets.draft_from_ticket`` for a ticket that is not resolved or closed, or
    that has no public agent answer to become the article's body."""


class TicketChanged(TicketError):
    """Raised by ``tickets.reply`` when messages arrived after the one the agent last saw
    (``seen``): nothing is stored, ``newer`` holds the ids of those messages, so the desk
    shows them and keeps what the agent typed."""

    def __init__(self, reference: str, newer: Sequence[int]) -> None:
        super().__init__(f"{reference} changed while you wrote: {len(newer)} new message(s); "
                         "read them, then send again")
        self.reference = reference
        self.newer = tuple(newer)
