"""The content store: articles and the editor's files, their revisions, the content clock and
the redirects of renamed slugs.

Revision ID: 0002_content
Revises: 8d58d577e29e (staff accounts)
Create Date: 2026-12-01

Self-contained: only the ``content_*`` tables. The clock's single row starts at version 0; an
app's first start then imports the articles folder into the empty store (``kb.content``).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002_content"
down_revision = "8d58d577e29e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    clock = op.create_table(
        "content_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "content_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("review_by", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("latest", sa.Integer(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=True),
        sa.Column("synced", sa.Integer(), nullable=True),
        sa.Column("synced_digest", sa.String(length=64), nullable=True),
        sa.Column("scheduled", sa.Integer(), nullable=True),
        sa.Column("publish_at", sa.DateTime(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("ticket_reference", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("locale", "name", name="uq_content_items_locale_name"),
    )
    with op.batch_alter_table("content_items") as batch_op:
        batch_op.create_index("ix_content_items_publish_at", ["publish_at"], unique=False)
    op.create_table(
        "content_redirects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("old_slug", sa.String(length=120), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["content_items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("locale", "old_slug", name="uq_content_redirects_locale_old_slug"),
    )
    op.create_table(
        "content_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["content_items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "number", name="uq_content_revisions_item_number"),
    )
    with op.batch_alter_table("content_revisions") as batch_op:
        batch_op.create_index("ix_content_revisions_item_id", ["item_id"], unique=False)
    op.bulk_insert(clock, [{"id": 1, "version": 0,
                            "changed_at": dt.datetime(2026, 12, 1)}])


def downgrade() -> None:
    with op.batch_alter_table("content_revisions") as batch_op:
        batch_op.drop_index("ix_content_revisions_item_id")
    op.drop_table("content_revisions")
    op.drop_table("content_redirects")
    with op.batch_alter_table("content_items") as batch_op:
        batch_op.drop_index("ix_content_items_publish_at")
    op.drop_table("content_items")
    op.drop_table("content_clock")
