"""Joint regional directions (gemensam regional inriktning): drafted, then adopted.

Transactions: none of these functions commits; the caller does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.activations import Activation, ActivationState
from storage.models.directions import Direction, DirectionState


async def draft(
    session: AsyncSession,
    *,
    forum_id: str,
    drafted_by: str,
    activation_id: int | None,
    goal: str | None,
    priorities: str | None,
    guidelines: str | None,
    joint_messages: str | None,
    at: datetime,
) -> Direction:
    direction = Direction(
        drafted_at=at,
        forum_id=forum_id,
        state=DirectionState.DRAFT,
        drafted_by=drafted_by,
        activation_id=activation_id,
        goal=goal,
        priorities=priorities,
        guidelines=guidelines,
        joint_messages=joint_messages,
    )
    session.add(direction)
    await session.flush()
    return direction


async def get(session: AsyncSession, number: int) -> Direction | None:
    return await session.get(Direction, number)


async def latest(session: AsyncSession, limit: int = 10) -> list[Direction]:
    result = await session.execute(select(Direction).order_by(Direction.id.desc()).limit(limit))
    return list(result.scalars())


def adopt(direction: Direction, *, by: str, forum_id: str, now: datetime) -> None:
    direction.state = DirectionState.ADOPTED
    direction.adopted_by = by
    direction.adopted_forum_id = forum_id
    direction.adopted_at = now


async def in_force(session: AsyncSession) -> Direction | None:
    """The latest adopted direction of an activation that is still running: it frames the work
    (and tops the combined pictures) while the event lasts."""
    result = await session.execute(
        select(Direction)
        .join(Activation, Activation.id == Direction.activation_id)
        .where(
            Direction.state == DirectionState.ADOPTED,
            Activation.state == ActivationState.ACTIVE,
        )
        .order_by(Direction.adopted_at.desc(), Direction.id.desc())
    )
    return result.scalars().first()
