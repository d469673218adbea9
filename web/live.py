"""Live content: each worker follows the content store and refreshes what it serves.

Before a request, at most once every ``CONTENT_CHECK_SECONDS`` (1 s), a worker reads the
content clock (one tiny query). When it moved, the worker loads the changed published revisions
into a new ``KnowledgeBase`` (swapped in whole) and refreshes its search index article by
article with ``Engine.refresh``. Workers of one host share the index folder: the first one to
refresh writes the new generation and the others find its digest already live, so they only
reopen it. Hosts each have their own data folder and index, and follow the same clock. The
worker that saved a change calls ``follow(app, force=True)`` so its answer is already fresh.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app

from kb import content
from kb.content import Change
from web import services

REFRESH_ONE_BY_ONE = 20
"""Up to this many changed articles are refreshed one by one; more rebuild the index."""


def init_app(app: Flask) -> None:
    """Check the content clock before requests."""

    @app.before_request
    def _follow_content() -> None:  # a before_request that returns a value answers for the view
        follow(current_app)


def follow(app: Flask, *, force: bool = False) -> Change | None:
    """Bring this worker up to the content store's clock; return what changed, if anything.

    Without ``force`` it looks at most once every ``CONTENT_CHECK_SECONDS`` and never waits for
    another thread that is already refreshing (that request is served the previous content).
    """
    found = services.of(app)
    now = time.monotonic()
    if not force and now - found.checked_at < float(app.config["CONTENT_CHECK_SECONDS"]):
        return None
    if not found.refreshing.acquire(blocking=force):
        return None
    try:
        found.checked_at = now
        with found.database.session() as session:
            content.publish_due(session)  # scheduled publishing needs no cron
        with found.database.session() as session:
            change = found.published.refresh(session)
        if change is not None:
            write_files(app, change.files)
            if found.search is not None:
                with _host_lock(app):
                    _refresh_index(app, change)
        return change
    finally:
        found.refreshing.release()


def write_files(app: Flask, files: dict[str, str]) -> None:
    """Write the editor's files that changed into ``services.vocabulary_dir`` (atomically)."""
    folder = services.vocabulary_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = folder / name
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)


@contextmanager
def _host_lock(app: Flask) -> Iterator[None]:
    """One index refresh at a time per data folder: the first worker writes the generation,
    the others then find it live and only reopen it, instead of each writing its own and then
    reopening the others' generations again."""
    path = Path(app.config["DATA_DIR"]) / "content-refresh.lock"
    with open(path, "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _refresh_index(app: Flask, change: Change) -> None:
    from search import vocabulary
    from search.documents import SearchDocument, documents_digest

    engine = services.search_engine(app)
    folder = services.vocabulary_dir(app)
    if "synonyms.txt" in change.files:
        engine.synonyms = vocabulary.load_synonyms(folder / "synonyms.txt")
        engine.cache.clear()
    if "userdict.txt" in change.files:
        vocabulary.load_user_dictionary(folder / "userdict.txt")  # changes the corpus digest
    docs = [SearchDocument.from_article(a) for a in change.knowledge.articles()]
    current = engine.store.current()
    is_live = current is not None and current.digest == documents_digest(docs)
    count = len(change.changed) + len(change.removed)
    if is_live or count > REFRESH_ONE_BY_ONE or "userdict.txt" in change.files:
        engine.sync(docs)  # reopens a generation another worker wrote, or rebuilds
        return
    for article in change.changed:
        engine.refresh(article)
    for article in change.removed:
        engine.refresh(dataclasses.replace(article, status="draft"))
