"""``deflect tickets``: the agent's side of the lifecycle until the back office exists.

List tickets, show one with its search trail and the articles suggested for its text, and reply
(linking articles, moving it to another step); a reply mails the customer with a fresh private
link.
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from kb import tickets
from web import services
from web.errors import DeflectError

SUGGESTED_ARTICLES = 3


@click.group("tickets", cls=AppGroup)
def tickets_group() -> None:
    """List, read and answer tickets."""


def _summary(ticket: tickets.Ticket) -> dict:
    return {"reference": ticket.reference, "status": ticket.status,
            "category": ticket.category, "subject": ticket.subject, "locale": ticket.locale,
            "email": ticket.email, "messages": len(ticket.messages),
            "created_at": ticket.created_at.isoformat(timespec="seconds") + "Z"}


@tickets_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in tickets.Status]),
              help="Only tickets in this step.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Tickets per page.")
@click.option("--page", "page_number", default=1, show_default=True, type=click.IntRange(1),
              help="Which page of LIMIT tickets (1 is the newest).")
@click.option("--json", "as_json", is_flag=True, help="Print the tickets as JSON.")
def list_command(status: str | None, limit: int, page_number: int, as_json: bool) -> None:
    """List tickets, newest first, a page at a time; says when more exist."""
    with services.database(current_app).session() as session:
        page = tickets.page_tickets(session, status=status, limit=limit, page=page_number)
    if as_json:
        click.echo(json.dumps({"tickets": [_summary(t) for t in page.tickets],
                               "total": page.total, "page": page.page, "limit": page.limit,
                               "next_page": page.page + 1 if page.has_more else None},
                              ensure_ascii=False, indent=2))
        return
    for ticket in page.tickets:
        click.echo(f"{ticket.reference}  {ticket.status:<13} {ticket.category:<12} "
                   f"{ticket.created_at:%Y-%m-%d %H:%M}  {ticket.subject}")
    click.echo(_page_summary(page))


def _page_summary(page: tickets.Page) -> str:
    """``3 tickets`` when all are shown, else ``showing 1-50 of 312 tickets; --page 2 for more``."""
    if page.page == 1 and not page.has_more:
        return f"{page.total} tickets"
    first = (page.page - 1) * page.limit + 1
    if not page.tickets:
        return f"page {page.page} is empty: {page.total} tickets in all"
    summary = f"showing {first}-{first + len(page.tickets) - 1} of {page.total} tickets"
    return f"{summary}; --page {page.page + 1} for more" if page.has_more else summary


def _find(session, reference: str) -> tickets.Ticket:
    ticket = tickets.find_ticket(session, reference)
    if ticket is None:
        raise DeflectError(f"{tickets.TicketNotFound(reference)} (see 'deflect tickets list')")
    return ticket


def _suggested_articles(ticket: tickets.Ticket) -> list[dict]:
    """The articles most like the ticket's subject and description, for the agent to link."""
    hits = services.search_engine(current_app).similar_to_text(
        f"{ticket.subject}\n{ticket.description}", locale=ticket.locale,
        limit=SUGGESTED_ARTICLES)
    return [{"slug": hit.slug, "title": hit.title, "score": round(hit.score, 3)} for hit in hits]


def _source_article(ticket: tickets.Ticket) -> str:
    """The article whose "Still need help?" link opened the form: ``slug (title)``, or ``-``."""
    if not ticket.source_article:
        return "-"
    article = services.knowledge_base(current_app).get(ticket.locale, ticket.source_article)
    return f"{ticket.source_article} ({article.title})" if article else ticket.source_article


@tickets_group.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print the ticket as JSON.")
def show_command(reference: str, as_json: bool) -> None:
    """Show ticket REFERENCE: contact, the article it came from, search trail, suggested
    articles and conversation."""
    with services.database(current_app).session() as session:
        ticket = _find(session, reference)
    suggested = _suggested_articles(ticket)
    if as_json:
        click.echo(json.dumps({**_summary(ticket), "name": ticket.name, "phone": ticket.phone,
                               "source_article": ticket.source_article,
                               "trail": ticket.trail, "suggested_articles": suggested,
                               "rating": ticket.rating,
                               "conversation": [{"author": m.author, "body": m.body,
                                                 "links": m.links, "internal": m.internal}
                                                for m in ticket.messages]},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"{ticket.reference} [{ticket.status}] {ticket.category}: {ticket.subject}")
    click.echo(f"From: {ticket.name or '-'} <{ticket.email}> {ticket.phone}  ({ticket.locale})")
    click.echo(f"Attachments: {len(ticket.attachments)}  Rating: {ticket.rating or '-'}")
    click.echo(f"Came from: {_source_article(ticket)}")
    click.echo("Search trail:" if ticket.trail else "Search trail: (none)")
    for item in ticket.trail:
        what = f"searched {item['query']!r}" if item["kind"] == "search" else \
            f"read {item['slug']}"
        click.echo(f"  {item['created_at']}  {what}")
    click.echo("Suggested articles:" if suggested else "Suggested articles: (none)")
    for article in suggested:
        click.echo(f"  {article['slug']}  {article['title']}  ({article['score']:.2f})")
    for message in ticket.messages:
        author = "internal note" if message.internal else message.author
        click.echo(f"--- {author}, {message.created_at:%Y-%m-%d %H:%M} UTC")
        click.echo(message.body)
        for slug in message.links:
            click.echo(f"  -> {slug}")


@tickets_group.command("reply")
@click.argument("reference")
@click.option("--message", "-m", required=True, help="The reply the customer reads.")
@click.option("--link", "links", multiple=True, metavar="SLUG",
              help="An article to link (repeatable).")
@click.option("--status", type=click.Choice([s.value for s in tickets.Status]),
              help="Move the ticket to this step as well.")
def reply_command(reference: str, message: str, links: tuple[str, ...],
                  status: str | None) -> None:
    """Reply to ticket REFERENCE and mail the customer a fresh private link."""
    from web.tickets import notify

    try:
        replied = tickets.reply(
            services.database(current_app), services.knowledge_base(current_app), reference,
            message=message, links=links, status=status,
            link_days=int(current_app.config["TICKET_LINK_DAYS"]))
    except tickets.TicketNotFound as error:
        raise DeflectError(f"{error} (see 'deflect tickets list')") from None
    except (tickets.InvalidTransition, tickets.InvalidMessage, tickets.UnknownArticle) as error:
        raise DeflectError(str(error)) from None
    ticket = replied.ticket
    for each in (replied, *replied.merged):
        notify.send_reply_notice(each.ticket, each.message, each.token)
    click.echo(f"Replied to {ticket.reference} (now {ticket.status}); mailed {ticket.email}")
    if replied.merged:
        click.echo(f"Also replied to the {len(replied.merged)} tickets merged into it: "
                   + ", ".join(each.ticket.reference for each in replied.merged))
