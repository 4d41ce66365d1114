"""The inbox: each event id is taken on once, even by racing sessions, and goes from received
to handled or given up, never back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage import events
from storage.db import Database
from storage.models import HandledEvent
from storage.models.infra import INBOX_GIVEN_UP, INBOX_HANDLED, INBOX_RECEIVED


async def receive(database: Database, event_id: str, room_id: str = "!r:x") -> bool:
    async with database.session() as s:
        new = await events.receive(
            s,
            event_id=event_id,
            room_id=room_id,
            sender="@a:x",
            kind="message",
            payload={"event_id": event_id, "body": "!whoami"},
        )
        await s.commit()
        return new


async def test_receive_is_true_once(database: Database) -> None:
    async with database.session() as s:
        assert not await events.is_known(s, "$1")
    assert await receive(database, "$1")
    assert not await receive(database, "$1")
    async with database.session() as s:
        assert await events.is_known(s, "$1")
        stored = await s.get(HandledEvent, "$1")
        assert stored is not None and stored.state == INBOX_RECEIVED
        assert stored.payload == {"event_id": "$1", "body": "!whoami"}
        assert stored.received_at.tzinfo is not None


async def test_concurrent_sessions_get_one_true(database: Database) -> None:
    async def take(event_id: str) -> bool:
        async with database.session() as s:
            recorded = await events.receive(
                s, event_id=event_id, room_id="!r:x", sender="@a:x", kind="message", payload={}
            )
            await asyncio.sleep(0.05)  # the other session tries while this one is open
            await s.commit()
            return recorded

    for n in range(3):
        results = await asyncio.gather(take(f"$race{n}"), take(f"$race{n}"))
        assert sorted(results) == [False, True]


async def test_received_events_come_back_by_room_in_order(database: Database) -> None:
    for event_id, room in [("$b1", "!b"), ("$a1", "!a"), ("$b2", "!b"), ("$a2", "!a")]:
        assert await receive(database, event_id, room)
    async with database.session() as s:
        assert await events.mark_handled(s, "$a1")
        await s.commit()
    async with database.session() as s:
        assert [e.event_id for e in await events.received_events(s)] == ["$a2", "$b1", "$b2"]


async def test_handled_and_given_up_are_final(database: Database) -> None:
    await receive(database, "$h")
    await receive(database, "$g")
    async with database.session() as s:
        assert await events.record_attempt(s, "$g", "OperationalError: locked") == 1
        assert await events.record_attempt(s, "$g", "OperationalError: locked") == 2
        assert await events.mark_handled(s, "$h")
        assert not await events.mark_handled(s, "$h")  # once
        assert await events.give_up(s, "$g", "x" * 2000)
        assert not await events.mark_handled(s, "$g")  # given up stays given up
        await s.commit()
    async with database.session() as s:
        handled, given_up = await s.get(HandledEvent, "$h"), await s.get(HandledEvent, "$g")
        assert handled is not None and handled.state == INBOX_HANDLED and handled.handled_at
        assert given_up is not None and given_up.state == INBOX_GIVEN_UP
        assert given_up.attempts == 2 and len(given_up.last_error or "") == events.MAX_ERROR_LENGTH
        assert await events.received_events(s) == []


async def test_a_rolled_back_mark_leaves_the_event_received(database: Database) -> None:
    await receive(database, "$rb")
    async with database.unit():
        async with database.session() as s:
            await events.mark_handled(s, "$rb")
            await s.commit()  # inside a unit: only a flush
        await database.discard_unit_work()
    async with database.session() as s:
        assert await events.state_of(s, "$rb") == INBOX_RECEIVED


async def test_prune_keeps_received_events(database: Database) -> None:
    now = datetime.now(UTC)
    for n in range(3):
        await receive(database, f"${n}")
    async with database.session() as s:
        await events.mark_handled(s, "$0")
        await events.mark_handled(s, "$2")
        await s.execute(
            update(HandledEvent)
            .where(HandledEvent.event_id.in_(["$0", "$1"]))
            .values(received_at=now - timedelta(days=60))
        )
        await s.commit()
    async with database.session() as s:
        assert await events.prune_events(s, now - timedelta(days=30)) == 1
        await s.commit()
        assert not await events.is_known(s, "$0")
        assert await events.is_known(s, "$1")  # old but never handled: it still has to run
        assert await events.is_known(s, "$2")
