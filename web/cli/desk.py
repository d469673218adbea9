"""The desk's ticket commands for the terminal: the queue, bulk assign and move, internal notes,
similar tickets and merging, saved replies, drafts from tickets, and ``deflect bench-desk``.

Each is a thin shell over one ``kb.tickets`` function, the same one the desk pages and the
staff API call. They join the ``deflect tickets`` group (``register``).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from kb import tickets
from web import services
from web.errors import DeflectError

_STEPS = [s.value for s in tickets.Status]


def register(group: click.Group, cli: click.Group) -> None:
    """Add the desk commands to ``deflect tickets`` (``group``) and ``bench-desk`` to ``cli``."""
    for command in (queue_command, assign_command, move_command, note_command,
                    similar_command, merge_command, draft_command, saved_replies_group):
        group.add_command(command)
    cli.add_command(bench_desk_command)


def _assignee(value: str) -> int | str:
    if value in (tickets.UNASSIGNED, tickets.ANYONE):
        return value
    if not value.isdigit():
        raise click.BadParameter("a person id, 'unassigned' or 'anyone'")
    return int(value)


@click.command("queue")
@with_appcontext
@click.option("--status", "steps", multiple=True, type=click.Choice(_STEPS),
              help="Only this step (repeatable); default: received and investigating.")
@click.option("--all-steps", is_flag=True, help="Every step.")
@click.option("--category", help="Only this ticket category.")
@click.option("--locale", type=click.Choice(["ko", "en"]), help="Only this locale.")
@click.option("--assignee", default="anyone", show_default=True,
              help="A person id, 'unassigned' or 'anyone'.")
@click.option("--text", "-q", default="", help="Words in the subject, a message or the email, "
              "or a reference.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 200),
              help="Tickets per page.")
@click.option("--cursor", help="The next_cursor a previous page printed.")
@click.option("--json", "as_json", is_flag=True, help="Print the page as JSON.")
def queue_command(steps, all_steps, category, locale, assignee, text, limit, cursor,
                  as_json) -> None:
    """The agents' queue: tickets waiting longest first, with the count per step."""
    try:
        filters = tickets.QueueFilter(
            steps=() if all_steps else (tuple(steps) or tickets.OPEN_STEPS),
            category=category, locale=locale, assignee=_assignee(assignee), text=text)
        with services.database(current_app).session() as session:
            page = tickets.queue_page(session, filters, cursor=cursor, limit=limit)
    except tickets.InvalidQueueFilter as error:
        raise DeflectError(str(error)) from None
    if as_json:
        click.echo(json.dumps({"tickets": [_row(r) for r in page.rows], "counts": page.counts,
                               "next_cursor": page.next_cursor}, ensure_ascii=False, indent=2))
        return
    for row in page.rows:
        who = f"#{row.assignee_id}" if row.assignee_id else "-"
        click.echo(f"{row.reference}  {row.status:<13} {row.category:<12} {row.locale}  "
                   f"{row.waiting_since:%Y-%m-%d %H:%M}  {who:<4} {row.subject}")
    click.echo("  ".join(f"{step}: {count}" for step, count in page.counts.items()))
    if page.next_cursor:
        click.echo(f"more: --cursor {page.next_cursor}")


def _row(row: tickets.QueueRow) -> dict:
    return {"reference": row.reference, "subject": row.subject, "status": row.status,
            "category": row.category, "locale": row.locale,
            "created_at": row.created_at.isoformat() + "Z",
            "waiting_since": row.waiting_since.isoformat() + "Z", "assignee": row.assignee_id}


@click.command("assign")
@with_appcontext
@click.argument("references", nargs=-1, required=True)
@click.option("--to", "person", required=True,
              help="The person id to assign them to, or 'none' to unassign.")
def assign_command(references: tuple[str, ...], person: str) -> None:
    """Assign tickets REFERENCES to a person (all or none change)."""
    if person != "none" and not person.isdigit():
        raise DeflectError(f"--to {person!r}: give a person id or 'none'")
    try:
        done = tickets.assign(services.database(current_app), references,
                              None if person == "none" else int(person))
    except tickets.AssignmentRefused as error:
        raise DeflectError(f"nothing changed: {error}") from None
    click.echo(f"{'Unassigned' if person == 'none' else f'Assigned to #{person}'}: "
               + ", ".join(done))


@click.command("move")
@with_appcontext
@click.argument("references", nargs=-1, required=True)
@click.option("--status", required=True, type=click.Choice(_STEPS), help="The step to move to.")
def move_command(references: tuple[str, ...], status: str) -> None:
    """Move tickets REFERENCES to another step (all or none change)."""
    try:
        done = tickets.move_tickets(services.database(current_app), references, status)
    except tickets.AssignmentRefused as error:
        raise DeflectError(f"nothing changed: {error}") from None
    click.echo(f"Moved to {status}: " + ", ".join(done))


@click.command("note")
@with_appcontext
@click.argument("reference")
@click.option("--message", "-m", required=True, help="The note (never shown to the customer).")
def note_command(reference: str, message: str) -> None:
    """Add an internal note to ticket REFERENCE: never shown to the customer, never mailed."""
    try:
        tickets.reply(services.database(current_app), services.knowledge_base(current_app),
                      reference, message=message, internal=True)
    except tickets.TicketNotFound as error:
        raise DeflectError(f"{error} (see 'deflect tickets queue')") from None
    except tickets.InvalidMessage as error:
        raise DeflectError(str(error)) from None
    click.echo(f"Noted on {tickets.normalize_reference(reference)}")


