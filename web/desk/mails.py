"""Mail to staff: an invitation to set a password, and a password reset link.

Links are built on the configured ``PUBLIC_URL`` only (``http://127.0.0.1:5000`` when unset),
never on the request's ``Host``: a forged Host header must not turn a reset mail into a link to
another site. A mail that cannot be sent is kept in ``outbox/unsent`` and logged, like ticket
mail.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for
from flask_babel import force_locale, gettext

from kb import accounts, mail
from web import services
from web.i18n import page_locale
from web.tickets import notify

_log = logging.getLogger(__name__)


def link_url(secret: str) -> str:
    """The absolute one-time link for ``secret`` on the configured public URL."""
    base = current_app.config.get("PUBLIC_URL") or notify.DEFAULT_PUBLIC_URL
    with current_app.test_request_context(base_url=base):
        return url_for("desk.open_link", secret=secret, _external=True)


def invitation(person: accounts.Person, link: str, *, locale: str) -> EmailMessage:
    """The mail inviting ``person`` to the desk, with the link that sets their password."""
    hours = int(accounts.LINK_LIFETIMES["set"].total_seconds() // 3600)
    with force_locale(locale):
        subject = gettext("You are invited to the Plooma support desk")
        body = "\n\n".join([
            _greeting(person),
            gettext("You now have an account on the Plooma support desk (%(email)s). Choose "
                    "your password here:", email=person.email) + "\n" + link,
            gettext("The link works once, for %(hours)d hours.", hours=hours),
        ]) + "\n"
    return _compose(person, locale, subject, body)


def reset(person: accounts.Person, link: str, *, locale: str) -> EmailMessage:
    """The mail with a link that sets a new password for ``person``."""
    minutes = int(accounts.LINK_LIFETIMES["reset"].total_seconds() // 60)
    with force_locale(locale):
        subject = gettext("Set a new password for the Plooma support desk")
        body = "\n\n".join([
            _greeting(person),
            gettext("Someone asked to set a new password for %(email)s. If it was you, "
                    "choose one here:", email=person.email) + "\n" + link,
            gettext("The link works once, for %(minutes)d minutes. If you did not ask, ignore "
                    "this mail: your password stays as it is.", minutes=minutes),
        ]) + "\n"
    return _compose(person, locale, subject, body)


def send_invitation(person: accounts.Person, secret: str) -> None:
    _deliver(invitation(person, link_url(secret), locale=page_locale()))


def send_reset(person: accounts.Person, secret: str) -> None:
    _deliver(reset(person, link_url(secret), locale=page_locale()))


def _greeting(person: accounts.Person) -> str:
    name = mail.header_value(person.name)
    return gettext("Hello %(name)s,", name=name) if name else gettext("Hello,")


def _compose(person: accounts.Person, locale: str, subject: str, body: str) -> EmailMessage:
    recipient = mail.Recipient(email=person.email, name=person.name, locale=locale)
    return mail.compose(recipient, sender=current_app.config["MAIL_FROM"], subject=subject,
                        body=body)


def _deliver(message: EmailMessage) -> None:
    try:
        services.mailer(current_app).send(message)
    except (OSError, smtplib.SMTPException):
        _log.exception("could not send desk mail to the SMTP server; kept in outbox/unsent")
        mail.OutboxMailer(services.outbox(current_app) / "unsent").send(message)
