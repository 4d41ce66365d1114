"""A unit of work: every session of the task inside commits once, at the end, or not at all."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage


async def add(database: Database, room: str) -> None:
    async with database.session() as s:
        await outbox.enqueue(s, room_id=room, content={"body": room}, event_type="m.room.message")
        await s.commit()


async def rooms(database: Database) -> list[str]:
    async with database.session() as s:
        result = await s.execute(select(OutboxMessage.room_id).order_by(OutboxMessage.id))
        return list(result.scalars())


async def test_sessions_in_a_unit_commit_together_and_hooks_follow(database: Database) -> None:
    seen_by_hook: list[list[str]] = []
    seen_inside: list[str] = []
    async with database.unit():
        await add(database, "!a")
        await add(database, "!b")
        database.after_commit(lambda: seen_by_hook.append([]))
        seen_inside = await rooms(database)  # the unit sees its own writes
        assert database.in_unit
    assert seen_inside == ["!a", "!b"]
    assert seen_by_hook == [[]]
    assert await rooms(database) == ["!a", "!b"]
    assert not database.in_unit


async def test_an_exception_rolls_back_every_session_and_skips_hooks(database: Database) -> None:
    hooks: list[str] = []
    with pytest.raises(RuntimeError):
        async with database.unit():
            await add(database, "!a")
            database.after_commit(lambda: hooks.append("ran"))
            await add(database, "!b")
            raise RuntimeError("crash between two writes")
    assert await rooms(database) == []
    assert hooks == []


async def test_a_rollback_undoes_in_memory_copies_a_commit_keeps_them(database: Database) -> None:
    cache: list[str] = []

    async def write(room: str) -> None:
        await add(database, room)
        cache.append(room)
        database.after_rollback(lambda: cache.remove(room))

    with pytest.raises(RuntimeError):
        async with database.unit():
            await write("!a")
            raise RuntimeError("crash after the write")
    assert cache == []
    async with database.unit():
        await write("!refused")
        await database.discard_unit_work()
        await write("!kept")
    assert cache == ["!kept"] == await rooms(database)
    await write("!outside")  # committed at once: nothing to undo later
    assert cache == ["!kept", "!outside"]


async def test_discarded_work_is_gone_and_later_work_stays(database: Database) -> None:
    async with database.unit():
        await add(database, "!refused")
        await database.discard_unit_work()
        await add(database, "!answer")
    assert await rooms(database) == ["!answer"]


async def test_outside_a_unit_hooks_run_at_once_and_other_tasks_do_not_join(
    database: Database,
) -> None:
    hooks: list[str] = []
    database.after_commit(lambda: hooks.append("now"))
    assert hooks == ["now"]

    async def elsewhere() -> bool:
        return database.in_unit

    async with database.unit():
        # A task started inside inherits the context, but it is not the unit's owner.
        assert not await asyncio.create_task(elsewhere())
        async with database.unit():  # nested: the same unit
            await add(database, "!n")
        assert database.in_unit
    async with database.session() as s:
        assert (await s.execute(select(func.count()).select_from(OutboxMessage))).scalar() == 1
