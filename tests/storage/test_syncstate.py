"""Sync state: the token is upserted; the first-sync timestamp is set once."""

from __future__ import annotations

from storage import syncstate
from storage.db import Database

BOT = "@samverkan:example.se"


async def test_save_and_load_sync_token(database: Database) -> None:
    async with database.session() as s:
        assert await syncstate.load_sync_state(s, BOT) is None
        await syncstate.save_sync_token(s, BOT, "s1_token")
        await s.commit()
    async with database.session() as s:
        state = await syncstate.load_sync_state(s, BOT)
        assert state is not None and state.next_batch == "s1_token"
        first_update = state.updated_at
        await syncstate.save_sync_token(s, BOT, "s2_token")
        state = await syncstate.load_sync_state(s, BOT)
        assert state is not None and state.next_batch == "s2_token"
        assert state.updated_at >= first_update
        assert state.first_sync_ts is None
        await s.commit()
    async with database.session() as s:
        state = await syncstate.load_sync_state(s, BOT)
        assert state is not None and state.next_batch == "s2_token"
        assert await syncstate.load_sync_state(s, "@other:example.se") is None


async def test_first_sync_ts_is_set_only_once(database: Database) -> None:
    ts = 1_767_225_600_000  # milliseconds: needs a 64-bit column
    async with database.session() as s:
        assert await syncstate.set_first_sync_ts(s, BOT, ts) == ts
        await s.commit()
    async with database.session() as s:
        assert await syncstate.set_first_sync_ts(s, BOT, ts + 5_000) == ts
        await syncstate.save_sync_token(s, BOT, "s3")
        await s.commit()
    async with database.session() as s:
        state = await syncstate.load_sync_state(s, BOT)
        assert state is not None
        assert (state.first_sync_ts, state.next_batch) == (ts, "s3")


async def test_first_sync_ts_after_a_token(database: Database) -> None:
    async with database.session() as s:
        await syncstate.save_sync_token(s, BOT, "s1")
        assert await syncstate.set_first_sync_ts(s, BOT, 42) == 42
        state = await syncstate.load_sync_state(s, BOT)
        assert state is not None and (state.next_batch, state.first_sync_ts) == ("s1", 42)
