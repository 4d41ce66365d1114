"""Pending events: encrypted events the bot could not decrypt yet, kept until their key arrives.

The dispatcher stores an undecryptable event here (with its raw JSON, so it can be rebuilt after
a restart), deletes it once it is decrypted and handled, marks it when the sender has been told
that the bot could not read it, and purges what stays unreadable for too long.

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.infra import PendingEvent


async def keep_event(
    session: AsyncSession,
    *,
    event_id: str,
    room_id: str,
    sender: str,
    session_id: str | None,
    source: dict[str, Any],
    seen_at: datetime | None = None,
) -> bool:
    """Store an undecryptable event; True if it is new, False if it was already kept.

    ``ON CONFLICT DO NOTHING``: the same event arriving again (a replayed sync batch) keeps its
    first-seen time, so its grace period is not restarted.
    """
    result = await session.execute(
        insert(session, PendingEvent)
        .values(
            event_id=event_id,
            room_id=room_id,
            sender=sender,
            session_id=session_id,
            source=source,
            first_seen_at=seen_at or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[PendingEvent.event_id])
        .returning(PendingEvent.event_id)
    )
    return result.scalar_one_or_none() is not None


async def all_pending(session: AsyncSession) -> list[PendingEvent]:
    """Every kept event, oldest first (the order they are retried and handled in)."""
    result = await session.execute(
        select(PendingEvent).order_by(PendingEvent.first_seen_at, PendingEvent.event_id)
    )
    return list(result.scalars())


async def overdue(session: AsyncSession, seen_before: datetime) -> list[PendingEvent]:
    """Events first seen before ``seen_before`` whose sender has not been told yet, oldest first."""
    result = await session.execute(
        select(PendingEvent)
        .where(PendingEvent.first_seen_at < seen_before, PendingEvent.notice_sent_at.is_(None))
        .order_by(PendingEvent.first_seen_at, PendingEvent.event_id)
    )
    return list(result.scalars())


async def noticed_sessions(session: AsyncSession) -> set[tuple[str, str, str | None]]:
    """``(room, sender, session id)`` of kept events whose sender has been told already."""
    result = await session.execute(
        select(PendingEvent.room_id, PendingEvent.sender, PendingEvent.session_id)
        .where(PendingEvent.notice_sent_at.is_not(None))
        .distinct()
    )
    return {(room, sender, session_id) for room, sender, session_id in result.tuples()}


async def mark_noticed(
    session: AsyncSession, event_ids: Iterable[str], at: datetime | None = None
) -> int:
    """Record that the senders of ``event_ids`` were told; returns how many rows changed."""
    ids = list(event_ids)
    if not ids:
        return 0
    result = await session.execute(
        update(PendingEvent)
        .where(PendingEvent.event_id.in_(ids))
        .values(notice_sent_at=at or utcnow())
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def forget(session: AsyncSession, event_ids: Iterable[str]) -> int:
    """Delete kept events (handled, or unusable); returns how many."""
    ids = list(event_ids)
    if not ids:
        return 0
    result = await session.execute(
        delete(PendingEvent)
        .where(PendingEvent.event_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def purge(session: AsyncSession, seen_before: datetime) -> int:
    """Delete events first seen before ``seen_before``, told or not; returns how many."""
    result = await session.execute(
        delete(PendingEvent)
        .where(PendingEvent.first_seen_at < seen_before)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
