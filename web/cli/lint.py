"""``deflect lint``: check the articles folder and report every problem with its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from web.errors import DeflectError


@click.command("lint")
@with_appcontext
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def lint_command(folder: Path | None, strict: bool, as_json: bool) -> None:
    """Check the articles in FOLDER (default: the configured articles folder)."""
    from kb import load_articles

    folder = folder or Path(current_app.config["ARTICLES_DIR"])
    if not folder.is_dir():
        raise DeflectError(f"no such folder: {folder}")
    result = load_articles(folder)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if as_json:
        click.echo(json.dumps({
            "articles": len(result.articles),
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": [{"level": p.level, "path": str(p.path), "line": p.line,
                          "message": p.message} for p in result.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            click.echo(str(problem))
        click.echo(f"{len(result.articles)} articles checked: {len(result.errors)} errors, "
                   f"{len(result.warnings)} warnings")
    if failed:
        raise SystemExit(1)
