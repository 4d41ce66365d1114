"""Handled events: each event id is taken on once, even by racing sessions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage import events
from storage.db import Database
from storage.models import HandledEvent


async def test_record_event_is_true_once(database: Database) -> None:
    async with database.session() as s:
        assert not await events.is_handled(s, "$1")
        assert await events.record_event(
            s, event_id="$1", room_id="!r:x", sender="@a:x", kind="command"
        )
        assert not await events.record_event(
            s, event_id="$1", room_id="!r:x", sender="@a:x", kind="command"
        )
        assert await events.is_handled(s, "$1")
        await s.commit()
    async with database.session() as s:
        assert not await events.record_event(
            s, event_id="$1", room_id="!r:x", sender="@a:x", kind="command"
        )
        stored = await s.get(HandledEvent, "$1")
        assert stored is not None and stored.kind == "command"
        assert stored.received_at.tzinfo is not None


async def test_concurrent_sessions_get_one_true(database: Database) -> None:
    async def take(event_id: str) -> bool:
        async with database.session() as s:
            recorded = await events.record_event(
                s, event_id=event_id, room_id="!r:x", sender="@a:x", kind="command"
            )
            await asyncio.sleep(0.05)  # the other session tries while this one is open
            await s.commit()
            return recorded

    for n in range(3):
        results = await asyncio.gather(take(f"$race{n}"), take(f"$race{n}"))
        assert sorted(results) == [False, True]


async def test_rolled_back_record_can_be_taken_again(database: Database) -> None:
    async with database.session() as s:
        assert await events.record_event(s, event_id="$rb", room_id="!r", sender="@a", kind="k")
        await s.rollback()
    async with database.session() as s:
        assert await events.record_event(s, event_id="$rb", room_id="!r", sender="@a", kind="k")


async def test_prune_events(database: Database) -> None:
    now = datetime.now(UTC)
    async with database.session() as s:
        for n in range(3):
            await events.record_event(s, event_id=f"${n}", room_id="!r", sender="@a", kind="k")
        await s.execute(
            update(HandledEvent)
            .where(HandledEvent.event_id == "$0")
            .values(received_at=now - timedelta(days=60))
        )
        await s.commit()
    async with database.session() as s:
        assert await events.prune_events(s, now - timedelta(days=30)) == 1
        await s.commit()
        assert not await events.is_handled(s, "$0")
        assert await events.is_handled(s, "$1")
