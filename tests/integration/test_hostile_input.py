"""Floods and very long messages on the real homeserver: answered politely, nothing stored,
and the bot keeps answering everyone else.

Events over 64 KiB never reach the bot: Synapse refuses them (M_TOO_LARGE) before they are
stored, so the longest message the bot can meet is just under that; `[limits]
max_message_length` answers those."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models.meetings import SituationReport
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {"tib": ("lst", ["tib"]), "polis": ("polisen", ["vakthavande-befäl"])}
ACTORS = {"lst": "Länsstyrelsen", "polisen": "Polisen"}


class Room(Scene):
    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, rooms=("Konferens",))

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"][0].update({"schedule": quiet_schedule(), "host_function": "tib"})
        data["limits"] = {"commands_per_window": 5, "window": "1m", "max_message_length": 20000}


@pytest.fixture
async def room(world: World) -> Room:
    scene = Room(world)
    await scene.setup()
    yield scene  # type: ignore[misc]
    await scene.stop()


async def reports_stored(scene: Room) -> int:
    assert scene.app is not None
    async with scene.app.db.session() as session:
        return int(
            (await session.execute(select(func.count()).select_from(SituationReport))).scalar_one()
        )


async def test_a_very_long_report_is_answered_and_not_stored(room: Room) -> None:
    forum = room.rooms["Konferens"]
    await room.tib.ask(forum, "!möte start", room.bot)
    text = "läge: " + ("snö och halka på E4 " * 2500)  # 50,006 characters, about 55 KB
    reply = await room.tib.ask(forum, "!läge " + text, room.bot)
    assert "för långt (50" in reply.body and "högst 20000" in reply.body
    assert "Inget har sparats" in reply.body
    assert await reports_stored(room) == 0
    reply = await room.tib.ask(forum, "!läge läge: lugnt", room.bot)  # a normal one still works
    assert "Länsstyrelsen" in reply.body
    assert await reports_stored(room) == 1


async def test_a_flood_gets_one_polite_answer_and_others_are_still_answered(room: Room) -> None:
    forum = room.rooms["Konferens"]
    flood = [await room.polis.send(forum, "!vem") for _ in range(15)]
    # Meanwhile someone else is answered as usual.
    reply = await room.tib.ask(forum, "!vem", room.bot)
    assert "tib" in reply.body
    await room.polis.wait_until(
        lambda: len(room.polis.messages(forum, sender=room.bot)) >= 7, timeout=60
    )
    await asyncio.sleep(2)  # anything more the bot would say about the flood has arrived
    answered = {
        m.reply_to: m.body for m in room.polis.messages(forum, sender=room.bot) if m.reply_to
    }
    to_flood = [answered[e] for e in flood if e in answered]
    assert len(to_flood) == 6  # five answers, then one notice, then silence
    assert all("vakthavande-befäl" in body for body in to_flood[:5])
    assert "för tätt" in to_flood[5] and "Vänta" in to_flood[5]
