"""Alembic migrations of Deflect's database: ``env.py`` and one file per revision in
``versions/``. Apply them with ``kb.schema.upgrade`` (``deflect db upgrade``); add one with
``deflect db revision -m "what changed"`` (see "Schema changes" in README.md)."""
