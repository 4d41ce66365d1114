"""`require_encryption = true` on the real homeserver: start-up and check-config name the
configured rooms that are not encrypted, and the bot withholds the combined picture from an
unencrypted forum room with a notice that says how to fix it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.cli import _check_config
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {"tib": ("lst", ["tib"]), "polis": ("polisen", ["vakthavande-befäl"])}
ACTORS = {"lst": "Länsstyrelsen", "polisen": "Polisen"}


class Strict(Scene):
    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, rooms=("Konferens",))

    def configure(self, data: dict[str, Any]) -> None:
        data["bot"]["require_encryption"] = True
        data["forums"][0].update({"schedule": quiet_schedule(), "host_function": "tib"})


async def test_unencrypted_rooms_are_named_and_get_no_picture(
    world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.app")
    scene = Strict(world)
    await scene.setup()
    try:
        forum = scene.rooms["Konferens"]
        for _ in range(100):  # the check runs as a chore after the first sync
            if "actors[polisen].home_room" in caplog.text:
                break
            await asyncio.sleep(0.1)
        for key in ("forums[konferens].room", "actors[lst].home_room", "actors[polisen].home_room"):
            assert f"require_encryption: {key}: " in caplog.text
        assert "is not encrypted" in caplog.text

        await scene.tib.ask(forum, "!möte start", scene.bot)
        await scene.tib.ask(forum, "!läge läge: lugnt", scene.bot)
        reply = await scene.tib.ask(forum, "!lägesbild", scene.bot)
        assert "bara i krypterade rum" in reply.body and "!lägesbild" in reply.body
        assert "Rapporterat" not in reply.body and "Länsstyrelsen" not in reply.body

        # Encrypting one home room takes it off check-config's list (asked over HTTP with the
        # login the bot saved; check-config itself creates no device).
        await scene.tib.client.room_put_state(
            scene.home["lst"], "m.room.encryption", {"algorithm": "m.megolm.v1.aes-sha2"}
        )
        assert scene.config is not None
        capsys.readouterr()
        assert await asyncio.to_thread(_check_config, str(scene.config)) == 0
        err = capsys.readouterr().err
        assert "warning: forums[konferens].room: " in err
        assert "warning: actors[polisen].home_room: " in err
        assert "actors[lst].home_room" not in err
    finally:
        await scene.stop()
