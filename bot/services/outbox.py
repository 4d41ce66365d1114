"""Posting a message means adding a row to the outbox; the sender delivers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage import outbox
from storage.db import Database


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
        """Persists one message; with `dedupe_key`, posting it again is a no-op."""
        async with self.db.session() as session:
            await outbox.enqueue(
                session,
                room_id=room_id,
                content=content,
                event_type=event_type,
                dedupe_key=dedupe_key,
            )
            await session.commit()
        self.wake_sender(room_id)
