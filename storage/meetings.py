"""Meetings, their roll call, situation reports and minutes.

Transactions: none of these functions commits; the caller does, together with any outbox rows
the same change causes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.meetings import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingMinutes,
    MeetingState,
    SituationReport,
)

ACTIVE_STATES = (MeetingState.CALLED, MeetingState.OPEN)


async def scheduled_meeting(
    session: AsyncSession, forum_id: str, scheduled_at: datetime
) -> Meeting:
    """The meeting of `forum_id` at `scheduled_at`, created (planned) if it does not exist yet.

    Insert-or-ignore on the unique (forum, time) pair: a job that runs twice finds the same row.
    """
    await session.execute(
        insert(session, Meeting)
        .values(
            forum_id=forum_id,
            kind=MeetingKind.SCHEDULED,
            state=MeetingState.PLANNED,
            scheduled_at=scheduled_at,
            round_number=1,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[Meeting.forum_id, Meeting.scheduled_at])
    )
    result = await session.execute(
        select(Meeting).where(Meeting.forum_id == forum_id, Meeting.scheduled_at == scheduled_at)
    )
    return result.scalar_one()


async def manual_meeting(session: AsyncSession, forum_id: str, now: datetime) -> Meeting:
    meeting = Meeting(
        forum_id=forum_id,
        kind=MeetingKind.MANUAL,
        state=MeetingState.OPEN,
        scheduled_at=now,
        opened_at=now,
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def active_meeting(session: AsyncSession, forum_id: str) -> Meeting | None:
    """The meeting now collecting reports (called or open), the latest if several."""
    result = await session.execute(
        select(Meeting)
        .where(Meeting.forum_id == forum_id, Meeting.state.in_(ACTIVE_STATES))
        .order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())
    )
    return result.scalars().first()


async def latest_meeting(session: AsyncSession, forum_id: str) -> Meeting | None:
    """The most recent meeting that has begun (called, open or closed)."""
    result = await session.execute(
        select(Meeting)
        .where(Meeting.forum_id == forum_id, Meeting.state != MeetingState.PLANNED)
        .order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())
    )
    return result.scalars().first()


async def current_reports(session: AsyncSession, meeting_id: int) -> list[SituationReport]:
    result = await session.execute(
        select(SituationReport)
        .where(SituationReport.meeting_id == meeting_id, SituationReport.current.is_(True))
        .order_by(SituationReport.id)
    )
    return list(result.scalars())


async def all_reports(session: AsyncSession, meeting_id: int) -> list[SituationReport]:
    """Every report of the meeting, those corrected since included, in the order they came."""
    result = await session.execute(
        select(SituationReport)
        .where(SituationReport.meeting_id == meeting_id)
        .order_by(SituationReport.id)
    )
    return list(result.scalars())


async def count_current_reports(session: AsyncSession, meeting_id: int) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(SituationReport)
        .where(SituationReport.meeting_id == meeting_id, SituationReport.current.is_(True))
    )
    return int(result.scalar_one())


async def report_history(
    session: AsyncSession, meeting_id: int, actor_id: str
) -> list[SituationReport]:
    result = await session.execute(
        select(SituationReport)
        .where(SituationReport.meeting_id == meeting_id, SituationReport.actor_id == actor_id)
        .order_by(SituationReport.id)
    )
    return list(result.scalars())


async def add_report(
    session: AsyncSession,
    *,
    meeting_id: int,
    actor_id: str,
    author: str,
    source_event_id: str | None,
    fields: dict[str, Any],
    at: datetime,
    source: str | None = None,
) -> tuple[SituationReport, bool]:
    """Stores a report as the actor's current one; returns it and whether it replaced one.

    `fields` maps report field names (situation, needs, readiness, …) to their text;
    `source` says where it came from when not from chat (``web-link``).

    The earlier report stays, marked not current and pointing at its successor (history).
    """
    previous = (
        (
            await session.execute(
                select(SituationReport).where(
                    SituationReport.meeting_id == meeting_id,
                    SituationReport.actor_id == actor_id,
                    SituationReport.current.is_(True),
                )
            )
        )
        .scalars()
        .all()
    )
    report = SituationReport(
        meeting_id=meeting_id,
        actor_id=actor_id,
        author=author,
        source_event_id=source_event_id,
        source=source,
        current=True,
        received_at=at,
        **fields,
    )
    session.add(report)
    await session.flush()
    if previous:
        await session.execute(
            update(SituationReport)
            .where(SituationReport.id.in_([p.id for p in previous]))
            .values(current=False, superseded_by_id=report.id)
        )
    await mark_attendance(session, meeting_id, actor_id, user_id=author, reported=True)
    return report, bool(previous)


async def report_by_source(session: AsyncSession, source_event_id: str) -> SituationReport | None:
    """The report stored from `source_event_id` (a Matrix event, or a report form's nonce)."""
    result = await session.execute(
        select(SituationReport).where(SituationReport.source_event_id == source_event_id)
    )
    return result.scalar_one_or_none()


async def mark_attendance(
    session: AsyncSession,
    meeting_id: int,
    actor_id: str,
    *,
    user_id: str | None = None,
    reported: bool | None = None,
    present: bool | None = None,
) -> None:
    """Upserts the roll-call row of one actor; only the given facts change."""
    values: dict[str, Any] = {}
    if user_id is not None:
        values["user_id"] = user_id
    if reported is not None:
        values["reported"] = reported
    if present is not None:
        values["present"] = present
    key = [Attendance.meeting_id, Attendance.actor_id]
    stmt = insert(session, Attendance).values(
        meeting_id=meeting_id,
        actor_id=actor_id,
        reported=bool(reported),
        present=bool(present),
        user_id=user_id,
        updated_at=utcnow(),
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=key,
            set_={**values, "updated_at": utcnow()},
        )
        if values
        else stmt.on_conflict_do_nothing(
            index_elements=[Attendance.meeting_id, Attendance.actor_id]
        )
    )


async def attendance(session: AsyncSession, meeting_id: int) -> list[Attendance]:
    result = await session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.actor_id)
    )
    return list(result.scalars())


async def add_minutes(
    session: AsyncSession, *, meeting_id: int, kind: str, room_id: str | None, html: str, text: str
) -> MeetingMinutes:
    minutes = MeetingMinutes(
        meeting_id=meeting_id, kind=kind, room_id=room_id, html=html, text=text
    )
    session.add(minutes)
    await session.flush()
    return minutes


async def minutes_of(
    session: AsyncSession, meeting_id: int, kind: str | None = None
) -> list[MeetingMinutes]:
    query = select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting_id)
    if kind is not None:
        query = query.where(MeetingMinutes.kind == kind)
    result = await session.execute(query.order_by(MeetingMinutes.id))
    return list(result.scalars())


async def previous_meeting(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    """The meeting before `meeting` to compare it with: the round before it in the same
    activation, else the forum's latest meeting that began before it."""
    query = select(Meeting).where(
        Meeting.forum_id == meeting.forum_id,
        Meeting.id != meeting.id,
        Meeting.call_in_at.is_not(None),
    )
    if meeting.activation_id is not None and meeting.round_number > 1:
        query = query.where(
            Meeting.activation_id == meeting.activation_id,
            Meeting.round_number == meeting.round_number - 1,
        )
    else:
        query = query.where(Meeting.id < meeting.id)
    result = await session.execute(query.order_by(Meeting.id.desc()).limit(1))
    return result.scalars().first()
