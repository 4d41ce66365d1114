"""The inbox: every Matrix event the dispatcher takes on, from *received* to *handled*.

The dispatcher stores a wanted event as received (with the payload to run it again) and commits
that on its own; the handler's writes and :func:`mark_handled` then commit in one unit of work.
So after a crash an event is either handled, with all its effects, or still received, and
:func:`received_events` gives it back at the next start. The primary key on the event id makes
"each event once" a database guarantee, also for an event that arrives twice.

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.infra import INBOX_GIVEN_UP, INBOX_HANDLED, INBOX_RECEIVED, HandledEvent

#: How much of an error is kept with an event (the log has the rest).
MAX_ERROR_LENGTH = 500


async def receive(
    session: AsyncSession,
    *,
    event_id: str,
    room_id: str,
    sender: str,
    kind: str,
    payload: dict[str, Any],
) -> bool:
    """Store ``event_id`` as received; True if it is new, False if it was seen before.

    A single ``INSERT … ON CONFLICT DO NOTHING``: two sessions racing on the same event id get
    one True and one False (the second waits for the first to commit or roll back).
    """
    result = await session.execute(
        insert(session, HandledEvent)
        .values(
            event_id=event_id,
            room_id=room_id,
            sender=sender,
            kind=kind,
            received_at=utcnow(),
            state=INBOX_RECEIVED,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=[HandledEvent.event_id])
        .returning(HandledEvent.event_id)
    )
    return result.scalar_one_or_none() is not None


async def is_known(session: AsyncSession, event_id: str) -> bool:
    """Whether ``event_id`` is in the inbox, in any state."""
    result = await session.execute(
        select(HandledEvent.event_id).where(HandledEvent.event_id == event_id)
    )
    return result.scalar_one_or_none() is not None


async def state_of(session: AsyncSession, event_id: str) -> str | None:
    result = await session.execute(
        select(HandledEvent.state).where(HandledEvent.event_id == event_id)
    )
    return result.scalar_one_or_none()


async def received_events(session: AsyncSession) -> Sequence[HandledEvent]:
    """Events received and not yet handled, by room and then in the order they came."""
    result = await session.execute(
        select(HandledEvent)
        .where(HandledEvent.state == INBOX_RECEIVED)
        .order_by(HandledEvent.room_id, HandledEvent.received_at, HandledEvent.event_id)
    )
    return result.scalars().all()


async def mark_handled(session: AsyncSession, event_id: str) -> bool:
    """Marks a received event handled (in the handler's transaction); False if it was not
    received (handled by someone else already, or given up)."""
    return await _move(session, event_id, INBOX_HANDLED, handled_at=utcnow())


async def record_attempt(session: AsyncSession, event_id: str, error: str) -> int:
    """Counts a failed try of a received event; returns how many tries failed so far."""
    await session.execute(
        update(HandledEvent)
        .where(HandledEvent.event_id == event_id)
        .values(attempts=HandledEvent.attempts + 1, last_error=error[:MAX_ERROR_LENGTH])
    )
    result = await session.execute(
        select(HandledEvent.attempts).where(HandledEvent.event_id == event_id)
    )
    return int(result.scalar_one_or_none() or 0)


async def give_up(session: AsyncSession, event_id: str, error: str) -> bool:
    """Stops trying a received event (its sender is told); False if it was not received."""
    return await _move(
        session, event_id, INBOX_GIVEN_UP, handled_at=utcnow(), last_error=error[:MAX_ERROR_LENGTH]
    )


async def _move(session: AsyncSession, event_id: str, state: str, **values: Any) -> bool:
    result = await session.execute(
        update(HandledEvent)
        .where(HandledEvent.event_id == event_id, HandledEvent.state == INBOX_RECEIVED)
        .values(state=state, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def prune_events(session: AsyncSession, older_than: datetime) -> int:
    """Forget handled and given-up events received before ``older_than``; returns how many.

    Safe once ``older_than`` is well past the bot's sync horizon: the dispatcher also drops events
    older than the first sync, and the homeserver does not resend old timeline events. Received
    events are kept whatever their age: they still have to run.
    """
    result = await session.execute(
        delete(HandledEvent)
        .where(HandledEvent.received_at < older_than, HandledEvent.state != INBOX_RECEIVED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
