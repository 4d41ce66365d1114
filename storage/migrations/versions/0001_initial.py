"""Initial schema: outbox, handled events, sync state, audit log, directory and domain tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 10:44:46.868015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("activated_by", sa.String(length=255), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("exercise", sa.Boolean(), nullable=False),
        sa.Column("host_actor_id", sa.String(length=64), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_event_id", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activations")),
    )
    op.create_index("ix_activations_forum_id_state", "activations", ["forum_id", "state"])

    op.create_table(
        "actors",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("home_room", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("details", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])

    op.create_table(
        "forums",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("room", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forums")),
    )
    op.create_table(
        "handled_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_handled_events")),
    )
    op.create_index(op.f("ix_handled_events_received_at"), "handled_events", ["received_at"])

    op.create_table(
        "member_functions",
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("function", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "function", name=op.f("pk_member_functions")),
    )
    op.create_index(op.f("ix_member_functions_function"), "member_functions", ["function"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=255), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("txn_id", sa.String(length=64), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
        sa.UniqueConstraint("txn_id", name=op.f("uq_outbox_txn_id")),
    )
    op.create_index("ix_outbox_room_id_state_id", "outbox", ["room_id", "state", "id"])
    op.create_index(op.f("ix_outbox_state"), "outbox", ["state"])

    op.create_table(
        "sync_state",
        sa.Column("account", sa.String(length=255), nullable=False),
        sa.Column("next_batch", sa.Text(), nullable=True),
        sa.Column("first_sync_ts", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("function", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.String(length=255), nullable=False),
        sa.Column("exercise", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activation_id"],
            ["activations.id"],
            name=op.f("fk_alerts_activation_id_activations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_activation_id"), "alerts", ["activation_id"])

    op.create_table(
        "directions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("priorities", sa.Text(), nullable=True),
        sa.Column("guidelines", sa.Text(), nullable=True),
        sa.Column("joint_messages", sa.Text(), nullable=True),
        sa.Column("drafted_by", sa.String(length=255), nullable=False),
        sa.Column("drafted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adopted_by", sa.String(length=255), nullable=True),
        sa.Column("adopted_forum_id", sa.String(length=64), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activation_id"],
            ["activations.id"],
            name=op.f("fk_directions_activation_id_activations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directions")),
    )
    op.create_index(op.f("ix_directions_activation_id"), "directions", ["activation_id"])
    op.create_index("ix_directions_forum_id_state", "directions", ["forum_id", "state"])

    op.create_table(
        "forum_participants",
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_forum_participants_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_forum_participants_forum_id_forums"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("forum_id", "actor_id", name=op.f("pk_forum_participants")),
    )
    op.create_index(op.f("ix_forum_participants_actor_id"), "forum_participants", ["actor_id"])

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("call_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("call_in_event_id", sa.String(length=255), nullable=True),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activation_id"],
            ["activations.id"],
            name=op.f("fk_meetings_activation_id_activations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint(
            "activation_id", "round_number", name=op.f("uq_meetings_activation_id_round_number")
        ),
        sa.UniqueConstraint(
            "forum_id", "scheduled_at", name=op.f("uq_meetings_forum_id_scheduled_at")
        ),
    )
    op.create_index(op.f("ix_meetings_activation_id"), "meetings", ["activation_id"])
    op.create_index("ix_meetings_forum_id_state", "meetings", ["forum_id", "state"])

    op.create_table(
        "members",
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_members_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "actor_id", name=op.f("pk_members")),
    )
    op.create_index(op.f("ix_members_actor_id"), "members", ["actor_id"])

    op.create_table(
        "working_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("standing", sa.Boolean(), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=True),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activation_id"],
            ["activations.id"],
            name=op.f("fk_working_groups_activation_id_activations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_groups")),
    )
    op.create_index(op.f("ix_working_groups_activation_id"), "working_groups", ["activation_id"])
    op.create_index("ix_working_groups_forum_id_slug", "working_groups", ["forum_id", "slug"])

    op.create_table(
        "alert_recipients",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("ping_event_id", sa.String(length=255), nullable=True),
        sa.Column("dm_room_id", sa.String(length=255), nullable=True),
        sa.Column("dm_event_id", sa.String(length=255), nullable=True),
        sa.Column("pings", sa.Integer(), nullable=False),
        sa.Column("last_ping_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acked_via", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_recipients_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_recipients")),
        sa.UniqueConstraint(
            "alert_id", "user_id", name=op.f("uq_alert_recipients_alert_id_user_id")
        ),
    )
    op.create_index(op.f("ix_alert_recipients_dm_event_id"), "alert_recipients", ["dm_event_id"])
    op.create_index(
        op.f("ix_alert_recipients_ping_event_id"), "alert_recipients", ["ping_event_id"]
    )
    op.create_index(op.f("ix_alert_recipients_user_id"), "alert_recipients", ["user_id"])

    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_group_members_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_members")),
        sa.UniqueConstraint(
            "group_id", "kind", "ref", name=op.f("uq_group_members_group_id_kind_ref")
        ),
    )
    op.create_table(
        "group_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_group_reports_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_group_reports_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_reports")),
    )
    op.create_index(op.f("ix_group_reports_group_id"), "group_reports", ["group_id"])
    op.create_index(op.f("ix_group_reports_meeting_id"), "group_reports", ["meeting_id"])

    op.create_table(
        "issues",
        sa.Column("number", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=False),
        sa.Column("origin_forum_id", sa.String(length=64), nullable=False),
        sa.Column("raised_by", sa.String(length=255), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("owner_kind", sa.String(length=16), nullable=True),
        sa.Column("owner_ref", sa.String(length=255), nullable=True),
        sa.Column("followup_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_issues_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_issues")),
    )
    op.create_index("ix_issues_forum_id_state", "issues", ["forum_id", "state"])
    op.create_index(op.f("ix_issues_meeting_id"), "issues", ["meeting_id"])

    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendance_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "actor_id", name=op.f("uq_meeting_attendance_meeting_id_actor_id")
        ),
    )
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=True),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_minutes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
    )
    op.create_index("ix_meeting_minutes_meeting_id_kind", "meeting_minutes", ["meeting_id", "kind"])

    op.create_table(
        "situation_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("source_event_id", sa.String(length=255), nullable=True),
        sa.Column("situation", sa.Text(), nullable=True),
        sa.Column("impact", sa.Text(), nullable=True),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("resources", sa.Text(), nullable=True),
        sa.Column("communication", sa.Text(), nullable=True),
        sa.Column("outlook", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("readiness", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_situation_reports_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["situation_reports.id"],
            name=op.f("fk_situation_reports_superseded_by_id_situation_reports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_situation_reports")),
        sa.UniqueConstraint("source_event_id", name=op.f("uq_situation_reports_source_event_id")),
    )
    op.create_index(
        "ix_situation_reports_meeting_id_actor_id_current",
        "situation_reports",
        ["meeting_id", "actor_id", "current"],
    )

    op.create_table(
        "issue_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("forum_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_number"],
            ["issues.number"],
            name=op.f("fk_issue_events_issue_number_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_events")),
    )
    op.create_index(op.f("ix_issue_events_issue_number"), "issue_events", ["issue_number"])


def downgrade() -> None:
    # Dropping a table drops its indexes; children before parents for the foreign keys.
    op.drop_table("issue_events")
    op.drop_table("situation_reports")
    op.drop_table("meeting_minutes")
    op.drop_table("meeting_attendance")
    op.drop_table("issues")
    op.drop_table("group_reports")
    op.drop_table("group_members")
    op.drop_table("alert_recipients")
    op.drop_table("working_groups")
    op.drop_table("members")
    op.drop_table("meetings")
    op.drop_table("forum_participants")
    op.drop_table("directions")
    op.drop_table("alerts")
    op.drop_table("sync_state")
    op.drop_table("outbox")
    op.drop_table("member_functions")
    op.drop_table("handled_events")
    op.drop_table("forums")
    op.drop_table("audit_log")
    op.drop_table("actors")
    op.drop_table("activations")
