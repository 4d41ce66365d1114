"""The living picture on a real homeserver, as a client sees it: during a reporting round the
picture is one message, edited in place (``m.replace``) with each report and pinned in the
room (the bot was given the power to pin)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from nio import RoomGetStateEventResponse

from tests.fixtures.homeserver import World
from tests.integration.test_activation import Storm

pytestmark = pytest.mark.integration


class Living(Storm):
    def configure(self, data: dict[str, Any]) -> None:
        super().configure(data)
        data["forums"][0].update({"report_interval": "1h", "reminder_before": "10m"})


async def _let_the_bot_pin(s: Living) -> None:
    client = s.tib.client
    levels = await client.room_get_state_event(s.room, "m.room.power_levels")
    assert isinstance(levels, RoomGetStateEventResponse)
    content = dict(levels.content)
    content["users"] = {**content.get("users", {}), s.bot: 50}
    await client.room_put_state(s.room, "m.room.power_levels", content)


async def test_the_round_picture_is_one_message_edited_in_place_and_pinned(world: World) -> None:
    s = Living(world)
    await s.setup()
    await _let_the_bot_pin(s)
    await s.tib.ask(s.room, "!aktivera samordnande Snöstorm", s.bot)
    await s.wait_bot_message(lambda m: m.body.startswith("🚨"), s.room)

    await s.sak.ask(s.room, "!läge Plogning pågår.\nbehov: sand", s.bot)
    living = await s.wait_bot_message(lambda m: "uppdateras här" in m.body, s.room)
    assert "Solna stad" in living.body

    await s.polis.ask(s.room, "!läge Många avåkningar.\nberedskap: stabsläge", s.bot)

    def edit_of_living() -> Any:
        for m in s.bot_messages(s.room, "tib"):
            relates = m.content.get("m.relates_to") or {}
            new = m.content.get("m.new_content") or {}
            if (
                relates.get("rel_type") == "m.replace"
                and relates.get("event_id") == living.event_id
            ):
                if "Polisen" in str(new.get("body", "")):
                    return m
        return None

    await s.tib.wait_until(lambda: edit_of_living() is not None, 30)
    edit = edit_of_living()
    assert edit.body.startswith("* ")
    assert "Solna stad" in edit.content["m.new_content"]["body"]
    # Still one living message: the edit is not a new picture.
    heads = [m for m in s.bot_messages(s.room, "tib") if "uppdateras här" in m.body]
    assert [m.event_id for m in heads if not m.body.startswith("* ")] == [living.event_id]

    async def pinned() -> list[str]:
        state = await s.tib.client.room_get_state_event(s.room, "m.room.pinned_events")
        if not isinstance(state, RoomGetStateEventResponse):
            return []
        return list(state.content.get("pinned", []))

    for _ in range(50):
        if living.event_id in await pinned():
            break
        await asyncio.sleep(0.2)
    assert living.event_id in await pinned()
