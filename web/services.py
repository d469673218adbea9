"""The app's services in one place: ``app.extensions["deflect"]`` holds a ``Services``.

Views and commands reach the database, the knowledge base, the search engine, the mailer, the
upload store and the event recorder only through the accessors below, never module globals,
so each test app (and each worker) has its own. The search engine and the mailer are made on
first use: opening the index loads the language models, and a bad ``SMTP_URL`` should fail the
first mail, not the app's start.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from kb import Database, KnowledgeBase, content, mail, schema
from kb.events import EventRecorder
from kb.uploads import UploadStore

if TYPE_CHECKING:
    from search import Engine

KEY = "deflect"


@dataclass
class Services:
    """Everything the app talks to; ``search`` and ``mailer`` stay ``None`` until first used.

    ``published`` is this worker's view of the content store; ``web.live`` keeps it current."""

    database: Database
    published: content.PublishedContent
    uploads: UploadStore
    events: EventRecorder
    search: Engine | None = None
    mailer: mail.Mailer | None = None
    checked_at: float = 0.0
    """``time.monotonic()`` of the last look at the content clock."""
    refreshing: threading.Lock = field(default_factory=threading.Lock)

    @property
    def knowledge(self) -> KnowledgeBase:
        """The published articles this worker serves (a new object after each change)."""
        return self.published.knowledge


def init_app(app: Flask) -> None:
    """Create the app's services from its config (``DATABASE_URL``, ``ARTICLES_DIR``, ...).

    An empty content store imports ``ARTICLES_DIR`` first (once, whichever worker or host
    starts first); the app then serves the store's published revisions."""
    database = Database(app.config["DATABASE_URL"])
    schema.upgrade(database)  # a no-op check when the database is at the newest revision
    content.import_if_empty(database, app.config["ARTICLES_DIR"])
    published = content.PublishedContent()
    with database.session() as session:
        change = published.refresh(session)
    data_dir = Path(app.config["DATA_DIR"])
    app.extensions[KEY] = Services(
        database=database,
        published=published,
        uploads=UploadStore(data_dir / "uploads"),
        events=EventRecorder(database),
    )
    from web import live

    live.write_files(app, change.files if change else {})
    live.init_app(app)


def of(app: Flask) -> Services:
    """The ``Services`` of ``app``."""
    return app.extensions[KEY]


def database(app: Flask) -> Database:
    return of(app).database


def knowledge_base(app: Flask) -> KnowledgeBase:
    return of(app).knowledge


def upload_store(app: Flask) -> UploadStore:
    return of(app).uploads


def event_recorder(app: Flask) -> EventRecorder:
    return of(app).events


def outbox(app: Flask) -> Path:
    """The folder of ``.eml`` files when no SMTP server is set (``unsent/`` when it failed)."""
    return Path(app.config["DATA_DIR"]) / "outbox"


def mailer(app: Flask) -> mail.Mailer:
    """The app's mailer: SMTP when ``SMTP_URL`` is set, else the ``.eml`` outbox.

    Made at the first mail from the config as it is then (tests point it at their server)."""
    found = of(app)
    if found.mailer is None:
        found.mailer = mail.mailer_for(app.config.get("SMTP_URL"), outbox(app))
    return found.mailer


def search_engine(app: Flask) -> Engine:
    """Return the app's search engine, opening (and if needed building) the index once.

    The index lives under ``DATA_DIR/index``; synonyms and the user dictionary are the content
    store's, written to ``vocabulary_dir``. ``web.server`` calls this before forking workers so
    they share Kiwi.
    """
    found = of(app)
    if found.search is None:
        from search import Engine

        found.search = Engine.open(knowledge_base(app).articles(), Path(app.config["DATA_DIR"]),
                                   articles_dir=vocabulary_dir(app))
    return found.search


def vocabulary_dir(app: Flask) -> Path:
    """Where this host keeps the published ``categories.yml``, ``synonyms.txt`` and
    ``userdict.txt`` as files, for the search engine that reads them from a folder."""
    return Path(app.config["DATA_DIR"]) / "content"


def after_fork(app: Flask) -> None:
    """Make a forked worker open its own database connections."""
    database(app).after_fork()
