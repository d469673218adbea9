"""The agents' desk for tickets: waiting order, assignee, merges, internal notes, step history,
linked articles and saved replies.

Revision ID: 0004_desk_tickets
Revises: 0002_insights
Create Date: 2026-12-01

``waiting_since`` of an existing ticket starts at its last change (``updated_at``); its step
history starts empty. Only columns and indexes are added to ``tickets``: anything that makes
SQLite rebuild it (NOT NULL, a foreign key) drops the old table, which with foreign keys on
cascade-deletes its messages, attachments and links.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_desk_tickets"
down_revision = "0002_insights"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("waiting_since", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.execute("UPDATE tickets SET waiting_since = updated_at")
    with op.batch_alter_table("tickets") as batch:
        batch.create_index("ix_tickets_queue_step",
                           ["status", "merged_into_id", "waiting_since", "id"])
        batch.create_index("ix_tickets_queue_wait", ["waiting_since", "id"])
        batch.create_index("ix_tickets_queue_assignee", ["assignee_id", "waiting_since", "id"])

    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("internal", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))

    op.create_table(
        "ticket_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ticket_steps_ticket_id", "ticket_steps", ["ticket_id"])

    op.create_table(
        "ticket_article_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "locale", "slug", name="uq_ticket_article_links"),
    )
    op.create_index("ix_ticket_article_links_article", "ticket_article_links",
                    ["locale", "slug"])

    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("locale", "name", name="uq_saved_replies_name"),
    )


def downgrade() -> None:
    op.drop_table("saved_replies")
    op.drop_index("ix_ticket_article_links_article", table_name="ticket_article_links")
    op.drop_table("ticket_article_links")
    op.drop_index("ix_ticket_steps_ticket_id", table_name="ticket_steps")
    op.drop_table("ticket_steps")
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_column("person_id")
        batch.drop_column("internal")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_queue_assignee")
        batch.drop_index("ix_tickets_queue_wait")
        batch.drop_index("ix_tickets_queue_step")
        batch.drop_column("merged_into_id")
        batch.drop_column("assignee_id")
        batch.drop_column("waiting_since")
