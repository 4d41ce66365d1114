"""A whole Thursday of the Regional samverkanskonferens on a real homeserver, 13 actors.

The scheduler's job function calls `ConferenceService.run_step`; these tests call it directly
for each step (the scheduling itself is tested in test_schedule.py), so a Thursday takes seconds.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.demo.configs import minimal_config, write_config
from bot.demo.member import Seen, SimulatedMember
from bot.domain.calendar import next_meeting
from tests.fixtures.homeserver import World
from tests.fixtures.schedule import QUIET_DAY_SV, quiet_schedule
from tests.integration.test_journal import pdf_text

pytestmark = pytest.mark.integration


ACTORS = [
    ("lst", "Länsstyrelsen Stockholm", "stat", ["tib", "rsk-koordinator"]),
    ("stockholm", "Stockholms stad", "kommun", ["säkerhetschef"]),
    ("solna", "Solna stad", "kommun", ["säkerhetschef"]),
    ("huddinge", "Huddinge kommun", "kommun", ["säkerhetschef"]),
    ("norrtalje", "Norrtälje kommun", "kommun", ["säkerhetschef"]),
    ("polisen", "Polisen region Stockholm", "blåljus", ["vakthavande-befäl"]),
    ("ssbf", "Storstockholms brandförsvar", "blåljus", ["räddningschef"]),
    ("sos", "SOS Alarm", "blåljus", ["vakthavande"]),
    ("regionen", "Region Stockholm", "region", ["tjänsteman-i-beredskap"]),
    ("trafikverket", "Trafikverket", "trafik", ["trafikledare"]),
    ("hamnar", "Stockholms hamnar", "övrig", ["hamnkapten"]),
    ("forsvarsmakten", "Försvarsmakten", "stat", ["sambandsofficer"]),
    ("sodertalje", "Södertälje kommun", "kommun", ["säkerhetschef"]),
]


class Thursday:
    """The people, rooms and running bot of one test."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.people: dict[str, SimulatedMember] = {}
        self.home: dict[str, str] = {}
        self.room = ""
        self.config: Path | None = None
        self.app: App | None = None
        self.outsider: SimulatedMember | None = None

    @property
    def bot(self) -> str:
        assert self.world.bot is not None
        return self.world.bot.user_id

    @property
    def tib(self) -> SimulatedMember:
        return self.people["lst"]

    async def setup(self, require_encryption: bool = False, uninvited: str | None = None) -> None:
        """`uninvited`: an actor whose home room the bot is never invited to."""
        world = self.world
        members = await asyncio.gather(*(world.member(a[0]) for a in ACTORS))
        self.people = {a[0]: m for a, m in zip(ACTORS, members, strict=True)}
        self.outsider = await world.member("olle")
        bot = await world.bot_account()
        everyone = [m.user_id for m in self.people.values() if m is not self.tib]
        self.room = await self.tib.create_room(
            "Regional samverkanskonferens",
            invite=[bot.user_id, self.outsider.user_id, *everyone],
        )
        await asyncio.gather(
            *(
                m.join(self.room)
                for m in [*self.people.values(), self.outsider]
                if m is not self.tib
            )
        )
        for actor_id, name, _, _ in ACTORS:
            self.home[actor_id] = await self.tib.create_room(
                f"Hemrum {name}",
                invite=[] if actor_id == uninvited else [bot.user_id],
                encrypted=actor_id == "polisen",
            )
        data: dict[str, Any] = minimal_config(
            homeserver=world.hs.url,
            bot_user=bot.user_id,
            base=world.base / "bot",
            forum_room=self.room,
            members={},
            admins=(self.tib.user_id,),
        )
        data["bot"]["require_encryption"] = require_encryption
        data["actors"] = [
            {"id": a, "name": n, "category": c, "home_room": self.home[a]} for a, n, c, _ in ACTORS
        ]
        data["members"] = [
            {"user": self.people[a].user_id, "actor": a, "functions": f} for a, _, _, f in ACTORS
        ]
        data["forums"][0].update(
            {"schedule": quiet_schedule(), "host_function": "tib", "participants": ["*"]}
        )
        self.config = write_config(data, world.base / "bot" / "config.toml")
        await self.start()

    async def start(self) -> App:
        assert self.config is not None
        self.app = await self.world.start_bot(self.config)
        return self.app

    async def restart(self) -> App:
        assert self.app is not None
        await self.world.stop_bot(self.app)
        return await self.start()

    def zone(self) -> ZoneInfo:
        assert self.app is not None
        return self.app.settings.zone

    def meeting_at(self) -> datetime:
        assert self.app is not None
        forum = self.app.settings.forums[0]
        trigger = forum.trigger(self.app.settings.zone)
        assert trigger is not None
        meeting = next_meeting(forum, trigger, datetime.now(UTC))
        assert meeting is not None
        return meeting

    async def step(self, stage: str) -> None:
        assert self.app is not None
        await self.app.services.conference.run_step("konferens", stage, self.meeting_at())  # type: ignore[arg-type]

    async def report(self, actor: str, text: str) -> Seen:
        return await self.people[actor].ask(self.room, text, self.bot)

    def bot_messages(self, room: str | None = None) -> list[Seen]:
        return self.tib.messages(room or self.room, sender=self.bot)

    async def wait_bot_message(self, predicate: Any, room: str | None = None) -> Seen:
        await self.tib.wait_until(lambda: any(predicate(m) for m in self.bot_messages(room)), 30)
        return next(m for m in self.bot_messages(room) if predicate(m))


