"""The stabsjournal on a real homeserver: a day of an activation (decision, alerts with an
acknowledgement and an escalation, a host change, a report, an issue raised and decided, a
note) read back from the PDF the bot posts into the room and from the web's JSON archive,
whose manifest's checksums match its files."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import zipfile
from typing import Any

import aiohttp
import pytest
from pypdf import PdfReader

from bot.demo.homeserver import free_port
from tests.fixtures.homeserver import World
from tests.integration.test_activation import Storm

pytestmark = pytest.mark.integration


class JournalDay(Storm):
    encrypted_rooms = ("Regionalt samordnande forum",)

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.port = free_port()
        self.token = secrets.token_urlsafe(16)
        #: Read tokens of a participant (Polisen) and of an actor outside the forum (Hamnar).
        self.actor_tokens = {
            "polisen": secrets.token_urlsafe(16),
            "hamnar": secrets.token_urlsafe(16),
        }

    def configure(self, data: dict[str, Any]) -> None:
        super().configure(data)
        data["forums"][0].update({"report_interval": "1h", "reminder_before": "10m"})
        self.world.bot_env["SAMVERKAN_WEB__TOKEN"] = self.token
        data["actors"].append({"id": "hamnar", "name": "Stockholms hamnar", "category": "övrig"})
        data["web"] = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": self.port,
            "actor_tokens_env": {a: f"SAMVERKAN_TEST_{a.upper()}_TOKEN" for a in self.actor_tokens},
        }


def pdf_text(data: bytes) -> str:
    """The PDF's text, its lines joined (a table cell wraps where the page makes it)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


async def test_the_journal_of_an_activation_holds_every_source_in_pdf_and_archive(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = JournalDay(world)
    for actor, token in s.actor_tokens.items():  # read when the web starts
        monkeypatch.setenv(f"SAMVERKAN_TEST_{actor.upper()}_TOKEN", token)
    await s.setup()
    await s.tib.ask(s.room, "!aktivera samordnande Snöstorm över länet", s.bot)
    await s.wait_bot_message(lambda m: m.body.startswith("🚨"), s.room)
    await s.tib.ask(s.room, "!värd polisen", s.bot)
    await s.sak.ask(s.room, "!läge Plogning pågår dygnet runt.\nbehov: sand", s.bot)
    await s.wait_bot_message(lambda m: "Larm #" in m.body, s.alerts_room, "komm_solna")
    await s.komm_polis.ask(s.alerts_room, "!kvittera", s.bot)
    await s.wait_bot_message(lambda m: "Eskalering" in m.body, s.alerts_room)
    raised = await s.sak.ask(s.room, "!lyft Sand till Solna | två lass behövs", s.bot)
    number = raised.body.split("#", 1)[1].split()[0].strip(".:,")
    await s.tib.ask(s.room, f"!besluta {number} Trafikverket kör sand i kväll", s.bot)
    noted = await s.tib.ask(s.room, "!logg Beslut: skolorna håller stängt i morgon", s.bot)
    assert "Antecknat i aktivering" in noted.body
    empty = await s.tib.ask(s.room, "!logg", s.bot)
    assert "!logg text" in empty.body  # how to do it right

    exported = await s.tib.ask(s.room, "!exportera aktivering", s.bot)
    assert "Stabsjournalen" in exported.body
    posted = await s.wait_bot_message(lambda m: m.msgtype == "m.file", s.room)
    assert posted.body.endswith(".pdf")
    # In an encrypted room the PDF is an encrypted attachment: no plain URL, a key to open it.
    assert posted.encrypted and "url" not in posted.content and "key" in posted.content["file"]
    text = pdf_text(await s.tib.download(posted))
    for expected in (
        "Stabsjournal",
        "Beslut: aktiverat",
        "Snöstorm över länet",
        "Värdskap ändrat",
        "Lägesrapport",
        "Plogning pågår dygnet runt",
        "Larm",
        "Kvitterat",
        "Eskalerat",
        "Ärende",
        "Trafikverket kör sand i kväll",
        "Anteckning",
        "skolorna håller stängt i morgon",
        "Samlade lägesbilder",
    ):
        assert expected in text, expected

    activation = await s.activation()
    base = f"http://127.0.0.1:{s.port}/activations/{activation.id}/journal"
    auth = {"Authorization": f"Bearer {s.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}.zip", headers=auth) as resp:
            assert resp.status == 200
            data = await resp.read()
        async with http.get(f"{base}.pdf", headers=auth) as resp:
            assert resp.status == 200 and resp.content_type == "application/pdf"
            assert "skolorna håller stängt" in pdf_text(await resp.read())
        async with http.get(base, headers=auth) as resp:
            assert resp.status == 200 and "Stabsjournal" in await resp.text()
        async with http.get(f"{base}.zip") as resp:
            assert resp.status == 401  # the web's access rules apply
        for actor, status in (("polisen", 200), ("hamnar", 404)):  # a participant; not one
            bearer = {"Authorization": f"Bearer {s.actor_tokens[actor]}"}
            async with http.get(f"{base}.pdf", headers=bearer) as resp:
                assert resp.status == status, actor
        async with http.get(
            f"http://127.0.0.1:{s.port}/activations/99999/journal.zip", headers=auth
        ) as resp:
            assert resp.status == 404
            assert "ingen aktivering nummer 99999" in await resp.text()
        async with http.get(
            f"http://127.0.0.1:{s.port}/meetings/tolv/journal.pdf", headers=auth
        ) as resp:
            assert resp.status == 400 and '"tolv" är inget nummer' in await resp.text()

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["name"]: f for f in manifest["files"]}
        assert set(listed) | {"manifest.json"} == set(archive.namelist())
        for name, entry in listed.items():
            content = archive.read(name)
            assert hashlib.sha256(content).hexdigest() == entry["sha256"], name
            assert len(content) == entry["bytes"]
        journal = json.loads(archive.read("journal.json"))
        first = json.loads(archive.read("pictures/001.json"))
    assert first["round"] == 1 and "Plogning pågår dygnet runt" in first["text"]
    kinds = {e["kind"] for e in journal["entries"]}
    assert {
        "activation.activate",
        "activation.host",
        "report",
        "alert.raise",
        "alert.ack",
        "alert.escalate",
        "issue.raise",
        "issue.decide",
        "journal.log",
    } <= kinds
    assert journal["reason"] == "Snöstorm över länet" and journal["scope"] == "activation"
