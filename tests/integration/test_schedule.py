"""The scheduler drives a meeting by itself, in real time, through a restart of the bot.

The forum meets at the next whole minute (a cron schedule) with its steps seconds apart. The
bot is stopped after the call-in and started again after the reminder's time: the missed
reminder is still meaningful (before the deadline), so it runs once on start; nothing runs twice.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fixtures.homeserver import World

pytestmark = [pytest.mark.integration, pytest.mark.long]

ZONE = ZoneInfo("Europe/Stockholm")


async def _sleep_until(moment: datetime) -> None:
    delay = (moment - datetime.now(ZONE)).total_seconds()
    if delay > 0:
        await asyncio.sleep(delay)


async def test_scheduled_meeting_runs_through_a_restart(world: World) -> None:
    tib = await world.member("tib")
    polis = await world.member("polis")
    bot = await world.bot_account()
    room = await tib.create_room("Konferens", invite=[bot.user_id, polis.user_id])
    await polis.join(room)
    now = datetime.now(ZONE)
    meeting = (now + timedelta(seconds=50)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    forum = {
        "id": "konferens",
        "name": "Regional samverkanskonferens",
        "level": "samordnande",
        "mode": "ordinarie",
        "room": room,
        "participants": ["*"],
        "host_function": "tib",
        "schedule": f"{meeting.minute} {meeting.hour} * * *",
        "call_in_before": "40s",
        "reminder_before": "30s",
        "report_deadline_before": "20s",
        "meeting_duration": "10s",
    }
    config = world.config(
        forum_room=room,
        members={tib.user_id: ("lst", ["tib"]), polis.user_id: ("polisen", [])},
        extra={"forums": [forum]},
    )
    started = time.monotonic()
    app = await world.start_bot(config)

    def bot_says(text: str) -> list[str]:
        return [m.body for m in tib.messages(room, sender=bot.user_id) if text in m.body]

    await tib.wait_until(lambda: bool(bot_says("📣")), timeout=120)
    await tib.ask(room, "!läge Lugnt i länet.", bot.user_id)
    await world.stop_bot(app)
    await _sleep_until(meeting - timedelta(seconds=27))  # the reminder's time has passed
    await world.start_bot(config)

    await tib.wait_until(lambda: bool(bot_says("Påminnelse")), timeout=30)
    reminder = next(m for m in tib.messages(room, sender=bot.user_id) if "Påminnelse" in m.body)
    assert reminder.mentions == [polis.user_id]  # only the missing actor's member
    await tib.wait_until(lambda: bool(bot_says("Samlad lägesbild")), timeout=30)
    await tib.wait_until(lambda: any(b.startswith("Protokoll") for b in bot_says("")), timeout=60)
    await asyncio.sleep(1.0)
    assert len(bot_says("📣")) == 1
    assert len(bot_says("Påminnelse")) == 1
    assert len(bot_says("Samlad lägesbild")) == 1
    assert len(bot_says("börjar nu")) == 1
    assert time.monotonic() - started < 180
