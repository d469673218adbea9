"""Insights: the analysed query key of each search event, the daily roll-up tables and the
editors' decisions on learned phrasings.

Revision ID: 0002_insights
Revises: 0002_content
Create Date: 2026-12-01

Self-contained (only the insights' column and tables), so it can be re-chained after other
branches' revisions when merged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_insights"
down_revision = "0002_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("query_key", sa.String(length=200), nullable=True))
    op.create_table(
        "insight_rollups",
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("zero", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("helps", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("metric", "day", "locale", "key", "slug"),
    )
    op.create_table(
        "insight_rolled_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rolled_at", sa.DateTime(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "insight_phrasing_decisions",
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("locale", "slug", "key"),
    )


def downgrade() -> None:
    op.drop_table("insight_phrasing_decisions")
    op.drop_table("insight_rolled_days")
    op.drop_table("insight_rollups")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("query_key")
