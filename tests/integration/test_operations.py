"""Operating the running bot: /healthz, /metrics and /calendar.ics served by its web on loopback,
while it talks to the real homeserver."""

from __future__ import annotations

import math
import secrets
from typing import Any

import aiohttp
import icalendar
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.demo.homeserver import free_port
from tests.fixtures.homeserver import World
from tests.fixtures.schedule import QUIET_DAY, quiet_schedule

pytestmark = pytest.mark.integration


async def start(world: World, token: str) -> tuple[App, str, str, Any]:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Samverkanskonferens", invite=[bot.user_id])
    world.bot_env["SAMVERKAN_WEB__TOKEN"] = token
    config = world.config(
        forum_room=room,
        members={alice.user_id: ("lst", ["tib"])},
        extra={"web": {"enabled": True, "host": "127.0.0.1", "port": free_port()}},
    )
    app = await world.start_bot(config)
    assert app.web is not None
    return app, app.web.url, room, alice


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def total(found: dict[str, list[tuple[dict[str, str], float]]], name: str) -> float:
    return sum(value for _, value in found.get(name, []))


async def test_health_metrics_and_calendar_of_the_running_bot(world: World) -> None:
    token = secrets.token_urlsafe(24)
    app, url, room, alice = await start(world, token)
    bearer = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as http:
        # Health: public, all three checks pass, nothing else in the answer.
        async with http.get(f"{url}/healthz") as resp:
            assert resp.status == 200
            body = await resp.json()
        assert body["status"] == "ok" and "failed" not in body
        assert set(body["checks"]) == {"sync", "database", "scheduler"}
        assert 0 <= body["checks"]["sync"]["age_s"] <= 120 == body["checks"]["sync"]["max_age_s"]
        assert app.client.user_id not in str(body) and room not in str(body)

        # Some work to count: a command, its reply sent through the outbox.
        await alice.ask(room, "!hjälp", app.client.user_id)

        # Metrics: only with the token.
        async with http.get(f"{url}/metrics") as resp:
            assert resp.status == 401
            assert "samverkan_" not in await resp.text()
        async with http.get(f"{url}/metrics", headers={"Authorization": "Bearer wrong"}) as resp:
            assert resp.status == 401
        async with http.get(f"{url}/metrics", headers=bearer) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain")
            found = samples(await resp.text())
        assert total(found, "samverkan_events_handled_total") >= 1
        commands = found["samverkan_commands_total"]
        assert any(
            labels == {"command": "help", "outcome": "ok"} and value >= 1
            for labels, value in commands
        )
        assert total(found, "samverkan_outbox_send_latency_seconds_count") >= 1
        lag = total(found, "samverkan_sync_lag_seconds")
        assert not math.isnan(lag) and 0 <= lag < 60
        assert total(found, "samverkan_outbox_depth") == 0
        assert total(found, "samverkan_outbox_failed_messages") == 0
        assert total(found, "samverkan_alerts_unacknowledged") == 0
        assert found["samverkan_meeting_reports"] == [({"forum": "konferens"}, 0.0)]

        # The calendar: a calendar app sends the token in the query.
        async with http.get(f"{url}/calendar.ics") as resp:
            assert resp.status == 401
        async with http.get(f"{url}/calendar.ics", params={"token": "wrong"}) as resp:
            assert resp.status == 401
        async with http.get(f"{url}/calendar.ics", params={"token": token}) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert resp.headers["Cache-Control"] == "no-store"
            calendar = icalendar.Calendar.from_ical(await resp.read())
        assert str(calendar["X-WR-CALNAME"]) == "Samverkan: möten"
        # The test config's forum has no schedule: no meetings, and asking for it says why.
        assert list(calendar.walk("VEVENT")) == []
        async with http.get(
            f"{url}/calendar.ics", params={"forum": "konferens"}, headers=bearer
        ) as resp:
            assert resp.status == 404
            assert "sammankallas vid behov" in await resp.text()
        async with http.get(f"{url}/calendar.ics", params={"forum": "nope"}, headers=bearer) as r:
            assert r.status == 404
            assert "Okänt forum: nope" in await r.text()

        # A stopped scheduler makes the bot unhealthy, and says which check failed.
        app.scheduler.pause()
        app.scheduler.shutdown(wait=False)
        async with http.get(f"{url}/healthz") as resp:
            assert resp.status == 503
            body = await resp.json()
        assert body["status"] == "failing" and body["failed"] == ["scheduler"]


async def test_the_calendar_lists_the_scheduled_forum(world: World) -> None:
    token = secrets.token_urlsafe(24)
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Samverkanskonferens", invite=[bot.user_id])
    world.bot_env["SAMVERKAN_WEB__TOKEN"] = token
    config = world.config(
        forum_room=room,
        members={alice.user_id: ("lst", ["tib"])},
        extra={"web": {"enabled": True, "host": "127.0.0.1", "port": free_port()}},
    )
    text = config.read_text()
    config.write_text(
        text.replace('id = "konferens"\n', f'id = "konferens"\nschedule = "{quiet_schedule()}"\n')
    )
    app = await world.start_bot(config)
    assert app.web is not None
    async with aiohttp.ClientSession() as http:
        params = {"token": token, "forum": "Regional samverkanskonferens"}
        async with http.get(f"{app.web.url}/calendar.ics", params=params) as resp:
            assert resp.status == 200, await resp.text()
            calendar = icalendar.Calendar.from_ical(await resp.read())
    assert str(calendar["X-WR-CALNAME"]) == "Samverkan: Regional samverkanskonferens"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 26
    first = events[0]
    assert first.decoded("DTSTART").strftime("%a %H:%M") == f"{QUIET_DAY.capitalize()} 16:00"
    assert first["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(first["LOCATION"]) == room
    domain = bot.user_id.split(":", 1)[1]
    assert str(first["UID"]).startswith("meeting-konferens-")
    assert str(first["UID"]).endswith(f"Z@{domain}")
