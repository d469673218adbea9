"""Alembic's environment for Deflect: run by ``kb.schema``, never from an alembic.ini.

``kb.schema`` hands over an open connection (already holding the migration lock) in
``config.attributes["connection"]``; migrations run on it inside one transaction. Batch mode
lets the same migration alter a table on SQLite (which rebuilds it) and on PostgreSQL.
"""

from __future__ import annotations

from alembic import context

from kb.db import Base
from kb.schema import import_models

import_models()
connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("Deflect's migrations run through kb.schema (`deflect db upgrade`), "
                       "on a live connection; offline SQL scripts are not supported")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
