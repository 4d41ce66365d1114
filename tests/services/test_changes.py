"""What changed since last time, across two Thursdays played by the clock: readiness raised,
a need no longer stated, a new one, and an actor silent this week open the second picture and
the home summaries; the first picture has nothing to compare with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.planner import plan_meetings
from bot.testing import ServiceHarness, service_harness
from tests.services.harness_config import region

ZONE = ZoneInfo("Europe/Stockholm")
FORUM_ROOM = "!konferens-example.se:example.se"


def day(date: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, date, hour, minute, tzinfo=ZONE)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[ServiceHarness]:
    async with service_harness(region(tmp_path), tmp_path, start=day(7, 10)) as harness:
        yield harness


async def _thursday(h: ServiceHarness, date: int, reports: dict[str, str]) -> str:
    forum = h.settings.forum("konferens")
    assert forum is not None
    await plan_meetings(h.timers, h.settings, h.clock.now())
    h.clock.set(day(date, 13))
    await h.run_due()
    for user, text in reports.items():
        await h.services.reports.submit(forum, user, text)
    h.clock.set(day(date, 15, 45))
    await h.run_due()
    picture = (await h.bodies(FORUM_ROOM))[-1]
    h.clock.set(day(date, 17))
    await h.run_due()
    return picture


async def test_the_second_thursday_opens_with_what_changed(h: ServiceHarness) -> None:
    first = await _thursday(
        h,
        10,
        {
            "@solna:example.se": "Lugnt.\nberedskap: normalläge\nbehov: sand",
            "@tib:example.se": "Snö väntas.\nberedskap: normalläge",
        },
    )
    assert "Sedan förra gången" not in first  # nothing to compare with

    second = await _thursday(
        h,
        17,
        {"@solna:example.se": "Snöfall.\nberedskap: stabsläge\nbehov: plogbilar"},
    )
    assert "Sedan förra gången (torsdag 2026-12-10 kl. 16:00)" in second
    assert "Höjd beredskap: Solna stad normalläge → stabsläge" in second
    assert "Nya behov: Solna stad: plogbilar" in second
    assert "Behov som inte längre anges: Solna stad: sand" in second
    assert "Rapporterade förra gången men inte nu: Länsstyrelsen Stockholm" in second
    assert second.index("Sedan förra gången") < second.index("Beredskap")

    summary = (await h.bodies("!solna-hem-example.se:example.se"))[-1]
    assert "Sedan förra gången" in summary and "Höjd beredskap" in summary


async def test_a_week_like_the_last_says_no_changes(h: ServiceHarness) -> None:
    same = {"@solna:example.se": "Lugnt.\nberedskap: normalläge"}
    await _thursday(h, 10, same)
    second = await _thursday(h, 17, same)
    assert "Sedan förra gången" in second and "Inga förändringar." in second
