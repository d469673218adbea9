"""The services the app holds in ``app.extensions``, created once per process.

Views and commands reach them through these functions instead of module globals, so that each
test app (and each worker) has its own.
"""

from __future__ import annotations

from flask import Flask

from kb import Database, KnowledgeBase


def init_app(app: Flask) -> None:
    database = Database(app.config["DATABASE_URL"])
    database.create_all()
    app.extensions["deflect.db"] = database
    app.extensions["deflect.kb"] = KnowledgeBase.load(app.config["ARTICLES_DIR"])


def database(app: Flask) -> Database:
    return app.extensions["deflect.db"]


def knowledge_base(app: Flask) -> KnowledgeBase:
    return app.extensions["deflect.kb"]


def search_engine(app: Flask):
    """Return the app's search engine, opening (and if needed building) the index once.

    The index lives under ``DATA_DIR/index``; synonyms and the user dictionary are read from the
    articles folder. ``web.server`` calls this before forking workers so they share Kiwi.
    """
    engine = app.extensions.get("deflect.search")
    if engine is None:
        from pathlib import Path

        from search import Engine

        articles_dir = Path(app.config["ARTICLES_DIR"])
        engine = Engine.open(knowledge_base(app).articles(), Path(app.config["DATA_DIR"]),
                             articles_dir=articles_dir)
        app.extensions["deflect.search"] = engine
    return engine


def after_fork(app: Flask) -> None:
    """Make a forked worker open its own database connections."""
    database(app).after_fork()
