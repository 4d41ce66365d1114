"""Inbox and timers: handled events become an inbox (received → handled, with what is needed to
run an event again), and the bot's one-shot timers move from APScheduler's pickled job store into
a table of their own, written in the same transaction as the change that arms them.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handled_events") as batch:
        # Rows from before this revision were handled under the old rule.
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="handled")
        )
        batch.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_handled_events_state"), ["state"])
    op.create_table(
        "timers",
        sa.Column("job_id", sa.String(length=255), nullable=False),
        sa.Column("func", sa.String(length=255), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grace_s", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_timers")),
    )
    op.create_index(op.f("ix_timers_run_at"), "timers", ["run_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_timers_run_at"), table_name="timers")
    op.drop_table("timers")
    with op.batch_alter_table("handled_events") as batch:
        batch.drop_index(batch.f("ix_handled_events_state"))
        for column in ("handled_at", "last_error", "attempts", "payload", "state"):
            batch.drop_column(column)
