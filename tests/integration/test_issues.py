"""Example 1 of the model description on a real homeserver: an observation in the Thursday
conference is lifted to Regional samordningsgrupp, assigned, decided, followed up and closed;
it is on the group's agenda and in the owner's home summary.

The follow-up timer is checked in the scheduler and then run by calling its job's service
method, as the conference tests do for meeting steps (the scheduler itself is tested in
test_schedule.py and test_activation.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.calendar import next_meeting
from storage import audit, timers
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {
    "tib": ("lst", ["tib"]),
    "chef": ("lst", ["samordningschef"]),
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


class Forums(Scene):
    def __init__(self, world: World) -> None:
        super().__init__(
            world, PEOPLE, ACTORS, rooms=("Konferens", "Samordningsgrupp"), outsiders=("olle",)
        )

    @property
    def konferens(self) -> str:
        return self.rooms["Konferens"]

    @property
    def grupp(self) -> str:
        return self.rooms["Samordningsgrupp"]

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"][0].update({"schedule": quiet_schedule(), "host_function": "tib"})
        data["forums"].append(
            {
                "id": "samordningsgrupp",
                "name": "Regional samordningsgrupp",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.grupp,
                "participants": ["lst", "stockholm", "polisen"],
                "host_function": "samordningschef",
                "schedule": quiet_schedule("09:00"),
            }
        )


@pytest.fixture
async def forums(world: World) -> Forums:
    f = Forums(world)
    await f.setup()
    return f


async def test_example_1_raise_escalate_assign_decide_follow_up_close(forums: Forums) -> None:
    f = forums
    assert f.app is not None
    # Raised in the conference; someone outside the config is refused.
    raised = await f.sak.ask(
        f.konferens,
        "!lyft Snöröjning av infarterna | Kommunen och Trafikverket behöver samordna plogning",
        f.bot,
    )
    assert "Ärende #" in raised.body
    number = int(raised.body.split("#", 1)[1].split()[0])
    refused = await f.olle.ask(f.konferens, "!lyft Något", f.bot)
    assert "medlem" in refused.body

    # Lifted to samordningsgrupp; its room is told.
    lifted = await f.sak.ask(f.konferens, f"!eskalera {number} samordningsgrupp", f.bot)
    assert "Regional samordningsgrupp" in lifted.body
    notice = await f.bot_says(f.grupp, lambda m: m.body.startswith("📥"))
    assert f"#{number}" in notice.body and "Snöröjning" in notice.body

    # In samordningsgrupp: a member of a non-participant may not act; the chief assigns.
    outside = await f.hamn.ask(f.grupp, f"!tilldela {number} stockholm", f.bot)
    assert "Du får inte" in outside.body and "Regional samordningsgrupp" in outside.body
    assigned = await f.chef.ask(f.grupp, f"!tilldela {number} stockholm", f.bot)
    assert "Stockholms stad" in assigned.body

    # Decisions need the forum's host function.
    no = await f.sak.ask(f.grupp, f"!besluta {number} Gemensam plogplan", f.bot)
    assert "samordningschef" in no.body and "Du får inte" in no.body
    decided = await f.chef.ask(f.grupp, f"!besluta {number} Gemensam plogplan tas fram", f.bot)
    assert f"#{number}" in decided.body

    # Follow-up: bad dates and unknown numbers are explained; a good one sets a timer.
    bad = await f.chef.ask(f.grupp, f"!uppfölj {number} 31/2", f.bot)
    assert "31/2" in bad.body
    unknown = await f.chef.ask(f.grupp, "!uppfölj 999 imorgon", f.bot)
    assert "#999" in unknown.body and "finns inte" in unknown.body
    malformed = await f.chef.ask(f.grupp, "!uppfölj tolv imorgon", f.bot)
    assert "Användning" in malformed.body
    scheduled = await f.chef.ask(f.grupp, f"!uppfölj {number} imorgon", f.bot)
    assert "09:00" in scheduled.body
    job_id = f"issue:{number}:followup"
    job = f.app.scheduler.get_job(job_id)
    assert job is not None and job.next_run_time > datetime.now(UTC)
    async with f.app.db.session() as session:
        assert await timers.get(session, job_id) is not None  # armed in the database too
    await f.app.timers.fire(job_id)  # as when it rings
    async with f.app.db.session() as session:
        assert await timers.get(session, job_id) is None
    reminder = await f.bot_says(f.grupp, lambda m: m.body.startswith("⏰"))
    assert reminder.mentions == [f.sak.user_id] and f"#{number}" in reminder.body

    # The group's call-in carries the agenda with the issue lifted to it; the owner's home
    # summary lists it.
    forum = f.app.settings.forum("samordningsgrupp")
    assert forum is not None
    trigger = forum.trigger(f.app.settings.zone)
    assert trigger is not None
    meeting_at = next_meeting(forum, trigger, datetime.now(UTC))
    assert meeting_at is not None
    await f.app.services.conference.run_step("samordningsgrupp", "call_in", meeting_at)
    call_in = await f.bot_says(f.grupp, lambda m: m.body.startswith("📣"))
    assert "Dagordning" in call_in.body and f"#{number}" in call_in.body
    assert "Upprop" in call_in.body
    await f.app.services.conference.run_step("samordningsgrupp", "close", meeting_at)
    home = await f.bot_says(f.home["stockholm"], lambda m: "Återföring" in m.body)
    assert f"#{number} Snöröjning" in home.body
    other = await f.bot_says(f.home["polisen"], lambda m: "Återföring" in m.body)
    assert f"#{number}" not in other.body

    # The issue with its whole history, then closed.
    shown = await f.polis.ask(f.grupp, f"!ärende {number}", f.bot)
    for expected in ("Regional samverkanskonferens", "Regional samordningsgrupp", "Gemensam"):
        assert expected in shown.body
    closed = await f.chef.ask(f.grupp, f"!stäng {number} Planen är klar", f.bot)
    assert "stängt" in closed.body
    listed = await f.polis.ask(f.grupp, "!ärenden alla", f.bot)
    assert f"#{number}" not in listed.body
    missing = await f.polis.ask(f.grupp, "!ärende 999", f.bot)
    assert "finns inte" in missing.body

    async with f.app.db.session() as session:
        actions = [e.action for e in await audit.entries(session, subject=f"issue:{number}")]
    assert actions == [
        "issue.raise",
        "issue.escalate",
        "issue.assign",
        "issue.decide",
        "issue.followup",
        "issue.followup_due",
        "issue.close",
    ]