@pytest.fixture
async def thursday(world: World) -> Thursday:
    day = Thursday(world)
    await day.setup()
    return day


async def test_a_whole_thursday(thursday: Thursday) -> None:
    day = thursday
    # A report before the call-in goes to the next meeting, and the sender is told so.
    early = await day.report("hamnar", "!läge Lugnt i hamnarna.\nbehov: inga")
    assert "Stockholms hamnar" in early.body and "nästa möte" in early.body

    await day.step("call_in")
    call_in = await day.wait_bot_message(lambda m: m.body.startswith("📣"))
    assert call_in.msgtype == "m.text", "a call-in must notify: m.text, not m.notice"
    assert set(call_in.mentions) == {m.user_id for m in day.people.values()}
    assert "Senast kl. 15:45" in call_in.body or "senast kl. 15:45" in call_in.body
    assert "behov" in call_in.body.casefold()  # the report format is shown

    # Most actors report; some need coordination, one is at raised readiness.
    await day.report("lst", "!läge Snöoväder klass 2 väntas.\nåtgärder: TiB i tjänst")
    await day.report("stockholm", "!läge Plogning pågår.\nbehov: fler plogbilar från Trafikverket")
    await day.report("solna", "!status situation: calm\nneeds: sand from Stockholms stad")
    await day.report(
        "polisen",
        "!läge läge: många trafikolyckor\nberedskap: stab\nkommunikation: gemensamt VMA-stöd",
    )
    await day.report("ssbf", "!läge Normalt.\nresurser: två bandvagnar")
    await day.report("sos", "!läge Hög belastning på 112.")
    await day.report("regionen", "!läge Sjukhusen har kapacitet.\nprognos: ökande halkskador")
    await day.report("trafikverket", "!läge E4 halt.\nberedskap: normal")
    await day.report("forsvarsmakten", "!läge Inget att rapportera.")
    # A replaced report: the later one counts, the receipt says it replaced the first.
    await day.report("norrtalje", "!läge Strömavbrott i norra delen.")
    replaced = await day.report("norrtalje", "!läge Strömmen tillbaka.\nbehov: inga")
    assert "ersätter" in replaced.body
    # A reply in the call-in's thread counts as a report.
    thread_reply = await day.people["huddinge"].send(
        day.room, "Lugnt i Huddinge.\nbehov: informationsstöd", thread_root=call_in.event_id
    )
    receipt = await day.people["huddinge"].wait_for_reply(day.room, thread_reply, day.bot)
    assert "Huddinge kommun" in receipt.body
    # Someone who is not a member of a participating actor is refused, and told why.
    assert day.outsider is not None
    refused = await day.outsider.ask(day.room, "!läge Jag vill också rapportera", day.bot)
    assert "Du får inte använda !läge" in refused.body and "medlem i en aktör" in refused.body

    # The reminder mentions only the members of the actors still missing (hamnar moved, so
    # its early report is in this meeting already: it is not missing).
    await day.step("reminder")
    reminder = await day.wait_bot_message(lambda m: "Påminnelse" in m.body)
    assert set(reminder.mentions) == {day.people["sodertalje"].user_id}
    assert "Södertälje kommun" in reminder.body and "Solna" not in reminder.body

    # A late report, after the reminder.
    late = await day.report("sodertalje", "!läge Sent men här.\nbehov: reservkraft från regionen")
    assert "Södertälje kommun" in late.body

    await day.step("deadline")
    picture = await day.wait_bot_message(lambda m: "Samlad lägesbild" in m.body)
    assert picture.msgtype == "m.notice" and "<table>" in picture.content["formatted_body"]
    body = picture.body
    assert "fler plogbilar från Trafikverket" in body and "sand from Stockholms stad" in body
    assert "stabsläge" in body  # the raised readiness is shown
    assert "Strömmen tillbaka" in body and "Strömavbrott" not in body
    assert "informationsstöd" in body  # the thread reply

    await day.step("start")
    await day.wait_bot_message(lambda m: "börjar nu" in m.body)
    await day.step("close")
    minutes = await day.wait_bot_message(lambda m: m.body.startswith("Protokoll"))
    assert "Polisen region Stockholm" in minutes.body

    # Every home room receives one summary, with what is asked of that actor.
    for actor_id, _, _, _ in ACTORS:
        await day.wait_bot_message(lambda m: "Återföring" in m.body, day.home[actor_id])
    trafikverket = day.bot_messages(day.home["trafikverket"])[0]
    assert "fler plogbilar" in trafikverket.body.split("Riktat till")[1]
    week_later = (day.meeting_at() + timedelta(days=7)).astimezone(day.zone()).date()
    assert f"Nästa möte: {QUIET_DAY_SV} {week_later.isoformat()} kl. 16:00" in trafikverket.body
    assert any(m.encrypted for m in day.bot_messages(day.home["polisen"]))

    # Closing again and !summary send nothing twice.
    await day.step("close")
    again = await day.tib.ask(day.room, "!sammanfattning", day.bot)
    assert "0 sammanfattningar" in again.body and "13 hade redan" in again.body
    await asyncio.sleep(1.0)
    for actor_id, _, _, _ in ACTORS:
        summaries = [m for m in day.bot_messages(day.home[actor_id]) if "Återföring" in m.body]
        assert len(summaries) == 1, actor_id
    assert len([m for m in day.bot_messages() if m.body.startswith("Protokoll")]) == 1


