"""Working groups (tematiska arbetsgrupper), their members and their reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, utcnow


class WorkingGroup(Base):
    """A standing theme group, or a temporary one formed during an activation.

    ``slug`` is what users type (``!group report kommunikation …``). It is unique only among
    open groups of a forum (each activation may form its own "analys" group), which the groups
    service enforces; the index makes the lookup cheap.
    """

    __tablename__ = "working_groups"
    __table_args__ = (Index("ix_working_groups_forum_id_slug", "forum_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    forum_id: Mapped[str] = mapped_column(String(64))
    task: Mapped[str | None] = mapped_column(Text)
    standing: Mapped[bool] = mapped_column(default=False)
    room_id: Mapped[str | None] = mapped_column(String(255))
    activation_id: Mapped[int | None] = mapped_column(
        ForeignKey("activations.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    members: Mapped[list[GroupMember]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="GroupMember.id"
    )
    reports: Mapped[list[GroupReport]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="GroupReport.id"
    )


class GroupMember(Base):
    """A group member: an actor (``kind="actor"``, ``ref`` an actor id) or a user (a user id)."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(255))


class GroupReport(Base):
    """A group's report to the forum it reports to, tied to a meeting when there is one."""

    __tablename__ = "group_reports"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[str | None] = mapped_column(String(255))
