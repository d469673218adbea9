"""The ``deflect`` command: one Flask-aware group whose commands are thin shells over ``kb``
and ``search``. Heavy imports stay inside the commands."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command

from web import bench_http, cli_search, cli_tickets, cli_users, create_app


class DeflectError(click.ClickException):
    """A user error in a ``deflect`` command: a message, exit code 1, no traceback."""


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
@click.version_option(version("deflect"), prog_name="deflect")
def cli() -> None:
    """Deflect: a Korean and English self-service help center."""


cli.add_command(shell_command)
cli.add_command(routes_command)
cli_search.register(cli)
cli.add_command(cli_tickets.tickets_group)
cli.add_command(cli_users.users_group)
cli.add_command(bench_http.bench_http_command)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def lint(folder: Path | None, strict: bool, as_json: bool) -> None:
    """Check the articles in FOLDER (default: the configured articles folder)."""
    from kb import load_articles
    from search import check_vocabulary

    folder = folder or Path(current_app.config["ARTICLES_DIR"])
    if not folder.is_dir():
        raise DeflectError(f"no such folder: {folder}")
    result = load_articles(folder)
    problems = [*result.problems, *check_vocabulary(folder)]  # + synonyms.txt, userdict.txt
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    failed = bool(errors) or (strict and bool(warnings))
    if as_json:
        click.echo(json.dumps({
            "articles": len(result.articles),
            "errors": errors,
            "warnings": warnings,
            "problems": [{"level": p.level, "path": str(p.path), "line": p.line,
                          "message": p.message} for p in problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{len(result.articles)} articles checked: {errors} errors, "
                   f"{warnings} warnings")
    if failed:
        raise SystemExit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the help center under gunicorn (a production server, not Flask's development one)."""
    from web.server import run_server

    click.echo(f"Deflect is serving on http://{host}:{port}/ with {workers} workers")
    run_server(current_app._get_current_object(), host=host, port=port, workers=workers)


def main() -> None:
    cli(prog_name="deflect")
