"""Warnings in by webhook, against the running bot on a real homeserver: a signed SMHI warning
appears in the forum room and the activators are pinged with a ready ``!aktivera``; a call that is
unsigned, wrongly signed, for an unknown source, too large, not JSON or not fitting the template
gets a 4xx with its reason and posts nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.demo.homeserver import free_port
from bot.domain.hook_signature import sign
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads((ROOT / "deploy" / "webhooks" / "smhi-warning.json").read_text())
SMHI_SECRET = "smhi-shared-secret"
SOS_SECRET = "sos-shared-secret"
TEMPLATE = (
    "{warningAreas.0.warningLevel.sv} varning: {event.sv}, {warningAreas.0.areaName.sv}\n"
    "{warningAreas.0.descriptions.0.text.sv|}"
)
PEOPLE = {
    "tib": ("lst", ["tib"]),
    "rsk": ("lst", ["rsk-koordinator"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
}
ACTORS = {"lst": "Länsstyrelsen Stockholm", "polisen": "Polisen region Stockholm"}


class Warnings(Scene):
    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, rooms=("Konferens", "Samordnande"))
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def configure(self, data: dict[str, Any]) -> None:
        data["web"] = {"enabled": True, "host": "127.0.0.1", "port": self.port}
        data["forums"] = [
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.rooms["Konferens"],
                "participants": ["*"],
            },
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.rooms["Samordnande"],
                "participants": ["*"],
                "activators": ["tib", "rsk-koordinator"],
            },
        ]
        data["webhooks"] = [
            {
                "name": "smhi",
                "title": "SMHI vädervarningar",
                "forum": "konferens",
                "secret_env": "SMHI_TEST_WEBHOOK_SECRET",
                "template": TEMPLATE,
                "propose_activation": True,
                "activate_forum": "samordnande",
            },
            {
                "name": "sos",
                "forum": "konferens",
                "template": "SOS Alarm: {text}",
                "max_body": 512,
                "require_timestamp": True,
            },
        ]


@pytest.fixture
async def scene(world: World, monkeypatch: pytest.MonkeyPatch) -> Warnings:
    monkeypatch.setenv("SMHI_TEST_WEBHOOK_SECRET", SMHI_SECRET)
    world.bot_env["SAMVERKAN_WEB__TOKEN"] = "web-token-for-the-dashboard"
    world.bot_env["SAMVERKAN_WEBHOOK__SECRET"] = SOS_SECRET  # the default variable
    s = Warnings(world)
    await s.setup()
    return s


async def post(
    scene: Warnings,
    name: str,
    body: bytes,
    secret: str | None,
    *,
    timestamp: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    sent = {"Content-Type": "application/json", **(headers or {})}
    if secret is not None:
        sent["X-Samverkan-Signature"] = sign(secret.encode(), body, timestamp)
    if timestamp is not None:
        sent["X-Samverkan-Timestamp"] = timestamp
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{scene.url}/hooks/{name}", data=body, headers=sent) as response,
    ):
        return response.status, await response.json()


def now() -> str:
    return str(int(time.time()))


async def test_a_signed_warning_is_posted_and_the_activators_get_a_ready_command(
    scene: Warnings,
) -> None:
    room = scene.rooms["Konferens"]
    body = json.dumps(SAMPLE, ensure_ascii=False).encode()
    status, answer = await post(scene, "smhi", body, SMHI_SECRET, timestamp=now())
    assert (status, answer["status"], answer["proposed_activation"]) == (202, "posted", True)

    event = await scene.bot_says(room, lambda m: "Inkommet från SMHI" in m.body)
    assert event.msgtype == "m.notice"
    assert event.body.startswith("📡 Inkommet från SMHI vädervarningar\n")
    assert "Orange varning: Snöfall, Stockholms län" in event.body
    assert "Kraftigt snöfall" in event.body
    assert "<b>Orange varning: Snöfall, Stockholms län</b>" in event.content["formatted_body"]

    # The activators of the forum it proposes (not everyone) are pinged, in the language.
    ping = await scene.bot_says(room, lambda m: "föreslår aktivering" in m.body, who="rsk")
    assert ping.msgtype == "m.text"
    assert sorted(ping.mentions) == sorted([scene.tib.user_id, scene.rsk.user_id])
    command = "!aktivera samordnande Orange varning: Snöfall, Stockholms län"
    assert command in ping.body
    assert f"<code>{command}</code>" in ping.content["formatted_body"]

    # The same body again (a retrying sender): answered, posted once.
    status, answer = await post(scene, "smhi", body, SMHI_SECRET)
    assert (status, answer["status"]) == (200, "duplicate")

    # The suggestion works as written.
    reply = await scene.tib.ask(scene.rooms["Samordnande"], command, scene.bot)
    assert "aktiverat" in reply.body


async def test_refused_calls_say_why_and_post_nothing(scene: Warnings) -> None:
    room = scene.rooms["Konferens"]
    good = json.dumps({"text": "Larm <b>Norrtälje</b>"}).encode()

    cases: list[tuple[str, int, str, tuple[int, dict[str, Any]]]] = [
        (
            "unsigned",
            401,
            "missing_signature",
            await post(scene, "smhi", good, None),
        ),
        (
            "wrong secret",
            401,
            "bad_signature",
            await post(scene, "smhi", good, "guessed-secret"),
        ),
        (
            "signed body changed",
            401,
            "bad_signature",
            await post(
                scene,
                "smhi",
                good,
                None,
                headers={"X-Samverkan-Signature": sign(SMHI_SECRET.encode(), good + b" ")},
            ),
        ),
        (
            "no timestamp where required",
            401,
            "missing_timestamp",
            await post(scene, "sos", good, SOS_SECRET),
        ),
        (
            "replayed an hour later",
            401,
            "stale_timestamp",
            await post(scene, "sos", good, SOS_SECRET, timestamp=str(int(time.time()) - 3600)),
        ),
        (
            "unknown source",
            404,
            "unknown_source",
            await post(scene, "polisen", good, SMHI_SECRET),
        ),
        (
            "too large",
            413,
            "too_large",
            await post(scene, "sos", json.dumps({"text": "x" * 600}).encode(), SOS_SECRET),
        ),
        (
            "not JSON",
            400,
            "malformed_json",
            await post(scene, "sos", b"{not json", SOS_SECRET, timestamp=now()),
        ),
        (
            "not the template's shape",
            422,
            "template_mismatch",
            await post(scene, "smhi", good, SMHI_SECRET),
        ),
    ]
    for what, status, code, (got_status, answer) in cases:
        assert (got_status, answer.get("error")) == (status, code), what
        assert answer["reason"], what
        assert SMHI_SECRET not in answer["reason"] and SOS_SECRET not in answer["reason"]
    mismatch = cases[-1][3][1]["reason"]
    assert "{warningAreas.0.warningLevel.sv}: the body has no 'warningAreas'" in mismatch

    # A good call last: once it shows, everything before it has been through the outbox.
    status, answer = await post(scene, "sos", good, SOS_SECRET, timestamp=now())
    assert status == 202 and answer["proposed_activation"] is False
    marker = await scene.bot_says(room, lambda m: "SOS Alarm: Larm" in m.body)
    assert "&lt;b&gt;Norrtälje&lt;/b&gt;" in marker.content["formatted_body"]
    assert "<b>Norrtälje" not in marker.content["formatted_body"]
    posted = [m for m in scene.bot_messages(room) if "Inkommet från" in m.body]
    assert posted == [marker]
    assert not [m for m in scene.bot_messages(room) if "föreslår aktivering" in m.body]
