"""Posting a message means adding a row to the outbox; the sender delivers it.

The sender is woken only after the row is committed (``db.after_commit``): inside a unit of work
the row is not visible to the sender before then, and on SQLite the sender would wait for the
unit's connection anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.matrix.content import Attachment
from bot.matrix.eventsize import fits, json_size, split_content
from storage import outbox
from storage.db import Database

log = logging.getLogger(__name__)

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
        """Persists one message (in its own transaction, or the unit of work's) and wakes the
        sender once it is committed."""
        async with self.db.session() as session:
            await self.add(session, room_id, content, event_type=event_type, dedupe_key=dedupe_key)
            await session.commit()
        self.wake([room_id])

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
        it again is a no-op. A message too large for one event is split into a head and parts
        in its thread (`bot.matrix.eventsize`): the server would refuse it whole."""
        parts = [content]
        if event_type == "m.room.message" and not fits(content):
            parts = split_content(content)
            log.warning(
                "a message of %d bytes to %s split in %d parts",
                json_size(content),
                room_id,
                len(parts),
            )
        await self.add_parts(
            session, room_id, parts, event_type=event_type, dedupe_key=dedupe_key, priority=priority
        )

    async def add_parts(
        self,
        session: AsyncSession,
        room_id: str,
        parts: Sequence[dict[str, Any]],
        *,
        event_type: str = "m.room.message",
        dedupe_key: str | None = None,
        priority: int = 0,
    ) -> int:
        """The first of `parts` as a message, the others in its thread, in order (dedupe keys
        `<key>`, `<key>:part:<n>`); a part too large for an event is split further. Returns
        the head's outbox id, for what else goes into its thread."""
        parts = [piece for part in parts for piece in split_content(part)]
        head = await outbox.enqueue(
            session,
            room_id=room_id,
            content=parts[0],
            event_type=event_type,
            dedupe_key=dedupe_key,
            priority=priority,
        )
        for number, part in enumerate(parts[1:], start=1):
            await outbox.enqueue(
                session,
                room_id=room_id,
                content=part,
                event_type=event_type,
                dedupe_key=f"{dedupe_key}:part:{number}" if dedupe_key else None,
                priority=priority,
                thread_of=head.id,
            )
        return head.id

    async def add_file(
        self,
        session: AsyncSession,
        room_id: str,
        document: Attachment,
        *,
        thread_of: int | None = None,
        dedupe_key: str | None = None,
        priority: int = 0,
    ) -> None:
        """A file for `room_id` (into the thread of the outbox row `thread_of`), for what no
        message could hold: the sender uploads it, encrypted where the room is, then posts it."""
        await outbox.enqueue(
            session,
            room_id=room_id,
            content=document.content(),
            dedupe_key=dedupe_key,
            priority=priority,
            thread_of=thread_of,
            attachment=document.data,
        )

    def wake(self, room_ids: Iterable[str]) -> None:
        """Wakes the sender for these rooms after the current commit (at once outside a unit)."""
        rooms = list(dict.fromkeys(room_ids))
        if rooms:
            self.db.after_commit(lambda: self._wake_now(rooms))

    def _wake_now(self, room_ids: list[str]) -> None:
        for room_id in room_ids:
            self.wake_sender(room_id)
