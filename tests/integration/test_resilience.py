"""Nothing lost, nothing twice: restarts, crashes, homeserver outages and rate limits."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from bot.demo.member import SimulatedMember
from bot.demo.process import wait_until_synced
from bot.matrix.content import notice
from storage import outbox
from storage.db import Database
from tests.fixtures.homeserver import World

pytestmark = [pytest.mark.integration, pytest.mark.long]


async def _room_with_bot(
    world: World, rate_limited: bool = False
) -> tuple[str, SimulatedMember, Path]:
    alice = await world.member("alice")
    bot = await world.bot_account(rate_limited=rate_limited)
    room = await alice.create_room("Konferens", invite=[bot.user_id])
    config = world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})
    return room, alice, config


def _replies(member: SimulatedMember, room: str, bot: str, event_id: str) -> int:
    return len(member.messages(room, sender=bot, reply_to=event_id))


async def _wait_all_answered(
    member: SimulatedMember, room: str, bot: str, event_ids: list[str], timeout: float
) -> None:
    await member.wait_until(
        lambda: all(_replies(member, room, bot, e) >= 1 for e in event_ids), timeout
    )


async def _outbox_counts(config_db: str) -> dict[str, int]:
    db = await Database.connect(config_db)
    try:
        async with db.session() as session:
            return await outbox.count_by_state(session)
    finally:
        await db.dispose()


async def test_restart_never_reruns_an_old_command(world: World) -> None:
    room, alice, config = await _room_with_bot(world)
    assert world.bot is not None
    bot = world.bot.user_id
    app = await world.start_bot(config)
    old = await alice.send(room, "!whoami")
    await alice.wait_for_reply(room, old, bot)
    await world.stop_bot(app)

    # Sent while the bot is down: must be answered once after the restart.
    while_down = await alice.send(room, "!vem")
    app = await world.start_bot(config)
    await alice.wait_for_reply(room, while_down, bot)
    fresh = await alice.send(room, "!help")
    await alice.wait_for_reply(room, fresh, bot)
    await asyncio.sleep(1.0)  # give a wrongly re-run command time to show up

    assert _replies(alice, room, bot, old) == 1
    assert _replies(alice, room, bot, while_down) == 1
    assert _replies(alice, room, bot, fresh) == 1


async def test_first_start_ignores_history(world: World) -> None:
    room, alice, config = await _room_with_bot(world)
    assert world.bot is not None
    bot = world.bot.user_id
    before = await alice.send(room, "!whoami")  # typed before the bot ever ran
    await world.start_bot(config)
    after = await alice.send(room, "!whoami")
    await alice.wait_for_reply(room, after, bot)
    await asyncio.sleep(1.0)
    assert _replies(alice, room, bot, before) == 0


async def test_sigkill_with_queued_outbox_delivers_each_message_once(world: World) -> None:
    """A rate-limited bot is killed with messages still queued; the restart delivers the rest."""
    room, alice, config = await _room_with_bot(world, rate_limited=True)
    assert world.bot is not None
    bot = world.bot.user_id
    db_url = f"sqlite+aiosqlite:///{world.base / 'bot' / 'samverkan.db'}"

    process = world.spawn_bot(config)
    await wait_until_synced(db_url, bot)
    probe = await alice.send(room, "!vem")
    await alice.wait_for_reply(room, probe, bot, timeout=60)

    commands = [await alice.send(room, "!whoami") for _ in range(14)]
    # Synapse's default burst (10) goes out at once; the rest wait for the rate limit.
    await alice.wait_until(
        lambda: sum(_replies(alice, room, bot, e) for e in commands) >= 5, timeout=60
    )
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    counts = await _outbox_counts(db_url)
    assert counts.get("pending", 0) > 0, f"expected queued messages at the kill, got {counts}"

    await world.hs.set_message_ratelimit(bot, 0, 0)  # as an admin would, to finish quickly
    world.spawn_bot(config)
    await _wait_all_answered(alice, room, bot, [probe, *commands], timeout=90)
    await asyncio.sleep(1.5)
    assert [_replies(alice, room, bot, e) for e in [probe, *commands]] == [1] * 15
    assert (await _outbox_counts(db_url)).get("pending", 0) == 0


async def test_send_interrupted_after_delivery_is_not_posted_twice(world: World) -> None:
    """The crash window that matters: delivered, but not yet marked sent. The retry reuses the
    transaction id, so the homeserver returns the same event instead of posting again."""
    room, alice, config = await _room_with_bot(world)
    assert world.bot is not None
    bot = world.bot.user_id
    app = await world.start_bot(config)
    await world.stop_bot(app)
    db = await Database.connect(f"sqlite+aiosqlite:///{world.base / 'bot' / 'samverkan.db'}")
    async with db.session() as session:
        row = await outbox.enqueue(session, room_id=room, content=notice("exactly once"))
        await session.commit()
        txn_id = row.txn_id
    await db.dispose()

    # Deliver it by hand with the bot's own device and the row's transaction id ...
    app = await world.start_bot(config)
    resp = await app.client.room_send(room, "m.room.message", notice("exactly once"), tx_id=txn_id)
    first_event_id = resp.event_id  # type: ignore[union-attr]
    # ... and let the outbox (which still has the row pending) send it "again".
    app.sender.wake()
    await alice.wait_until(
        lambda: any(m.body == "exactly once" for m in alice.messages(room, sender=bot)), 30
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        async with app.db.session() as session:
            if (await outbox.count_by_state(session)).get("pending", 0) == 0:
                break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    posted = [m for m in alice.messages(room, sender=bot) if m.body == "exactly once"]
    assert [m.event_id for m in posted] == [first_event_id]


async def test_homeserver_restart_loses_nothing(world: World) -> None:
    room, alice, config = await _room_with_bot(world)
    assert world.bot is not None
    bot = world.bot.user_id
    app = await world.start_bot(config)
    before = [await alice.send(room, "!whoami") for _ in range(3)]

    await world.hs.stop()
    # Posted by the bot's services while the homeserver is down.
    for i in range(5):
        await app.outbox.post(room, notice(f"medan servern var nere {i}"))
    await asyncio.sleep(2.0)
    await world.hs.start()

    after = await alice.send(room, "!vem")
    await _wait_all_answered(alice, room, bot, [*before, after], timeout=90)
    await alice.wait_until(
        lambda: (
            sum("medan servern var nere" in m.body for m in alice.messages(room, sender=bot)) >= 5
        ),
        timeout=60,
    )
    await asyncio.sleep(1.0)
    bodies = [m.body for m in alice.messages(room, sender=bot)]
    for i in range(5):
        assert bodies.count(f"medan servern var nere {i}") == 1
    assert [_replies(alice, room, bot, e) for e in [*before, after]] == [1, 1, 1, 1]


async def test_default_rate_limits_still_deliver_every_message(world: World) -> None:
    room, alice, config = await _room_with_bot(world, rate_limited=True)
    assert world.bot is not None
    bot = world.bot.user_id
    app = await world.start_bot(config)
    commands = [await alice.send(room, "!whoami") for _ in range(13)]
    await _wait_all_answered(alice, room, bot, commands, timeout=120)
    await asyncio.sleep(1.0)
    assert [_replies(alice, room, bot, e) for e in commands] == [1] * 13
    assert app.sender.rate_limited > 0, "the test should have hit Synapse's rate limit"
