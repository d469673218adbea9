"""The desk's ticket commands: queue, assign, move, note, similar, merge, saved replies, draft,
and bench-desk; each a shell over the same kb function as the desk."""

from __future__ import annotations

import email
import json

import pytest

from kb import content
from web import services
from web.cli import cli

from .ticketing import outbox, page, send_ticket, stored_ticket


@pytest.fixture
def app(backend_app):
    return backend_app


def invoke(runner, *args):
    return runner.invoke(cli, ["tickets", *args])


def test_queue_lists_the_longest_waiting_first_with_counts_and_a_cursor(client, runner):
    first = send_ticket(client)
    second = send_ticket(client, email="b@example.com")
    result = invoke(runner, "queue", "--limit", "1", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert [t["reference"] for t in shown["tickets"]] == [first]
    assert shown["counts"]["received"] == 2 and shown["next_cursor"]
    result = invoke(runner, "queue", "--limit", "1", "--cursor", shown["next_cursor"], "--json")
    assert [t["reference"] for t in json.loads(result.output)["tickets"]] == [second]


def test_queue_refuses_a_bad_cursor_and_a_bad_assignee_by_name(runner):
    result = invoke(runner, "queue", "--cursor", "nonsense")
    assert result.exit_code == 1 and "cursor: the cursor is not one" in result.output
    result = invoke(runner, "queue", "--assignee", "me")
    assert result.exit_code == 2 and "'unassigned' or 'anyone'" in result.output


def test_assign_and_move_change_all_or_nothing(app, client, runner):
    a = send_ticket(client)
    b = send_ticket(client, email="b@example.com")
    result = invoke(runner, "assign", a, b, "--to", "4")
    assert result.exit_code == 0 and f"Assigned to #4: {a}, {b}" in result.output
    result = invoke(runner, "move", a, "DF-2222-2222", "--status", "investigating")
    assert result.exit_code == 1 and "DF-2222-2222: no such ticket" in result.output
    assert stored_ticket(app, a).status == "received"
    result = invoke(runner, "queue", "--assignee", "4", "--json")
    assert len(json.loads(result.output)["tickets"]) == 2


def test_a_note_is_kept_from_the_customers_page_and_mail(app, client, runner):
    reference = send_ticket(client)
    mails = len(outbox(app))
    result = invoke(runner, "note", reference, "-m", "VIP customer: call first.")
    assert result.exit_code == 0
    assert len(outbox(app)) == mails
    status = client.get(f"/en/tickets/{reference}/status")
    assert status.status_code == 200
    conversation = page(status).find(attrs={"data-conversation": True}).get_text()
    assert "It says locked." in conversation and "VIP customer" not in conversation
    shown = json.loads(invoke(runner, "show", reference, "--json").output)
    assert shown["conversation"][-1] == {"author": "agent", "body": "VIP customer: call first.",
                                         "links": [], "internal": True}


def test_merge_then_one_reply_mails_every_merged_customer(app, client, runner):
    target = send_ticket(client, subject="App crashes", description="The app crashes on start.")
    other = send_ticket(client, subject="App crash", description="My app crashes on start.",
                        email="b@example.com")
    similar = invoke(runner, "similar", target)
    assert similar.exit_code == 0 and other in similar.output
    assert invoke(runner, "merge", target, other).exit_code == 0
    before = len(outbox(app))
    result = invoke(runner, "reply", target, "-m", "Fixed in 2.3.1.", "--status", "resolved")
    assert result.exit_code == 0 and f"merged into it: {other}" in result.output
    sent = [email.message_from_bytes(p.read_bytes()) for p in outbox(app)[before:]]
    assert sorted(m["To"] for m in sent) == ["Min <b@example.com>", "Min <min@example.com>"]
    assert stored_ticket(app, other).status == "resolved"


def test_merge_refusal_names_the_ticket(client, runner):
    target = send_ticket(client)
    result = invoke(runner, "merge", target, target)
    assert result.exit_code == 1
    assert f"nothing merged: {target} is the ticket it would be merged into" in result.output


def test_saved_replies_save_list_and_refuse_an_unknown_placeholder(runner):
    result = invoke(runner, "saved-replies", "save", "--locale", "en", "--name", "Reset",
                    "--body", "Hi {name}, reset it.")
    assert result.exit_code == 0 and "Saved #1 Reset (en)" in result.output
    assert "1  Reset: Hi {name}, reset it." in invoke(
        runner, "saved-replies", "list", "--locale", "en").output
    result = invoke(runner, "saved-replies", "save", "--locale", "en", "--name", "Bad",
                    "--body", "Hi {nmae}")
    assert result.exit_code == 1 and "unknown placeholder {nmae}" in result.output
    assert invoke(runner, "saved-replies", "delete", "7").exit_code == 1


def test_draft_stores_an_unpublished_article_for_a_resolved_ticket(app, client, runner):
    reference = send_ticket(client, subject="Cannot log in after reset")
    assert invoke(runner, "draft", reference).exit_code == 1
    invoke(runner, "reply", reference, "-m", "Clear the app's cache.", "--status", "resolved")
    result = invoke(runner, "draft", reference)
    assert result.exit_code == 0, result.output
    assert "en/cannot-log-in-after-reset" in result.output
    with services.database(app).session() as session:
        draft = content.read_article(session, "en", "cannot-log-in-after-reset")
    assert (draft.status, draft.published, draft.ticket_reference) == ("draft", None, reference)
    assert services.knowledge_base(app).get("en", "cannot-log-in-after-reset") is None


def test_bench_desk_seeds_and_times_every_view(runner):
    result = runner.invoke(cli, ["bench-desk", "--tickets", "300", "--repeats", "5", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["backend"] == "sqlite" and report["tickets"] == 300
    assert [t["scenario"] for t in report["timings"]][:2] == ["open, first page",
                                                              "open, page 10 (keyset)"]
    assert all(t["rows"] > 0 for t in report["timings"])
    # The whole page is timed too, as a signed-in agent gets it (a refused sign-in raises).
    pages = [t for t in report["timings"] if t["scenario"].startswith("page: ")]
    assert [t["scenario"] for t in pages][:2] == ["page: open, first page", "page: resolved"]
    assert pages[0]["rows"] == 50 and all(t["p95"] >= t["p50"] >= t["fastest"] for t in pages)
