"""``deflect users``: desk accounts from the terminal (add, links, tokens, the demo admin).

A new person gets a one-time link (24 hours) to choose their password, or reads it from
standard input with ``--password-stdin`` (never from an option: options end up in shell
history and ``ps``). Tokens are printed once and stored only as a digest.
"""

from __future__ import annotations

import json
import secrets
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from kb import accounts
from web import services
from web.errors import DeflectError

DEMO_ADMIN = "admin@localhost"


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """Desk accounts: add people, print sign-in links and API tokens."""


def _hash(password: str, email: str) -> str:
    from web.desk.forms import hashing

    try:
        accounts.check_password(password, email=email)
    except accounts.InvalidInput as error:
        raise DeflectError(f"password refused: {error}") from None
    return hashing().hash(password)


def _person(session, email: str) -> accounts.Person:
    person = accounts.find_person(session, email)
    if person is None:
        raise DeflectError(f"nobody has the email {email!r} (see 'deflect users list')")
    return person


def _link(secret: str) -> str:
    from web.desk.mails import link_url

    return link_url(secret)


@users_group.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(accounts.ROLES), help="A role; repeat for several.")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of printing a link.")
def add_command(email: str, roles: tuple[str, ...], name: str, password_stdin: bool) -> None:
    """Add a person to the desk; print a one-time link to choose a password (24 hours)."""
    password_hash = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        password_hash = _hash(password, email)
    try:
        with services.database(current_app).session() as session:
            person = accounts.add_person(session, email, roles=roles, name=name,
                                         password_hash=password_hash)
            session.flush()
            secret = None if password_stdin else accounts.issue_link(session, person, "set")
    except accounts.AccountError as error:
        raise DeflectError(str(error)) from None
    click.echo(f"added {person.email} ({', '.join(sorted(person.roles))})")
    if secret:
        click.echo(f"one-time link to choose a password (24 hours):\n{_link(secret)}")


@users_group.command("link")
@click.argument("email")
def link_command(email: str) -> None:
    """Print a new one-time link that sets EMAIL's password (24 hours)."""
    with services.database(current_app).session() as session:
        secret = accounts.issue_link(session, _person(session, email), "set")
    click.echo(_link(secret))


@users_group.command("token")
@click.argument("email")
@click.option("--label", default="command line", show_default=True,
              help="What will use the token (shown in the desk's token list).")
def token_command(email: str, label: str) -> None:
    """Print a new personal API token for EMAIL, once (send it as 'Authorization: Bearer')."""
    try:
        with services.database(current_app).session() as session:
            _token, secret = accounts.issue_api_token(session, _person(session, email), label)
    except accounts.InvalidInput as error:
        raise DeflectError(str(error)) from None
    click.echo(secret)


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the people as JSON.")
def list_command(as_json: bool) -> None:
    """List everyone with a desk account."""
    with services.database(current_app).session() as session:
        people = accounts.list_people(session)
    rows = [{"email": p.email, "name": p.name, "roles": sorted(p.roles),
             "disabled": p.is_disabled, "has_password": p.has_password,
             "has_totp": p.has_totp} for p in people]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        state = "disabled" if row["disabled"] else ("active" if row["has_password"]
                                                    else "invited")
        click.echo(f"{row['email']:<32} {','.join(row['roles']):<20} {state}")
    click.echo(f"{len(rows)} people")


@users_group.command("demo-admin")
def demo_admin_command() -> None:
    """Create admin@localhost once, with a generated password printed here (for `make run`)."""
    password = secrets.token_urlsafe(12)
    password_hash = _hash(password, DEMO_ADMIN)
    try:
        with services.database(current_app).session() as session:
            accounts.add_person(session, DEMO_ADMIN, roles=["admin", "agent", "editor"],
                                name="Demo admin", password_hash=password_hash)
    except accounts.EmailTaken:
        click.echo(f"The desk admin {DEMO_ADMIN} exists (its password was printed when it was "
                   f"made; for a new one: deflect users link {DEMO_ADMIN}).")
        return
    click.echo(f"Desk admin created: {DEMO_ADMIN}  password: {password}  (shown only now)")
    click.echo("Sign in at http://127.0.0.1:5000/desk/login")
