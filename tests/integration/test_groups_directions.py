"""Example 4 of the model description on a real homeserver: the activated samordnande forum forms
an analysis group (its own room, members invited), the group reports into the combined picture
and drafts a joint regional direction, which the inriktande forum adopts and sends home.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from storage import groups
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.integration.test_journal import pdf_text

pytestmark = pytest.mark.integration

PEOPLE = {
    "tib": ("lst", ["tib"]),
    "lod": ("lst", ["länsöverdirektör"]),
    "sak": ("stockholm", ["säkerhetschef"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
    "hamn": ("hamnar", ["hamnkapten"]),
}
ACTORS = {
    "lst": "Länsstyrelsen Stockholm",
    "stockholm": "Stockholms stad",
    "polisen": "Polisen region Stockholm",
    "hamnar": "Stockholms hamnar",
}
PARTICIPANTS = ["lst", "stockholm", "polisen"]


class Example4(Scene):
    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, rooms=("Samordnande", "Inriktande"))

    @property
    def samordnande(self) -> str:
        return self.rooms["Samordnande"]

    @property
    def inriktande(self) -> str:
        return self.rooms["Inriktande"]

    def configure(self, data: dict[str, Any]) -> None:
        common = {"mode": "aktiverat", "participants": PARTICIPANTS, "report_interval": "1h"}
        data["forums"] = [
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "room": self.samordnande,
                "activators": ["tib"],
                "host_function": "tib",
                **common,
            },
            {
                "id": "inriktande",
                "name": "Regionalt inriktande forum",
                "level": "inriktande",
                "room": self.inriktande,
                "activators": ["länsöverdirektör"],
                "host_function": "länsöverdirektör",
                **common,
            },
        ]
        data["groups"] = [
            {
                "id": "kommunikation",
                "name": "Kommunikation",
                "reports_to": "samordnande",
                "members": ["polisen"],
                "task": "Gemensamma budskap",
            }
        ]

    async def group_room(self, slug: str) -> str:
        """The room of open group `slug` (standing groups are set up just after start)."""
        assert self.app is not None
        for _ in range(100):
            async with self.app.db.session() as session:
                found = await groups.find_open(session, slug)
            if found and found[0].room_id is not None:
                return found[0].room_id
            await asyncio.sleep(0.2)
        raise AssertionError(f"no open group {slug} with a room")


@pytest.fixture
async def example(world: World) -> Example4:
    e = Example4(world)
    await e.setup()
    return e


async def test_example_4_analysis_group_and_joint_direction(example: Example4) -> None:
    e = example
    # The standing theme group from the config has its room, with the actor's member invited.
    standing = await e.group_room("kommunikation")
    await e.polis.wait_until(lambda: standing in e.polis.client.rooms, 30)
    await e.tib.ask(e.samordnande, "!aktivera samordnande Snöoväder klass 2", e.bot)

    # An analysis group under the activated forum, in a room of its own.
    outsider = await e.hamn.ask(e.samordnande, "!grupp skapa analys", e.bot)
    assert "Du får inte" in outsider.body
    created = await e.tib.ask(
        e.samordnande, "!grupp skapa analys --uppdrag Analysera påverkan på trafiken", e.bot
    )
    assert "analys" in created.body
    room = await e.group_room("analys")
    await e.tib.wait_until(lambda: room in e.tib.client.rooms, 30)
    assigned = await e.tib.ask(
        e.samordnande, f"!grupp tilldela analys polisen {e.sak.user_id}", e.bot
    )
    assert "Polisen region Stockholm" in assigned.body and e.sak.user_id in assigned.body
    for who in (e.polis, e.sak):
        await who.wait_until(lambda w=who: room in w.client.rooms, 30)
    unknown = await e.tib.ask(e.samordnande, "!grupp tilldela analys nåkon", e.bot)
    assert "varken en aktör" in unknown.body

    # The group reports from its room; the report reaches the forum and its picture.
    reported = await e.polis.ask(room, "!grupp rapport analys E4 stängs i natt; omledning", e.bot)
    assert "Regionalt samordnande forum" in reported.body
    await e.bot_says(e.samordnande, lambda m: m.body.startswith("📝"))
    picture = await e.tib.ask(e.samordnande, "!lägesbild", e.bot)
    assert "Rapporter från arbetsgrupper" in picture.body and "E4 stängs i natt" in picture.body

    # The group drafts a direction; only the inriktande forum's mandate adopts it.
    draft = await e.sak.ask(
        room,
        "!inriktning utkast mål: Säkra framkomligheten till samhällsviktiga verksamheter\n"
        "prioriteringar: sjukhus, räddningstjänst, kollektivtrafik\n"
        "riktlinjer: plogning enligt gemensam prioritering\n"
        "budskap: Undvik onödiga resor",
        e.bot,
    )
    assert "#1" in draft.body and "Säkra framkomligheten" in draft.body
    wrong_room = await e.tib.ask(e.samordnande, "!inriktning fastställ 1", e.bot)
    assert "inriktande forums rum" in wrong_room.body
    no_mandate = await e.sak.ask(e.inriktande, "!inriktning fastställ 1", e.bot)
    assert "länsöverdirektör" in no_mandate.body and "Du får inte" in no_mandate.body
    missing = await e.lod.ask(e.inriktande, "!inriktning fastställ 9", e.bot)
    assert "#9" in missing.body
    adopted = await e.lod.ask(e.inriktande, "!inriktning fastställ 1", e.bot)
    assert "3 hemorganisationer" in adopted.body
    for actor in PARTICIPANTS:
        home = await e.bot_says(e.home[actor], lambda m: "fastställd" in m.body)
        assert "Undvik onödiga resor" in home.body
    await e.bot_says(e.samordnande, lambda m: "fastställd av" in m.body)
    again = await e.lod.ask(e.inriktande, "!inriktning fastställ 1", e.bot)
    assert "redan fastställd" in again.body

    # The direction tops later pictures while the activation lasts; the group is listed.
    picture = await e.tib.ask(e.samordnande, "!lägesbild", e.bot)
    assert "Gemensam regional inriktning" in picture.body
    assert picture.body.index("inriktning") < picture.body.index("Rapporter från arbetsgrupper")
    listed = await e.polis.ask(e.samordnande, "!grupper", e.bot)
    assert "Analysera påverkan" in listed.body and "E4 stängs" in listed.body

    # The activation's journal holds what the group said and what the direction says.
    await e.tib.ask(e.samordnande, "!exportera aktivering", e.bot)
    posted = await e.bot_says(e.samordnande, lambda m: m.msgtype == "m.file")
    journal = pdf_text(await e.tib.download(posted))
    for expected in (
        "Grupprapport: grupp: analys; E4 stängs i natt; omledning",
        "Inriktning föreslagen: #1 Mål: Säkra framkomligheten",
        "Beslut: inriktning: #1 Mål: Säkra framkomligheten",
        "Gemensamma budskap: Undvik onödiga resor",
    ):
        assert expected in journal, expected
    assert journal.index("Grupprapport") < journal.index("Inriktning föreslagen")

    # Deactivation closes the group formed for the event; its report is kept in the summary.
    await e.tib.ask(e.samordnande, "!avaktivera samordnande", e.bot)
    after = await e.polis.ask(e.samordnande, "!grupper", e.bot)
    assert "Analysera" not in after.body and "Gemensamma budskap" in after.body
