"""Images in articles: re-encoded screenshots, content-addressed by the SHA-256 of their bytes.

Revision ID: 0005_article_images
Revises: 0004_desk_tickets
Create Date: 2026-12-02

A new table only; no existing table is altered.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_article_images"
down_revision = "0004_desk_tickets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("extension", sa.String(length=5), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )


def downgrade() -> None:
    op.drop_table("content_images")
