"""Undecryptable messages are not lost: a client withholds its room key and shares it later.

Alice's client (matrix-nio with its own store) encrypts commands with a fresh megolm session it
shares with nobody, then sends that session's key (from message index 0) to the bot's device as
an `m.room_key` when the test says so, the way a client shares a key late. The bot must not
answer before the key, must answer exactly once after it (also when it restarted in between),
must ask for the key once, and must tell Alice once when the key does not come within the grace
period.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nio import RoomKeyRequest, SyncResponse, ToDeviceMessage, ToDeviceResponse

from bot.app import App
from bot.demo.configs import minimal_config, write_config
from bot.demo.member import Seen, SimulatedMember
from storage import pending
from tests.fixtures.homeserver import World

pytestmark = pytest.mark.integration

MEGOLM = "m.megolm.v1.aes-sha2"


@dataclass(frozen=True)
class Withheld:
    """A megolm session Alice encrypts with but has shared with nobody yet."""

    room_id: str
    session_id: str
    #: The `m.room_key` content, taken before the first message so it opens every message.
    key: dict[str, str]


def withhold(member: SimulatedMember, room_id: str) -> Withheld:
    """Makes ``member``'s next sends in ``room_id`` use a new session whose key nobody gets:
    marked as shared, nio encrypts with it without sending a single `m.room_key`."""
    olm = member.client.olm
    assert olm is not None
    olm.create_outbound_group_session(room_id)
    session = olm.outbound_group_sessions[room_id]
    session.shared = True
    key = {
        "algorithm": MEGOLM,
        "room_id": room_id,
        "session_id": session.id,
        "session_key": session.session_key,
    }
    return Withheld(room_id, session.id, key)


async def share_late(member: SimulatedMember, withheld: Withheld, user_id: str) -> None:
    """Sends the withheld session's key to every device of ``user_id``, Olm-encrypted."""
    olm = member.client.olm
    assert olm is not None
    devices = list(olm.device_store.active_user_devices(user_id))
    assert devices, f"{member.user_id} knows no device of {user_id}"
    for device in devices:
        session = olm.session_store.get(device.curve25519)
        assert session is not None, "no Olm session with the bot's device (send a message first)"
        payload = olm._olm_encrypt(session, device, "m.room_key", withheld.key)
        message = ToDeviceMessage("m.room.encrypted", user_id, device.id, payload)
        resp = await member.client.to_device(message)
        assert isinstance(resp, ToDeviceResponse), resp


def key_requests(member: SimulatedMember) -> list[RoomKeyRequest]:
    """Collects the room key requests ``member``'s device receives from now on (nio handles
    them itself and passes none to callbacks, so this looks at each sync response)."""
    seen: list[RoomKeyRequest] = []
    receive = member.client.receive_response

    async def spy(response: Any) -> None:
        if isinstance(response, SyncResponse):
            seen.extend(e for e in response.to_device_events if isinstance(e, RoomKeyRequest))
        await receive(response)

    member.client.receive_response = spy  # type: ignore[method-assign]
    return seen


