"""The services played by a fake clock, without a homeserver (bot.testing): a Thursday
conference from call-in to home summaries, an unanswered alert that escalates, and a duty
hand-off. Each runs the real services, database, outbox and timers; only time, rooms and the
alarm under the timers are fakes, so what took minutes of waiting takes milliseconds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.planner import plan_meetings
from bot.testing import ServiceHarness, service_harness
from tests.services.harness_config import region

ZONE = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
FORUM_ROOM = "!konferens-example.se:example.se"
ALERTS_ROOM = "!larm-example.se:example.se"


def thursday(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 10, hour, minute, tzinfo=ZONE)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[ServiceHarness]:
    async with service_harness(region(tmp_path), tmp_path, start=MONDAY) as harness:
        yield harness


async def test_a_thursday_conference_plays_by_the_clock(h: ServiceHarness) -> None:
    forum = h.settings.forum("konferens")
    assert forum is not None
    await plan_meetings(h.timers, h.settings, h.clock.now())
    steps = [job_id.rsplit(":", 1)[1] for job_id, _, _ in await h.armed()]
    assert steps == ["call_in", "reminder", "deadline", "start", "close"]

    h.clock.set(thursday(12, 59))
    assert await h.run_due() == []  # nothing before its time
    h.clock.set(thursday(13, 0))
    assert len(await h.run_due()) == 1
    (call_in,) = await h.bodies(FORUM_ROOM)
    assert "torsdag 2026-12-10 kl. 16:00" in call_in and "senast kl. 15:45" in call_in

    # Solna reports in time; the reminder names only Länsstyrelsen and pings its people.
    h.clock.set(thursday(14, 30))
    await h.services.reports.submit(forum, "@solna:example.se", "Läge: normalläge\nBehov: sand")
    h.clock.set(thursday(15, 0))
    await h.run_due()
    reminder = (await h.bodies(FORUM_ROOM))[-1]
    assert "saknas från Länsstyrelsen Stockholm" in reminder and "Solna" not in reminder
    assert "@tib:example.se" in reminder

    h.clock.set(thursday(15, 45))
    await h.run_due()
    picture = (await h.bodies(FORUM_ROOM))[-1]
    assert picture.startswith("Samlad lägesbild") and "1 av 2 aktörer" in picture

    # The close sends each home room its summary, and plans the next Thursday.
    h.clock.set(thursday(17, 0))
    await h.run_due()
    for home, name in (("lst-hem", "Länsstyrelsen Stockholm"), ("solna-hem", "Solna stad")):
        (summary,) = await h.bodies(f"!{home}-example.se:example.se")
        assert f"Riktat till {name}" in summary and "2026-12-17 kl. 16:00" in summary
    assert all("2026-12-17T15:00" in job_id for job_id, _, _ in await h.armed())

    # A step run again (a timer that rang twice across a crash) sends nothing twice.
    before = await h.sent()
    await h.services.conference.run_step("konferens", "call_in", thursday(16))
    await h.services.conference.run_step("konferens", "close", thursday(16))
    assert await h.sent() == before


async def test_an_unanswered_alert_is_repeated_then_escalated(h: ServiceHarness) -> None:
    alert = await h.services.alerts.raise_now(
        function="kommunikatör",
        message="Brand i Solna centrum",
        raised_by="@tib:example.se",
        exercise=False,
        activation_id=None,
    )
    (ping,) = await h.bodies(ALERTS_ROOM)
    assert "Brand i Solna centrum" in ping and "@solna:example.se" in ping
    dm = h.rooms.created["dm:@solna:example.se"]
    assert len(await h.bodies(dm)) == 1

    h.clock.advance(timedelta(minutes=9))
    assert await h.run_due() == []
    h.clock.advance(timedelta(minutes=1))
    await h.run_due()  # ack_timeout: pinged again
    assert len(await h.bodies(ALERTS_ROOM)) == 2 and len(await h.bodies(dm)) == 2

    h.clock.advance(timedelta(minutes=10))
    await h.run_due()  # max_repeats spent: escalated to the rsk-koordinator
    assert len(await h.bodies(ALERTS_ROOM)) == 3
    assert "@solna:example.se" in (await h.bodies(ALERTS_ROOM))[-1]
    told = await h.bodies(h.rooms.created["dm:@rsk:example.se"])
    assert len(told) == 1 and "Brand i Solna centrum" in told[0]
    assert await h.armed() == []  # nothing more to ring
    info = await h.services.alerts.records.one(alert.id)
    assert info.escalated_at == h.clock.now() and info.escalated_to == ("rsk-koordinator",)


async def test_a_duty_handoff_briefs_the_incoming_person(h: ServiceHarness) -> None:
    duty = h.services.duty
    assert duty.on_duty("tjänsteman-i-beredskap") is not None
    assert duty.holders("tjänsteman-i-beredskap") == ["@bo:example.se"]  # week 2 of the roster
    await h.services.handoff.arm()
    h.clock.set(datetime(2026, 12, 14, 7, 59, tzinfo=ZONE))
    assert await h.run_due() == []
    h.clock.set(datetime(2026, 12, 14, 8, 0, tzinfo=ZONE))
    assert len(await h.run_due()) == 1
    assert duty.holders("tjänsteman-i-beredskap") == ["@anna:example.se"]
    brief = await h.bodies(h.rooms.created["dm:@anna:example.se"])
    assert len(brief) == 1 and "tjänsteman-i-beredskap" in brief[0]
    notice = await h.bodies(h.rooms.created["dm:@bo:example.se"])
    assert len(notice) == 1
    # The next hand-off is armed, a week on.
    assert [when for _, _, when in await h.armed()] == [datetime(2026, 12, 21, 8, 0, tzinfo=ZONE)]
