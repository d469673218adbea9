"""A throw-away PostgreSQL schema for a test, on the server ``DEFLECT_TEST_DATABASE_URL`` names."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """Yield a URL whose connections use a new, empty schema; drop it (and all in it) after."""
    base = make_url(os.environ["DEFLECT_TEST_DATABASE_URL"])
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
