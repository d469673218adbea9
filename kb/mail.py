"""Mail to customers: the confirmation of a new ticket and a note on every agent reply.

Messages are built with the standard library's ``EmailMessage`` in the customer's language.
Every header value that came from a customer is stripped of CR, LF and NUL first (older CPython
releases let a newline through on serialization, and newer ones raise instead). A ``Mailer``
sends over SMTP (``smtp://host:port``, ``smtps://`` or ``?starttls=true``) or, with no SMTP URL,
writes ``.eml`` files to an outbox folder so that a fresh install works without a mail server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "confirm_subject": "[{reference}] We received your request: {subject}",
        "confirm_body": (
            "Hello{name},\n\nWe received your request \"{subject}\" and will answer by email."
            "\nYour reference is {reference}.\n\nFollow it, add details or reply here:\n{link}"
            "\n\nThis link is private: anyone who has it can read this request.\n"),
        "reply_subject": "[{reference}] New reply: {subject}",
        "reply_body": (
            "Hello{name},\n\nSupport replied to your request \"{subject}\" ({reference}):\n\n"
            "{message}\n{articles}\nStatus: {status}\n\nRead the conversation or answer here:"
            "\n{link}\n"),
        "articles": "\nArticles that may help:\n",
        "received": "Received", "investigating": "Investigating",
        "proposed": "Solution proposed", "resolved": "Resolved", "closed": "Resolved",
    },
    "ko": {
        "confirm_subject": "[{reference}] 문의가 접수되었습니다: {subject}",
        "confirm_body": (
            "안녕하세요{name},\n\n\"{subject}\" 문의가 접수되었습니다. "
            "답변은 이메일로 알려 드립니다.\n접수 번호: {reference}\n\n"
            "진행 상황 확인과 추가 문의는 아래 링크에서 하실 수 있습니다:\n{link}\n\n"
            "이 링크는 본인 전용입니다. 링크를 가진 사람은 누구나 이 문의를 볼 수 있습니다.\n"),
        "reply_subject": "[{reference}] 답변이 등록되었습니다: {subject}",
        "reply_body": (
            "안녕하세요{name},\n\n\"{subject}\" 문의({reference})에 답변이 등록되었습니다.\n\n"
            "{message}\n{articles}\n진행 상태: {status}\n\n"
            "대화 전체 보기와 답장은 여기에서:\n{link}\n"),
        "articles": "\n도움이 될 만한 도움말:\n",
        "received": "접수", "investigating": "확인 중",
        "proposed": "해결책 안내", "resolved": "해결", "closed": "해결",
    },
}


@dataclass(frozen=True)
class Recipient:
    """Who a ticket mail goes to, and in which language."""

    email: str
    name: str
    locale: str


def header_value(text: str) -> str:
    """``text`` with CR, LF and NUL replaced by spaces: safe in any mail header."""
    return re.sub(r"[\r\n\x00]+", " ", text).strip()


def confirmation(recipient: Recipient, *, reference: str, subject: str, link: str,
                 sender: str) -> EmailMessage:
    """The mail confirming a new ticket, with its reference and private link."""
    text = _text(recipient.locale)
    values = _values(recipient, reference=reference, subject=subject, link=link)
    return _message(recipient, sender, text["confirm_subject"].format(**values),
                    text["confirm_body"].format(**values))


def reply_notice(recipient: Recipient, *, reference: str, subject: str, link: str,
                 message: str, status: str, articles: Sequence[tuple[str, str]],
                 sender: str) -> EmailMessage:
    """The mail telling a customer an agent replied; ``articles`` are (title, url) pairs."""
    text = _text(recipient.locale)
    listed = "".join(f"- {title}\n  {url}\n" for title, url in articles)
    values = _values(recipient, reference=reference, subject=subject, link=link)
    values.update(message=message, status=text.get(status, status),
                  articles=(text["articles"] + listed) if articles else "")
    return _message(recipient, sender, text["reply_subject"].format(**values),
                    text["reply_body"].format(**values))


def _text(locale: str) -> dict[str, str]:
    return TEXT.get(locale, TEXT["en"])


def _values(recipient: Recipient, **values: str) -> dict[str, str]:
    name = header_value(recipient.name)
    return {**values, "name": f" {name}" if name else ""}


def _message(recipient: Recipient, sender: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = header_value(sender)
    message["To"] = formataddr((header_value(recipient.name), header_value(recipient.email)))
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
        partial.write_bytes(message.as_bytes(policy=policy.SMTP))
        os.replace(partial, target)  # readers never see half a message


def mailer_for(smtp_url: str | None, outbox: Path | str) -> Mailer:
    """An ``SmtpMailer`` when ``smtp_url`` is set, else an ``OutboxMailer`` on ``outbox``."""
    return SmtpMailer(smtp_url) if smtp_url else OutboxMailer(outbox)