async def test_restart_between_call_in_and_deadline(thursday: Thursday) -> None:
    day = thursday
    await day.step("call_in")
    await day.wait_bot_message(lambda m: m.body.startswith("📣"))
    await day.report("polisen", "!läge Lugnt.")
    await day.restart()
    await day.step("call_in")  # a re-run of the job after the restart
    await day.report("sos", "!läge Också lugnt.")
    await day.step("deadline")
    await day.step("deadline")
    picture = await day.wait_bot_message(lambda m: "Samlad lägesbild" in m.body)
    assert "Lugnt." in picture.body and "Också lugnt." in picture.body
    await asyncio.sleep(1.5)
    assert len([m for m in day.bot_messages() if "Inkallning" in m.body]) == 1
    assert len([m for m in day.bot_messages() if "Samlad lägesbild" in m.body]) == 1


async def test_missing_home_room_is_reported_and_unencrypted_rooms_get_a_notice(
    world: World,
) -> None:
    day = Thursday(world)
    # Nobody invited the bot to the harbour's home room: its summary cannot be delivered.
    await day.setup(require_encryption=True, uninvited="hamnar")
    await day.step("call_in")
    await day.report("polisen", "!läge Lugnt.")
    await day.step("close")
    warning = await day.wait_bot_message(lambda m: "kunde inte skickas" in m.body)
    assert "Stockholms hamnar" in warning.body and day.tib.user_id in warning.mentions
    encrypted_summary = await day.wait_bot_message(
        lambda m: "Återföring" in m.body, day.home["polisen"]
    )
    assert encrypted_summary.encrypted
    notice = await day.wait_bot_message(lambda m: "krypter" in m.body, day.home["solna"])
    assert "Återföring" not in notice.body


