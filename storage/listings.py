"""Read-only listings across forums, for what the web shows: recent meetings, issues of a
meeting or of several forums, activations.

Only SELECTs: nothing here writes, so callers need not commit (and must not hold a write
transaction open while reading for a page).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models.activations import Activation, ActivationState
from storage.models.groups import WorkingGroup
from storage.models.issues import Issue, IssueState
from storage.models.meetings import Meeting, MeetingState


async def recent_meetings(
    session: AsyncSession,
    forum_ids: Sequence[str],
    *,
    limit: int,
    before: datetime | None = None,
) -> list[Meeting]:
    """Meetings of `forum_ids` that have begun (called, open, closed or cancelled), newest
    first; `before` keeps only those scheduled before it."""
    query = select(Meeting).where(
        Meeting.forum_id.in_(forum_ids), Meeting.state != MeetingState.PLANNED
    )
    if before is not None:
        query = query.where(Meeting.scheduled_at < before)
    query = query.order_by(Meeting.scheduled_at.desc(), Meeting.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def planned_meetings(
    session: AsyncSession, forum_ids: Sequence[str], after: datetime
) -> list[Meeting]:
    """Meetings of `forum_ids` already stored but not begun, scheduled after `after`."""
    query = (
        select(Meeting)
        .where(
            Meeting.forum_id.in_(forum_ids),
            Meeting.state == MeetingState.PLANNED,
            Meeting.scheduled_at > after,
        )
        .order_by(Meeting.scheduled_at, Meeting.id)
    )
    return list((await session.execute(query)).scalars())


async def issues_of_meeting(session: AsyncSession, meeting_id: int) -> list[Issue]:
    """Issues raised during the meeting, with their history."""
    query = (
        select(Issue)
        .where(Issue.meeting_id == meeting_id)
        .options(selectinload(Issue.events))
        .order_by(Issue.number)
    )
    return list((await session.execute(query)).scalars())


async def issues(
    session: AsyncSession,
    *,
    forum_ids: Sequence[str] | None = None,
    include_closed: bool = False,
    limit: int | None = None,
) -> list[Issue]:
    """Issues sitting in or raised in `forum_ids` (every forum for None), oldest first, with
    their history; closed ones only when asked for."""
    query = select(Issue).options(selectinload(Issue.events)).order_by(Issue.number)
    if forum_ids is not None:
        query = query.where(
            or_(Issue.forum_id.in_(forum_ids), Issue.origin_forum_id.in_(forum_ids))
        )
    if not include_closed:
        query = query.where(Issue.state != IssueState.CLOSED)
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).scalars())


async def activations(
    session: AsyncSession, forum_ids: Sequence[str], *, limit: int
) -> list[Activation]:
    """Activations of `forum_ids` that were in force at some time (active or ended), newest
    first; requests never confirmed are left out."""
    query = (
        select(Activation)
        .where(
            Activation.forum_id.in_(forum_ids),
            Activation.state.in_((ActivationState.ACTIVE, ActivationState.ENDED)),
        )
        .order_by(Activation.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def groups_of_forums(
    session: AsyncSession, forum_ids: Sequence[str], *, activation_id: int | None = None
) -> list[WorkingGroup]:
    """Working groups reporting to `forum_ids`: the open ones, and with `activation_id` also
    those formed for that activation (closed with it); members and reports loaded."""
    wanted: ColumnElement[bool] = WorkingGroup.closed_at.is_(None)
    if activation_id is not None:
        wanted = or_(wanted, WorkingGroup.activation_id == activation_id)
    query = (
        select(WorkingGroup)
        .where(WorkingGroup.forum_id.in_(forum_ids), wanted)
        .options(selectinload(WorkingGroup.members), selectinload(WorkingGroup.reports))
        .order_by(WorkingGroup.id)
    )
    return list((await session.execute(query)).scalars())
