"""Activated mode: who ended an activation, and the bot's direct rooms for private alerts.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activations") as batch:
        batch.add_column(sa.Column("ended_by", sa.String(length=255), nullable=True))
    op.create_table(
        "direct_rooms",
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_direct_rooms")),
    )


def downgrade() -> None:
    op.drop_table("direct_rooms")
    with op.batch_alter_table("activations") as batch:
        batch.drop_column("ended_by")
