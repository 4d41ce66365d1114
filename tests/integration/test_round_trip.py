"""The bot answers on a real homeserver: help and whoami, errors, encrypted rooms."""

from __future__ import annotations

import pytest

from bot.demo.member import SimulatedMember
from tests.fixtures.homeserver import World

pytestmark = pytest.mark.integration


async def _setup(
    world: World, encrypted: bool = False
) -> tuple[str, SimulatedMember, SimulatedMember]:
    alice = await world.member("alice")
    outsider = await world.member("olle")
    bot = await world.bot_account()
    room = await alice.create_room(
        "Samverkanskonferens", encrypted=encrypted, invite=[bot.user_id, outsider.user_id]
    )
    await outsider.join(room)
    config = world.config(
        forum_room=room,
        members={alice.user_id: ("lst", ["tib", "rsk-koordinator"])},
        admins=(alice.user_id,),
    )
    await world.start_bot(config)
    return room, alice, outsider


async def test_help_and_whoami_round_trip(world: World) -> None:
    room, alice, outsider = await _setup(world)
    assert world.bot is not None
    bot = world.bot.user_id

    reply = await alice.ask(room, "!whoami", bot)
    assert reply.msgtype == "m.notice"
    assert "Länsstyrelsen" not in reply.body  # the test config names actors "Aktör <id>"
    assert "Aktör lst (lst, kommun)" in reply.body
    assert "tib, rsk-koordinator" in reply.body
    assert "administratör" in reply.body
    assert "<br>" in reply.content["formatted_body"]

    reply = await alice.ask(room, "!hjälp", bot)
    assert "!hjälp [kommando]" in reply.body and "!vem" in reply.body
    assert "<ul>" in reply.content["formatted_body"]

    reply = await alice.ask(room, "!help vem", bot)
    assert reply.body.startswith("!whoami:") and "!vem" in reply.body

    reply = await outsider.ask(room, "!vem", bot)
    assert "inte medlem" in reply.body


async def test_unknown_and_malformed_commands_say_how_to_do_it_right(world: World) -> None:
    room, alice, _ = await _setup(world)
    assert world.bot is not None
    bot = world.bot.user_id

    reply = await alice.ask(room, "!hepl", bot)
    assert "Okänt kommando: !hepl" in reply.body and "Menade du !help?" in reply.body

    reply = await alice.ask(room, "!help too many words", bot)
    assert "oväntat ord: many" in reply.body and "Användning: !hjälp [kommando]" in reply.body

    reply = await alice.ask(room, "!xyzzy", bot)
    assert "Okänt kommando: !xyzzy" in reply.body and "Menade du" not in reply.body


async def test_command_in_encrypted_room(world: World) -> None:
    room, alice, _ = await _setup(world, encrypted=True)
    assert world.bot is not None
    reply = await alice.ask(room, "!whoami", world.bot.user_id)
    assert reply.encrypted, "the bot must answer encrypted in an encrypted room"
    assert "tib, rsk-koordinator" in reply.body