@click.command("similar")
@with_appcontext
@click.argument("reference")
def similar_command(reference: str) -> None:
    """Open tickets like ticket REFERENCE (same locale), most alike first."""
    with services.database(current_app).session() as session:
        ticket = tickets.find_ticket(session, reference)
        if ticket is None:
            raise DeflectError(f"{tickets.TicketNotFound(reference)}")
        found = tickets.similar_open_tickets(session, ticket)
    for item in found:
        click.echo(f"{item.reference}  {item.status:<13} {item.score:.2f}  {item.subject}")
    if not found:
        click.echo("No similar open tickets.")


@click.command("merge")
@with_appcontext
@click.argument("target")
@click.argument("sources", nargs=-1, required=True)
def merge_command(target: str, sources: tuple[str, ...]) -> None:
    """Merge tickets SOURCES into TARGET: they leave the queue and get TARGET's replies."""
    try:
        merged = tickets.merge_tickets(services.database(current_app), target, sources)
    except (tickets.TicketNotFound, tickets.MergeRefused) as error:
        raise DeflectError(f"nothing merged: {error}") from None
    click.echo(f"Merged into {tickets.normalize_reference(target)}: " + ", ".join(merged))


@click.command("draft")
@with_appcontext
@click.argument("reference")
def draft_command(reference: str) -> None:
    """Turn resolved ticket REFERENCE into an article draft in the content store, where the
    editors' desk lists it with the ticket."""
    knowledge = services.knowledge_base(current_app)
    categories = list(knowledge.categories)  # in their order
    with services.database(current_app).session() as session:
        ticket = tickets.find_ticket(session, reference)
        if ticket is None:
            raise DeflectError(f"{tickets.TicketNotFound(reference)}")
        try:
            draft = tickets.draft_from_ticket(session, ticket, categories=categories or ["other"],
                                              author="deflect tickets draft")
        except tickets.DraftRefused as error:
            raise DeflectError(str(error)) from None
    click.echo(f"Saved draft {draft.locale}/{draft.slug} (revision {draft.revision}) for "
               f"{ticket.reference}; publish it in the desk or with the staff API")


@click.group("saved-replies", cls=AppGroup)
def saved_replies_group() -> None:
    """List, save and delete saved replies ({name} and {reference} are filled in)."""


@saved_replies_group.command("list")
@click.option("--locale", required=True, type=click.Choice(["ko", "en"]), help="Their locale.")
def saved_list_command(locale: str) -> None:
    """List the saved replies of a locale."""
    with services.database(current_app).session() as session:
        for saved in tickets.saved_replies(session, locale):
            click.echo(f"{saved.id}  {saved.name}: {saved.body[:60]}")


@saved_replies_group.command("save")
@click.option("--locale", required=True, type=click.Choice(["ko", "en"]), help="Its locale.")
@click.option("--name", required=True, help="The name agents pick it by (replaces one of that "
              "name).")
@click.option("--body", required=True, help="The Markdown text, with {name} and {reference}.")
def saved_save_command(locale: str, name: str, body: str) -> None:
    """Save a reply for agents to reuse."""
    try:
        saved = tickets.save_reply(services.database(current_app), locale=locale, name=name,
                                   body=body)
    except tickets.InvalidSavedReply as error:
        raise DeflectError(str(error)) from None
    click.echo(f"Saved #{saved.id} {saved.name} ({saved.locale})")


@saved_replies_group.command("delete")
@click.argument("reply_id", type=int)
def saved_delete_command(reply_id: int) -> None:
    """Delete saved reply REPLY_ID."""
    if not tickets.delete_saved_reply(services.database(current_app), reply_id):
        raise DeflectError(f"no saved reply #{reply_id} (see 'deflect tickets saved-replies "
                           "list')")
    click.echo(f"Deleted #{reply_id}")


@click.command("bench-desk")
@click.option("--tickets", "count", default=20_000, show_default=True,
              type=click.IntRange(100, 1_000_000), help="How many tickets to seed.")
@click.option("--repeats", default=30, show_default=True, type=click.IntRange(5, 1000),
              help="Timed runs of each queue view.")
@click.option("--database-url", help="An EMPTY database to seed (e.g. PostgreSQL); default: a "
              "temporary SQLite file.")
@click.option("--json", "as_json", is_flag=True, help="Print the timings as JSON.")
def bench_desk_command(count: int, repeats: int, database_url: str | None,
                       as_json: bool) -> None:
    """Seed tickets and time the agents' queue pages (p50/p95 in ms)."""
    from kb import Database, schema
    from kb.tickets import bench
    from web.desk_tickets.bench import measure_pages

    with tempfile.TemporaryDirectory(prefix="deflect-bench-desk-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        database = Database(url)
        schema.upgrade(database)
        try:
            bench.seed_tickets(database, count)
        except tickets.TicketError as error:
            raise DeflectError(str(error)) from None
        timings = bench.measure_queue(database, repeats=repeats)
        database.engine.dispose()
        timings += measure_pages(url, Path(folder) / "data", repeats=repeats)
    backend = database.engine.dialect.name
    if as_json:
        click.echo(json.dumps({"backend": backend, "tickets": count, "timings": [
            t.__dict__ for t in timings]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{count} tickets on {backend}; queue_page (with step counts) and the whole "
               "/desk/tickets page as a signed-in agent gets it, ms:")
    for t in timings:
        click.echo(f"  {t.scenario:<28} fastest {t.fastest:7.2f}  p50 {t.p50:7.2f}  "
                   f"p95 {t.p95:7.2f}  ({t.rows} rows)")
