"""Handled events: the dispatcher's memory of which Matrix events it has already taken on.

The dispatcher records an event before handling it, and only the caller that gets ``True`` from
:func:`record_event` handles it, so a command runs once even if the event arrives twice or the bot
restarts. Committing the record together with the handler's writes makes those writes happen
exactly once; committing it first trades a lost command on crash for never running one twice.

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.infra import HandledEvent


async def record_event(
    session: AsyncSession, *, event_id: str, room_id: str, sender: str, kind: str
) -> bool:
    """Record ``event_id`` as handled; True if it is new, False if it was already recorded.

    A single ``INSERT … ON CONFLICT DO NOTHING``: two sessions racing on the same event id get
    one True and one False (the second waits for the first to commit or roll back).
    """
    result = await session.execute(
        insert(session, HandledEvent)
        .values(event_id=event_id, room_id=room_id, sender=sender, kind=kind, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=[HandledEvent.event_id])
        .returning(HandledEvent.event_id)
    )
    return result.scalar_one_or_none() is not None


async def is_handled(session: AsyncSession, event_id: str) -> bool:
    """Whether ``event_id`` has been recorded."""
    result = await session.execute(
        select(HandledEvent.event_id).where(HandledEvent.event_id == event_id)
    )
    return result.scalar_one_or_none() is not None


async def prune_events(session: AsyncSession, older_than: datetime) -> int:
    """Forget events received before ``older_than``; returns how many.

    Safe once ``older_than`` is well past the bot's sync horizon: the dispatcher also drops events
    older than the first sync, and the homeserver does not resend old timeline events.
    """
    result = await session.execute(
        delete(HandledEvent)
        .where(HandledEvent.received_at < older_than)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
