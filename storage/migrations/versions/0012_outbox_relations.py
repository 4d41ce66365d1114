"""Outbox relations: an edit (``m.replace``) of, or a pin of, an earlier row's event, which
the sender resolves once that row has its event id (the living picture).

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("relates_to", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("relation", sa.String(length=16), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_outbox_relates_to_outbox"), "outbox", ["relates_to"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(batch.f("fk_outbox_relates_to_outbox"), type_="foreignkey")
        batch.drop_column("relation")
        batch.drop_column("relates_to")
