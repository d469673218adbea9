"""The Markdown folder as the way content comes in and goes out of the store.

``import_folder`` adds a revision for each file that changed; ``export_folder`` writes the
published (or latest) revisions back as files ``deflect lint --strict`` accepts, so a team can
review content as pull requests and import the merge. Each item remembers the revision and the
file digest of its last sync, which is how an import tells the three cases apart: only the file
changed (imported), only the store changed (kept; the next export writes it), or both changed
since the last sync (a ``Conflict``: nothing is written, both texts are reported). The images
the exported articles show travel beside them as ``images/<sha256>.<ext>`` (``kb.content.images``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.articles import Article, Problem
from kb.content import images
from kb.content.checks import article_path
from kb.content.models import FILE_NAMES, Item, ItemStatus, utc_now
from kb.content.store import append_revision, diff, text_of, tick
from kb.db import Database
from kb.loader import LoadResult, load_articles

IMPORT_AUTHOR = "import"
"""The author of revisions an import adds."""


@dataclass(frozen=True)
class Conflict:
    """A file and the store that both changed since the last sync: nothing was written."""

    key: str
    path: Path
    file_text: str
    stored_text: str
    stored_revision: int

    def diff(self) -> str:
        """The change from the stored revision to the file, as a unified diff."""
        return diff(self.stored_text, self.file_text,
                    old_name=f"{self.key} (revision {self.stored_revision})",
                    new_name=str(self.path))


@dataclass
class ImportReport:
    """What an import did, by key (``ko/login-trouble``, ``synonyms.txt``)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Changed in the store since the last sync while the file did not: the store's text stays."""
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    """Digests of the images from ``images/`` the store did not have yet."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


@dataclass
class ExportReport:
    """What an export wrote (paths relative to the folder) and removed (moved articles)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def digest(text: str) -> str:
    """SHA-256 of a text, as remembered for a sync."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_folder(database: Database, folder: Path | str, *,
                  author: str = IMPORT_AUTHOR) -> ImportReport:
    """Import every article and editor's file of ``folder`` that changed since the last sync.

    Articles that fail to parse are left out and reported in ``problems`` (as ``deflect lint``
    reports them). The folder is read before the writing transaction starts, so the write lock
    is held only for the inserts."""
    folder = Path(folder)
    result = load_articles(folder)
    with database.session() as session:
        tick(session)
        report = _import(session, folder, result, author)
        report.images, problems = images.import_images(session, folder, author=author)
        report.problems.extend(problems)
        return report


def import_if_empty(database: Database, folder: Path | str) -> ImportReport | None:
    """Import ``folder`` when the store holds nothing yet (an app's first start); ``None``
    when it already held content or another process imported it first."""
    folder = Path(folder)
    with database.session() as session:
        if session.scalar(select(Item.id).limit(1)) is not None:
            return None
    if not folder.is_dir():
        return None
    result = load_articles(folder)
    with database.session() as session:
        tick(session)  # the write lock: a second worker starting now waits here, then sees ours
        if session.scalar(select(Item.id).limit(1)) is not None:
            return None
        return _import(session, folder, result, IMPORT_AUTHOR)


def export_folder(database: Database, folder: Path | str, *,
                  drafts: bool = False) -> ExportReport:
    """Write the published revisions (``drafts``: the latest ones) of every article that is
    not archived, and the editor's files, into ``folder`` as ``<locale>/<category>/<slug>.md``.

    A file is rewritten only when its text differs; an article whose category changed loses
    its file at the old place. Each written item remembers this sync."""
    folder = Path(folder)
    report = ExportReport()
    shown: list[str] = []
    with database.session() as session:
        items = session.scalars(select(Item).order_by(Item.locale, Item.name)).all()
        for item in items:
            if item.status == ItemStatus.ARCHIVED and item.locale:
                continue
            number = item.latest if drafts or not item.locale else item.published
            if number is None:
                continue
            text = text_of(session, item, number)
            if item.locale:
                relative = article_path(text, locale=item.locale, slug=item.name)
                for stale in folder.glob(f"{item.locale}/*/{item.name}.md"):
                    if stale != folder / relative:
                        stale.unlink()
                        report.removed.append(stale.relative_to(folder))
            else:
                relative = Path(item.name)
            target = folder / relative
            if target.is_file() and target.read_bytes() == text.encode("utf-8"):
                report.unchanged.append(relative)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8"))
                report.written.append(relative)
            item.synced, item.synced_digest = number, digest(text)
            shown.extend(images.referenced_digests(text))
        written, unchanged = images.export_images(session, folder, shown)
        report.written.extend(written)
        report.unchanged.extend(unchanged)
    return report


def _import(session: Session, folder: Path, result: LoadResult, author: str) -> ImportReport:
    report = ImportReport(problems=list(result.problems))
    now = utc_now()
    items = {(i.locale, i.name): i for i in session.scalars(select(Item))}
    for article in result.articles:
        assert article.path is not None
        text = article.path.read_text(encoding="utf-8")
        _import_one(session, report, items.get(article.key), text, path=article.path,
                    locale=article.locale, name=article.slug, article=article,
                    publish=article.is_published, author=author, now=now)
    for name in FILE_NAMES:
        path = folder / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # reported by the caller's lint; the stored text stays
            _import_one(session, report, items.get(("", name)), text, path=path, locale="",
                        name=name, article=None, publish=True, author=author, now=now)
    return report


def _import_one(session: Session, report: ImportReport, item: Item | None, text: str, *,
                path: Path, locale: str, name: str, article: Article | None, publish: bool,
                author: str, now: dt.datetime) -> None:
    key = f"{locale}/{name}" if locale else name
    file_digest = digest(text)
    if item is None:
        item = Item(locale=locale, name=name, latest=0, owner=author, created_at=now,
                    status=ItemStatus.PUBLISHED if publish else ItemStatus.DRAFT)
        session.add(item)
        session.flush()
        append_revision(session, item, text, author, f"import {path.name}", article, now)
        item.published = item.latest if publish else None
        item.synced, item.synced_digest = item.latest, file_digest
        report.created.append(key)
        return
    stored = text_of(session, item)
    if text == stored:
        item.synced, item.synced_digest = item.latest, file_digest
        report.unchanged.append(key)
    elif item.synced == item.latest:  # only the file changed since the last sync
        append_revision(session, item, text, author, f"import {path.name}", article, now)
        if publish:
            item.published = item.latest
            if item.status == ItemStatus.DRAFT:
                item.status = ItemStatus.PUBLISHED
        item.synced, item.synced_digest = item.latest, file_digest
        report.updated.append(key)
    elif item.synced_digest == file_digest:  # only the store changed: the next export has it
        report.kept.append(key)
    else:
        report.conflicts.append(Conflict(key=key, path=path, file_text=text,
                                         stored_text=stored, stored_revision=item.latest))

