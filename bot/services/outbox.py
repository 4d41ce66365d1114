"""Posting a message means adding a row to the outbox; the sender delivers it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import Database

#: Priority of what the routine posts on its own (call-ins, pictures, minutes, summaries): it
#: goes ahead of replies still queued in the same room, e.g. 60 receipts just before a deadline.
ROUTINE = 1


class Outbox:
    """The only way services and commands send anything to Matrix."""

    def __init__(self, db: Database, wake_sender: Callable[[str], None]) -> None:
        self.db = db
        self.wake_sender = wake_sender

    async def post(
        self,
        room_id: str,
        content: dict[str, Any],
        *,
        event_type: str = "m.room.message",
        dedupe_key: str | None = None,
    ) -> None:
        """Persists one message in its own transaction and wakes the sender."""
        async with self.db.session() as session:
            await self.add(session, room_id, content, event_type=event_type, dedupe_key=dedupe_key)
            await session.commit()
        self.wake_sender(room_id)

    async def add(
        self,
        session: AsyncSession,
        room_id: str,
        content: dict[str, Any],
        *,
        event_type: str = "m.room.message",
        dedupe_key: str | None = None,
        priority: int = 0,
    ) -> None:
        """Adds a message to the caller's transaction, so it exists if and only if the change
        that causes it is committed; call `wake` after the commit. With `dedupe_key`, adding
        it again is a no-op."""
        await outbox.enqueue(
            session,
            room_id=room_id,
            content=content,
            event_type=event_type,
            dedupe_key=dedupe_key,
            priority=priority,
        )

    def wake(self, room_ids: Iterable[str]) -> None:
        for room_id in room_ids:
            self.wake_sender(room_id)
