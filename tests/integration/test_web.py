"""The web of the running bot on the real homeserver: access (token, actor tokens, login form),
and the JSON API showing what chat commands produced: a meeting with reports, missing actors and
needs, an issue, an activation with an acknowledged alert. Every answer is checked against the
OpenAPI description the API serves, and that description against the router's route table."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from yarl import URL

from bot.demo.homeserver import free_port
from bot.web.access import COOKIE
from bot.web.keys import Viewer
from storage.db import COMMITS
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.schedule import quiet_schedule

pytestmark = pytest.mark.integration

PEOPLE = {
    # name: (actor, functions)
    "tib": ("lst", ["tib"]),
    "sak": ("solna", ["säkerhetschef"]),
    "polis": ("polisen", ["vakthavande-befäl"]),
    "komm": ("polisen", ["kommunikatör"]),
}
ACTORS = {
    "lst": "Länsstyrelsen Stockholm",
    "solna": "Solna stad",
    "polisen": "Polisen region Stockholm",
}
ROOMS = ("Samverkanskonferens", "Regionalt samordnande forum", "Kommunikatörer")
ACTOR_TOKEN_VARS = {"solna": "SAMVERKAN_TEST_WEB_SOLNA", "polisen": "SAMVERKAN_TEST_WEB_POLISEN"}
TITLE = "<script>alert('x')</script> Vägsalt & sand"


class WebScene(Scene):
    """A weekly conference everyone takes part in, and an activated forum without Solna."""

    def __init__(self, world: World) -> None:
        super().__init__(world, PEOPLE, ACTORS, ROOMS)
        self.token = secrets.token_urlsafe(24)
        self.actor_tokens = {actor: secrets.token_urlsafe(24) for actor in ACTOR_TOKEN_VARS}
        world.bot_env["SAMVERKAN_WEB__TOKEN"] = self.token

    @property
    def conference(self) -> str:
        return self.rooms["Samverkanskonferens"]

    @property
    def forum(self) -> str:
        return self.rooms["Regionalt samordnande forum"]

    @property
    def alerts_room(self) -> str:
        return self.rooms["Kommunikatörer"]

    @property
    def url(self) -> str:
        assert self.app is not None and self.app.web is not None
        return self.app.web.url

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"] = [
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.conference,
                "participants": ["*"],
                "host_function": "tib",
                "schedule": quiet_schedule(),
            },
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.forum,
                "participants": ["lst", "polisen"],
                "host_function": "tib",
                "activators": ["tib"],
                "alert_functions": ["kommunikatör"],
                "report_interval": "1h",
            },
        ]
        data["alerts"] = {"room": self.alerts_room, "ack_timeout": "10m"}
        data["web"] = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": free_port(),
            "actor_tokens_env": ACTOR_TOKEN_VARS,
        }


@pytest.fixture
async def scene(world: World, monkeypatch: pytest.MonkeyPatch) -> WebScene:
    s = WebScene(world)
    for actor, variable in ACTOR_TOKEN_VARS.items():
        monkeypatch.setenv(variable, s.actor_tokens[actor])
    await s.setup()
    return s


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    """GETs under /api/v1 with one token; every 200 answer is validated against the schema the
    OpenAPI description gives for its route."""

    def __init__(self, http: aiohttp.ClientSession, base: str, token: str) -> None:
        self.http = http
        self.base = base
        self.headers = bearer(token)
        self.document: dict[str, Any] | None = None

    async def raw(self, path: str) -> tuple[int, Any, Any]:
        async with self.http.get(f"{self.base}/api/v1{path}", headers=self.headers) as resp:
            assert resp.headers["Content-Type"].startswith("application/json"), path
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            return resp.status, await resp.json(), resp.headers

    async def get(self, path: str, template: str | None = None) -> Any:
        status, body, _ = await self.raw(path)
        assert status == 200, (path, body)
        if self.document is None:
            _, self.document, _ = await self.raw("/openapi.json")
        operation = self.document["paths"][f"/api/v1{template or path.split('?')[0]}"]["get"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        root = {**schema, "components": self.document["components"]}
        errors = sorted(Draft202012Validator(root).iter_errors(body), key=str)
        assert not errors, (path, [e.message for e in errors[:3]])
        return body

    async def error(self, path: str, status: int) -> dict[str, Any]:
        got, body, _ = await self.raw(path)
        assert got == status, (path, got, body)
        assert isinstance(body["error"], str) and isinstance(body["message"], str)
        return dict(body)


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    """The first truthy result of `check`, polled until `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.2)


async def test_access_refuses_without_a_token_and_the_login_form_lets_a_browser_in(
    scene: WebScene,
) -> None:
    url = scene.url
    async with aiohttp.ClientSession() as http:
        for headers in ({}, bearer("wrong"), bearer(scene.token + "x")):
            for path in ("/api/v1/forums", "/api/v1/meetings/1", "/api/v1/openapi.json"):
                async with http.get(url + path, headers=headers) as resp:
                    assert resp.status == 401
                    assert await resp.json() == {"error": "unauthorized"}
            for path in ("/", "/meetings/1"):
                async with http.get(url + path, headers=headers) as resp:
                    assert resp.status == 401
                    body = await resp.text()
                    assert "Regional" not in body and "konferens" not in body
        async with http.get(url + "/", headers={"Accept": "text/html"}, allow_redirects=False) as r:
            assert r.status == 303 and URL(r.headers["Location"]).path == "/login"
        async with http.get(url + "/api/v1/forums", headers=bearer(scene.token)) as resp:
            assert resp.status == 200
        async with http.get(url + "/", headers=bearer(scene.token)) as resp:
            assert resp.status != 401

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(url + "/login") as resp:
            assert resp.status == 200 and 'type="password"' in await resp.text()
        async with browser.post(
            url + "/login", data={"token": scene.token, "next": "/api/v1/forums"}
        ) as resp:
            assert resp.status == 200 and resp.url.path == "/api/v1/forums"
            assert [f["forum"]["id"] for f in (await resp.json())["forums"]] == [
                "konferens",
                "samordnande",
            ]
            cookie = resp.history[0].headers["Set-Cookie"]
        assert cookie.startswith(f"{COOKIE}=") and scene.token not in cookie
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        async with browser.get(url + "/logout") as resp:
            assert resp.url.path == "/login"
        async with browser.get(url + "/api/v1/forums") as resp:
            assert resp.status == 401


async def test_the_api_shows_what_chat_produced_cut_to_each_token(scene: WebScene) -> None:
    s = scene
    bot = s.bot
    # A conference opened by its host; two of three actors report, Solna with a need.
    opened = await s.tib.ask(s.conference, "!möte start", bot)
    assert "öppnat" in opened.body.casefold() or "start" in opened.body.casefold()
    await s.sak.ask(
        s.conference, "!läge Halka på E18.\nbehov: sand från Trafikverket\nberedskap: stab", bot
    )
    await s.polis.ask(s.conference, "!läge Många trafikolyckor.", bot)
    raised = await s.sak.ask(s.conference, f"!lyft {TITLE} | med <b>fet</b> beskrivning", bot)
    assert "#" in raised.body
    # The activated forum, and its communicator's acknowledgement by ✅.
    await s.tib.send(s.forum, "!aktivera samordnande Snöstorm över länet")
    await s.bot_says(s.forum, lambda m: m.body.startswith("🚨"), "tib")
    alert = await s.bot_says(s.alerts_room, lambda m: "Larm #" in m.body, "komm")
    await s.komm.react(s.alerts_room, alert.event_id)

    async with aiohttp.ClientSession() as http:
        full = Api(http, s.url, s.token)

        # The description: valid OpenAPI 3.1, and every /api/v1 route the router has is in it.
        document = await full.get("/openapi.json")
        validate_openapi(document)
        assert s.app is not None and s.app.web is not None
        registered = {
            (route.method.lower(), route.resource.canonical)
            for route in s.app.web.app.router.routes()
            if route.resource is not None
            and route.resource.canonical.startswith("/api/v1/")
            and route.method != "HEAD"
        }
        documented = {(method, path) for path, item in document["paths"].items() for method in item}
        assert len(registered) >= 10 and registered <= documented

        forums = {f["forum"]["id"]: f for f in (await full.get("/forums"))["forums"]}
        assert list(forums) == ["konferens", "samordnande"]
        conference = forums["konferens"]
        assert conference["mode_now"] == "ordinarie" and not conference["activated"]
        assert conference["host"]["id"] == "lst" and conference["next_meeting"]
        picture = conference["latest_picture"]
        assert picture["reported"] == 2 and picture["expected"] == 3
        assert [a["id"] for a in picture["missing"]] == ["lst"]
        meeting_id = conference["latest_meeting"]["id"]
        assert conference["latest_meeting"]["state"] == "open"
        assert conference["open_issues"] == 1

        activated = forums["samordnande"]
        assert activated["mode_now"] == "aktiverat" and activated["activated"]
        assert activated["activation"]["reason"] == "Snöstorm över länet"
        assert activated["host"]["id"] == "lst" and not activated["exercise"]

        meeting = await full.get(f"/meetings/{meeting_id}", "/meetings/{meeting_id}")
        reports = {r["actor"]["id"]: r for r in meeting["reports"]}
        assert set(reports) == {"solna", "polisen"}
        assert reports["solna"]["fields"]["situation"] == "Halka på E18."
        assert reports["solna"]["fields"]["readiness"] == "stabsläge"
        assert reports["solna"]["raised"] and not reports["polisen"]["raised"]
        assert reports["solna"]["author"] == s.sak.user_id
        assert [a["name"] for a in meeting["missing"]] == ["Länsstyrelsen Stockholm"]
        assert [(n["actor"]["id"], n["text"]) for n in meeting["needs"]] == [
            ("solna", "sand från Trafikverket")
        ]
        assert [i["title"] for i in meeting["issues"]] == [TITLE]

        shown = await full.get(f"/meetings/{meeting_id}/picture", "/meetings/{meeting_id}/picture")
        assert [n["text"] for n in shown["needs"]] == ["sand från Trafikverket"]
        assert [a["id"] for a in shown["missing"]] == ["lst"]
        assert {a["actor"]["id"] for sec in shown["sections"] for a in sec["actors"]} == {
            "solna",
            "polisen",
        }

        listed = await full.get("/meetings?forum=konferens")
        assert [m["id"] for m in listed["recent"]] == [meeting_id]
        assert listed["upcoming"] and all(
            u["forum"]["id"] == "konferens" for u in listed["upcoming"]
        )

        # User text comes back exactly as typed: JSON is data, not markup.
        issues = (await full.get("/issues"))["issues"]
        assert [i["title"] for i in issues] == [TITLE]
        number = issues[0]["number"]
        issue = await full.get(f"/issues/{number}", "/issues/{number}")
        assert issue["title"] == TITLE and issue["description"] == "med <b>fet</b> beskrivning"
        assert issue["forum"]["id"] == "konferens" and issue["meeting_id"] == meeting_id
        async with http.get(f"{s.url}/api/v1/issues/{number}", headers=bearer(s.token)) as resp:
            assert "<script>alert('x')</script>" in await resp.text()

        # The activation, its timeline with the acknowledgement (polled: a reaction has no reply).
        (activation,) = (await full.get("/activations"))["activations"]
        assert activation["state"] == "active" and activation["forum"]["id"] == "samordnande"

        async def acked() -> Any:
            detail = await full.get(
                f"/activations/{activation['id']}", "/activations/{activation_id}"
            )
            kinds = [entry["kind"] for entry in detail["timeline"]]
            return detail if "ack" in kinds else None

        detail = await eventually(acked)
        kinds = [entry["kind"] for entry in detail["timeline"]]
        assert kinds.index("activated") < kinds.index("alert") < kinds.index("ack")
        (recipient,) = [r for a in detail["alerts"] for r in a["recipients"]]
        assert recipient["user_id"] == s.komm.user_id and recipient["acked_via"] == "reaction"
        assert all(entry["text"] for entry in detail["timeline"])
        assert [r["round_number"] for r in detail["rounds"]] == [1]

        # Errors are JSON with a reason.
        await full.error("/meetings/abc", 400)
        await full.error("/meetings/999999", 404)
        await full.error("/issues/999999", 404)
        await full.error("/activations/999999", 404)
        await full.error("/forums/nope", 404)
        await full.error("/meetings?forum=nope", 400)
        await full.error("/meetings?limit=0", 400)
        await full.error("/issues?state=bogus", 400)
        await full.error("/no-such-thing", 404)
        async with http.post(f"{s.url}/api/v1/forums", headers=bearer(s.token)) as resp:
            assert resp.status == 405 and (await resp.json())["error"] == "method_not_allowed"

        # The overview is read once until something is committed, and then at once anew.
        assert s.app is not None and s.app.services.readmodel is not None
        model = s.app.services.readmodel
        for _ in range(20):  # the sync loop commits now and then: look between two commits
            before = COMMITS.count
            first, again = await model.forums(Viewer()), await model.forums(Viewer())
            if COMMITS.count == before:
                break
        assert COMMITS.count == before
        assert all(a is b for a, b in zip(first, again, strict=True))
        await s.tib.ask(s.conference, "!läge Länsstyrelsen följer läget.", bot)
        picture = (await full.get("/forums/konferens", "/forums/{forum_id}"))["latest_picture"]
        assert picture["reported"] == 3 and picture["missing"] == []

        # Solna's read token: only the conference it takes part in; the rest does not exist.
        solna = Api(http, s.url, s.actor_tokens["solna"])
        assert [f["forum"]["id"] for f in (await solna.get("/forums"))["forums"]] == ["konferens"]
        await solna.error("/forums/samordnande", 404)
        assert (await solna.get("/activations"))["activations"] == []
        await solna.error(f"/activations/{activation['id']}", 404)
        await solna.error("/meetings?forum=samordnande", 400)
        recent = (await solna.get("/meetings"))["recent"]
        assert {m["forum"]["id"] for m in recent} == {"konferens"}
        assert (await solna.get(f"/meetings/{meeting_id}", "/meetings/{meeting_id}"))["reports"]
        assert [i["number"] for i in (await solna.get("/issues"))["issues"]] == [number]
        round_ids = [r["id"] for r in detail["rounds"]]
        for round_id in round_ids:
            await solna.error(f"/meetings/{round_id}", 404)
            await solna.error(f"/meetings/{round_id}/picture", 404)

        # The police's token: both forums, as its members see both rooms.
        police = Api(http, s.url, s.actor_tokens["polisen"])
        assert [f["forum"]["id"] for f in (await police.get("/forums"))["forums"]] == [
            "konferens",
            "samordnande",
        ]
        assert await police.get(f"/activations/{activation['id']}", "/activations/{activation_id}")
