"""The words of ticket mails, in the customer's language, from the shared gettext catalogue.

A mail goes out from a page in any language, or from the CLI with no page at all, so each one
is worded inside ``force_locale(ticket.locale)``; ``kb.mail.compose`` then builds the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage

from flask_babel import force_locale, gettext

from kb import mail
from kb.tickets import Message, Ticket
from web.tickets.names import STEP_NAMES


def confirmation(ticket: Ticket, *, link: str, sender: str) -> EmailMessage:
    """The mail confirming a new ticket, with its reference and private link."""
    values = {"reference": ticket.reference, "subject": ticket.subject}
    with force_locale(ticket.locale):
        subject = gettext("[%(reference)s] We received your request: %(subject)s", **values)
        body = _paragraphs(
            _greeting(ticket),
            gettext('We received your request "%(subject)s" and will answer by email.',
                    **values) + "\n" + gettext("Your reference is %(reference)s.", **values),
            gettext("Follow it, add details or reply here:") + "\n" + link,
            gettext("This link is private: anyone who has it can read this request."))
    return _compose(ticket, sender, subject, body)


def reply_notice(ticket: Ticket, message: Message, *, link: str,
                 articles: Sequence[tuple[str, str]], sender: str) -> EmailMessage:
    """The mail telling a customer an agent replied; ``articles`` are (title, url) pairs."""
    values = {"reference": ticket.reference, "subject": ticket.subject}
    listed = "".join(f"- {title}\n  {url}\n" for title, url in articles)
    with force_locale(ticket.locale):
        subject = gettext("[%(reference)s] New reply: %(subject)s", **values)
        suggested = ("\n" + gettext("Articles that may help:") + "\n" + listed) if articles else ""
        status = STEP_NAMES.get(ticket.status, ticket.status)
        body = _paragraphs(
            _greeting(ticket),
            gettext('Support replied to your request "%(subject)s" (%(reference)s):', **values),
            f"{message.body}\n{suggested}\n" + gettext("Status: %(status)s", status=status),
            gettext("Read the conversation or answer here:") + "\n" + link)
    return _compose(ticket, sender, subject, body)


def _greeting(ticket: Ticket) -> str:
    name = mail.header_value(ticket.name)
    return gettext("Hello %(name)s,", name=name) if name else gettext("Hello,")


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def _compose(ticket: Ticket, sender: str, subject: str, body: str) -> EmailMessage:
    recipient = mail.Recipient(email=ticket.email, name=ticket.name, locale=ticket.locale)
    return mail.compose(recipient, sender=sender, subject=subject, body=body)
