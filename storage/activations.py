"""Activations (aktiveringar) of forums, from request to deactivation, and their reporting rounds.

Transactions: none of these functions commits; the caller does, together with the outbox rows
and audit entries the same change causes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.activations import Activation, ActivationState
from storage.models.meetings import Meeting, MeetingKind, MeetingState


async def request(
    session: AsyncSession,
    *,
    forum_id: str,
    requested_by: str,
    reason: str | None,
    exercise: bool,
    request_event_id: str | None,
    now: datetime,
) -> Activation:
    """A request by someone who may not activate; an activator confirms or declines it."""
    row = Activation(
        forum_id=forum_id,
        state=ActivationState.REQUESTED,
        requested_by=requested_by,
        reason=reason,
        exercise=exercise,
        request_event_id=request_event_id,
        requested_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def activate(
    session: AsyncSession,
    row: Activation,
    *,
    activated_by: str,
    host_actor_id: str | None,
    now: datetime,
) -> None:
    """Makes a request (or a fresh row) active."""
    row.state = ActivationState.ACTIVE
    row.activated_by = activated_by
    row.activated_at = now
    row.host_actor_id = host_actor_id
    await session.flush()


async def end(
    session: AsyncSession, row: Activation, *, state: ActivationState, by: str | None, now: datetime
) -> None:
    """Deactivated (ENDED), declined (DECLINED) or unanswered (EXPIRED)."""
    row.state = state
    row.ended_at = now
    row.ended_by = by
    await session.flush()


async def get(session: AsyncSession, activation_id: int) -> Activation | None:
    return await session.get(Activation, activation_id)


async def _latest_in_state(
    session: AsyncSession, forum_id: str, state: ActivationState
) -> Activation | None:
    result = await session.execute(
        select(Activation)
        .where(Activation.forum_id == forum_id, Activation.state == state)
        .order_by(Activation.id.desc())
    )
    return result.scalars().first()


async def active(session: AsyncSession, forum_id: str) -> Activation | None:
    """The forum's activation in force, if any."""
    return await _latest_in_state(session, forum_id, ActivationState.ACTIVE)


async def pending_request(session: AsyncSession, forum_id: str) -> Activation | None:
    """The forum's unanswered request, if any."""
    return await _latest_in_state(session, forum_id, ActivationState.REQUESTED)


async def all_active(session: AsyncSession) -> list[Activation]:
    result = await session.execute(
        select(Activation).where(Activation.state == ActivationState.ACTIVE).order_by(Activation.id)
    )
    return list(result.scalars())


async def by_request_event(session: AsyncSession, event_id: str) -> Activation | None:
    """The request made by the command event `event_id` (its requester's own message)."""
    result = await session.execute(
        select(Activation).where(Activation.request_event_id == event_id)
    )
    return result.scalars().first()


async def round_meeting(
    session: AsyncSession, row: Activation, number: int, opened_at: datetime
) -> Meeting:
    """Reporting round `number` of the activation, created (called) if it does not exist.

    Insert-or-ignore on the unique (activation, round) pair: a job that runs twice finds the
    same row.
    """
    await session.execute(
        insert(session, Meeting)
        .values(
            forum_id=row.forum_id,
            kind=MeetingKind.ACTIVATED,
            state=MeetingState.PLANNED,
            scheduled_at=opened_at,
            activation_id=row.id,
            round_number=number,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[Meeting.activation_id, Meeting.round_number])
    )
    result = await session.execute(
        select(Meeting).where(Meeting.activation_id == row.id, Meeting.round_number == number)
    )
    return result.scalar_one()


async def rounds(session: AsyncSession, activation_id: int) -> list[Meeting]:
    result = await session.execute(
        select(Meeting).where(Meeting.activation_id == activation_id).order_by(Meeting.round_number)
    )
    return list(result.scalars())
