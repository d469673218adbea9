"""The ``deflect`` command: one Flask-aware group whose commands are thin shells over ``kb``
and ``search``, one module per command group. Heavy imports stay inside the commands.

    lint.py        deflect lint
    serve.py       deflect serve
    search.py      deflect index, search, eval, bench
    tickets.py     deflect tickets list, show, reply
    desk.py        deflect tickets queue, assign, move, note, similar, merge, draft,
                   saved-replies; deflect bench-desk
    uploads.py     deflect uploads clean
    bench_http.py  deflect bench-http
    db.py          deflect db upgrade, current, revision
    articles.py    deflect articles import, export
    remind.py      deflect remind
    insights.py    deflect report, prune, bench-insights
    users.py       deflect users add, link, token, list, demo-admin

User errors raise ``web.errors.DeflectError``: a message, exit code 1, no traceback.
"""

from __future__ import annotations

from importlib.metadata import version

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from web import create_app
from web.cli import (
    articles,
    bench_http,
    db,
    desk,
    insights,
    lint,
    remind,
    search,
    serve,
    tickets,
    uploads,
    users,
)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
@click.version_option(version("deflect"), prog_name="deflect")
def cli() -> None:
    """Deflect: a Korean and English self-service help center."""


cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(lint.lint_command)
cli.add_command(serve.serve_command)
search.register(cli)
cli.add_command(tickets.tickets_group)
desk.register(tickets.tickets_group, cli)
cli.add_command(uploads.uploads_group)
cli.add_command(bench_http.bench_http_command)
cli.add_command(db.db_group)
cli.add_command(articles.articles_group)
cli.add_command(remind.remind_command)
cli.add_command(insights.report_command)
cli.add_command(insights.prune_command)
cli.add_command(insights.bench_insights_command)
cli.add_command(users.users_group)


def main() -> None:
    cli(prog_name="deflect")
