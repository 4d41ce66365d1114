"""Chaos: the real `samverkan run` is SIGKILLed at seeded random points (0–2 s into the work)
and restarted, over and over, while the forums go about their business:

(a) a burst of commands from several people,
(b) a meeting closed with a summary to each of 30 home rooms,
(c) an activation alerting 20 communicators, with a re-ping and an escalation (timers),
(d) a reporting round's deadline step (a timer) of an activated forum,
(e) a webhook POST (retried by the sender until it gets a 2xx, as a real sender does).

At the end the homeserver's own record (the admin API, nothing the bot reports about itself) is
audited: every command answered exactly once, every home room one summary per meeting, every
communicator one direct message per alert and repeat, every webhook posted once, and no
message in any room twice. `make test` runs `CHAOS_KILLS` (default 5) kills, one per kind;
`make test-chaos` runs 20 and prints the line `chaos: N kills, L lost, D duplicated`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.demo.configs import minimal_config, write_config
from bot.demo.homeserver import free_port
from bot.demo.member import SimulatedMember
from bot.demo.process import wait_until_synced
from bot.domain.hook_signature import sign
from storage.db import Database
from storage.models import Activation, Alert, DirectRoom
from tests.fixtures.homeserver import World

pytestmark = [pytest.mark.integration, pytest.mark.chaos, pytest.mark.long]

KILLS = int(os.environ.get("CHAOS_KILLS", "5"))
SEED = int(os.environ.get("CHAOS_SEED", "20261203"))
KINDS = ("burst", "close", "alert", "round", "webhook")
HOME_ROOMS = 30
COMMUNICATORS = 20
WEBHOOK_SECRET = "chaos-webhook-secret"
#: How long the audit waits for the last effects to show before counting them as lost.
SETTLE_S = 60.0


def reply_to(event: dict[str, Any]) -> str | None:
    relates = event.get("content", {}).get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")


def posted(events: list[dict[str, Any]], bot: str) -> list[dict[str, Any]]:
    """The bot's messages (plain or encrypted) among a room's events."""
    return [
        e
        for e in events
        if e["sender"] == bot and e["type"] in ("m.room.message", "m.room.encrypted")
    ]


def body(event: dict[str, Any]) -> str:
    return str(event.get("content", {}).get("body", ""))


def repeats(events: list[dict[str, Any]]) -> list[str]:
    """The bodies of messages posted twice with the same content (plain rooms), counted within
    each activation or meeting (from one "🚨" announcement or "📣" call-in to the next): a
    round's reminder reads the same in every activation, and two meetings called in the same
    minute have the same call-in (the call-ins themselves are counted in the audit)."""
    found: list[str] = []
    seen: Counter[str] = Counter()
    for event in events:
        if event["type"] != "m.room.message":
            continue
        if body(event).startswith(("🚨", "📣 Inkallning")):
            seen.clear()
        key = json.dumps(event["content"], sort_keys=True)
        if seen[key]:
            found.append(body(event)[:80])
        seen[key] += 1
    return found


@dataclass
class Expected:
    """What must have happened once each, filled in as the scenarios run."""

    commands: list[tuple[str, str]] = field(default_factory=list)  # (room, event id)
    closes: int = 0
    activations: int = 0
    webhooks: list[str] = field(default_factory=list)  # a unique text of each
    rounds_after_kill: list[int] = field(default_factory=list)  # activation ids


class Chaos:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.expected = Expected()
        self.kills: list[tuple[str, float]] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.port = free_port()
        self.db_url = f"sqlite+aiosqlite:///{world.base / 'bot' / 'samverkan.db'}"

    @property
    def bot(self) -> str:
        assert self.world.bot is not None
        return self.world.bot.user_id

    # -- the cast ------------------------------------------------------------------------

    async def setup(self) -> None:
        world = self.world
        self.tib, self.polis, self.brand = await asyncio.gather(
            world.member("tib"), world.member("polis"), world.member("brand")
        )
        bot = await world.bot_account()
        self.communicators = await asyncio.gather(
            *(world.hs.register(f"komm{n:02}-{world.tag}") for n in range(COMMUNICATORS))
        )
        people = [self.polis, self.brand]
        invite = [bot.user_id, *(p.user_id for p in people)]
        self.konferens = await self.tib.create_room("Konferens", invite=invite)
        self.samordnande = await self.tib.create_room("Samordnande", invite=invite)
        self.alerts = await self.tib.create_room("Kommunikatörer", invite=[bot.user_id])
        await asyncio.gather(
            *(p.join(r) for p in people for r in (self.konferens, self.samordnande))
        )
        self.home = {
            f"k{n:02}": await self.tib.create_room(f"Hem k{n:02}", invite=[bot.user_id])
            for n in range(HOME_ROOMS)
        }
        data = minimal_config(
            homeserver=world.hs.url,
            bot_user=bot.user_id,
            base=world.base / "bot",
            forum_room=self.konferens,
            members={},
            admins=(self.tib.user_id,),
        )
        self.agencies = {
            a: await self.tib.create_room(f"Hem {a}", invite=[bot.user_id])
            for a in ("lst", "polisen", "brand")
        }
        data["actors"] = [
            {"id": "lst", "name": "Länsstyrelsen", "category": "stat"},
            {"id": "polisen", "name": "Polisen", "category": "blåljus"},
            {"id": "brand", "name": "Räddningstjänsten", "category": "blåljus"},
            *(
                {"id": a, "name": f"Kommun {a}", "category": "kommun", "home_room": room}
                for a, room in self.home.items()
            ),
        ]
        for actor in data["actors"][:3]:
            actor["home_room"] = self.agencies[actor["id"]]
        data["members"] = [
            {"user": self.tib.user_id, "actor": "lst", "functions": ["tib", "rsk-koordinator"]},
            {"user": self.polis.user_id, "actor": "polisen", "functions": ["vakthavande"]},
            {"user": self.brand.user_id, "actor": "brand", "functions": ["räddningschef"]},
            *(
                {"user": c.user_id, "actor": f"k{n:02}", "functions": ["kommunikatör"]}
                for n, c in enumerate(self.communicators)
            ),
        ]
        data["forums"][0].update({"host_function": "tib"})
        data["forums"].append(
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.samordnande,
                "participants": ["lst", "polisen", "brand"],
                "host_function": "tib",
                "activators": ["tib"],
                "alert_functions": ["kommunikatör"],
                "report_interval": "10s",
                "reminder_before": "5s",
                "report_deadline_before": "3s",
            }
        )
        data["alerts"] = {
            "room": self.alerts,
            "ack_timeout": "3s",
            "max_repeats": 1,
            "escalate_to": ["rsk-koordinator"],
        }
        data["web"] = {"enabled": True, "host": "127.0.0.1", "port": self.port}
        data["webhooks"] = [{"name": "sos", "forum": "konferens", "template": "SOS: {text}"}]
        self.config = write_config(data, world.base / "bot" / "config.toml")
        self.start()
        await wait_until_synced(self.db_url, self.bot)
        rooms = [*self.home.values(), *self.agencies.values()]
        await self.tib.wait_until(lambda: all(self._bot_joined(r) for r in rooms), timeout=60)

    def _bot_joined(self, room_id: str) -> bool:
        room = self.tib.client.rooms.get(room_id)
        return room is not None and self.bot in room.users and self.bot not in room.invited_users

    def start(self) -> None:
        self.process = self.world.spawn_bot(self.config)

    def kill(self, kind: str, after: float) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.kills.append((kind, after))

    async def kill_after(self, kind: str, delay: float) -> None:
        await asyncio.sleep(delay)
        self.kill(kind, delay)
        self.start()

    # -- the scenarios -------------------------------------------------------------------

    async def burst(self, delay: float) -> None:
        """(a) Three people send four commands each, as fast as they can."""
        killer = asyncio.create_task(self.kill_after("burst", delay))
        sent = await asyncio.gather(
            *(
                self._send_all(member, room)
                for member, room in (
                    (self.tib, self.konferens),
                    (self.polis, self.konferens),
                    (self.brand, self.samordnande),
                )
            )
        )
        await killer
        for room, ids in sent:
            self.expected.commands += [(room, event_id) for event_id in ids]
        await self._answered(self.expected.commands)

    async def _send_all(self, member: SimulatedMember, room: str) -> tuple[str, list[str]]:
        ids = []
        for body in ("!whoami", "!help", "!calendar", "!vem"):
            ids.append(await member.send(room, body))
        return room, ids

    async def close(self, delay: float) -> None:
        """(b) A meeting with two reports is closed; its summary goes to 30 home rooms."""
        start = await self.tib.send(self.konferens, "!meeting start konferens")
        await self._answered([(self.konferens, start)])
        for member in (self.tib, self.polis):
            report = await member.send(self.konferens, "!status Lugnt i länet.\nbehov: inga")
            self.expected.commands.append((self.konferens, report))
        await self._answered(self.expected.commands)
        close = await self.tib.send(self.konferens, "!meeting close konferens")
        self.expected.commands += [(self.konferens, start), (self.konferens, close)]
        self.expected.closes += 1
        await self.kill_after("close", delay)
        closes = self.expected.closes
        await self.tib.wait_until(
            lambda: all(
                len(self.tib.messages(room, sender=self.bot)) >= closes
                for room in self.home.values()
            ),
            timeout=SETTLE_S,
        )

    async def alert(self, delay: float) -> None:
        """(c) An activation alerts 20 communicators; nobody acknowledges, so each is pinged
        again after 3 s and the coordinator is told after 6 s. Then the forum is deactivated."""
        number = self.expected.activations + 1
        command = await self.tib.send(self.samordnande, f"!activate samordnande storm {number}")
        self.expected.commands.append((self.samordnande, command))
        self.expected.activations += 1
        await self.kill_after("alert", delay)
        await self._until(lambda: self._alert_done(number), "alert escalated")
        await self._deactivate()

    async def round(self, delay: float) -> None:
        """(d) The kill falls within a second of a reporting round's deadline step."""
        number = self.expected.activations + 1
        command = await self.tib.send(self.samordnande, f"!activate samordnande läge {number}")
        self.expected.commands.append((self.samordnande, command))
        self.expected.activations += 1
        activation = await self._until(lambda: self._activation(number), "activation")
        deadline = activation.activated_at.timestamp() + 7  # interval 10 s − deadline 3 s before
        await asyncio.sleep(max(0.0, deadline - 1 + delay - time.time()))
        self.kill("round", delay)
        self.start()
        self.expected.rounds_after_kill.append(activation.id)
        await self._until(lambda: self._alert_done(number), "alert escalated")
        # Round 2 opens 10 s after round 1: the round's steps went on after the kill.
        await asyncio.sleep(max(0.0, activation.activated_at.timestamp() + 11 - time.time()))
        await self._deactivate()

    async def webhook(self, delay: float) -> None:
        """(e) A signed webhook POST, sent again until it is answered with a 2xx."""
        text = f"Brand i Hjulsta, larm {len(self.expected.webhooks) + 1}"
        self.expected.webhooks.append(text)
        body = json.dumps({"text": text}).encode()
        killer = asyncio.create_task(self.kill_after("webhook", delay))
        await self._post(body)  # before, during or after the kill: it may or may not land
        await killer
        # The sender heard nothing, or is not sure: it sends again until it gets a 2xx.
        deadline = time.monotonic() + SETTLE_S
        while not await self._post(body):
            assert time.monotonic() < deadline, "the webhook was never answered with a 2xx"
            await asyncio.sleep(0.3)

    async def _post(self, body: bytes) -> bool:
        headers = {
            "Content-Type": "application/json",
            "X-Samverkan-Signature": sign(WEBHOOK_SECRET.encode(), body),
        }
        url = f"http://127.0.0.1:{self.port}/hooks/sos"
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.post(url, data=body, headers=headers) as r,
            ):
                return 200 <= r.status < 300
        except aiohttp.ClientError:
            return False

    # -- waiting ---------------------------------------------------------------------------

    async def _answered(self, commands: list[tuple[str, str]]) -> None:
        members = {self.konferens: self.tib, self.samordnande: self.tib}
        await self.tib.wait_until(
            lambda: all(
                members[room].messages(room, sender=self.bot, reply_to=event_id)
                for room, event_id in commands
            ),
            timeout=SETTLE_S,
        )

    async def _deactivate(self) -> None:
        command = await self.tib.send(self.samordnande, "!deactivate samordnande")
        self.expected.commands.append((self.samordnande, command))
        await self._answered([(self.samordnande, command)])

    async def _until(self, probe: Any, what: str) -> Any:
        deadline = time.monotonic() + SETTLE_S
        while time.monotonic() < deadline:
            found = await probe()
            if found:
                return found
            await asyncio.sleep(0.3)
        raise AssertionError(f"chaos: {what} did not happen within {SETTLE_S}s")

    async def _read(self, query: Any) -> list[Any]:
        db = await Database.connect(self.db_url, migrate=False)
        try:
            async with db.session() as session:
                return list((await session.execute(query)).scalars())
        except Exception:  # the bot is migrating or the file is busy: ask again
            return []
        finally:
            await db.dispose()

    async def _activation(self, number: int) -> Activation | None:
        rows = await self._read(select(Activation).order_by(Activation.id))
        return rows[number - 1] if len(rows) >= number and rows[number - 1].activated_at else None

    async def _alert_done(self, number: int) -> bool:
        activation = await self._activation(number)
        if activation is None:
            return False
        alerts = await self._read(select(Alert).where(Alert.activation_id == activation.id))
        return bool(alerts) and all(a.escalated_at is not None for a in alerts)

    # -- the audit -------------------------------------------------------------------------

    async def audit(self) -> tuple[int, int, list[str]]:
        """Lost and duplicated effects, from the homeserver's record; and what they were."""
        hs, bot, expected = self.world.hs, self.bot, self.expected
        lost, duplicated, notes = 0, 0, []
        rooms = {self.konferens: "konferens", self.samordnande: "samordnande"}
        timeline = {room: await hs.room_events(room) for room in rooms}
        for room, event_id in expected.commands:
            answers = [e for e in posted(timeline[room], bot) if reply_to(e) == event_id]
            if len(answers) != 1:
                notes.append(f"command {event_id} in {rooms[room]} answered {len(answers)}×")
                lost += len(answers) == 0
                duplicated += max(0, len(answers) - 1)
        for text in expected.webhooks:
            found = [e for e in posted(timeline[self.konferens], bot) if text in str(e["content"])]
            if len(found) != 1:
                notes.append(f"webhook {text!r} posted {len(found)}×")
                lost += len(found) == 0
                duplicated += max(0, len(found) - 1)
        konferens = [body(e) for e in posted(timeline[self.konferens], bot)]
        for what, prefix in (("call-ins", "📣 Inkallning"), ("minutes", "Protokoll:")):
            got = sum(b.startswith(prefix) for b in konferens)
            if got != expected.closes:
                notes.append(f"konferens: {got} {what}, {expected.closes} meetings")
                lost += max(0, expected.closes - got)
                duplicated += max(0, got - expected.closes)
        for actor, room in self.home.items():
            summaries = len(posted(await hs.room_events(room), bot))
            if summaries != expected.closes:
                notes.append(f"home room {actor}: {summaries} summaries, {expected.closes} closes")
                lost += max(0, expected.closes - summaries)
                duplicated += max(0, summaries - expected.closes)
        # Each activation: one alert, so each communicator is pinged twice (1 + max_repeats) in
        # their direct room.
        pings = expected.activations * 2
        direct = {r.user_id: r.room_id for r in await self._read(select(DirectRoom))}
        for account in self.communicators:
            room = direct.get(account.user_id)
            got = len(posted(await hs.room_events(room), bot)) if room else 0
            if got != pings:
                notes.append(f"{account.user_id}: {got} direct alerts, expected {pings}")
                lost += max(0, pings - got)
                duplicated += max(0, got - pings)
        # In the alerts room, each alert once, its one repeat once, its escalation once.
        alerts_room = [body(e) for e in posted(await hs.room_events(self.alerts), bot)]
        for n in range(1, expected.activations + 1):
            for step in (
                f"🚨 Larm #{n} ",
                f"🔁 Påminnelse 1: larm #{n} ",
                f"⚠️ Eskalering: larm #{n} ",
            ):
                got = sum(b.startswith(step) for b in alerts_room)
                if got != 1:
                    notes.append(f"alerts room: {step.strip()!r} posted {got}×")
                    lost += got == 0
                    duplicated += max(0, got - 1)
        for room, name in [*rooms.items(), (self.alerts, "alerts")]:
            twice = repeats(posted(await hs.room_events(room), bot))
            if twice:
                notes.append(f"posted twice in {name}: {twice}")
                duplicated += len(twice)
        return lost, duplicated, notes


async def test_sigkill_at_random_points_loses_nothing_and_repeats_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMVERKAN_WEBHOOK__SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("SAMVERKAN_WEB__TOKEN", "chaos-web-token")
    rng = random.Random(SEED)
    chaos = Chaos(world, rng)
    await chaos.setup()
    for n in range(KILLS):
        kind = KINDS[n % len(KINDS)]
        await getattr(chaos, kind)(round(rng.uniform(0.0, 2.0), 3))
    await asyncio.sleep(3)  # the last re-pings and summaries
    lost, duplicated, notes = await chaos.audit()
    points = ", ".join(f"{kind} {after:.2f}s" for kind, after in chaos.kills)
    print(f"\nkill points (seed {SEED}): {points}")
    for note in notes:
        print(f"  {note}")
    print(f"chaos: {len(chaos.kills)} kills, {lost} lost, {duplicated} duplicated")
    assert len(chaos.kills) >= KILLS
    assert (lost, duplicated) == (0, 0), notes
