"""The dashboard in headless Chromium, against the running bot on the real homeserver.

People activate a forum as an exercise and report in chat; a browser holding the web token (as a
bearer header) then reads the pages as a person would: the overview with the model picture and
the ÖVNING marker, a meeting with its reports and missing actors, the activation timeline with
who acknowledged the alert. Injected HTML in a report must show as text and run nothing; the
overview must refresh itself without a reload; without the token the browser gets the login
form and nothing else. Screenshots go under the test's temporary directory.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.demo.homeserver import free_port
from tests.fixtures.browser import Browser, Page
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {
    # name: (actor, functions)
    "tib": ("lst", ["tib"]),
    "tv": ("trafikverket", ["vakthavande"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
    "komm": ("solna", ["kommunikatör"]),
}
ACTORS = {
    "lst": ("Länsstyrelsen Stockholm", "stat"),
    "trafikverket": ("Trafikverket", "trafik"),
    "polisen": ("Polisen region Stockholm", "blåljus"),
    "solna": ("Solna stad", "kommun"),
}
ROOMS = (
    "Regionalt samordnande forum",
    "Regional samverkanskonferens",
    "Regional chefsgrupp",
    "Kommunikatörer",
)
POLISEN_TOKEN_ENV = "SAMVERKAN_TEST_POLISEN_TOKEN"
SCRIPT = "<script>window.injected = 1</script>"
IMG = '<img src=x onerror="window.injected = 2">'


class Exercise(Scene):
    """Four actors, three forums on two levels, a standing group, the web on a free port."""

    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, {a: n for a, (n, _) in ACTORS.items()}, ROOMS)
        self.token = secrets.token_urlsafe(24)
        #: Polisen's read token: it sees the forums Polisen takes part in, not chefsgrupp.
        self.polisen_token = secrets.token_urlsafe(24)
        self.port = free_port()
        world.bot_env["SAMVERKAN_WEB__TOKEN"] = self.token

    @property
    def room(self) -> str:
        return self.rooms["Regionalt samordnande forum"]

    @property
    def alerts_room(self) -> str:
        return self.rooms["Kommunikatörer"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def configure(self, data: dict[str, Any]) -> None:
        for actor in data["actors"]:
            actor["name"], actor["category"] = ACTORS[actor["id"]]
        data["web"] = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": self.port,
            "actor_tokens_env": {"polisen": POLISEN_TOKEN_ENV},
        }
        data["forums"] = [
            {
                "id": "chefsgrupp",
                "name": "Regional chefsgrupp",
                "level": "inriktande",
                "mode": "ordinarie",
                "room": self.rooms["Regional chefsgrupp"],
                "participants": ["lst"],
                "schedule": "0 10 1 */2 *",
            },
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.rooms["Regional samverkanskonferens"],
                "participants": ["*"],
                "host_function": "tib",
                "schedule": quiet_schedule(),
            },
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.room,
                "participants": ["*"],
                "host_function": "tib",
                "activators": ["tib"],
                "alert_functions": ["kommunikatör"],
                "report_interval": "30m",
            },
        ]
        data["alerts"] = {"room": self.alerts_room, "ack_timeout": "10m"}
        data["groups"] = [
            {
                "id": "kommunikation",
                "name": "Kommunikation",
                "reports_to": "konferens",
                "members": ["lst", "solna"],
                "task": "Gemensamma budskap",
            }
        ]

    async def activate_and_report(self) -> None:
        """An exercise activation, two reports (one with injected HTML), Polisen and Solna
        not reporting."""
        answer = await self.tib.ask(
            self.room, "!aktivera samordnande --övning Snöstorm <b>klass 2</b>", self.bot
        )
        assert answer.body.startswith("[ÖVNING]"), answer.body
        await self.bot_says(self.room, lambda m: "Rapportrunda 1" in m.body)
        receipt = await self.tib.ask(
            self.room,
            "!läge Snöoväder, plogning pågår.\nbehov: Samordnad kommunikation\nberedskap: stab",
            self.bot,
        )
        assert "Länsstyrelsen Stockholm" in receipt.body, receipt.body
        receipt = await self.tv.ask(
            self.room,
            f"!läge E4 stängd vid Rotebro {SCRIPT}\nbehov: Bärgare {IMG}\nberedskap: katastrof",
            self.bot,
        )
        assert "Trafikverket" in receipt.body, receipt.body


@pytest.fixture
async def exercise(world: World, monkeypatch: pytest.MonkeyPatch) -> Exercise:
    scene = Exercise(world)
    # Actor tokens are read when the web starts, after the bot's own variables are gone.
    monkeypatch.setenv(POLISEN_TOKEN_ENV, scene.polisen_token)
    await scene.setup()
    assert scene.app is not None and scene.app.web is not None
    assert scene.app.web.port == scene.port
    return scene


async def open_page(browser: Browser, scene: Exercise, path: str) -> Page:
    page = await browser.new_page(scene.headers)
    await page.goto(scene.url + path)
    return page


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    assert len(data) > 20_000, f"{path} is only {len(data)} bytes"


async def test_an_exercise_on_the_overview_and_its_meeting_page(
    exercise: Exercise, browser: Browser, tmp_path: Path
) -> None:
    s = exercise
    await s.activate_and_report()
    shots = tmp_path / "screenshots"
    shots.mkdir()

    # The overview: every forum, the exercise marked, the model with the activated forum lit.
    page = await open_page(browser, s, "/")
    text = await page.text()
    for name in ("Regional chefsgrupp", "Regional samverkanskonferens", "Regionalt samordnande"):
        assert name in text, name
    assert "ÖVNING" in text and "AKTIVERAT" in text
    assert "Snöstorm <b>klass 2</b>" in text  # the reason, as typed
    assert await page.evaluate(
        "[...document.querySelectorAll('svg.model g.forum.lit')].map(g => g.dataset.forum)"
    ) == ["samordnande"]
    assert (
        await page.evaluate(
            "document.querySelector('svg.model g[data-forum=samordnande]').dataset.exercise"
        )
        == "true"
    )
    assert await page.evaluate("document.querySelector('svg.model > title').textContent") == (
        "Samverkansmodellen"
    )
    # the standing group sits under its forum in the picture
    assert (
        await page.evaluate(
            "document.querySelector('svg.model g[data-forum=konferens] g.group title').textContent"
        )
        == "Gemensamma budskap"
    )
    # readiness: the level's text in each row, the highest first, no level for the silent
    rows = await page.evaluate(
        "[...document.querySelectorAll('table.overview-readiness tbody tr')]"
        ".map(r => [r.dataset.actor, r.className, r.cells[1].innerText.trim()])"
    )
    assert rows[0] == ["trafikverket", "level-3", "■■■■ KATASTROFLÄGE"]  # upper case by CSS
    assert rows[1] == ["lst", "level-1", "■■□□ stabsläge"]
    assert {row[0] for row in rows[2:]} == {"polisen", "solna"}
    assert all(row[2] == "ej rapporterad" for row in rows[2:])
    # each row's chart of the last weeks: drawn for those who stated a level, in words too
    charts = await page.evaluate(
        "[...document.querySelectorAll('table.overview-readiness tbody tr')].map(r => {"
        " const svg = r.querySelector('svg.readiness-chart');"
        " return svg ? [svg.querySelector('title').textContent,"
        " svg.querySelectorAll('rect').length, svg.getBoundingClientRect().width] : null; })"
    )
    assert charts[0][0].endswith("Trafikverket: katastrofläge") and charts[0][1] == 1
    assert charts[1][0].endswith("Länsstyrelsen Stockholm: stabsläge") and charts[1][2] > 100
    assert charts[2:] == [None, None]
    assert page.dialogs == []
    assert_png(await page.screenshot(shots / "overview.png"))

    # Printed: no navigation, still the marker and the levels in words.
    await page.emulate_media("print")
    assert await page.evaluate(
        "getComputedStyle(document.querySelector('header.top')).display"
    ) == ("none")
    assert_png(await page.screenshot(shots / "overview-print.png"))
    await page.emulate_media(None)

    # The meeting page behind the activated forum: reports, who is missing, needs.
    href = await page.evaluate(
        "document.querySelector('#forum-samordnande .links a[href^=\"/meetings/\"]')"
        ".getAttribute('href')"
    )
    await page.goto(s.url + href)
    text = await page.text()
    assert "ÖVNING" in text
    assert "Aktörernas lägesbilder" in text
    assert "Snöoväder, plogning pågår." in text
    assert f"E4 stängd vid Rotebro {SCRIPT}" in text
    assert f"Bärgare {IMG}" in text
    missing = await page.evaluate("document.querySelector('.missing-section').innerText")
    assert "Polisen region Stockholm" in missing and "Solna stad" in missing
    assert "Trafikverket" not in missing and "Länsstyrelsen" not in missing
    needs = await page.evaluate("document.querySelector('.needs-section').innerText")
    assert "Samordnad kommunikation" in needs
    # the injected markup is text: nothing ran, no element was made of it
    assert await page.evaluate("typeof window.injected") == "undefined"
    assert await page.evaluate("document.querySelectorAll('main script, main img').length") == 0
    assert page.dialogs == []
    assert_png(await page.screenshot(shots / "meeting.png"))

    # On a phone: nothing wider than the screen.
    phone = await browser.new_page(s.headers, width=390, height=844, scale=2, mobile=True)
    await phone.goto(s.url + "/")
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert "ÖVNING" in await phone.text()
    assert_png(await phone.screenshot(shots / "overview-phone.png"))

    # Without the token: the login form, nothing of the picture.
    stranger = await browser.new_page()
    await stranger.goto(s.url + href)
    assert await stranger.evaluate("location.pathname") == "/login"
    seen = await stranger.text()
    assert "Trafikverket" not in seen and "Snöoväder" not in seen
    print(f"screenshots: {sorted(str(p) for p in shots.iterdir())}")


async def test_the_overview_refreshes_itself_and_the_timeline_shows_acknowledgements(
    exercise: Exercise, browser: Browser, tmp_path: Path
) -> None:
    s = exercise
    await s.activate_and_report()

    page = await open_page(browser, s, "/?refresh=2&wall=1")
    assert await page.evaluate("document.body.className") == "wall"
    await page.evaluate("window.stayed = 42")
    polisen = "document.querySelector('tr[data-actor=polisen]').innerText"
    assert "ej rapporterad" in await page.evaluate(polisen)

    # A new report in chat reaches the open page without a reload.
    receipt = await s.polis.ask(s.room, "!läge Förstärkt bemanning\nberedskap: förstärkning", s.bot)
    assert "Polisen region Stockholm" in receipt.body
    await page.wait_for(f"{polisen}.includes('förstärkningsläge')", timeout=20)
    assert await page.evaluate("window.stayed") == 42  # same document: not reloaded
    assert int(await page.evaluate("document.body.dataset.refreshed")) >= 1
    assert await page.evaluate("document.body.className") == "wall"

    # The activation timeline: the alert to the communicators, then its acknowledgement.
    href = await page.evaluate(
        "document.querySelector('#forum-samordnande a[href^=\"/activations/\"]')"
        ".getAttribute('href')"
    )
    assert href.endswith("?wall=1&refresh=2")
    timeline = await open_page(browser, s, href)
    text = await timeline.text()
    assert "Aktivering av Regionalt samordnande forum" in text and "ÖVNING" in text
    assert "Larm #1 till kommunikatör" in text
    assert "0 av 1 har kvitterat" in text and "EJ KVITTERAT" in text
    alert = await s.bot_says(s.alerts_room, lambda m: "Larm #" in m.body, "komm")
    await s.komm.react(s.alerts_room, alert.event_id)
    for _ in range(100):
        await timeline.goto(s.url + href)
        text = await timeline.text()
        if "1 av 1 har kvitterat" in text:
            break
        await asyncio.sleep(0.2)
    assert "1 av 1 har kvitterat" in text and "EJ KVITTERAT" not in text
    assert s.komm.user_id in text and "reaktion" in text
    assert_png(await timeline.screenshot(tmp_path / "activation.png"))

    # Polisen's read token: its forums, not the chefsgrupp it has no part in.
    polisen = await browser.new_page({"Authorization": f"Bearer {s.polisen_token}"})
    await polisen.goto(s.url + "/")
    seen = await polisen.text()
    assert "Regionalt samordnande forum" in seen and "ÖVNING" in seen
    assert "Regional chefsgrupp" not in seen
    assert (
        await polisen.evaluate("document.querySelector('svg.model g[data-forum=chefsgrupp]')")
        is None
    )


async def test_wrong_addresses_get_a_reason_and_static_files_need_no_token(
    exercise: Exercise,
) -> None:
    s = exercise
    async with aiohttp.ClientSession(headers=s.headers) as http:
        for path, status, reason in (
            ("/meetings/99999", 404, "inget möte nummer 99999"),
            ("/activations/7", 404, "ingen aktivering nummer 7"),
            ("/meetings/abc", 400, '"abc" är inget nummer'),
            ("/?refresh=1", 400, "sekunder mellan 2 och 600"),
        ):
            async with http.get(s.url + path) as resp:
                assert resp.status == status, path
                assert reason in await resp.text(), path
        async with http.get(s.url + "/fragments/overview") as resp:
            assert resp.status == 200
            fragment = await resp.text()
        assert fragment.startswith('<div id="live"') and "<html" not in fragment
    async with aiohttp.ClientSession() as anonymous:
        for path in ("/static/dashboard.css", "/static/refresh.js"):
            async with anonymous.get(s.url + path) as resp:
                assert resp.status == 200, path
        for path in ("/", "/fragments/overview", "/issues"):
            async with anonymous.get(s.url + path, allow_redirects=False) as resp:
                assert resp.status in (303, 401), path
                assert "Regional" not in await resp.text(), path
