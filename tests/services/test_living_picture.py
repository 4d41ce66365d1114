"""The living picture, by the clock: after the call-in, the first report posts the picture
(and a pin of it), each later report edits that one message, and the deadline's picture is a
new message; nothing before the call-in or after the deadline touches it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.matrix.eventsize import BUDGET, json_size
from bot.scheduling.planner import plan_meetings
from bot.testing import ServiceHarness, service_harness
from storage.models import OutboxMessage
from tests.services.harness_config import region

ZONE = ZoneInfo("Europe/Stockholm")
FORUM_ROOM = "!konferens-example.se:example.se"


def thursday(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 10, hour, minute, tzinfo=ZONE)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[ServiceHarness]:
    start = datetime(2026, 12, 7, 10, tzinfo=ZONE)
    async with service_harness(region(tmp_path), tmp_path, start=start) as harness:
        yield harness


async def _rows(h: ServiceHarness) -> list[OutboxMessage]:
    async with h.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.room_id == FORUM_ROOM)
        return list((await session.execute(query.order_by(OutboxMessage.id))).scalars())


async def test_one_message_edited_in_place_and_pinned_then_the_final_picture(
    h: ServiceHarness,
) -> None:
    forum = h.settings.forum("konferens")
    assert forum is not None
    await plan_meetings(h.timers, h.settings, h.clock.now())
    h.clock.set(thursday(13))
    await h.run_due()  # the call-in
    called = len(await _rows(h))

    await h.services.reports.submit(forum, "@solna:example.se", "Lugnt.\nbehov: sand")
    rows = (await _rows(h))[called:]
    head, pin = rows[-2], rows[-1]
    assert head.dedupe_key and head.dedupe_key.startswith("living:")
    assert "Solna stad" in head.content["body"] and "uppdateras här" in head.content["body"]
    assert pin.event_type == "m.room.pinned_events" and pin.relation == "pin"
    assert pin.relates_to == head.id

    await h.services.reports.submit(forum, "@tib:example.se", "Snö väntas.\nberedskap: stabsläge")
    edit = (await _rows(h))[-1]
    assert edit.relation == "replace" and edit.relates_to == head.id
    new = edit.content["m.new_content"]
    assert "Länsstyrelsen Stockholm" in new["body"] and "stabsläge" in new["body"]
    assert edit.content["body"].startswith("* ")  # the fallback for clients without edits
    assert json_size(edit.content) < BUDGET  # an edit keeps to the size rule

    h.clock.set(thursday(15, 45))
    await h.run_due()  # the deadline: the combined picture is a message of its own
    final = (await _rows(h))[-1]
    assert final.relation is None and final.content["body"].startswith("Samlad lägesbild")
    count = len(await _rows(h))
    await h.services.reports.submit(forum, "@solna:example.se", "Sent.\nberedskap: normalläge")
    assert len(await _rows(h)) == count  # past the deadline: no more edits
