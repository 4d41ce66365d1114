"""The bot's position in the /sync stream, kept in our database.

``save_sync_token`` is called after a batch's events are recorded as handled, in the same or a
later transaction, never before: a crash then replays the batch and the handled-events table
drops what was already taken on.

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.infra import SyncState


async def load_sync_state(session: AsyncSession, account: str) -> SyncState | None:
    """The stored state of ``account`` (the bot's user id), freshly read from the database."""
    result = await session.execute(
        select(SyncState)
        .where(SyncState.account == account)
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def save_sync_token(session: AsyncSession, account: str, next_batch: str | None) -> None:
    """Store ``next_batch`` for ``account``, creating its row on first use."""
    now = utcnow()
    await session.execute(
        insert(session, SyncState)
        .values(account=account, next_batch=next_batch, updated_at=now)
        .on_conflict_do_update(
            index_elements=[SyncState.account], set_={"next_batch": next_batch, "updated_at": now}
        )
    )


async def set_first_sync_ts(session: AsyncSession, account: str, ts_ms: int) -> int:
    """Remember the server time (ms) of the bot's first sync, unless one is already stored.

    Returns the stored value, which is the earlier one when it was already set: events older than
    it are history and must not be run as commands.
    """
    now = utcnow()
    await session.execute(
        insert(session, SyncState)
        .values(account=account, first_sync_ts=ts_ms, updated_at=now)
        .on_conflict_do_update(
            index_elements=[SyncState.account],
            set_={"first_sync_ts": ts_ms, "updated_at": now},
            where=SyncState.first_sync_ts.is_(None),
        )
    )
    result = await session.execute(
        select(SyncState.first_sync_ts).where(SyncState.account == account)
    )
    stored = result.scalar_one()
    assert stored is not None  # just written, or kept because it was set
    return stored
