"""`samverkan demo`: a throwaway homeserver, the bot on a config derived from
`config.example.toml`, one simulated person per example actor, and a scripted exchange printed
as a transcript. Everything lives in a temporary directory that is removed afterwards."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sys
import tempfile
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import tomli_w
from nio import MatrixRoom

from bot.demo.configs import example_demo_config
from bot.demo.homeserver import HomeserverError, LocalHomeserver, free_port
from bot.demo.lines import REPORTS, STORM_REPORTS
from bot.demo.member import Seen, SimulatedMember
from bot.demo.transcript import SERVER, Transcript, local_alias, localpart
from bot.domain.hook_signature import SIGNATURE_HEADER, sign
from bot.matrix.rooms import DIRECT_ROOM_NAME

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config.example.toml"
SMHI_SAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "webhooks" / "smhi-warning.json"


class Demo:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.hs = LocalHomeserver(base / "synapse", server_name=SERVER)
        self.example: dict[str, Any] = tomllib.loads(EXAMPLE_CONFIG.read_text())
        self.members: dict[str, SimulatedMember] = {}  # actor id → member
        self.transcript = Transcript()
        self.bot_user = ""
        self.room_ids: dict[str, str] = {}  # local alias → room id
        self.web_port = free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.web_token = secrets.token_urlsafe(16)
        self.hook_secret = secrets.token_urlsafe(32)

    async def run(self) -> None:
        t = self.transcript
        t.step("Startar en tillfällig Synapse-hemserver på 127.0.0.1")
        await self.hs.start()
        t.note(f"hemserver {self.hs.url} ({self.base})")
        try:
            await self._populate()
            config = self._write_config()
            from bot.app import App
            from bot.config import load_config

            os.environ["SAMVERKAN_MATRIX__PASSWORD"] = self.bot_password
            # Throwaway secrets for the web view and the SMHI webhook of the example config.
            os.environ["SAMVERKAN_WEB__TOKEN"] = self.web_token
            for hook in self.example.get("webhooks", []):
                os.environ[hook.get("secret_env", "SAMVERKAN_WEBHOOK__SECRET")] = self.hook_secret
            # A throwaway secret for the throwaway bot's cross-signing keys.
            os.environ.setdefault("SAMVERKAN_CRYPTO__KEY", secrets.token_urlsafe(32))
            settings = load_config(config)
            app = App(settings, retry_first_s=1.0, sync_timeout_ms=5_000)
            t.step("Startar boten med en konfiguration härledd från config.example.toml")
            await app.start()
            await app.wait_ready()
            t.note(f"boten {self.bot_user} är inloggad på enhet {app.client.device_id}")
            t.note(f"webbvyn: {self.web_url}/ (token: {self.web_token})")
            self.app = app
            try:
                await self._play()
                await self._thursday()
                await self._snowstorm()
                await self._web_view()
            finally:
                await app.stop()
        finally:
            for member in self.members.values():
                await member.stop()
            await self.hs.stop()

    async def _populate(self) -> None:
        t = self.transcript
        t.step("Registrerar boten och en simulerad person per aktör")
        bot = await self.hs.register(localpart(self.example["matrix"]["user_id"]))
        self.bot_user, self.bot_password = bot.user_id, bot.password
        t.names[bot.user_id] = "samverkan (bot)"

        async def simulate(actor: dict[str, Any]) -> None:
            account = await self.hs.register(f"{actor['id']}-demo")
            self.members[actor["id"]] = await SimulatedMember.start(
                self.hs.url, account, self.base / "members" / actor["id"]
            )
            t.names[account.user_id] = actor["name"]

        await asyncio.gather(*(simulate(actor) for actor in self.example["actors"]))
        self.members = {a["id"]: self.members[a["id"]] for a in self.example["actors"]}
        t.note(f"{len(self.members)} aktörer: " + ", ".join(self.members))

        t.step("Skapar rummen (forum, hemrum, kommunikatörsrummet) och bjuder in boten")
        lst = self.members["lst"]
        shared = {f["room"]: f["name"] for f in self.example["forums"]}
        alerts_room = self.example.get("alerts", {}).get("room")
        if alerts_room:
            shared[alerts_room] = "Kommunikatörer"
        others = [m for m in self.members.values() if m is not lst]
        # Shared rooms: everyone is invited. A home room: only its own actor's member. Every
        # room is end-to-end encrypted, as the example config requires (require_encryption).
        plans = [(alias, name, others, True) for alias, name in shared.items()]
        plans += [
            (
                a["home_room"],
                f"Hemrum {a['name']}",
                [self.members[a["id"]]] if a["id"] != "lst" else [],
                True,
            )
            for a in self.example["actors"]
            if a.get("home_room")
        ]

        async def create(
            alias: str, name: str, invited: list[SimulatedMember], encrypted: bool
        ) -> None:
            room_id = await lst.create_room(
                name,
                alias=localpart(alias),
                invite=[self.bot_user, *(m.user_id for m in invited)],
                encrypted=encrypted,
            )
            self.room_ids[local_alias(alias)] = room_id
            t.rooms[room_id] = local_alias(alias)
            await asyncio.gather(*(m.join(room_id) for m in invited))

        await asyncio.gather(*(create(*plan) for plan in plans))
        t.note(f"{len(plans)} rum skapade")

    def _write_config(self) -> Path:
        users = {actor: member.user_id for actor, member in self.members.items()}
        data = example_demo_config(
            self.example,
            homeserver=self.hs.url,
            bot_user=self.bot_user,
            base=self.base / "bot",
            web_port=self.web_port,
            web_url=self.web_url,
            users=users,
        )
        path = self.base / "bot" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(data))
        return path

    async def _post_warning(self) -> None:
        """Posts the sample SMHI warning, signed as the webhook's sender would."""
        body = SMHI_SAMPLE.read_bytes()
        headers = {
            SIGNATURE_HEADER: sign(self.hook_secret.encode(), body),
            "Content-Type": "application/json",
        }
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{self.web_url}/hooks/smhi", data=body, headers=headers) as resp:
                self.transcript.note(f"POST /hooks/smhi → {resp.status} {await resp.text()}")

    async def _web_view(self) -> None:
        """What a duty officer without Matrix sees: the overview, with the bearer token."""
        t = self.transcript
        t.step("Webbvyn för den som inte är i chatten")
        headers = {"Authorization": f"Bearer {self.web_token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.get(f"{self.web_url}/") as resp:
                page = await resp.text()
                forums = [f["name"] for f in self.example["forums"] if f["name"] in page]
                t.note(f"GET / → {resp.status}: {len(page)} byte, visar {', '.join(forums)}")
            async with http.get(f"{self.web_url}/api/v1/issues?state=all") as resp:
                issues = await resp.json()
                t.note(f"GET /api/v1/issues → {resp.status}: {len(issues)} ärenden")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{self.web_url}/") as resp:
                t.note(f"utan token: GET / → {resp.status} (inloggningssidan)")

    async def _ask(self, actor: str, room_alias: str, body: str) -> Seen:
        member = self.members[actor]
        room = self.room_ids[room_alias]
        self.transcript.said(member.user_id, room, body)
        reply = await member.ask(room, body, self.bot_user, timeout=60)
        self.transcript.said(self.bot_user, room, reply.body)
        return reply

    async def _bot_says(
        self, room_alias: str, predicate: Any, timeout: float = 60, fresh: bool = True
    ) -> Seen:
        """Waits until the bot posts a matching message in the room (one not seen before, when
        `fresh`), prints and returns it."""
        observer = self.members["lst"]  # the coordinator is in every room
        room = self.room_ids[room_alias]
        seen_before = (
            {m.event_id for m in observer.messages(room, sender=self.bot_user)} if fresh else set()
        )

        def found() -> Seen | None:
            for m in observer.messages(room, sender=self.bot_user):
                if m.event_id not in seen_before and predicate(m):
                    return m
            return None

        try:
            await observer.wait_until(lambda: found() is not None, timeout)
        except TimeoutError:
            seen = [(m.sender, m.type, m.body[:60]) for m in observer.seen if m.room_id == room]
            raise TimeoutError(
                f"the bot did not post the expected message in {room_alias}; the room shows: {seen}"
            ) from None
        message = found()
        assert message is not None
        self.transcript.said(self.bot_user, room, message.body)
        return message

    async def _step(self, stage: str, label: str) -> None:
        from bot.domain.calendar import next_meeting

        forum = self.app.settings.forum("konferens")
        assert forum is not None
        trigger = forum.trigger(self.app.settings.zone)
        assert trigger is not None
        meeting_at = next_meeting(forum, trigger, datetime.now(UTC))
        assert meeting_at is not None
        self.transcript.step(label)
        await self.app.services.conference.run_step("konferens", stage, meeting_at)  # type: ignore[arg-type]

    async def _thursday(self) -> None:
        t = self.transcript
        konferens = local_alias(
            next(f["room"] for f in self.example["forums"] if f["id"] == "konferens")
        )
        await self._step("call_in", "Torsdag 13:00: inkallning till samverkanskonferensen")
        # On a Thursday afternoon the bot's own timer has called in already, at start.
        call_in = await self._bot_says(konferens, lambda m: m.body.startswith("📣"), fresh=False)
        t.note(f"inkallningen nämner {len(call_in.mentions)} personer (m.mentions)")

        t.step("Aktörerna lämnar sina lägesbilder")
        for actor, text in REPORTS[:10]:
            await self._ask(actor, konferens, "!läge " + text)
        member = self.members["hamnar"]
        room = self.room_ids[konferens]
        body = dict(REPORTS)["hamnar"]
        t.said(member.user_id, room, f"(svar i inkallningens tråd) {body}")
        event = await member.send(room, body, thread_root=call_in.event_id)
        reply = await member.wait_for_reply(room, event, self.bot_user, 60)
        t.said(self.bot_user, room, reply.body)
        await self._ask(
            "stockholm",
            konferens,
            "!läge Plogning pågår; hemtjänsten är ikapp.\n"
            "behov: samordning med Trafikverket om plogning av infarterna",
        )

        await self._step("reminder", "Torsdag 15:00: påminnelse till dem som saknas")
        await self._bot_says(konferens, lambda m: "Påminnelse" in m.body)
        await self._ask("forsvarsmakten", konferens, "!läge " + dict(REPORTS)["forsvarsmakten"])

        await self._step("deadline", "Torsdag 15:45: den samlade lägesbilden")
        await self._bot_says(konferens, lambda m: "Samlad lägesbild" in m.body)

        t.step("Ett ärende lyfts i konferensen och vidare till Regional samordningsgrupp")
        raised = await self._ask(
            "stockholm",
            konferens,
            "!lyft Plogning av infarterna | Kommunen och Trafikverket behöver en gemensam "
            "plogplan för infarterna",
        )
        number = raised.body.split("#", 1)[1].split()[0]
        await self._ask("lst", konferens, f"!eskalera {number} samordningsgrupp")
        grupp = local_alias(self._forum_room("samordningsgrupp"))
        await self._bot_says(grupp, lambda m: m.body.startswith("📥"), fresh=False)

        await self._step("start", "Torsdag 16:00: konferensen börjar")
        await self._bot_says(konferens, lambda m: "börjar nu" in m.body)
        await self._step("close", "Torsdag 17:00: mötet avslutas, protokoll och återföring")
        await self._bot_says(konferens, lambda m: m.body.startswith("Protokoll"))
        homes = [local_alias(a["home_room"]) for a in self.example["actors"] if a.get("home_room")]
        await self._bot_says(homes[1], lambda m: "Återföring" in m.body, fresh=False)
        observer = self.members["lst"]
        await observer.wait_until(
            lambda: all(
                any(
                    "Återföring" in m.body
                    for m in observer.messages(self.room_ids[h], sender=self.bot_user)
                )
                for h in homes
            ),
            60,
        )
        encrypted = sum(
            any(m.encrypted for m in observer.messages(self.room_ids[h], sender=self.bot_user))
            for h in homes
        )
        t.note(f"alla {len(homes)} hemrum fick en sammanfattning, {encrypted} av dem krypterade")

    async def _snowstorm(self) -> None:
        """Example 4 of the model description: an SMHI class-2 snow warning activates the
        regional coordinating forum; communicators are alerted first."""
        t = self.transcript
        forum = local_alias(
            next(f["room"] for f in self.example["forums"] if f["id"] == "samordnande")
        )
        alerts = local_alias(self.example["alerts"]["room"])
        t.step("Fredag: SMHI:s varning om snö klass 2 kommer in via webhook")
        await self._post_warning()
        conference = local_alias(
            next(f["room"] for f in self.example["forums"] if f["id"] == "konferens")
        )
        await self._bot_says(conference, lambda m: "SMHI vädervarningar" in m.body, fresh=False)
        await self._bot_says(conference, lambda m: "!aktivera samordnande" in m.body, fresh=False)
        t.step("Stockholms stad begär aktivering")
        await self._ask(
            "stockholm",
            forum,
            "!aktivera samordnande Snöoväder klass 2 väntas; omfattande påverkan på trafiken",
        )
        await self._bot_says(forum, lambda m: m.body.startswith("🙋"), fresh=False)
        t.step("TiB bekräftar med samma kommando: forumet aktiveras")
        await self._ask("lst", forum, "!aktivera samordnande")
        await self._bot_says(forum, lambda m: m.body.startswith("🚨"), fresh=False)
        alert = await self._bot_says(alerts, lambda m: "Larm #" in m.body, fresh=False)
        t.note(f"larmet nämner {len(alert.mentions)} kommunikatörer; var och en får också ett DM")

        t.step("Kommunikatörerna kvitterar: Solna med ✅, Polisen med !kvittera i sitt DM")
        solna = self.members["solna"]
        await solna.react(self.room_ids[alerts], alert.event_id)
        t.said(solna.user_id, self.room_ids[alerts], "✅ (reaktion på larmet)")
        polisen = self.members["polisen"]
        direct = await self._direct_room(polisen)
        t.said(polisen.user_id, direct, "!kvittera")
        reply = await polisen.ask(direct, "!kvittera", self.bot_user, timeout=60)
        t.said(self.bot_user, direct, reply.body)
        for actor in ("lst", "stockholm", "sodertalje", "huddinge", "regionen"):
            await self._ask(actor, alerts, "!kvittera")
        t.step("Trafikverkets kommunikatör svarar inte: ny påminnelse, sedan eskalering")
        await self._bot_says(alerts, lambda m: "Påminnelse 1" in m.body, fresh=False)
        await self._bot_says(alerts, lambda m: "Eskalering" in m.body, fresh=False)

        t.step("Rapportrunda 1: aktörerna rapporterar i det aktiverade forumet")
        for actor, text in STORM_REPORTS[:4]:
            await self._ask(actor, forum, "!läge " + text)
        await self._ask("lst", forum, "!värd lst")
        await self._bot_says(forum, lambda m: "rapportrunda 1" in m.body and "Samlad" in m.body)
        t.step("Rapportrunda 2 kallas in efter rapportintervallet")
        await self._bot_says(forum, lambda m: m.body.startswith("📣 Rapportrunda 2"))
        for actor, text in STORM_REPORTS[4:]:
            await self._ask(actor, forum, "!läge " + text)
        await self._ask("polisen", alerts, "!larmlista 1")

        t.step(
            "Forumet bildar en analysgrupp med eget rum; den rapporterar och föreslår inriktning"
        )
        await self._ask(
            "lst", forum, "!grupp skapa analys --uppdrag Analysera påverkan och föreslå inriktning"
        )
        await self._ask("lst", forum, "!grupp tilldela analys polisen trafikverket regionen")
        polisen = self.members["polisen"]
        group_room = await self._new_room(polisen, "analys")
        await self._ask_in(
            "polisen",
            group_room,
            "!grupp rapport analys E4 och E18 behöver prioriteras; sjukhusens tillfarter likaså",
        )
        await self._ask_in(
            "trafikverket",
            group_room,
            "!inriktning utkast mål: Säkra framkomligheten till samhällsviktig verksamhet\n"
            "prioriteringar: sjukhusens tillfarter, E4, E18, kollektivtrafikens stråk\n"
            "riktlinjer: gemensam plogprioritering; resurser lånas ut via samordnande forum\n"
            "budskap: Undvik onödiga resor; följ krisinformation.se",
        )
        t.step("Regionalt inriktande forum fastställer inriktningen; den går till alla hemrum")
        inriktande = local_alias(self._forum_room("inriktande"))
        await self._ask("lst", inriktande, "!inriktning fastställ 1")
        await self._ask("lst", forum, "!lägesbild")

        t.step("Läget stabiliseras: TiB avaktiverar, sammanfattning till hemorganisationerna")
        await self._ask("lst", forum, "!avaktivera samordnande")
        await self._bot_says(
            forum, lambda m: "sammanfattning av aktiveringen" in m.body.casefold(), fresh=False
        )
        homes = [local_alias(a["home_room"]) for a in self.example["actors"] if a.get("home_room")]
        observer = self.members["lst"]
        await observer.wait_until(
            lambda: all(
                any(
                    "aktiveringen" in m.body
                    for m in observer.messages(self.room_ids[h], sender=self.bot_user)
                )
                for h in homes
            ),
            60,
        )
        t.note(f"alla {len(homes)} hemrum fick aktiveringens sammanfattning")
        t.step("Klart")

    def _forum_room(self, forum_id: str) -> str:
        return str(next(f["room"] for f in self.example["forums"] if f["id"] == forum_id))

    async def _ask_in(self, actor: str, room: str, body: str) -> Seen:
        """`_ask` in a room the bot made (a group room), known by id, not alias."""
        member = self.members[actor]
        self.transcript.said(member.user_id, room, body)
        reply = await member.ask(room, body, self.bot_user, timeout=60)
        self.transcript.said(self.bot_user, room, reply.body)
        return reply

    async def _new_room(self, member: SimulatedMember, label: str) -> str:
        """The room the bot invited `member` to whose name mentions `label` (a group room)."""
        return await self._room_of(
            member, lambda room: label in (room.name or ""), f"gruppen {label}"
        )

    async def _direct_room(self, member: SimulatedMember) -> str:
        """The room the bot created to alert `member` privately (named as `Rooms` names them)."""
        known = set(self.room_ids.values())
        name = f"DM {self.transcript.names.get(member.user_id, '')}"
        return await self._room_of(
            member,
            lambda room: room.room_id not in known and room.name == DIRECT_ROOM_NAME,
            name,
        )

    async def _room_of(
        self, member: SimulatedMember, matches: Callable[[MatrixRoom], bool], label: str
    ) -> str:
        """The newest room `member` shares with the bot that `matches`, named in the transcript."""

        def found() -> str | None:
            for room_id, room in reversed(list(member.client.rooms.items())):
                if self.bot_user in room.users and matches(room):
                    return room_id
            return None

        await member.wait_until(lambda: found() is not None, 60)
        room_id = found()
        assert room_id is not None
        self.transcript.rooms[room_id] = label
        return room_id

    async def _play(self) -> None:
        t = self.transcript
        konferens = local_alias(
            next(f["room"] for f in self.example["forums"] if f["id"] == "konferens")
        )
        t.step("Torsdag: deltagarna frågar boten vad den kan och vilka de är")
        await self._ask("lst", konferens, "!hjälp")
        await self._ask("lst", konferens, "!vem")
        await self._ask("polisen", konferens, "!whoami")
        await self._ask("trafikverket", konferens, "!help vem")
        t.step("Felskrivningar får ett svar som säger hur det ska vara")
        await self._ask("sos", konferens, "!hjälpp")
        await self._ask("sos", konferens, "!hjälp för många ord")


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="samverkan-demo-") as tmp:
        try:
            asyncio.run(Demo(Path(tmp)).run())
        except HomeserverError as exc:
            print(f"demo: {exc}", file=sys.stderr)
            return 1
    return 0
