"""Pending events: undecryptable events kept once, told about once, forgotten and purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import pending
from storage.db import Database
from storage.models import PendingEvent

T0 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def _source(event_id: str, session_id: str = "S1") -> dict[str, object]:
    return {
        "type": "m.room.encrypted",
        "event_id": event_id,
        "sender": "@a:x",
        "origin_server_ts": 1,
        "content": {"algorithm": "m.megolm.v1.aes-sha2", "session_id": session_id},
    }


async def _keep(
    database: Database, event_id: str, at: datetime, session_id: str = "S1", room: str = "!r"
) -> bool:
    async with database.session() as s:
        new = await pending.keep_event(
            s,
            event_id=event_id,
            room_id=room,
            sender="@a:x",
            session_id=session_id,
            source=_source(event_id, session_id),
            seen_at=at,
        )
        await s.commit()
        return new


async def test_an_event_is_kept_once_with_its_first_sighting(database: Database) -> None:
    assert await _keep(database, "$1", T0)
    assert not await _keep(database, "$1", T0 + timedelta(minutes=5))
    async with database.session() as s:
        rows = await pending.all_pending(s)
    assert [r.event_id for r in rows] == ["$1"]
    assert rows[0].first_seen_at == T0
    assert rows[0].source == _source("$1")
    assert rows[0].notice_sent_at is None


async def test_overdue_are_the_untold_past_their_grace_oldest_first(database: Database) -> None:
    await _keep(database, "$late", T0 + timedelta(minutes=1))
    await _keep(database, "$early", T0)
    await _keep(database, "$fresh", T0 + timedelta(minutes=10))
    async with database.session() as s:
        due = await pending.overdue(s, T0 + timedelta(minutes=5))
        assert [r.event_id for r in due] == ["$early", "$late"]
        assert await pending.mark_noticed(s, ["$early"], at=T0 + timedelta(minutes=5)) == 1
        await s.commit()
    async with database.session() as s:
        assert [r.event_id for r in await pending.overdue(s, T0 + timedelta(hours=1))] == [
            "$late",
            "$fresh",
        ]
        assert await pending.noticed_sessions(s) == {("!r", "@a:x", "S1")}
        told = await s.get(PendingEvent, "$early")
        assert told is not None and told.notice_sent_at == T0 + timedelta(minutes=5)


async def test_forget_and_purge(database: Database) -> None:
    await _keep(database, "$old", T0 - timedelta(days=2))
    await _keep(database, "$a", T0)
    await _keep(database, "$b", T0)
    async with database.session() as s:
        assert await pending.forget(s, ["$a", "$nope"]) == 1
        assert await pending.forget(s, []) == 0
        assert await pending.purge(s, T0 - timedelta(days=1)) == 1
        await s.commit()
    async with database.session() as s:
        assert [r.event_id for r in await pending.all_pending(s)] == ["$b"]
        assert await pending.mark_noticed(s, []) == 0
