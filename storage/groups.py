"""Working groups, their members and reports.

Transactions: none of these functions commits; the caller does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption

from storage.models.groups import GroupMember, GroupReport, WorkingGroup


def _loaded() -> tuple[ExecutableOption, ...]:
    return (selectinload(WorkingGroup.members), selectinload(WorkingGroup.reports))


async def create(
    session: AsyncSession,
    *,
    slug: str,
    name: str,
    forum_id: str,
    task: str | None,
    standing: bool,
    created_by: str,
    activation_id: int | None,
    room_id: str | None = None,
) -> WorkingGroup:
    group = WorkingGroup(
        slug=slug,
        name=name,
        forum_id=forum_id,
        task=task,
        standing=standing,
        created_by=created_by,
        activation_id=activation_id,
        room_id=room_id,
        members=[],
        reports=[],
    )
    session.add(group)
    await session.flush()
    return group


async def open_groups(session: AsyncSession, forum_id: str | None = None) -> list[WorkingGroup]:
    """Groups not closed, of one forum or all, oldest first."""
    query = select(WorkingGroup).where(WorkingGroup.closed_at.is_(None)).options(*_loaded())
    if forum_id is not None:
        query = query.where(WorkingGroup.forum_id == forum_id)
    result = await session.execute(query.order_by(WorkingGroup.id))
    return list(result.scalars())


async def find_open(session: AsyncSession, slug: str) -> list[WorkingGroup]:
    """Open groups with this slug (one per forum at most)."""
    result = await session.execute(
        select(WorkingGroup)
        .where(WorkingGroup.slug == slug, WorkingGroup.closed_at.is_(None))
        .options(*_loaded())
        .order_by(WorkingGroup.id)
    )
    return list(result.scalars())


async def by_room(session: AsyncSession, room_id: str) -> WorkingGroup | None:
    result = await session.execute(
        select(WorkingGroup)
        .where(WorkingGroup.room_id == room_id, WorkingGroup.closed_at.is_(None))
        .options(*_loaded())
    )
    return result.scalars().first()


async def of_activation(session: AsyncSession, activation_id: int) -> list[WorkingGroup]:
    result = await session.execute(
        select(WorkingGroup)
        .where(WorkingGroup.activation_id == activation_id)
        .options(*_loaded())
        .order_by(WorkingGroup.id)
    )
    return list(result.scalars())


def add_member(group: WorkingGroup, kind: str, ref: str) -> bool:
    """Adds an actor or user; False when it is a member already."""
    if any(m.kind == kind and m.ref == ref for m in group.members):
        return False
    group.members.append(GroupMember(kind=kind, ref=ref))
    return True


def add_report(
    group: WorkingGroup,
    *,
    author: str,
    text: str,
    meeting_id: int | None,
    event_id: str | None,
    at: datetime,
) -> GroupReport:
    report = GroupReport(author=author, text=text, meeting_id=meeting_id, event_id=event_id, at=at)
    group.reports.append(report)
    return report


async def reports_for_meeting(
    session: AsyncSession, meeting_id: int
) -> list[tuple[WorkingGroup, GroupReport]]:
    result = await session.execute(
        select(WorkingGroup, GroupReport)
        .join(GroupReport, GroupReport.group_id == WorkingGroup.id)
        .where(GroupReport.meeting_id == meeting_id)
        .order_by(GroupReport.id)
    )
    return [(g, r) for g, r in result.tuples()]


def close(group: WorkingGroup, now: datetime) -> None:
    group.closed_at = now
