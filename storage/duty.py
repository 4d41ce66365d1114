"""Duty overrides: add, end, and read those that are or will be in force.

Like every storage module, nothing here commits; the caller's unit of work does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.duty import DutyOverride


async def add_override(
    session: AsyncSession,
    *,
    function: str,
    user_id: str,
    starts_at: datetime,
    ends_at: datetime,
    created_by: str,
) -> DutyOverride:
    row = DutyOverride(
        function=function,
        user_id=user_id,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def current_and_future(session: AsyncSession, now: datetime) -> list[DutyOverride]:
    """Overrides not yet over at `now` (released ones are over), oldest first."""
    rows = await session.execute(
        select(DutyOverride)
        .where(DutyOverride.ends_at > now, DutyOverride.released_at.is_(None))
        .order_by(DutyOverride.id)
    )
    return list(rows.scalars())


async def release(session: AsyncSession, override_id: int, at: datetime) -> DutyOverride | None:
    """Ends the override at `at`: its end moves there, and it is marked released."""
    row = await session.get(DutyOverride, override_id)
    if row is None:
        return None
    row.released_at = at
    row.ends_at = min(row.ends_at, at)
    await session.flush()
    return row
