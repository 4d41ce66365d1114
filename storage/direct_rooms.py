"""The bot's direct rooms, one per person (see ``DirectRoom``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert
from storage.models.infra import DirectRoom


async def room_of(session: AsyncSession, user_id: str) -> str | None:
    row = await session.get(DirectRoom, user_id)
    return row.room_id if row is not None else None


async def all_rooms(session: AsyncSession) -> dict[str, str]:
    result = await session.execute(select(DirectRoom))
    return {row.user_id: row.room_id for row in result.scalars()}


async def remember(session: AsyncSession, user_id: str, room_id: str) -> str:
    """Stores the room unless one is already known; returns the room to use (the first wins)."""
    await session.execute(
        insert(session, DirectRoom)
        .values(user_id=user_id, room_id=room_id)
        .on_conflict_do_nothing(index_elements=[DirectRoom.user_id])
    )
    stored = await room_of(session, user_id)
    assert stored is not None
    return stored
