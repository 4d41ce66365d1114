"""The outbox: every message the bot sends is a row here first.

Services call :func:`enqueue` in the same transaction as the domain change that causes the
message, so a message exists if and only if the change was committed. The sender (in ``bot/``)
then works room by room: :func:`next_pending` gives the head of a room's queue, and after the send
:func:`mark_sent`, :func:`defer` (rate limit, timeout: retried later with the same ``txn_id``) or
:func:`mark_failed` (permanent error).

Transactions: none of these functions commits; they flush so ids and defaults are visible, and the
caller commits (``async with db.session() as s: …; await s.commit()``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.infra import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENT,
    OUTBOX_STATES,
    OutboxMessage,
)


async def enqueue(
    session: AsyncSession,
    *,
    room_id: str,
    content: dict[str, Any],
    event_type: str = "m.room.message",
    dedupe_key: str | None = None,
    priority: int = 0,
    thread_of: int | None = None,
    attachment: bytes | None = None,
    relates_to: int | None = None,
    relation: str | None = None,
) -> OutboxMessage:
    """Queue a message for ``room_id``; with a ``dedupe_key`` already used, return that row.
    With ``thread_of``, the message goes into the thread of that (earlier) row's event; with
    ``attachment``, the sender uploads those bytes first and puts the file's address into it.

    A keyed message is inserted with ``ON CONFLICT DO NOTHING``, so two sessions queuing the same
    key at the same moment both end up with the one row instead of one of them failing.
    """
    if dedupe_key is None:
        message = OutboxMessage(
            room_id=room_id,
            content=content,
            event_type=event_type,
            priority=priority,
            thread_of=thread_of,
            attachment=attachment,
            relates_to=relates_to,
            relation=relation,
        )
        session.add(message)
        await session.flush()
        return message
    await session.execute(
        insert(session, OutboxMessage)
        .values(
            room_id=room_id,
            content=content,
            event_type=event_type,
            dedupe_key=dedupe_key,
            priority=priority,
            thread_of=thread_of,
            attachment=attachment,
            relates_to=relates_to,
            relation=relation,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
    )
    result = await session.execute(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    return result.scalar_one()


async def next_pending(
    session: AsyncSession, room_id: str, now: datetime | None = None
) -> OutboxMessage | None:
    """The next message to send in ``room_id``, or None.

    Messages of one room go out strictly in order (highest priority first, then oldest), so only
    the head is a candidate: when it is deferred into the future the room waits, even if later
    rows could go now.
    """
    now = now or utcnow()
    result = await session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.room_id == room_id, OutboxMessage.state == OUTBOX_PENDING)
        .order_by(OutboxMessage.priority.desc(), OutboxMessage.id)
        .limit(1)
    )
    head = result.scalar_one_or_none()
    if head is None or (head.next_attempt_at is not None and head.next_attempt_at > now):
        return None
    return head


async def rooms_with_pending(session: AsyncSession) -> list[str]:
    """Rooms with something pending, the room waiting longest first."""
    result = await session.execute(
        select(OutboxMessage.room_id)
        .where(OutboxMessage.state == OUTBOX_PENDING)
        .group_by(OutboxMessage.room_id)
        .order_by(func.min(OutboxMessage.id))
    )
    return list(result.scalars())


async def earliest_retry(session: AsyncSession) -> datetime | None:
    """When the first deferred room becomes sendable again (None: nothing is deferred).

    Only each room's head counts, matching :func:`next_pending`: the sender sleeps until then.
    """
    rows = await session.execute(
        select(
            OutboxMessage.room_id,
            OutboxMessage.priority,
            OutboxMessage.id,
            OutboxMessage.next_attempt_at,
        ).where(OutboxMessage.state == OUTBOX_PENDING)
    )
    heads: dict[str, tuple[int, int, datetime | None]] = {}
    for room_id, priority, message_id, next_attempt_at in rows:
        rank = (-priority, message_id, next_attempt_at)
        if room_id not in heads or rank[:2] < heads[room_id][:2]:
            heads[room_id] = rank
    retries = [head[2] for head in heads.values() if head[2] is not None]
    return min(retries) if retries else None


async def _get(session: AsyncSession, message_id: int) -> OutboxMessage:
    message = await session.get(OutboxMessage, message_id)
    if message is None:
        raise LookupError(f"no outbox message {message_id}")
    return message


async def mark_sent(session: AsyncSession, message_id: int, event_id: str) -> OutboxMessage:
    """The homeserver accepted the message as ``event_id``.

    ``attempts`` counts every try, the successful one included.
    """
    message = await _get(session, message_id)
    message.state = OUTBOX_SENT
    message.event_id = event_id
    message.sent_at = utcnow()
    message.attempts += 1
    message.next_attempt_at = None
    await session.flush()
    return message


async def mark_uploaded(
    session: AsyncSession, message_id: int, content: dict[str, Any]
) -> OutboxMessage:
    """The row's file is uploaded: `content` has its address, and the bytes are dropped."""
    message = await _get(session, message_id)
    message.content = content
    message.attachment = None
    await session.flush()
    return message


async def defer(
    session: AsyncSession, message_id: int, until: datetime, error: str
) -> OutboxMessage:
    """A failed attempt to retry at ``until`` (rate limit, timeout, server error)."""
    message = await _get(session, message_id)
    message.attempts += 1
    message.next_attempt_at = until
    message.last_error = error
    await session.flush()
    return message


async def mark_failed(session: AsyncSession, message_id: int, error: str) -> OutboxMessage:
    """Give up on a message (permanent error, e.g. the bot is not in the room).

    The room's queue moves on to the next message.
    """
    message = await _get(session, message_id)
    message.state = OUTBOX_FAILED
    message.attempts += 1
    message.next_attempt_at = None
    message.last_error = error
    await session.flush()
    return message


async def count_by_state(session: AsyncSession) -> dict[str, int]:
    """Number of rows per state, every state present (for health and metrics)."""
    result = await session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    )
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    counts.update({state: count for state, count in result.tuples()})
    return counts


async def prune_sent(
    session: AsyncSession, older_than: datetime, *, keep_deduplicated: bool = True
) -> int:
    """Delete rows sent before ``older_than``; returns how many.

    Rows with a ``dedupe_key`` are kept by default: deleting them would let the same summary be
    queued (and posted) again.
    """
    statement = delete(OutboxMessage).where(
        OutboxMessage.state == OUTBOX_SENT, OutboxMessage.sent_at < older_than
    )
    if keep_deduplicated:
        statement = statement.where(OutboxMessage.dedupe_key.is_(None))
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return _rowcount(result)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def find_by_event_id(session: AsyncSession, event_id: str) -> OutboxMessage | None:
    """The row that became Matrix event ``event_id`` (e.g. the call-in a thread replies to)."""
    result = await session.execute(select(OutboxMessage).where(OutboxMessage.event_id == event_id))
    return result.scalars().first()


async def find_by_dedupe_key(session: AsyncSession, dedupe_key: str) -> OutboxMessage | None:
    result = await session.execute(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    return result.scalar_one_or_none()
