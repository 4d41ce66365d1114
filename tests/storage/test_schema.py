"""The schema: migrations reach head, match the models, and the SQLite settings are in force."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from storage.db import Database, head_revision, to_async_url, to_sync_url
from storage.models import Base, ForumParticipant, HandledEvent


async def test_migrations_reach_head(database: Database) -> None:
    head = head_revision()
    assert head is not None and head >= "0002"
    assert await database.current_revision() == head


async def test_models_match_migrations(database: Database) -> None:
    async with database.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    assert diff == []


async def test_downgrade_to_base_and_up_again(database: Database) -> None:
    await database.downgrade("base")
    assert await database.current_revision() is None
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await database.upgrade()
    assert await database.current_revision() == head_revision()


async def test_connecting_again_keeps_data(database: Database) -> None:
    async with database.session() as s:
        s.add(HandledEvent(event_id="$e", room_id="!r", sender="@u:x", kind="command"))
        await s.commit()
    again = await Database.connect(database.url)
    try:
        async with again.session() as s:
            assert await s.get(HandledEvent, "$e") is not None
    finally:
        await again.dispose()


async def test_foreign_keys_are_enforced(database: Database) -> None:
    async with database.session() as s:
        s.add(ForumParticipant(forum_id="nope", actor_id="nope"))
        with pytest.raises(IntegrityError):
            await s.flush()


async def test_timestamps_come_back_aware_utc(database: Database) -> None:
    stockholm_summer = timezone(timedelta(hours=2))
    at = datetime(2026, 6, 4, 16, 0, tzinfo=stockholm_summer)
    async with database.session() as s:
        s.add(HandledEvent(event_id="$t", room_id="!r", sender="@u:x", kind="k", received_at=at))
        await s.commit()
    async with database.session() as s:
        stored = (await s.execute(select(HandledEvent.received_at))).scalar_one()
    assert stored == at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 14


async def test_timestamp_comparisons_use_utc(database: Database) -> None:
    base = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    async with database.session() as s:
        for i in range(3):
            s.add(
                HandledEvent(
                    event_id=f"$c{i}",
                    room_id="!r",
                    sender="@u:x",
                    kind="k",
                    received_at=base + timedelta(hours=i),
                )
            )
        await s.commit()
        # 13:30 in UTC+1 is 12:30 UTC: only the first row is older.
        cut = datetime(2026, 1, 1, 13, 30, tzinfo=timezone(timedelta(hours=1)))
        older = await s.execute(select(HandledEvent.event_id).where(HandledEvent.received_at < cut))
        assert list(older.scalars()) == ["$c0"]


async def test_naive_datetimes_are_refused(database: Database) -> None:
    async with database.session() as s:
        s.add(
            HandledEvent(
                event_id="$n",
                room_id="!r",
                sender="@u:x",
                kind="k",
                received_at=datetime(2026, 1, 1),
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            await s.flush()


async def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = await Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:

        async def pragmas() -> tuple[object, ...]:
            async with db.engine.connect() as conn:
                values = []
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous"):
                    values.append((await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one())
                await asyncio.sleep(0.01)  # hold the connection so the other one is a new one
                return tuple(values)

        first, second = await asyncio.gather(pragmas(), pragmas())
        assert first == second == ("wal", 1, 5000, 1)
    finally:
        await db.dispose()


async def test_sqlite_creates_the_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "bot.db"
    db = await Database.connect(f"sqlite:///{path}")
    try:
        assert path.exists()
        assert db.url == f"sqlite+aiosqlite:///{path}"
        assert db.sync_url == f"sqlite:///{path}"
        assert db.dialect == "sqlite"
    finally:
        await db.dispose()


async def test_sqlite_memory_is_one_database_for_all_sessions() -> None:
    db = await Database.connect("sqlite+aiosqlite:///:memory:")
    try:
        async with db.session() as s:
            s.add(HandledEvent(event_id="$m", room_id="!r", sender="@u:x", kind="k"))
            await s.commit()
        async with db.session() as s:
            assert await s.get(HandledEvent, "$m") is not None
            assert (await s.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert db.url == "sqlite+aiosqlite:///:memory:"
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("given", "sync"),
    [
        ("sqlite+aiosqlite:///data/samverkan.db", "sqlite:///data/samverkan.db"),
        ("sqlite+aiosqlite:////var/lib/x.db", "sqlite:////var/lib/x.db"),
        ("postgresql+psycopg://u:p@db:5432/s", "postgresql+psycopg://u:p@db:5432/s"),
        ("postgresql://u:p@db/s", "postgresql+psycopg://u:p@db/s"),
    ],
)
def test_sync_url(given: str, sync: str) -> None:
    assert to_sync_url(given).render_as_string(hide_password=False) == sync


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/d", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg"),
    ],
)
def test_async_url(given: str, expected: str) -> None:
    assert to_async_url(given).drivername == expected


async def test_postgres_urls(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    assert database.url.startswith("postgresql+psycopg://")
    assert database.sync_url == database.url
