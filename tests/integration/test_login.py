"""Login: the device is kept across restarts, and a revoked token is replaced by a new login."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from nio import Api

from bot.demo.member import SimulatedMember
from tests.fixtures.homeserver import World

pytestmark = pytest.mark.integration


async def test_device_id_is_reused_across_restarts(world: World) -> None:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Konferens", invite=[bot.user_id])
    config = world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})
    app = await world.start_bot(config)
    device = app.client.device_id
    await world.stop_bot(app)
    app = await world.start_bot(config)
    assert app.client.device_id == device


async def test_revoked_token_logs_in_again_and_still_answers_in_an_encrypted_room(
    world: World,
) -> None:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Konferens", encrypted=True, invite=[bot.user_id])
    config = world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})
    app = await world.start_bot(config)
    first = await alice.ask(room, "!vem", bot.user_id)
    assert first.encrypted
    old_token = app.client.access_token

    # Someone logs the bot's session out (e.g. from another client): the token dies.
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{world.hs.url}/_matrix/client/v3/logout",
            headers={"Authorization": f"Bearer {old_token}"},
            json={},
        ) as resp:
            assert resp.status == 200

    # The bot notices at its next sync, logs in again and publishes device keys again. Only
    # then does Alice write, the way Element does after a device-list change: she fetches the
    # bot's keys anew and starts a new megolm session for the room, whose key must reach the
    # bot's new login (her client remembers the logged-out device as deleted).
    await _wait_for_published_device(alice, bot.user_id, timeout=60)
    assert app.client.access_token != old_token
    alice.client.olm.users_for_key_query.add(bot.user_id)
    await alice.client.keys_query()
    alice.client.invalidate_outbound_session(room)

    reply = await alice.ask(room, "!whoami", bot.user_id, timeout=60)
    assert "Aktör lst" in reply.body and reply.encrypted


async def test_access_token_login_without_a_password(world: World) -> None:
    alice = await world.member("alice")
    bot = await world.bot_account()  # registration is the bot's own login: token + device
    room = await alice.create_room("Konferens", encrypted=True, invite=[bot.user_id])
    config = world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})
    world.bot_env["SAMVERKAN_MATRIX__ACCESS_TOKEN"] = bot.access_token
    app = await world.start_bot(config)
    assert app.client.device_id == bot.device_id
    reply = await alice.ask(room, "!vem", bot.user_id)
    assert "Aktör lst" in reply.body and reply.encrypted


async def _wait_for_published_device(member: SimulatedMember, user_id: str, timeout: float) -> None:
    """Waits until the homeserver hands out keys for one of `user_id`'s devices (the logout
    deleted all the keys the bot had published, so any device now is its new login)."""
    deadline = time.monotonic() + timeout
    client = member.client
    while True:
        method, path, data = Api.keys_query(client.access_token, {user_id})
        resp = await client.send(method, path, data)
        if ((await resp.json()).get("device_keys") or {}).get(user_id):
            return
        assert time.monotonic() < deadline, f"{user_id} published no device keys again"
        await asyncio.sleep(0.2)
