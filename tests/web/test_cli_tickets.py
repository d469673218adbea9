"""``deflect tickets``: the whole lifecycle from the terminal and the customer's status page."""

from __future__ import annotations

import email
import json

import pytest

from web.cli import cli

from .ticketing import outbox, page, send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


def test_list_shows_each_ticket(client, runner):
    reference = send_ticket(client)
    result = runner.invoke(cli, ["tickets", "list"])
    assert result.exit_code == 0
    assert reference in result.output and "1 tickets" in result.output


def test_list_json_filters_by_status(client, runner):
    first = send_ticket(client)
    second = send_ticket(client, email="other@example.com")
    runner.invoke(cli, ["tickets", "reply", second, "-m", "Looking", "--status",
                        "investigating"])
    result = runner.invoke(cli, ["tickets", "list", "--status", "received", "--json"])
    assert result.exit_code == 0
    assert [t["reference"] for t in json.loads(result.output)["tickets"]] == [first]


def test_show_prints_the_search_trail_and_conversation(client, runner):
    client.get("/en/search?q=locked+account")
    reference = send_ticket(client)
    result = runner.invoke(cli, ["tickets", "show", reference.lower()])
    assert result.exit_code == 0
    assert "searched 'locked account'" in result.output
    assert "It says locked." in result.output


def test_show_names_the_article_the_ticket_came_from(client, runner):
    reference = send_ticket(client, source_article="refund-policy")
    result = runner.invoke(cli, ["tickets", "show", reference])
    assert result.exit_code == 0
    assert "Came from: refund-policy (What is your refund policy?)" in result.output
    as_json = runner.invoke(cli, ["tickets", "show", reference, "--json"])
    assert json.loads(as_json.output)["source_article"] == "refund-policy"


PAYMENT_FAILURE = {"category": "payment", "subject": "My payment failed",
                   "description": "I tried to pay with my card but the payment failed."}


def test_show_suggests_articles_for_the_tickets_text(client, runner):
    reference = send_ticket(client, **PAYMENT_FAILURE)
    result = runner.invoke(cli, ["tickets", "show", reference])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Suggested articles:", 1)[1]
    assert "payment-failed" in listed and "My payment didn't go through" in listed


def test_show_json_lists_up_to_three_suggested_articles(client, runner):
    reference = send_ticket(client, locale="ko", category="payment", subject="결제가 안 돼요",
                            description="카드로 결제하려는데 결제 실패 오류가 나요.")
    result = runner.invoke(cli, ["tickets", "show", reference, "--json"])
    assert result.exit_code == 0, result.output
    suggested = json.loads(result.output)["suggested_articles"]
    assert 1 <= len(suggested) <= 3
    assert "payment-failed" in [article["slug"] for article in suggested]
    assert all(set(article) == {"slug", "title", "score"} for article in suggested)


def test_show_unknown_reference_is_a_clean_error(runner):
    result = runner.invoke(cli, ["tickets", "show", "DF-2222-2222"])
    assert result.exit_code == 1
    assert "no ticket 'DF-2222-2222'" in result.output and "Traceback" not in result.output


def test_reply_with_an_invalid_step_changes_nothing(app, client, runner):
    reference = send_ticket(client)
    result = runner.invoke(cli, ["tickets", "reply", reference, "-m", "x", "--status", "closed"])
    assert result.exit_code == 1
    assert "a received ticket cannot become closed" in result.output
    assert len(stored_ticket(app, reference).messages) == 1


def test_reply_with_an_unknown_article_changes_nothing(app, client, runner):
    reference = send_ticket(client)
    result = runner.invoke(cli, ["tickets", "reply", reference, "-m", "x", "--link", "nope"])
    assert result.exit_code == 1 and "no published en article: nope" in result.output
    assert len(stored_ticket(app, reference).messages) == 1


def test_reply_mails_a_working_link_in_the_customers_language(app, client, runner):
    reference = send_ticket(client, locale="ko")
    result = runner.invoke(cli, ["tickets", "reply", reference, "-m", "비밀번호를 재설정해 보세요.",
                                 "--link", "password-reset", "--status", "proposed"])
    assert result.exit_code == 0, result.output
    mail = email.message_from_bytes(outbox(app)[-1].read_bytes(), policy=email.policy.default)
    body = mail.get_content()
    assert "답변이 등록되었습니다" in str(mail["Subject"]) and "해결책 안내" in body
    link = next(line for line in body.splitlines() if "/ko/tickets/" in line).strip()
    stranger = app.test_client()
    status = stranger.get(link.removeprefix("http://127.0.0.1:5000"), follow_redirects=True)
    assert status.status_code == 200
    assert page(status).find(attrs={"aria-current": "step"})["data-step"] == "proposed"


def test_whole_lifecycle_through_cli_and_status_page(app, client, runner):
    reference = send_ticket(client)
    for step in ("investigating", "proposed", "resolved"):
        result = runner.invoke(cli, ["tickets", "reply", reference, "-m", f"Now {step}",
                                     "--status", step, "--link", "login-trouble"])
        assert result.exit_code == 0, result.output
        html = page(client.get(f"/en/tickets/{reference}/status"))
        assert html.find(attrs={"aria-current": "step"})["data-step"] == step
    csrf = html.find("input", attrs={"name": "csrf_token"})["value"]
    client.post(f"/en/tickets/{reference}/reopen",
                data={"reopen_message": "Not yet", "csrf_token": csrf})
    runner.invoke(cli, ["tickets", "reply", reference, "-m", "Fixed now", "--status",
                        "resolved"])
    client.post(f"/en/tickets/{reference}/rating", data={"rating": "4", "csrf_token": csrf})
    result = runner.invoke(cli, ["tickets", "show", reference, "--json"])
    shown = json.loads(result.output)
    assert (shown["status"], shown["rating"]) == ("closed", 4)
    assert [m["author"] for m in shown["conversation"]] == [
        "customer", "agent", "agent", "agent", "customer", "agent"]
    assert len(outbox(app)) == 1 + 4  # the confirmation, then one mail per reply


def test_list_pages_and_says_when_more_exist(client, runner):
    references = [send_ticket(client, email=f"person{n}@example.com") for n in range(3)]
    newest_first = references[::-1]
    first = runner.invoke(cli, ["tickets", "list", "--limit", "2"])
    assert first.exit_code == 0, first.output
    assert "showing 1-2 of 3 tickets; --page 2 for more" in first.output
    assert all(ref in first.output for ref in newest_first[:2])
    assert newest_first[2] not in first.output
    second = runner.invoke(cli, ["tickets", "list", "--limit", "2", "--page", "2"])
    assert second.exit_code == 0, second.output
    assert newest_first[2] in second.output and "showing 3-3 of 3 tickets" in second.output
    assert "for more" not in second.output


def test_list_json_carries_the_total_and_the_next_page(client, runner):
    references = [send_ticket(client, email=f"person{n}@example.com") for n in range(3)]
    first = json.loads(runner.invoke(cli, ["tickets", "list", "--limit", "2", "--json"]).output)
    assert [t["reference"] for t in first["tickets"]] == references[::-1][:2]
    assert (first["total"], first["page"], first["limit"], first["next_page"]) == (3, 1, 2, 2)
    last = json.loads(runner.invoke(cli, ["tickets", "list", "--limit", "2", "--page", "2",
                                          "--json"]).output)
    assert [t["reference"] for t in last["tickets"]] == references[:1]
    assert last["next_page"] is None


def test_list_refuses_a_page_below_one(runner):
    result = runner.invoke(cli, ["tickets", "list", "--page", "0"])
    assert result.exit_code == 2 and "--page" in result.output
