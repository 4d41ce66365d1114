"""Issues (ärenden) and their history.

Transactions: none of these functions commits; the caller does, together with the outbox rows
and audit entries the change causes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models.issues import Issue, IssueEvent, IssueState


async def create(
    session: AsyncSession,
    *,
    title: str,
    description: str | None,
    forum_id: str,
    raised_by: str,
    actor_id: str | None,
    meeting_id: int | None,
    at: datetime,
) -> Issue:
    """Issue #N, raised in `forum_id` at `at`; its first history entry says so."""
    issue = Issue(
        created_at=at,
        updated_at=at,
        title=title,
        description=description,
        state=IssueState.RAISED,
        forum_id=forum_id,
        origin_forum_id=forum_id,
        raised_by=raised_by,
        actor_id=actor_id,
        meeting_id=meeting_id,
        events=[IssueEvent(by_user=raised_by, kind="raised", forum_id=forum_id, text=title, at=at)],
    )
    session.add(issue)
    await session.flush()
    return issue


async def get(session: AsyncSession, number: int) -> Issue | None:
    result = await session.execute(
        select(Issue).where(Issue.number == number).options(selectinload(Issue.events))
    )
    return result.scalars().first()


def record(
    issue: Issue,
    *,
    by: str,
    kind: str,
    forum_id: str | None,
    at: datetime,
    text: str | None = None,
) -> IssueEvent:
    """Adds one step at `at` to the issue's history (the caller changed the issue itself)."""
    event = IssueEvent(by_user=by, kind=kind, forum_id=forum_id, text=text, at=at)
    issue.events.append(event)
    issue.updated_at = at
    return event


async def open_in(session: AsyncSession, forum_ids: Sequence[str] | None) -> list[Issue]:
    """Open issues in the given forums (all forums for None), oldest first."""
    query = (
        select(Issue)
        .where(Issue.state != IssueState.CLOSED)
        .options(selectinload(Issue.events))
        .order_by(Issue.number)
    )
    if forum_ids is not None:
        query = query.where(Issue.forum_id.in_(forum_ids))
    result = await session.execute(query)
    return list(result.scalars())


async def for_agenda(session: AsyncSession, forum_id: str, before: datetime) -> list[Issue]:
    """Open issues on a forum's next agenda: escalated to it, or due for follow-up there by
    `before`."""
    query = (
        select(Issue)
        .where(
            Issue.state != IssueState.CLOSED,
            Issue.forum_id == forum_id,
            or_(Issue.origin_forum_id != forum_id, Issue.followup_at <= before),
        )
        .options(selectinload(Issue.events))
        .order_by(Issue.number)
    )
    result = await session.execute(query)
    return list(result.scalars())


async def owned_by(session: AsyncSession, kind: str, refs: Sequence[str]) -> list[Issue]:
    """Open issues whose owner is one of `refs` of `kind` (e.g. an actor's home summary)."""
    result = await session.execute(
        select(Issue)
        .where(
            Issue.state != IssueState.CLOSED,
            Issue.owner_kind == kind,
            Issue.owner_ref.in_(refs),
        )
        .options(selectinload(Issue.events))
        .order_by(Issue.number)
    )
    return list(result.scalars())
