"""Each actor's latest stated readiness level, across the meetings of some forums.

The dashboard's readiness table shows, per actor, the last level the actor reported anywhere
it reports: a report that leaves readiness out does not reset it, so the last stated level
stands until a newer one is stated. Only a SELECT; callers need not commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.meetings import Meeting, SituationReport


async def latest_stated(
    session: AsyncSession, forum_ids: Sequence[str]
) -> list[tuple[SituationReport, str]]:
    """Per actor, its most recent report in a meeting of `forum_ids` that states a readiness
    level (superseded reports count: they were stated then), with that meeting's forum id;
    by actor id."""
    if not forum_ids:
        return []
    newest_first = func.row_number().over(
        partition_by=SituationReport.actor_id,
        order_by=(SituationReport.received_at.desc(), SituationReport.id.desc()),
    )
    ranked = (
        select(SituationReport.id.label("report_id"), newest_first.label("position"))
        .join(Meeting, Meeting.id == SituationReport.meeting_id)
        .where(Meeting.forum_id.in_(forum_ids), SituationReport.readiness.is_not(None))
        .subquery()
    )
    query = (
        select(SituationReport, Meeting.forum_id)
        .join(ranked, ranked.c.report_id == SituationReport.id)
        .join(Meeting, Meeting.id == SituationReport.meeting_id)
        .where(ranked.c.position == 1)
        .order_by(SituationReport.actor_id)
    )
    return [(report, forum_id) for report, forum_id in (await session.execute(query)).all()]


async def history(
    session: AsyncSession, forum_ids: Sequence[str], since: datetime
) -> list[tuple[str, datetime, str]]:
    """Every stated readiness level since `since` in meetings of `forum_ids`, as (actor id,
    when, level), oldest first."""
    if not forum_ids:
        return []
    query = (
        select(SituationReport.actor_id, SituationReport.received_at, SituationReport.readiness)
        .join(Meeting, Meeting.id == SituationReport.meeting_id)
        .where(
            Meeting.forum_id.in_(forum_ids),
            SituationReport.readiness.is_not(None),
            SituationReport.received_at >= since,
        )
        .order_by(SituationReport.received_at, SituationReport.id)
    )
    return [(actor, at, level or "") for actor, at, level in (await session.execute(query)).all()]
