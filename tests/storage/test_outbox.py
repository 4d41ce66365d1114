"""The outbox: stable transaction ids, dedupe keys, per-room order, retries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage

NOW = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


def notice(body: str) -> dict[str, str]:
    return {"msgtype": "m.notice", "body": body}


async def test_enqueue_fills_the_defaults(database: Database) -> None:
    async with database.session() as s:
        message = await outbox.enqueue(s, room_id="!a:x", content=notice("hej"))
        await s.commit()
    assert message.id is not None
    assert message.state == "pending"
    assert message.event_type == "m.room.message"
    assert message.attempts == 0
    assert message.next_attempt_at is None
    assert len(message.txn_id) == 32 and int(message.txn_id, 16) >= 0
    assert message.created_at.tzinfo is not None
    async with database.session() as s:
        stored = await s.get(OutboxMessage, message.id)
        assert stored is not None and stored.content == notice("hej")


async def test_txn_id_is_unique_and_stable(database: Database) -> None:
    async with database.session() as s:
        messages = [
            await outbox.enqueue(s, room_id="!a:x", content=notice(str(i))) for i in range(20)
        ]
        await s.commit()
    txn_ids = {m.id: m.txn_id for m in messages}
    assert len(set(txn_ids.values())) == 20
    first = messages[0].id
    async with database.session() as s:
        await outbox.defer(s, first, NOW + timedelta(seconds=5), "M_LIMIT_EXCEEDED")
        await s.commit()
    async with database.session() as s:
        await outbox.mark_sent(s, first, "$event")
        await s.commit()
    async with database.session() as s:
        stored = await s.get(OutboxMessage, first)
        assert stored is not None
        assert stored.txn_id == txn_ids[first]
        assert (stored.state, stored.attempts, stored.event_id) == ("sent", 2, "$event")


async def test_txn_id_uniqueness_is_enforced(database: Database) -> None:
    async with database.session() as s:
        s.add(OutboxMessage(room_id="!a:x", content={}, txn_id="same"))
        s.add(OutboxMessage(room_id="!a:x", content={}, txn_id="same"))
        with pytest.raises(IntegrityError):
            await s.flush()


async def test_dedupe_key_returns_the_existing_row(database: Database) -> None:
    async with database.session() as s:
        first = await outbox.enqueue(
            s, room_id="!home:x", content=notice("summary"), dedupe_key="summary:7:!home:x"
        )
        again = await outbox.enqueue(
            s, room_id="!home:x", content=notice("other"), dedupe_key="summary:7:!home:x"
        )
        other = await outbox.enqueue(
            s, room_id="!home:x", content=notice("summary"), dedupe_key="summary:8:!home:x"
        )
        await s.commit()
    assert again.id == first.id and again.txn_id == first.txn_id
    assert again.content == notice("summary")
    assert other.id != first.id
    async with database.session() as s:
        again_later = await outbox.enqueue(
            s, room_id="!home:x", content=notice("x"), dedupe_key="summary:7:!home:x"
        )
        assert again_later.id == first.id
        count = (await s.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()
    assert count == 2


async def test_dedupe_key_holds_between_concurrent_sessions(database: Database) -> None:
    async def queue_summary() -> int:
        async with database.session() as s:
            message = await outbox.enqueue(
                s, room_id="!home:x", content=notice("s"), dedupe_key="summary:1"
            )
            await asyncio.sleep(0.05)  # keep the transaction open while the other one tries
            await s.commit()
            return message.id

    ids = await asyncio.gather(queue_summary(), queue_summary())
    assert ids[0] == ids[1]
    async with database.session() as s:
        assert await outbox.count_by_state(s) == {"pending": 1, "sent": 0, "failed": 0}


async def test_rooms_are_sent_in_order_and_a_deferred_head_blocks_its_room(
    database: Database,
) -> None:
    async with database.session() as s:
        a1 = await outbox.enqueue(s, room_id="!a:x", content=notice("a1"))
        b1 = await outbox.enqueue(s, room_id="!b:x", content=notice("b1"))
        a2 = await outbox.enqueue(s, room_id="!a:x", content=notice("a2"))
        a3 = await outbox.enqueue(s, room_id="!a:x", content=notice("a3"))
        await s.commit()

    async with database.session() as s:
        assert await outbox.rooms_with_pending(s) == ["!a:x", "!b:x"]
        head = await outbox.next_pending(s, "!a:x", NOW)
        assert head is not None and head.id == a1.id
        await outbox.mark_sent(s, a1.id, "$a1")
        head = await outbox.next_pending(s, "!a:x", NOW)
        assert head is not None and head.id == a2.id
        await outbox.defer(s, a2.id, NOW + timedelta(seconds=30), "429")
        await s.commit()

    async with database.session() as s:
        # a3 is due, but a2 must go first: the room waits.
        assert await outbox.next_pending(s, "!a:x", NOW) is None
        assert await outbox.earliest_retry(s) == NOW + timedelta(seconds=30)
        other = await outbox.next_pending(s, "!b:x", NOW)
        assert other is not None and other.id == b1.id
        head = await outbox.next_pending(s, "!a:x", NOW + timedelta(seconds=30))
        assert head is not None and head.id == a2.id
        assert head.attempts == 1 and head.last_error == "429"
        await outbox.mark_failed(s, a2.id, "M_FORBIDDEN")
        head = await outbox.next_pending(s, "!a:x", NOW)
        assert head is not None and head.id == a3.id
        await s.commit()


async def test_earliest_retry_counts_only_room_heads(database: Database) -> None:
    async with database.session() as s:
        assert await outbox.earliest_retry(s) is None
        a1 = await outbox.enqueue(s, room_id="!a:x", content=notice("a1"))
        a2 = await outbox.enqueue(s, room_id="!a:x", content=notice("a2"))
        b1 = await outbox.enqueue(s, room_id="!b:x", content=notice("b1"))
        assert await outbox.earliest_retry(s) is None
        # A non-head row with an early retry time must not wake the sender for nothing.
        await outbox.defer(s, a2.id, NOW + timedelta(seconds=1), "x")
        await outbox.defer(s, a1.id, NOW + timedelta(minutes=5), "x")
        await outbox.defer(s, b1.id, NOW + timedelta(minutes=2), "x")
        assert await outbox.earliest_retry(s) == NOW + timedelta(minutes=2)


async def test_routine_output_goes_ahead_of_queued_replies(database: Database) -> None:
    async with database.session() as s:
        replies = [
            await outbox.enqueue(s, room_id="!a:x", content=notice(f"receipt {i}"))
            for i in range(3)
        ]
        picture = await outbox.enqueue(
            s, room_id="!a:x", content=notice("picture"), dedupe_key="picture:1", priority=1
        )
        minutes = await outbox.enqueue(s, room_id="!a:x", content=notice("minutes"), priority=1)
        await s.commit()
    order = []
    async with database.session() as s:
        while (head := await outbox.next_pending(s, "!a:x", NOW)) is not None:
            order.append(head.id)
            await outbox.mark_sent(s, head.id, f"${head.id}")
        await s.commit()
    assert order == [picture.id, minutes.id, *(r.id for r in replies)]


async def test_count_and_prune(database: Database) -> None:
    async with database.session() as s:
        old = await outbox.enqueue(s, room_id="!a:x", content=notice("old"))
        kept = await outbox.enqueue(s, room_id="!a:x", content=notice("k"), dedupe_key="k")
        recent = await outbox.enqueue(s, room_id="!a:x", content=notice("new"))
        failed = await outbox.enqueue(s, room_id="!a:x", content=notice("f"))
        await outbox.enqueue(s, room_id="!a:x", content=notice("p"))
        for message in (old, kept, recent):
            await outbox.mark_sent(s, message.id, f"${message.id}")
        await outbox.mark_failed(s, failed.id, "gone")
        old.sent_at = kept.sent_at = NOW - timedelta(days=30)
        await s.commit()

    async with database.session() as s:
        assert await outbox.count_by_state(s) == {"pending": 1, "sent": 3, "failed": 1}
        assert await outbox.prune_sent(s, NOW - timedelta(days=7)) == 1
        await s.commit()
        remaining = set((await s.execute(select(OutboxMessage.id))).scalars())
    assert old.id not in remaining and {kept.id, recent.id, failed.id} <= remaining

    async with database.session() as s:
        assert await outbox.prune_sent(s, NOW, keep_deduplicated=False) == 1
        await s.commit()


async def test_unknown_message_id_is_an_error(database: Database) -> None:
    async with database.session() as s:
        with pytest.raises(LookupError):
            await outbox.mark_sent(s, 12345, "$x")
