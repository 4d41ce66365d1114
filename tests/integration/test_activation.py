"""Activated mode on a real homeserver: requests, activation, alerts that must be acknowledged,
reporting rounds, host, exercise markers, deactivation, and a restart in the middle.

Durations are seconds (report_interval 10 s, ack_timeout 3 s), so the persistent timers run for
real, through the scheduler, as they do in production.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.demo.member import Seen
from storage import audit
from storage.models.activations import Activation, ActivationState
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene

pytestmark = pytest.mark.integration

PEOPLE = {
    # name: (actor, functions)
    "tib": ("lst", ["tib"]),
    "rsk": ("lst", ["rsk-koordinator"]),
    "sak": ("solna", ["säkerhetschef"]),
    "komm_solna": ("solna", ["kommunikatör"]),
    "komm_polis": ("polisen", ["kommunikatör"]),
    "komm_tv": ("trafikverket", ["kommunikatör"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
}
ACTOR_NAMES = {
    "lst": "Länsstyrelsen Stockholm",
    "solna": "Solna stad",
    "polisen": "Polisen region Stockholm",
    "trafikverket": "Trafikverket",
}
COMMUNICATORS = ("komm_solna", "komm_polis", "komm_tv")


class Storm(Scene):
    """The people, rooms and running bot of one test: a snow warning, class 2."""

    def __init__(self, world: World, request_timeout: str = "30m") -> None:
        rooms = ("Regionalt samordnande forum", "Kommunikatörer")
        super().__init__(world, PEOPLE, ACTOR_NAMES, rooms, outsiders=("olle",))
        self.request_timeout = request_timeout

    @property
    def room(self) -> str:
        return self.rooms["Regionalt samordnande forum"]

    @property
    def alerts_room(self) -> str:
        return self.rooms["Kommunikatörer"]

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"] = [
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.room,
                "participants": list(ACTOR_NAMES),
                "host_function": "tib",
                "activators": ["tib"],
                "alert_functions": ["kommunikatör"],
                "report_interval": "10s",
                "reminder_before": "6s",
                "report_deadline_before": "3s",
            }
        ]
        data["alerts"] = {
            "room": self.alerts_room,
            "ack_timeout": "3s",
            "max_repeats": 1,
            "escalate_to": ["rsk-koordinator"],
            "request_timeout": self.request_timeout,
        }

    async def wait_bot_message(
        self, predicate: Any, room: str, who: str = "tib", timeout: float = 30
    ) -> Seen:
        return await self.bot_says(room, predicate, who, timeout)

    def direct_room(self, who: str) -> str:
        """The room the bot created to reach `who` privately."""
        member = self.people[who]
        for room_id, room in member.client.rooms.items():
            if room_id not in (self.room, self.alerts_room, *self.home.values()) and (
                self.bot in room.users
            ):
                return room_id
        raise AssertionError(f"{who} has no direct room with the bot")

    async def wait_until_acked(self, count: int) -> None:
        """Until `count` acknowledgements are recorded (a reaction has no reply to wait for)."""
        for _ in range(100):
            if (await self.audit_actions()).count("alert.ack") >= count:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"fewer than {count} acknowledgements")

    async def activation(self) -> Activation:
        assert self.app is not None
        async with self.app.db.session() as session:
            from sqlalchemy import select

            result = await session.execute(select(Activation).order_by(Activation.id.desc()))
            row = result.scalars().first()
            assert row is not None
            return row

    async def audit_actions(self) -> list[str]:
        assert self.app is not None
        async with self.app.db.session() as session:
            return [e.action for e in reversed(await audit.recent(session, 200))]


@pytest.fixture
async def storm(world: World) -> Storm:
    day = Storm(world)
    await day.setup()
    return day


@pytest.fixture
async def impatient_storm(world: World) -> Storm:
    """Requests lapse after 3 s."""
    day = Storm(world, request_timeout="3s")
    await day.setup()
    return day


async def test_declined_and_unanswered_requests_are_recorded(impatient_storm: Storm) -> None:
    s = impatient_storm
    await s.sak.ask(s.room, "!aktivera samordnande Snö", s.bot)
    request = await s.wait_bot_message(lambda m: m.body.startswith("🙋"), s.room)
    # A ❌ from someone who is no activator does nothing; from the TiB it declines.
    await s.polis.react(s.room, request.event_id, "❌")
    await s.tib.react(s.room, request.event_id, "❌")
    declined = await s.wait_bot_message(lambda m: "avböjdes" in m.body, s.room)
    assert declined.mentions == [s.sak.user_id] and s.tib.user_id in declined.body
    first = await s.activation()
    assert first.state == ActivationState.DECLINED and first.ended_by == s.tib.user_id

    # Asked again and left unanswered: it lapses, the requester is told, nothing activates.
    await s.sak.ask(s.room, "!aktivera samordnande Mer snö", s.bot)
    lapsed = await s.wait_bot_message(lambda m: "förfallit" in m.body, s.room, timeout=20)
    assert lapsed.mentions == [s.sak.user_id]
    second = await s.activation()
    assert second.id != first.id and second.state == ActivationState.EXPIRED
    assert second.ended_by is None
    actions = await s.audit_actions()
    assert actions.count("activation.request") == 2
    assert "activation.declined" in actions and "activation.expired" in actions
    assert "activation.activate" not in actions
    # A ✅ on the lapsed request activates nothing.
    await s.tib.react(s.room, request.event_id)
    await asyncio.sleep(1)
    assert (await s.activation()).state == ActivationState.EXPIRED


async def test_request_confirmed_by_reaction_alerts_acked_repeated_escalated(storm: Storm) -> None:
    s = storm
    # Someone outside the config may not even ask; an unknown forum gets the list.
    refused = await s.olle.ask(s.room, "!aktivera samordnande", s.bot)
    assert "medlem" in refused.body
    unknown = await s.sak.ask(s.room, "!aktivera snöforum", s.bot)
    assert "samordnande" in unknown.body and "Okänt forum" in unknown.body

    # A municipality asks (by the forum's full name, any case); the activators are pinged.
    asked = await s.sak.ask(
        s.room, "!aktivera Regionalt Samordnande Forum Snöoväder klass 2 väntas", s.bot
    )
    assert "begäran" in asked.body.casefold()
    request = await s.wait_bot_message(lambda m: m.body.startswith("🙋"), s.room)
    assert request.msgtype == "m.text" and s.tib.user_id in request.mentions
    assert "Snöoväder klass 2 väntas" in request.body and s.sak.user_id in request.body
    assert (await s.activation()).state == ActivationState.REQUESTED
    # A second request while one waits changes nothing.
    again = await s.polis.ask(s.room, "!aktivera samordnande", s.bot)
    assert "väntar redan" in again.body

    # Only activators may deactivate (or decline): refused with the reason.
    no = await s.sak.ask(s.room, "!avaktivera samordnande", s.bot)
    assert "Du får inte använda !avaktivera" in no.body and "tib" in no.body
    assert (await s.activation()).state == ActivationState.REQUESTED

    # The TiB confirms with ✅ on the request: activated, announced with everyone called in.
    await s.tib.react(s.room, request.event_id)
    announce = await s.wait_bot_message(lambda m: m.body.startswith("🚨"), s.room)
    assert announce.msgtype == "m.text"
    assert set(announce.mentions) == {m.user_id for n, m in s.people.items() if n != "olle"}
    assert "Snöoväder klass 2 väntas" in announce.body
    assert "Länsstyrelsen Stockholm" in announce.body  # host: the activator's organisation
    assert "Rapportrunda 1" in announce.body
    row = await s.activation()
    assert row.state == ActivationState.ACTIVE and row.activated_by == s.tib.user_id
    assert row.requested_by == s.sak.user_id

    # The host moves; a report goes to the current round (before round 1's picture at 7 s).
    host = await s.tib.ask(s.room, "!värd polisen", s.bot)
    assert "Värdskap" in host.body and "Polisen region Stockholm" in host.body
    receipt = await s.sak.ask(s.room, "!läge Plogning pågår.\nbehov: sand", s.bot)
    assert "Solna stad" in receipt.body

    # Communicators: one ping in the alerts room mentioning all three, and a direct message.
    alert = await s.wait_bot_message(lambda m: "Larm #" in m.body, s.alerts_room, "komm_solna")
    assert alert.msgtype == "m.text"
    assert set(alert.mentions) == {s.people[n].user_id for n in COMMUNICATORS}
    for name in COMMUNICATORS:
        await s.people[name].wait_until(lambda n=name: _has_direct_alert(s, n), 20)

    # Acknowledged by reaction in the alerts room, by command in the direct room.
    await s.komm_solna.react(s.alerts_room, alert.event_id)
    dm = s.direct_room("komm_polis")
    acked = await s.komm_polis.ask(dm, "!kvittera", s.bot)
    assert "Kvitterat" in acked.body

    # The third is pinged again after ack_timeout, alone, then escalated to rsk-koordinator.
    repeat = await s.wait_bot_message(lambda m: "Påminnelse 1" in m.body, s.alerts_room)
    assert repeat.mentions == [s.komm_tv.user_id]
    escalation = await s.wait_bot_message(lambda m: "Eskalering" in m.body, s.alerts_room)
    assert escalation.mentions == [s.rsk.user_id] and s.komm_tv.user_id in escalation.body
    assert s.komm_solna.user_id not in escalation.body
    status = await s.tib.ask(s.room, "!larmlista 1", s.bot)
    assert "reaktion" in status.body and "kommando" in status.body

    # Activating an active forum again says so and changes nothing.
    already = await s.tib.ask(s.room, "!aktivera samordnande", s.bot)
    assert "redan aktiverat" in already.body

    # Round 1's picture comes at its deadline, round 2's call-in after report_interval.
    picture = await s.wait_bot_message(
        lambda m: (
            "rapportrunda 1" in m.body.casefold()
            and "Solna stad" in m.body
            and "Värd: Polisen" in m.body
        ),
        s.room,
    )
    assert picture.msgtype == "m.notice"
    await s.wait_bot_message(lambda m: m.body.startswith("📣 Rapportrunda 2"), s.room)

    # Deactivation: final picture, the summary in the forum and every home room.
    await s.tib.send(s.room, "!avaktivera samordnande")
    summary = await s.wait_bot_message(lambda m: "Sammanfattning" in m.body, s.room)
    assert "Snöoväder" in summary.body and s.komm_tv.user_id in summary.body
    for actor, room in s.home.items():
        home = await s.wait_bot_message(lambda m: "Sammanfattning" in m.body, room)
        assert "Regionalt samordnande forum" in home.body, actor
    row = await s.activation()
    assert row.state == ActivationState.ENDED and row.ended_by == s.tib.user_id
    after = await s.sak.ask(s.room, "!läge Lugnt igen", s.bot)
    assert "inte aktiverat" in after.body

    actions = await s.audit_actions()
    for expected in (
        "activation.request",
        "activation.activate",
        "alert.raise",
        "alert.ack",
        "alert.escalate",
        "activation.host",
        "activation.deactivate",
    ):
        assert expected in actions, expected
    assert actions.count("alert.ack") == 2


def _has_direct_alert(s: Storm, name: str) -> bool:
    try:
        room = s.direct_room(name)
    except AssertionError:
        return False
    return any("Larm #" in m.body for m in s.people[name].messages(room, sender=s.bot))


async def test_exercise_direct_activation_survives_a_restart_without_duplicates(
    storm: Storm,
) -> None:
    s = storm
    # The TiB activates directly, as an exercise (flag after the forum name works too).
    answer = await s.tib.ask(s.room, "!aktivera samordnande --övning Övning snöoväder", s.bot)
    assert answer.body.startswith("[ÖVNING]")
    await s.wait_bot_message(lambda m: "Rapportrunda 1" in m.body, s.room)
    row = await s.activation()
    assert row.exercise and row.state == ActivationState.ACTIVE
    assert row.requested_by == row.activated_by == s.tib.user_id
    await s.wait_bot_message(lambda m: "Larm #" in m.body, s.alerts_room)
    await s.komm_solna.react(s.alerts_room, _alert(s).event_id)
    await s.wait_until_acked(1)

    # The bot stops before the first repeat is due and comes back after it was.
    await s.stop()
    await asyncio.sleep(4)
    await s.start()
    # Acknowledging by ✅ in the direct room still works after the restart.
    await s.komm_polis.wait_until(lambda: _has_direct_alert(s, "komm_polis"), 20)
    dm = s.direct_room("komm_polis")
    direct_alert = next(m for m in s.komm_polis.messages(dm, sender=s.bot) if "Larm #" in m.body)
    await s.komm_polis.react(dm, direct_alert.event_id)
    await s.wait_bot_message(lambda m: "Eskalering" in m.body, s.alerts_room, timeout=30)
    # Round 2 opens on time after the restart; the reminder and picture of round 1 came once.
    await s.wait_bot_message(lambda m: "Rapportrunda 2" in m.body, s.room, timeout=30)
    await s.tib.send(s.room, "!avaktivera samordnande")
    await s.wait_bot_message(lambda m: "sammanfattning" in m.body.casefold(), s.room)
    for room in s.home.values():
        await s.wait_bot_message(lambda m: "sammanfattning" in m.body.casefold(), room)
    await asyncio.sleep(1)

    forum = [m.body for m in s.bot_messages(s.room)]
    alerts = [m.body for m in s.bot_messages(s.alerts_room)]
    assert sum("Påminnelse 1" in b for b in alerts) == 1, alerts
    assert sum("Eskalering" in b for b in alerts) == 1, alerts
    assert sum("Rapportrunda 1," in b for b in forum) == 1, forum
    assert sum("Rapportrunda 2," in b for b in forum) == 1, forum
    assert sum("sammanfattning av aktiveringen" in b for b in forum) == 1, forum
    # The one who acknowledged in the direct room is not in the escalation.
    escalation = next(b for b in alerts if "Eskalering" in b)
    assert s.komm_tv.user_id in escalation and s.komm_polis.user_id not in escalation

    # Every message the exercise caused carries the marker: forum, alerts, direct, home rooms.
    caused = s.bot_messages(s.room) + s.bot_messages(s.alerts_room)
    for name in COMMUNICATORS:
        caused += s.people[name].messages(s.direct_room(name), sender=s.bot)
    for room in s.home.values():
        caused += s.bot_messages(room)
    assert len(caused) > 15
    unmarked = [m.body for m in caused if "ÖVNING" not in m.body[:20]]
    assert unmarked == []


def _alert(s: Storm) -> Seen:
    return next(m for m in s.bot_messages(s.alerts_room) if "Larm #" in m.body)
