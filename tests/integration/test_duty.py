"""Duty rosters on a real homeserver: an alert reaches only the person on duty and moves with
an override, the next in turn is alerted when the person on duty does not answer, hand-offs
are told in direct messages (across a daylight-saving change), relayed reports, bad commands.

Who is on duty today follows from the roster and today's date, so the tests ask the bot's own
`Duty` who that is and assert what each person then sees.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import icalendar
import pytest
from sqlalchemy import select

from bot.demo.homeserver import free_port
from bot.demo.member import SimulatedMember
from bot.scheduling.jobs import JOBS
from bot.scheduling.kinds import JobKind
from storage import alerts, audit
from storage.models import Alert, Timer
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene

pytestmark = pytest.mark.integration

PEOPLE = {
    # name: (actor, functions); anna, bo and cilla are on the TiB roster only
    "host": ("lst", ["rsk-koordinator"]),
    "anna": ("lst", []),
    "bo": ("lst", []),
    "cilla": ("lst", []),
    "sos": ("sos", ["kontaktperson"]),
}
ACTORS = {"lst": "Länsstyrelsen Stockholm", "sos": "SOS Alarm"}
ROSTER = ("anna", "bo", "cilla")


class Watch(Scene):
    def __init__(self, world: World, ack_timeout: str, web_token: str | None = None) -> None:
        super().__init__(world, PEOPLE, ACTORS, ("Samverkan", "Larm"), outsiders=("olle",))
        self.ack_timeout = ack_timeout
        self.web_token = web_token

    @property
    def room(self) -> str:
        return self.rooms["Samverkan"]

    @property
    def alerts_room(self) -> str:
        return self.rooms["Larm"]

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"][0].update({"participants": list(ACTORS), "host_function": "rsk-koordinator"})
        data["alerts"] = {
            "room": self.alerts_room,
            "ack_timeout": self.ack_timeout,
            "max_repeats": 2,
            "escalate_to": ["rsk-koordinator"],
        }
        if self.web_token:
            self.world.bot_env["SAMVERKAN_WEB__TOKEN"] = self.web_token
            data["web"] = {"enabled": True, "host": "127.0.0.1", "port": free_port()}
        data["rosters"] = [
            {
                "function": "tib",
                "actor": "lst",
                "rotation": "weekly",
                "handoff": "mon 08:00",
                "start": "2026-01-05",
                "members": [self.people[n].user_id for n in ROSTER],
            }
        ]

    def name_of(self, user_id: str | None) -> str:
        return next(n for n, m in self.people.items() if m.user_id == user_id)

    def on_duty(self) -> str:
        assert self.app is not None
        current = self.app.services.duty.on_duty("tib")
        assert current is not None
        return self.name_of(current.user)

    async def direct_rooms_joined(self) -> None:
        """Until every roster member has joined the direct room the bot prepared at start (a
        message sent before they join is encrypted for no device of theirs)."""
        shared = {*self.rooms.values(), *self.home.values()}
        for name in ROSTER:
            member = self.people[name]
            await member.wait_until(
                lambda m=member: any(
                    room_id not in shared and self.bot in room.users
                    for room_id, room in m.client.rooms.items()
                ),
                30,
            )

    def direct(self, who: str) -> list[str]:
        """What the bot said to `who` in rooms other than the scene's (their direct room)."""
        member = self.people[who]
        shared = {*self.rooms.values(), *self.home.values()}
        return [
            m.body
            for m in member.seen
            if m.sender == self.bot and m.room_id not in shared and m.type == "m.room.message"
        ]

    async def recipients(self) -> list[str]:
        assert self.app is not None
        async with self.app.db.session() as session:
            alert = (await session.execute(select(Alert).order_by(Alert.id.desc()))).scalars()
            latest = await alerts.get(session, alert.first().id)  # type: ignore[union-attr]
            assert latest is not None
            return [self.name_of(r.user_id) for r in latest.recipients]


async def started(world: World, ack_timeout: str, web_token: str | None = None) -> Watch:
    watch = Watch(world, ack_timeout, web_token)
    await watch.setup()
    return watch


async def wait_for(member: SimulatedMember, condition: Any, timeout: float = 30) -> None:
    await member.wait_until(condition, timeout)