async def _setup(world: World, grace: str) -> tuple[str, SimulatedMember, Path, App]:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Konferens", encrypted=True, invite=[bot.user_id])
    data = minimal_config(
        homeserver=world.hs.url,
        bot_user=bot.user_id,
        base=world.base / "bot",
        forum_room=room,
        members={alice.user_id: ("lst", ["tib"])},
    )
    data["bot"]["undecryptable_grace"] = grace
    config = write_config(data, world.base / "bot" / "config.toml")
    app = await world.start_bot(config)
    # A first message the bot can read: Alice's client now has an Olm session with its device.
    await alice.ask(room, "!whoami", bot.user_id)
    return room, alice, config, app


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    """Polls the bot's own state (the member's view has `wait_until` instead)."""
    for _ in range(int(timeout / 0.1)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


async def _wait(condition: Callable[[], bool], what: str) -> None:
    async def check() -> bool:
        return condition()

    await _until(check, what)


async def _kept(app: App) -> list[str]:
    async with app.db.session() as session:
        return [row.event_id for row in await pending.all_pending(session)]


async def _wait_kept(app: App, event_id: str) -> None:
    async def check() -> bool:
        return event_id in await _kept(app)

    await _until(check, f"{event_id} kept")


def _replies(alice: SimulatedMember, room: str, bot: str, event_id: str) -> list[Seen]:
    return alice.messages(room, sender=bot, reply_to=event_id)


def _answers(alice: SimulatedMember, room: str, bot: str, event_id: str) -> list[Seen]:
    return [m for m in _replies(alice, room, bot, event_id) if m.msgtype == "m.notice"]


def _notices(alice: SimulatedMember, room: str, bot: str) -> list[Seen]:
    """The bot's pings to Alice (the answers to commands are m.notice, never m.text)."""
    return [m for m in alice.messages(room, sender=bot) if m.msgtype == "m.text"]


async def test_a_withheld_command_is_answered_once_when_its_key_comes_even_after_a_restart(
    world: World,
) -> None:
    room, alice, config, app = await _setup(world, grace="5m")
    assert world.bot is not None
    bot = world.bot.user_id
    requests = key_requests(alice)

    # (a) The key is withheld: the bot keeps the event, asks for the key once, does not answer.
    withheld = withhold(alice, room)
    command = await alice.send(room, "!whoami")
    await _wait_kept(app, command)
    await _wait(lambda: any(r.session_id == withheld.session_id for r in requests), "a key request")
    await asyncio.sleep(1.0)
    assert _replies(alice, room, bot, command) == []

    # (b) The key arrives late: the command is answered, once, and no longer kept.
    await share_late(alice, withheld, bot)
    answer = await alice.wait_for_reply(room, command, bot, timeout=20)
    assert "Aktör lst" in answer.body and answer.encrypted
    await _wait(lambda: app.dispatcher.undecryptable.recovered == 1, "one recovered")
    assert await _kept(app) == []

    # (d) Withheld again, the bot restarts, the key comes after the restart: answered once.
    again = withhold(alice, room)
    second = await alice.send(room, "!vem")
    await _wait_kept(app, second)
    await world.stop_bot(app)
    app = await world.start_bot(config)
    assert await _kept(app) == [second]
    await asyncio.sleep(1.0)
    assert _replies(alice, room, bot, second) == []
    await share_late(alice, again, bot)
    await alice.wait_for_reply(room, second, bot, timeout=20)
    await _wait(lambda: app.dispatcher.undecryptable.recovered == 1, "one recovered")
    assert await _kept(app) == []

    await asyncio.sleep(1.5)  # time for a wrong second answer to show up
    assert len(_replies(alice, room, bot, command)) == 1
    assert len(_replies(alice, room, bot, second)) == 1
    assert _notices(alice, room, bot) == []  # both keys came within the grace period
    for session_id in (withheld.session_id, again.session_id):
        assert sum(r.session_id == session_id for r in requests) == 1, session_id


async def test_still_withheld_after_the_grace_period_the_sender_is_told_once(
    world: World,
) -> None:
    room, alice, _, app = await _setup(world, grace="3s")
    assert world.bot is not None
    bot = world.bot.user_id

    # (c) Two messages in one withheld session: one notice, replying to the first of them.
    withheld = withhold(alice, room)
    command = await alice.send(room, "!whoami")
    chat = await alice.send(room, "hej, syns det här?")
    await alice.wait_until(lambda: bool(_notices(alice, room, bot)), timeout=30)
    notice = _notices(alice, room, bot)[0]
    assert notice.reply_to == command
    assert notice.mentions == [alice.user_id]
    assert "kunde inte läsa" in notice.body and "Skicka" in notice.body
    assert "verifiera" in notice.body
    assert notice.encrypted

    async def all_told() -> bool:
        async with app.db.session() as session:
            rows = await pending.all_pending(session)
        return {r.event_id for r in rows if r.notice_sent_at} == {command, chat}

    await _until(all_told, "both messages marked as told", timeout=30)
    await asyncio.sleep(1.5)
    assert len(_notices(alice, room, bot)) == 1
    assert _answers(alice, room, bot, command) == []

    # The key still comes after the notice: the command is answered then, once.
    await share_late(alice, withheld, bot)
    await alice.wait_until(lambda: bool(_answers(alice, room, bot, command)), timeout=20)
    await _wait(lambda: app.dispatcher.undecryptable.recovered == 2, "two recovered")
    assert await _kept(app) == []
    await asyncio.sleep(1.0)
    assert len(_answers(alice, room, bot, command)) == 1
    assert len(_notices(alice, room, bot)) == 1
