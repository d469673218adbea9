"""Ticket mail: a real SMTP server on loopback (aiosmtpd), the outbox, and header safety."""

from __future__ import annotations

import email
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kb import mail

from .ticketing import form_tokens, outbox, post_contact, send_ticket


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def app(backend_app, smtp):
    controller, _ = smtp
    backend_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    return backend_app


def link_in(message) -> str:
    body = message.get_content()
    return next(line.strip() for line in body.splitlines() if "/tickets/" in line)


def test_confirmation_arrives_over_smtp_with_a_working_link(app, client, smtp):
    _, inbox = smtp
    reference = send_ticket(client)
    [(recipients, message)] = inbox.messages
    assert recipients == ["min@example.com"]
    assert reference in message["Subject"] and reference in message.get_content()
    stranger = app.test_client()
    response = stranger.get(link_in(message).removeprefix("http://localhost"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/en/tickets/{reference}/status"
    assert stranger.get(response.headers["Location"]).status_code == 200


def test_confirmation_is_in_the_customers_language(client, smtp):
    _, inbox = smtp
    send_ticket(client, locale="ko", subject="로그인이 안 돼요")
    [(_, message)] = inbox.messages
    assert message["Subject"].endswith("] 문의가 접수되었습니다: 로그인이 안 돼요")
    assert message["Content-Language"] == "ko"
    assert "접수 번호" in message.get_content()
    assert "=?utf-8?" in message.as_string().split("\n\n")[0]  # RFC 2047 on the wire


def test_cr_lf_in_name_and_subject_injects_no_header(client, smtp):
    _, inbox = smtp
    send_ticket(client, subject="Hi\r\nBcc: evil@example.com", name="Min\r\nCc: x@evil.example")
    [(recipients, message)] = inbox.messages
    assert recipients == ["min@example.com"]
    assert message["Bcc"] is None and message["Cc"] is None
    assert "Hi Bcc: evil@example.com" in message["Subject"]


def test_replay_sends_no_second_confirmation(client, smtp):
    _, inbox = smtp
    tokens = form_tokens(client)
    post_contact(client, "send", tokens=tokens)
    post_contact(client, "send", tokens=tokens)
    assert len(inbox.messages) == 1


def test_unreachable_smtp_keeps_the_ticket_and_the_mail(app, client):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{_free_port()}"  # nobody listens there
    reference = send_ticket(client)
    [unsent] = (Path(app.config["DATA_DIR"]) / "outbox" / "unsent").glob("*.eml")
    assert reference in unsent.read_text()


def test_without_smtp_mail_goes_to_the_outbox(backend_app):
    client = backend_app.test_client()
    reference = send_ticket(client)
    [written] = outbox(backend_app)
    message = email.message_from_bytes(written.read_bytes(), policy=policy.default)
    assert reference in message["Subject"] and message["To"] == "Min <min@example.com>"


@pytest.mark.parametrize("value", ["a\r\nBcc: x", "a\nb", "a\rb", "a\x00b"])
def test_header_value_strips_line_breaks_and_nul(value):
    assert not set("\r\n\x00") & set(mail.header_value(value))


def test_smtp_url_must_name_a_host():
    with pytest.raises(ValueError, match="smtp://host:port"):
        mail.SmtpMailer("http://example.com")


@pytest.fixture(params=[True], ids=["smtputf8"])
def utf8_smtp(request):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            enable_SMTPUTF8=request.param)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.mark.parametrize(("address", "envelope"), [
    ("민수@example.com", "민수@example.com"),
    ("min@예시.com", "min@xn--vv4b11d.com"),
], ids=["hangul-local-part", "hangul-domain"])
def test_non_ascii_address_gets_its_confirmation(backend_app, utf8_smtp, address, envelope):
    controller, inbox = utf8_smtp
    backend_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    client = backend_app.test_client()
    reference = send_ticket(client, email=address)
    [(recipients, message)] = inbox.messages
    assert recipients == [envelope]
    assert reference in message["Subject"]
    assert client.get(link_in(message).split("localhost", 1)[-1]).status_code == 303


@pytest.mark.parametrize("utf8_smtp", [False], indirect=True, ids=["no-smtputf8"])
def test_hangul_local_part_without_smtputf8_is_kept_unsent_not_lost(backend_app, utf8_smtp):
    controller, inbox = utf8_smtp
    backend_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app, client = backend_app, backend_app.test_client()
    reference = send_ticket(client, email="민수@example.com")
    assert inbox.messages == []
    [unsent] = (Path(app.config["DATA_DIR"]) / "outbox" / "unsent").glob("*.eml")
    assert reference in unsent.read_text("utf-8")


def test_address_whose_domain_cannot_be_mailed_is_refused_on_the_form(client, smtp):
    response = post_contact(client, "send", email="min@" + "가" * 70 + ".com")
    assert response.status_code == 422
    from .ticketing import page
    assert page(response).find(attrs={"data-error-for": "email"}) is not None
