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