async def test_an_alert_reaches_the_person_on_duty_and_moves_with_an_override(
    world: World,
) -> None:
    w = await started(world, ack_timeout="10m")
    holder = w.on_duty()
    other = next(n for n in ROSTER if n != holder)
    third = next(n for n in ROSTER if n not in (holder, other))

    me = await w.people[holder].ask(w.room, "!vem", w.bot)
    assert "Du har tjänsten tib just nu." in me.body
    them = await w.people[other].ask(w.room, "!vem", w.bot)
    assert f"just nu har {w.people[holder].user_id} tjänsten" in them.body
    shown = await w.host.ask(w.room, "!tjänst", w.bot)
    assert f"tib (Länsstyrelsen Stockholm): {w.people[holder].user_id}" in shown.body

    await w.host.ask(w.alerts_room, "!larma tib Brand i Solna, ring SOS", w.bot)
    ping = await w.bot_says(w.alerts_room, lambda m: "Larm #" in m.body and bool(m.mentions))
    assert ping.mentions == [w.people[holder].user_id]  # only the person on duty
    assert await w.recipients() == [holder]

    # Bad input is answered and changes nothing.
    refusals = [
        (other, "!tjänst ta rsk", "har ingen jourlista"),
        (holder, f"!tjänst ge tib {w.olle.user_id}", "står inte på jourlistan"),
        (other, f"!tjänst ge tib {w.people[third].user_id}", "Bara den som har tjänsten"),
        (other, "!tjänst ta tib till 2020-01-01", "har redan varit"),
        (other, "!tjänst släpp tib", "inget att släppa"),
        (other, "!tjänst byt tib", "!tjänst ta FUNKTION"),
        ("olle", "!tjänst ta tib", "medlem"),
    ]
    for who, command, says in refusals:
        answer = await w.people[who].ask(w.room, command, w.bot)
        assert says in answer.body, (command, answer.body)
    assert w.on_duty() == holder and await w.recipients() == [holder]

    # The other roster member takes over: the alert is theirs alone, both are told.
    taken = await w.people[other].ask(w.room, "!tjänst ta tib", w.bot)
    assert "har nu tjänsten tib till" in taken.body
    moved = await w.bot_says(
        w.alerts_room, lambda m: "Larm #" in m.body and m.mentions and m.event_id != ping.event_id
    )
    assert moved.mentions == [w.people[other].user_id]
    assert await w.recipients() == [other]
    await wait_for(
        w.people[other],
        lambda: any("Du har nu tjänsten tib" in b and "Okvitterad" in b for b in w.direct(other)),
    )
    await wait_for(w.people[holder], lambda: any("överlämnad till" in b for b in w.direct(holder)))
    brief = next(b for b in w.direct(other) if "Du har nu tjänsten tib" in b)
    assert "Brand i Solna" in brief and "!kvittera" in brief
    listed = await w.host.ask(w.room, "!duty", w.bot)
    assert f"{w.people[other].user_id}" in listed.body and "(övertagen)" in listed.body

    # The old holder's ✅ no longer counts; the new holder's !ack does.
    old = await w.people[holder].ask(w.alerts_room, "!kvittera", w.bot)
    assert "inga" in old.body.casefold() or "inget" in old.body.casefold()
    acked = await w.people[other].ask(w.alerts_room, "!kvittera", w.bot)
    assert "#" in acked.body

    # Released: the roster's turn holds again, and the timer of the next change is armed.
    released = await w.people[other].ask(w.room, "!tjänst släpp tib", w.bot)
    assert w.people[holder].user_id in released.body
    assert w.on_duty() == holder
    assert w.app is not None
    async with w.app.db.session() as session:
        rows = (await session.execute(select(Timer))).scalars().all()
        timers = {row.job_id: row for row in rows}
        actions = [e.action for e in await audit.recent(session, 50)]
    change = w.app.services.duty.next_change("tib")
    assert change is not None and f"duty:tib:{change.isoformat()}" in timers
    armed = timers[f"duty:tib:{change.isoformat()}"]
    assert JobKind.of(armed.func) is JobKind.DUTY_HANDOFF and armed.args[0] == "tib"
    assert armed.args[2] == w.people[holder].user_id  # who hands over then
    assert {"duty.take", "duty.release", "alert.handoff"} <= set(actions)


