"""Outbox threads: a message too large for one event is queued as a head and parts that the
sender posts into the head's thread, once the head has its event id.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("thread_of", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_outbox_thread_of_outbox"), "outbox", ["thread_of"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(batch.f("fk_outbox_thread_of_outbox"), type_="foreignkey")
        batch.drop_column("thread_of")
