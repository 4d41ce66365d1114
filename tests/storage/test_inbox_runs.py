"""The dispatcher's inbox on a real database: an event's effects and its handled mark commit
together, transient failures are tried again, and what keeps failing is given up and told."""

from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.matrix.dispatcher import Dispatcher
from bot.matrix.inbox import MAX_TRIES
from bot.matrix.incoming import Incoming
from storage import events, outbox
from storage.db import Database
from storage.models import HandledEvent, OutboxMessage
from storage.models.infra import INBOX_GIVEN_UP, INBOX_HANDLED


class Handler:
    """Writes one outbox row per event, failing the first `failures` tries after writing."""

    def __init__(self, db: Database, failures: int) -> None:
        self.db = db
        self.failures = failures
        self.tries: list[str] = []

    def wants(self, incoming: Incoming) -> bool:
        return True

    async def handle(self, incoming: Incoming) -> None:
        self.tries.append(incoming.event_id)
        async with self.db.session() as s:
            await outbox.enqueue(s, room_id=incoming.room_id, content={"body": incoming.body})
            await s.commit()
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("UPDATE …", {}, Exception("database is locked"))


def dispatcher(db: Database, handler: Handler, told: list[str]) -> Dispatcher:
    async def tell(incoming: Incoming, error: str) -> None:
        told.append(incoming.event_id)

    return Dispatcher(
        SimpleNamespace(user_id="@bot:x"),  # type: ignore[arg-type]
        db,
        handler,
        first_sync_ts=lambda: None,
        may_join=None,  # type: ignore[arg-type]
        undecryptable=None,  # type: ignore[arg-type]
        on_given_up=tell,
        first_retry_s=0.01,
    )


def incoming(event_id: str, room: str = "!r:x") -> Incoming:
    return Incoming("message", room, event_id, "@a:x", 0, body=f"reply to {event_id}")


async def receive(db: Database, event: Incoming) -> None:
    async with db.session() as s:
        await events.receive(
            s,
            event_id=event.event_id,
            room_id=event.room_id,
            sender=event.sender,
            kind=event.kind,
            payload=asdict(event),
        )
        await s.commit()


async def bodies(db: Database) -> list[Any]:
    async with db.session() as s:
        rows = await s.execute(select(OutboxMessage.content).order_by(OutboxMessage.id))
        return [c["body"] for c in rows.scalars()]


async def row(db: Database, event_id: str) -> HandledEvent:
    async with db.session() as s:
        found = await s.get(HandledEvent, event_id)
        assert found is not None
        return found


async def test_transient_failures_are_tried_again_and_leave_one_effect(database: Database) -> None:
    handler, told = Handler(database, failures=2), []
    d = dispatcher(database, handler, told)
    await receive(database, incoming("$1"))
    await d.recover()
    await d.queues.drain()
    assert handler.tries == ["$1"] * 3
    assert await bodies(database) == ["reply to $1"]  # the failed tries' writes rolled back
    stored = await row(database, "$1")
    assert (stored.state, stored.attempts, told) == (INBOX_HANDLED, 2, [])


async def test_an_event_that_keeps_failing_is_given_up_and_its_sender_told(
    database: Database,
) -> None:
    handler, told = Handler(database, failures=99), []
    d = dispatcher(database, handler, told)
    await receive(database, incoming("$stuck"))
    await d.recover()
    await d.queues.drain()
    assert len(handler.tries) == MAX_TRIES
    assert await bodies(database) == []
    assert (await row(database, "$stuck")).state == INBOX_GIVEN_UP
    assert told == ["$stuck"]
    assert await d.recover() == 0  # given up is final: not run again at the next start


async def test_recovery_runs_what_was_received_once_in_room_order(database: Database) -> None:
    handler, told = Handler(database, failures=0), []
    for event in [incoming("$a1", "!a"), incoming("$b1", "!b"), incoming("$a2", "!a")]:
        await receive(database, event)
    d = dispatcher(database, handler, told)
    assert await d.recover() == 3
    await d.queues.drain()
    assert [e for e in handler.tries if e.startswith("$a")] == ["$a1", "$a2"]
    assert sorted(await bodies(database)) == ["reply to $a1", "reply to $a2", "reply to $b1"]
    # A second start finds nothing left; queuing a handled event again does nothing.
    assert await d.recover() == 0
    d._submit(incoming("$a1", "!a"))
    await d.queues.drain()
    assert len(handler.tries) == 3
