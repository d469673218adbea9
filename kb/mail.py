"""Mail to customers: building a message safely and delivering it.

``compose`` builds a standard library ``EmailMessage`` from words the caller chose (the web
shell words ticket mails in the customer's language from its gettext catalogue). Every header
value that came from a customer is stripped of CR, LF and NUL first (older CPython releases let
a newline through on serialization, and newer ones raise instead). A ``Mailer`` sends over SMTP
(``smtp://host:port``, ``smtps://`` or ``?starttls=true``) or, with no SMTP URL, writes ``.eml``
files to an outbox folder so that a fresh install works without a mail server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import smtplib
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class Recipient:
    """Who a ticket mail goes to, and in which language."""

    email: str
    name: str
    locale: str


def header_value(text: str) -> str:
    """``text`` with CR, LF and NUL replaced by spaces: safe in any mail header."""
    return re.sub(r"[\r\n\x00]+", " ", text).strip()


def mail_address(email: str) -> tuple[str, str]:
    """Split ``email`` into the local part and an ASCII (IDNA) domain for the envelope.

    ``min@예시.com`` → ``("min", "xn--vv4b11d.com")``. The local part may stay non-ASCII
    (``민수``): it needs a server that offers SMTPUTF8. Raises ``ValueError`` for an address
    without ``@`` or a domain IDNA cannot encode (a label over 63 characters, say).
    """
    local, at, domain = header_value(email).rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an email address: {email!r}")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError(f"the domain of {email!r} cannot be used in mail: {error}") from None
    return local, ascii_domain


def compose(recipient: Recipient, *, sender: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message to ``recipient``, marked with their language, safe in every header.

    A Hangul domain is sent in its IDNA form; a Hangul local part makes an SMTPUTF8 message
    (``SmtpMailer`` then needs a server that offers SMTPUTF8). Raises ``ValueError`` for an
    address ``mail_address`` refuses.
    """
    local, domain = mail_address(recipient.email)
    message = EmailMessage(policy=policy.SMTP if local.isascii() else policy.SMTPUTF8)
    message["From"] = header_value(sender)
    message["To"] = Address(display_name=header_value(recipient.name), username=local,
                            domain=domain)
    message["Subject"] = header_value(subject)
    message["Message-ID"] = make_msgid(domain="deflect.invalid")
    message["Date"] = dt.datetime.now(dt.UTC)
    message.set_content(body)
    message["Content-Language"] = recipient.locale  # after set_content, which resets Content-*
    return message


class Mailer(Protocol):
    """Something that delivers a message (``SmtpMailer`` or ``OutboxMailer``)."""

    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """Deliver through an SMTP server named by a URL such as ``smtp://127.0.0.1:2525``."""

    def __init__(self, url: str, *, timeout: float = 10) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"SMTP_URL must look like smtp://host:port, not {url!r}")
        self.is_ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.is_ssl else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.is_starttls = parse_qs(parts.query).get("starttls", ["false"])[0] == "true"
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        kind = smtplib.SMTP_SSL if self.is_ssl else smtplib.SMTP
        with kind(self.host, self.port, timeout=self.timeout) as smtp:
            if self.is_starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class OutboxMailer:
    """Write each message as an ``.eml`` file into a folder (for development and quick starts)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.folder / f"{stamp}-{secrets.token_hex(4)}.eml"
        partial = target.with_suffix(".part")
        partial.write_bytes(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        os.replace(partial, target)  # readers never see half a message


def mailer_for(smtp_url: str | None, outbox: Path | str) -> Mailer:
    """An ``SmtpMailer`` when ``smtp_url`` is set, else an ``OutboxMailer`` on ``outbox``."""
    return SmtpMailer(smtp_url) if smtp_url else OutboxMailer(outbox)
