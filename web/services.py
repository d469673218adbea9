"""The app's services in one place: ``app.extensions["deflect"]`` holds a ``Services``.

Views and commands reach the database, the knowledge base, the search engine, the mailer, the
upload store and the event recorder only through the accessors below, never module globals,
so each test app (and each worker) has its own. The search engine and the mailer are made on
first use: opening the index loads the language models, and a bad ``SMTP_URL`` should fail the
first mail, not the app's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from kb import Database, KnowledgeBase, mail, schema
from kb.events import EventRecorder
from kb.uploads import UploadStore

if TYPE_CHECKING:
    from search import Engine

KEY = "deflect"


@dataclass
class Services:
    """Everything the app talks to; ``search`` and ``mailer`` stay ``None`` until first used."""

    database: Database
    knowledge: KnowledgeBase
    uploads: UploadStore
    events: EventRecorder
    search: Engine | None = None
    mailer: mail.Mailer | None = None


def init_app(app: Flask) -> None:
    """Create the app's services from its config (``DATABASE_URL``, ``ARTICLES_DIR``, ...)."""
    database = Database(app.config["DATABASE_URL"])
    schema.upgrade(database)  # a no-op check when the database is at the newest revision
    data_dir = Path(app.config["DATA_DIR"])
    app.extensions[KEY] = Services(
        database=database,
        knowledge=KnowledgeBase.load(app.config["ARTICLES_DIR"]),
        uploads=UploadStore(data_dir / "uploads"),
        events=EventRecorder(database),
    )


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

    The index lives under ``DATA_DIR/index``; synonyms and the user dictionary are read from the
    articles folder. ``web.server`` calls this before forking workers so they share Kiwi.
    """
    found = of(app)
    if found.search is None:
        from search import Engine

        articles_dir = Path(app.config["ARTICLES_DIR"])
        found.search = Engine.open(knowledge_base(app).articles(), Path(app.config["DATA_DIR"]),
                                   articles_dir=articles_dir)
    return found.search


def after_fork(app: Flask) -> None:
    """Make a forked worker open its own database connections."""
    database(app).after_fork()
