"""``deflect articles``: bring the Markdown folder into the content store and write it back.

``import`` adds a revision for each changed file and reports conflicts (a file and a web edit
that both changed since the last sync) with a diff, writing neither; ``export`` writes the
published (or ``--drafts``: latest) revisions as a folder ``deflect lint --strict`` accepts.
Running servers pick an import up by themselves within a second (``web.live``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from web import services
from web.errors import DeflectError


@click.group("articles", cls=AppGroup)
def articles_group() -> None:
    """Import articles into the content store and export them as Markdown."""


@articles_group.command("import")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_command(folder: Path | None, as_json: bool) -> None:
    """Add a revision for each article or editor's file in FOLDER (default: the configured
    articles folder) that changed since the last import or export.

    Exits with 1 when a file has an error (it is left out) or conflicts with a web edit."""
    from kb import content
    from search import check_vocabulary

    folder = folder or Path(current_app.config["ARTICLES_DIR"])
    if not folder.is_dir():
        raise DeflectError(f"no such folder: {folder}")
    vocabulary = check_vocabulary(folder)
    if any(p.level == "error" for p in vocabulary):
        for problem in vocabulary:
            click.echo(str(problem), err=True)
        raise DeflectError("synonyms.txt or userdict.txt has errors (above): fix them and "
                           "import again; nothing was imported")
    report = content.import_folder(services.database(current_app), folder)
    problems = [*report.problems, *vocabulary]
    if as_json:
        click.echo(json.dumps({
            "created": report.created, "updated": report.updated,
            "unchanged": len(report.unchanged), "kept": report.kept, "images": report.images,
            "conflicts": [{"key": c.key, "path": str(c.path), "revision": c.stored_revision,
                           "diff": c.diff()} for c in report.conflicts],
            "problems": [{"level": p.level, "path": str(p.path), "line": p.line,
                          "message": p.message} for p in problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        for conflict in report.conflicts:
            click.echo(f"conflict: {conflict.key} changed in the file and on the web since the "
                       f"last sync; neither was written:\n{conflict.diff()}")
        click.echo(f"{len(report.created)} new, {len(report.updated)} changed, "
                   f"{len(report.unchanged)} unchanged, {len(report.kept)} kept (newer on the "
                   f"web; export to get them), {len(report.conflicts)} conflicts, "
                   f"{len(report.images)} new images")
        if report.conflicts:
            click.echo("Resolve a conflict: export to another folder, merge the two texts into "
                       "the file, save the merge in the desk or import again after an export.")
    if report.conflicts or report.errors:
        raise SystemExit(1)


@articles_group.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--drafts", is_flag=True,
              help="Write each article's latest revision, drafts included.")
def export_command(folder: Path, drafts: bool) -> None:
    """Write the published articles and the editor's files into FOLDER as Markdown."""
    from kb import content

    if folder.exists() and not folder.is_dir():
        raise DeflectError(f"{folder} is a file: give a folder to export into")
    report = content.export_folder(services.database(current_app), folder, drafts=drafts)
    for path in report.removed:
        click.echo(f"removed {path} (the article moved to another category)")
    click.echo(f"{len(report.written)} files written, {len(report.unchanged)} unchanged in "
               f"{folder}")