async def test_the_next_in_turn_is_alerted_when_the_person_on_duty_does_not_answer(
    world: World,
) -> None:
    w = await started(world, ack_timeout="3s")
    holder = w.on_duty()
    assert w.app is not None
    following = w.name_of(w.app.services.duty.next_in_turn("tib"))
    await w.host.ask(w.alerts_room, "!larma tib Stormen, ring in", w.bot)
    repeat = await w.bot_says(w.alerts_room, lambda m: "Påminnelse 1" in m.body, timeout=30)
    assert set(repeat.mentions) == {w.people[holder].user_id, w.people[following].user_id}
    assert sorted(await w.recipients()) == sorted([holder, following])
    third = next(n for n in ROSTER if n not in (holder, following))
    assert not any("Larm" in b for b in w.direct(third))  # the third is not disturbed


async def test_a_handoff_across_daylight_saving_a_relayed_report_and_the_web(
    world: World,
) -> None:
    token = secrets.token_urlsafe(24)
    w = await started(world, ack_timeout="10m", web_token=token)
    assert w.app is not None
    await w.direct_rooms_joined()
    duty = w.app.services.duty
    # Summer time began on Sunday 29 March 2026: Monday's 08:00 hand-off is 06:00 UTC.
    before = duty.on_duty("tib", datetime(2026, 3, 30, 5, 59, tzinfo=UTC))
    after = duty.on_duty("tib", datetime(2026, 3, 30, 6, 0, tzinfo=UTC))
    assert before is not None and after is not None and before.user != after.user
    assert before.until == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    await w.app.services.handoff.due("tib", "2026-03-30T08:00:00+02:00", before.user)
    incoming, outgoing = w.name_of(after.user), w.name_of(before.user)
    await wait_for(
        w.people[incoming], lambda: any("Du har nu tjänsten tib" in b for b in w.direct(incoming))
    )
    await wait_for(
        w.people[outgoing], lambda: any("överlämnad till" in b for b in w.direct(outgoing))
    )
    # Run again, as the scheduler runs it (a timer that fired twice): nothing more is posted.
    assert w.app.timers.context is not None
    args = ["tib", "2026-03-30T08:00:00+02:00", before.user]
    await JOBS[JobKind.DUTY_HANDOFF](w.app.timers.context, *args)
    await asyncio.sleep(1)
    assert sum("Du har nu tjänsten tib" in b for b in w.direct(incoming)) == 1

    # The host relays SOS Alarm's report taken by phone; SOS may not relay for others.
    await w.host.ask(w.room, "!möte start", w.bot)
    receipt = await w.host.ask(w.room, "!läge --aktör sos Läge: hög belastning i växeln", w.bot)
    assert "SOS Alarm" in receipt.body
    refused = await w.sos.ask(w.room, "!läge --aktör lst Läge: lugnt", w.bot)
    assert "Du kan inte rapportera för lst" in refused.body
    picture = await w.host.ask(w.room, "!lägesbild", w.bot)
    assert f"SOS Alarm (vidarebefordrad av {w.host.user_id})" in picture.body
    assert "hög belastning i växeln" in picture.body

    # The dashboard shows who is on duty; the calendar lists the roster's shifts.
    assert w.app.web is not None
    url, bearer = w.app.web.url, {"Authorization": f"Bearer {token}"}
    holder = duty.on_duty("tib")
    assert holder is not None and holder.user is not None
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/", headers=bearer) as resp:
            page = await resp.text()
        async with http.get(
            f"{url}/calendar.ics", params={"roster": "tib", "token": token}
        ) as resp:
            assert resp.status == 200
            feed = icalendar.Calendar.from_ical(await resp.read())
        async with http.get(
            f"{url}/calendar.ics", params={"roster": "nej"}, headers=bearer
        ) as resp:
            assert resp.status == 404
            assert "Ingen jourlista för nej" in await resp.text()
    row = page.split('data-function="tib"')[1].split("</tr>")[0]
    assert holder.user in row
    events = [e for e in feed.walk("VEVENT")]
    assert len(events) == 26
    assert str(events[0]["SUMMARY"]) == f"tib: {holder.user}"
    starts = [e.decoded("DTSTART") for e in events]
    assert all(s.astimezone(ZoneInfo("Europe/Stockholm")).hour == 8 for s in starts)
    users = [str(e["SUMMARY"]).split(": ")[1] for e in events]
    assert users[:3] == users[3:6] and len(set(users[:3])) == 3  # everyone in turn
