"""Issues (ärenden) lifted between forums, and their history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, utcnow


class IssueState(StrEnum):
    """The lifecycle of the model description's examples 1 and 2."""

    RAISED = "raised"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    PROPOSED = "proposed"
    DECIDED = "decided"
    IMPLEMENTING = "implementing"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"


class Issue(Base):
    """Ärende: a question raised in one forum, possibly lifted to others, until closed.

    ``number`` is global (not per forum) so ``!issue 12`` means the same thing in every room.
    ``forum_id`` is where the issue currently sits; ``origin_forum_id`` where it was raised. The
    owner is an actor, a user or a function (``owner_kind`` + ``owner_ref``).
    """

    __tablename__ = "issues"
    __table_args__ = (Index("ix_issues_forum_id_state", "forum_id", "state"),)

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=IssueState.RAISED)
    forum_id: Mapped[str] = mapped_column(String(64))
    origin_forum_id: Mapped[str] = mapped_column(String(64))
    raised_by: Mapped[str] = mapped_column(String(255))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    owner_kind: Mapped[str | None] = mapped_column(String(16))
    owner_ref: Mapped[str | None] = mapped_column(String(255))
    followup_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]

    events: Mapped[list[IssueEvent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="IssueEvent.id"
    )


class IssueEvent(Base):
    """One step in an issue's history: raised, escalated, assigned, decided, followed up, closed…

    ``forum_id`` is the forum where it happened (an escalation names the receiving forum).
    """

    __tablename__ = "issue_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    issue_number: Mapped[int] = mapped_column(
        ForeignKey("issues.number", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    forum_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
