"""Reports from outside Matrix, on a real homeserver: the call-in carries a signed link for the
actor marked ``report_by_link``; the link's form stores the report like ``!status`` does, once per
form, and the combined picture shows it with its source; a forged, expired or closed link, and a
form that is not the link's, get a clear page in the bot's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from bot.demo.homeserver import free_port
from bot.domain.calendar import next_meeting
from storage import meetings
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {
    "tib": ("lst", ["tib"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
}
ACTORS = {
    "lst": "Länsstyrelsen Stockholm",
    "polisen": "Polisen region Stockholm",
    "hamnar": "Stockholms hamnar",
}
LINK = re.compile(
    r"Stockholms hamnar: (http://127\.0\.0\.1:\d+/r/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))"
)
NONCE = re.compile(r'name="nonce" value="([^"]+)"')


class Harbour(Scene):
    """Länsstyrelsen and Polisen are on Matrix; the harbour reports by link."""

    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, rooms=("Konferens", "Samordnande"))
        self.port = free_port()

    def configure(self, data: dict[str, Any]) -> None:
        data["web"] = {"enabled": True, "host": "127.0.0.1", "port": self.port}
        for actor in data["actors"]:
            actor["report_by_link"] = actor["id"] == "hamnar"
        data["forums"] = [
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.rooms["Konferens"],
                "participants": ["*"],
                "schedule": quiet_schedule(),
            },
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.rooms["Samordnande"],
                "participants": ["lst", "hamnar"],
                "activators": ["tib"],
            },
        ]

    def meeting_at(self) -> datetime:
        assert self.app is not None
        forum = self.app.settings.forums[0]
        trigger = forum.trigger(self.app.settings.zone)
        assert trigger is not None
        found = next_meeting(forum, trigger, datetime.now(UTC))
        assert found is not None
        return found


@pytest.fixture
async def harbour(world: World) -> Harbour:
    world.bot_env["SAMVERKAN_WEB__TOKEN"] = "web-token-for-the-dashboard"
    world.bot_env["SAMVERKAN_WEB__LINK_SECRET"] = "report-link-secret"
    h = Harbour(world)
    await h.setup()
    return h


async def fetch(
    http: aiohttp.ClientSession, url: str, form: dict[str, str] | None = None
) -> tuple[int, str, Any]:
    method = http.get(url) if form is None else http.post(url, data=form)
    async with method as response:
        return response.status, await response.text(), response.headers


async def test_a_report_by_link_goes_into_the_picture_once(harbour: Harbour) -> None:
    h = harbour
    assert h.app is not None
    room = h.rooms["Konferens"]
    await h.app.services.conference.run_step("konferens", "call_in", h.meeting_at())
    call_in = await h.bot_says(room, lambda m: "Rapportlänkar" in m.body)
    found = LINK.search(call_in.body)
    assert found is not None, call_in.body
    url, token = found.groups()
    assert url.startswith(f"http://127.0.0.1:{h.port}/r/")
    assert call_in.body.count("/r/") == 1  # only the actor without Matrix gets a link
    assert f'<a href="{url}">' in call_in.content["formatted_body"]

    async with aiohttp.ClientSession() as http:  # no web token: the link is the credential
        status, page, headers = await fetch(http, url)
        assert status == 200
        assert "Lägesbild: Stockholms hamnar" in page and "Regional samverkanskonferens" in page
        for label in ("Läge", "Påverkan", "Behov", "Beredskap"):
            assert f">{label}<small>" in page
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        nonce = NONCE.search(page)
        assert nonce is not None
        form = {
            "nonce": nonce.group(1),
            "situation": "Isbrytning <script>alert(1)</script> pågår",
            "needs": "Bogserbåt från Trafikverket",
            "readiness": "stab",
        }

        # A report that cannot be taken: the form again, with the reason and what was typed.
        status, page, _ = await fetch(http, url, {**form, "readiness": "röd"})
        assert status == 422
        assert "&#34;röd&#34; är ingen beredskapsnivå" in page
        assert "Isbrytning &lt;script&gt;alert(1)&lt;/script&gt; pågår" in page

        status, page, _ = await fetch(http, url, form)
        assert (status, "Tack, lägesbilden är mottagen" in page) == (200, True)
        status, page, _ = await fetch(http, url, form)  # sent again: not stored twice
        assert (status, "Redan mottagen" in page) == (200, True)

        # A form of another link (here: of an expired one) is not this link's.
        assert h.app.services.report_links is not None
        links = h.app.services.report_links
        async with h.app.db.session() as session:
            meeting = await meetings.active_meeting(session, "konferens")
            assert meeting is not None
            history = await meetings.report_history(session, meeting.id, "hamnar")
        assert [(r.source, r.readiness, r.needs) for r in history] == [
            ("web-link", "stabsläge", "Bogserbåt från Trafikverket")
        ]
        expired = links.url(
            links.token("hamnar", meeting.id, datetime.now(UTC) - timedelta(minutes=1))
        )
        status, page, _ = await fetch(http, expired)
        assert (status, "Länken har gått ut" in page) == (410, True)
        other = links.token("hamnar", meeting.id, datetime.now(UTC) + timedelta(hours=1))
        status, page, _ = await fetch(http, links.url(other), form)
        assert (status, "Formuläret kunde inte tas emot" in page) == (403, True)

        # Forged: another actor's id under this link's signature, or a mangled token.
        payload, mac = token.split(".")
        polisen = links.token("polisen", meeting.id, datetime.now(UTC) + timedelta(hours=1))
        for forged in (f"{polisen.split('.')[0]}.{mac}", f"{payload}.{mac[:-3]}", "nonsense"):
            status, page, _ = await fetch(http, url.replace(token, forged))
            assert (status, "Ogiltig länk" in page) == (403, True), forged
        # A link for an actor that is on Matrix is refused even when signed.
        status, page, _ = await fetch(http, links.url(polisen))
        assert status == 403

    # The host is told in the room, once; the combined picture shows the harbour's report with
    # where it came from, escaped.
    told = await h.bot_says(room, lambda m: "har lämnat lägesbild via webblänk" in m.body)
    assert told.msgtype == "m.notice" and told.body.startswith("📝 Stockholms hamnar har")
    picture = await h.tib.ask(room, "!lägesbild", h.bot)
    assert [m for m in h.bot_messages(room) if "via webblänk (" in m.body] == [told]
    assert "Stockholms hamnar (via webblänk)" in picture.body
    assert "Isbrytning <script>alert(1)</script> pågår" in picture.body
    assert "&lt;script&gt;" in picture.content["formatted_body"]
    assert "Bogserbåt från Trafikverket" in picture.body

    # When the meeting closes, so does its link.
    await h.app.services.conference.run_step("konferens", "close", h.meeting_at())
    async with aiohttp.ClientSession() as http:
        status, page, _ = await fetch(http, url)
        assert (status, "Länken har gått ut" in page) == (410, True)
        status, page, _ = await fetch(http, url, form)
        assert status == 410


async def test_an_activation_round_carries_the_link_too(harbour: Harbour) -> None:
    h = harbour
    room = h.rooms["Samordnande"]
    await h.tib.ask(room, "!aktivera samordnande Isläge i farleden", h.bot)
    call_in = await h.bot_says(room, lambda m: "Rapportlänkar" in m.body)
    assert "Rapportrunda 1" in call_in.body
    found = LINK.search(call_in.body)
    assert found is not None, call_in.body
    async with aiohttp.ClientSession() as http:
        status, page, _ = await fetch(http, found.group(1))
        assert status == 200 and "Regionalt samordnande forum, rapportrunda 1" in page
        nonce = NONCE.search(page)
        assert nonce is not None
        status, page, _ = await fetch(
            http, found.group(1), {"nonce": nonce.group(1), "situation": "Farleden stängd"}
        )
        assert status == 200
    picture = await h.tib.ask(room, "!lägesbild", h.bot)
    assert "Stockholms hamnar (via webblänk)" in picture.body
    assert "Farleden stängd" in picture.body
