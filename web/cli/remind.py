"""``deflect remind``: mail each editor the articles they own whose ``review_by`` has come.

Meant for cron (once a day). An article is owned by whoever created it in the store; articles
imported from the folder (owner ``import``) or whose owner is not a mail address go to
``--to`` when given, and are listed either way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import click
from flask import current_app
from flask.cli import with_appcontext

from web import services

DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


@click.command("remind")
@with_appcontext
@click.option("--to", "fallback", help="Address for due articles without a mail-able owner.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Count as due up to this date (default: today, UTC).")
def remind_command(fallback: str | None, today: dt.datetime | None) -> None:
    """Mail each owner the published articles whose review_by date has come."""
    from kb import content, mail

    day = today.date() if today else dt.datetime.now(dt.UTC).date()
    with services.database(current_app).session() as session:
        due = content.due_for_review(session, services.knowledge_base(current_app), day)
    by_owner: dict[str, list[content.Due]] = defaultdict(list)
    for entry in due:
        owner = entry.owner if entry.owner and "@" in entry.owner else fallback
        click.echo(f"{entry.review_by}  {entry.locale}/{entry.slug}  {entry.title}  "
                   f"({entry.owner or 'no owner'})")
        if owner:
            by_owner[owner].append(entry)
    base = (current_app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
    for owner, entries in by_owner.items():
        lines = [f"- {e.title} (review by {e.review_by}): {base}/{e.locale}/articles/{e.slug}"
                 for e in entries]
        body = ("These help-center articles are due for review. Check that each is still "
                "right, then set a new review_by date.\n\n" + "\n".join(lines) + "\n")
        message = mail.compose(mail.Recipient(email=owner, name="", locale="en"),
                               sender=current_app.config["MAIL_FROM"],
                               subject=f"{len(entries)} articles due for review", body=body)
        services.mailer(current_app).send(message)
    click.echo(f"{len(due)} articles due; mailed {len(by_owner)} editors")
