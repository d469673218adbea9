"""Ticket mail from the web shell and the CLI: private links, the confirmation, reply notices.

A mail is sent after the ticket is committed and never undoes it: when the SMTP server fails,
the message is written to ``DATA_DIR/outbox/unsent/`` and the failure is logged, so it can be
sent again by hand.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, has_request_context, url_for

from kb import mail
from kb.tickets import Message, Ticket
from web import services
from web.tickets import mails

DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
_log = logging.getLogger(__name__)


def status_link(locale: str, token: str) -> str:
    """The absolute private link that opens a ticket (``PUBLIC_URL`` or the request's host)."""
    return _absolute_url("tickets.access", locale=locale, token=token)


def send_confirmation(ticket: Ticket, token: str) -> None:
    """Mail the customer the reference and the private link of a new ticket."""
    _deliver(mails.confirmation(ticket, link=status_link(ticket.locale, token),
                                sender=current_app.config["MAIL_FROM"]))


def send_reply_notice(ticket: Ticket, message: Message, token: str) -> None:
    """Mail the customer an agent's reply, with the linked articles and a fresh private link."""
    knowledge = services.knowledge_base(current_app)
    articles = [article for slug in message.links
                if (article := knowledge.get(ticket.locale, slug)) is not None]
    _deliver(mails.reply_notice(
        ticket, message, link=status_link(ticket.locale, token),
        articles=[(a.title, article_url(a.locale, a.slug)) for a in articles],
        sender=current_app.config["MAIL_FROM"]))


def article_url(locale: str, slug: str) -> str:
    return _absolute_url("help.article", locale=locale, slug=slug)


def _absolute_url(endpoint: str, **values: str) -> str:
    """An absolute URL for mail: on ``PUBLIC_URL``, else the request's host, else the default
    (mail sent from the CLI has no request)."""
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context() and not base:
        return url_for(endpoint, **values, _external=True)
    with current_app.test_request_context(base_url=base or DEFAULT_PUBLIC_URL):
        return url_for(endpoint, **values, _external=True)


def _deliver(message: EmailMessage) -> None:
    try:
        services.mailer(current_app).send(message)
    except (OSError, smtplib.SMTPException):
        _log.exception("could not send ticket mail to the SMTP server; kept in outbox/unsent")
        mail.OutboxMailer(services.outbox(current_app) / "unsent").send(message)