async def test_meeting_by_hand_missing_picture_and_calendar(thursday: Thursday) -> None:
    day = thursday
    refused = await day.report("polisen", "!möte start")
    assert "värdfunktionen" in refused.body and "tib" in refused.body

    opened = await day.tib.ask(day.room, "!möte start", day.bot)
    assert "öppnat" in opened.body
    call_in = await day.wait_bot_message(lambda m: m.body.startswith("📣"))
    assert len(call_in.mentions) == len(ACTORS)
    again = await day.tib.ask(day.room, "!möte start", day.bot)
    assert "redan öppet" in again.body

    report = await day.people["polisen"].send(day.room, "!läge Lugnt.\nberedskap: förstärkning")
    await day.people["polisen"].wait_for_reply(day.room, report, day.bot)
    await day.tib.wait_until(
        lambda: any(
            s.type == "m.reaction"
            and s.sender == day.bot
            and s.content["m.relates_to"]
            == {"rel_type": "m.annotation", "event_id": report, "key": "✅"}
            for s in day.tib.seen
        ),
        30,
    )
    missing = await day.tib.ask(day.room, "!saknas", day.bot)
    assert "12 aktörer" in missing.body and "Polisen" not in missing.body

    await day.tib.ask(day.room, "!lägesbild Regional Samverkanskonferens", day.bot)
    picture = await day.wait_bot_message(lambda m: "Samlad lägesbild" in m.body)
    assert "förstärkningsläge" in picture.body

    unknown = await day.tib.ask(day.room, "!lägesbild nåt annat forum", day.bot)
    assert "inget forum som heter" in unknown.body and "konferens" in unknown.body

    closed = await day.tib.ask(day.room, "!möte avsluta", day.bot)
    assert "avslutat" in closed.body
    await day.wait_bot_message(lambda m: m.body.startswith("Protokoll"))
    nothing = await day.tib.ask(day.room, "!möte avsluta", day.bot)
    assert "inget pågående möte" in nothing.body
    after = await day.report("sos", "!läge Sent inkommen.")
    assert "Mötet är avslutat; lägesbilden gäller nästa möte" in after.body

    calendar = await day.tib.ask(day.room, "!kalender", day.bot)
    assert QUIET_DAY_SV in calendar.body and "kl. 16:00" in calendar.body


async def test_the_second_meeting_opens_with_what_changed(thursday: Thursday) -> None:
    day = thursday

    async def meeting(reports: dict[str, str], number: int) -> Seen:
        """A meeting held by hand: opened, reported to, its picture asked for, closed."""
        await day.tib.ask(day.room, "!möte start", day.bot)
        await day.tib.wait_until(
            lambda: len([m for m in day.bot_messages() if m.body.startswith("📣")]) == number, 30
        )
        for actor, text in reports.items():
            await day.report(actor, text)
        await day.tib.ask(day.room, "!lägesbild", day.bot)
        await day.tib.wait_until(
            lambda: len([m for m in day.bot_messages() if "Samlad lägesbild" in m.body]) == number,
            30,
        )
        picture = [m for m in day.bot_messages() if "Samlad lägesbild" in m.body][-1]
        await day.tib.ask(day.room, "!möte avsluta", day.bot)
        return picture

    def summaries() -> list[Seen]:
        return [m for m in day.bot_messages(day.home["sos"]) if "Återföring" in m.body]

    first = await meeting(
        {"polisen": "!läge Lugnt.\nberedskap: normalläge\nbehov: sand", "sos": "!läge Lugnt."}, 1
    )
    assert "Sedan förra gången" not in first.body  # nothing to compare with
    await day.tib.wait_until(lambda: len(summaries()) == 1, 30)
    assert "Sedan förra gången" not in summaries()[0].body

    second = await meeting(
        {"polisen": "!läge Snöfall.\nberedskap: förstärkning\nbehov: plogbilar"}, 2
    )
    body = second.body
    assert "Sedan förra gången" in body and body.index("Sedan förra gången") < body.index("Polisen")
    assert "Höjd beredskap: Polisen region Stockholm normalläge → förstärkningsläge" in body
    assert "Nya behov: Polisen region Stockholm: plogbilar" in body
    assert "Behov som inte längre anges: Polisen region Stockholm: sand" in body
    assert "Rapporterade förra gången men inte nu: SOS Alarm" in body

    # The home summaries of the second meeting open with it too.
    await day.tib.wait_until(lambda: len(summaries()) == 2, 30)
    home = summaries()[-1].body
    assert "Sedan förra gången" in home and "Höjd beredskap: Polisen region Stockholm" in home

    # The meeting's journal: its own reports and its picture, not the week before's.
    exported = await day.tib.ask(day.room, "!exportera möte", day.bot)
    assert "Stabsjournalen" in exported.body
    posted = await day.wait_bot_message(lambda m: m.msgtype == "m.file")
    journal = pdf_text(await day.tib.download(posted))
    assert "Stabsjournal – Regional samverkanskonferens, möte" in journal
    assert "Lägesrapport: Läge: Snöfall." in journal and "Läge: Lugnt." not in journal
    assert "Höjd beredskap: Polisen region Stockholm" in journal  # the picture, as posted
