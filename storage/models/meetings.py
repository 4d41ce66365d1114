"""Meetings and what belongs to one sitting: roll call, situation reports, posted pictures.

A ``Meeting`` is one sitting of a forum: the weekly conference (``scheduled``), one opened by hand
(``manual``) or a reporting round of an activated forum (``activated``, numbered by
``round_number`` within its activation). Reports hang off the meeting they answer.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, utcnow


class MeetingKind(StrEnum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"
    ACTIVATED = "activated"


class MeetingState(StrEnum):
    """planned → called (call-in sent) → open (sitting) → closed; or cancelled."""

    PLANNED = "planned"
    CALLED = "called"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Meeting(Base):
    """Samverkanskonferens / möte: one sitting or reporting round of a forum.

    ``(forum_id, scheduled_at)`` is unique so a scheduler job that runs twice (restart, coalesced
    misfire) cannot create the same Thursday conference twice; ``(activation_id, round_number)``
    likewise for reporting rounds.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("forum_id", "scheduled_at"),
        UniqueConstraint("activation_id", "round_number"),
        Index("ix_meetings_forum_id_state", "forum_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forum_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default=MeetingKind.SCHEDULED)
    round_number: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(16), default=MeetingState.PLANNED)
    scheduled_at: Mapped[datetime | None]
    call_in_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: When each step was carried out: a step that has a time is never carried out again.
    reminded_at: Mapped[datetime | None]
    picture_at: Mapped[datetime | None]
    call_in_event_id: Mapped[str | None] = mapped_column(String(255))
    activation_id: Mapped[int | None] = mapped_column(
        ForeignKey("activations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendance: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Attendance.actor_id"
    )
    reports: Mapped[list[SituationReport]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SituationReport.id"
    )


class Attendance(Base):
    """Roll call: one row per actor and meeting, whether it reported and was present, and who."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    actor_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(255))
    reported: Mapped[bool] = mapped_column(default=False)
    present: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SituationReport(Base):
    """Lägesbild: one actor's report for one meeting or reporting round.

    A newer report from the same actor for the same meeting replaces the old one without deleting
    it: the old row gets ``current = False`` and ``superseded_by_id`` pointing at the new row (set
    both together, in code). "At most one current report per meeting and actor" is a rule of the
    reports service; the index below makes that lookup cheap.
    """

    __tablename__ = "situation_reports"
    __table_args__ = (
        Index(
            "ix_situation_reports_meeting_id_actor_id_current", "meeting_id", "actor_id", "current"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    actor_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(255))
    source_event_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    situation: Mapped[str | None] = mapped_column(Text)
    impact: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)
    communication: Mapped[str | None] = mapped_column(Text)
    outlook: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    readiness: Mapped[str | None] = mapped_column(String(64))
    #: Where the report came from when not typed in chat: ``web-link`` (a report link's form).
    #: None for chat, the way every report came before there was another way.
    source: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    current: Mapped[bool] = mapped_column(default=True)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("situation_reports.id", ondelete="SET NULL")
    )


class MeetingMinutes(Base):
    """A document the bot posted for a meeting (combined picture, minutes, home-room summary).

    Kept as posted (HTML and plain text) so it can be shown again, audited, or compared with a
    later version; ``event_id`` is filled in when the outbox has delivered it.
    """

    __tablename__ = "meeting_minutes"
    __table_args__ = (Index("ix_meeting_minutes_meeting_id_kind", "meeting_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="picture")
    room_id: Mapped[str | None] = mapped_column(String(255))
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
