"""Latest stated readiness per actor: the newest report that states a level, in given forums."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import meetings, readiness
from storage.db import Database

T0 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


async def _report(
    database: Database, meeting_id: int, actor: str, at: datetime, level: str | None
) -> None:
    async with database.session() as s:
        await meetings.add_report(
            s,
            meeting_id=meeting_id,
            actor_id=actor,
            author=f"@{actor}:x",
            source_event_id=None,
            fields={"situation": f"{actor} {at:%H:%M}", "readiness": level},
            at=at,
        )
        await s.commit()


async def _meeting(database: Database, forum_id: str) -> int:
    async with database.session() as s:
        meeting = await meetings.manual_meeting(s, forum_id, T0)
        await s.commit()
        return meeting.id


async def _latest(database: Database, forum_ids: list[str]) -> list[tuple[str, str, str, int]]:
    async with database.session() as s:
        found = await readiness.latest_stated(s, forum_ids)
    return [
        (
            r.actor_id,
            r.readiness or "",
            forum,
            round((r.received_at.replace(tzinfo=UTC) - T0).total_seconds()),
        )
        for r, forum in found
    ]


async def test_the_newest_stated_level_per_actor_within_the_forums(database: Database) -> None:
    konferens = await _meeting(database, "konferens")
    samordnande = await _meeting(database, "samordnande")
    minute = timedelta(minutes=1)
    # lst: raised, then a newer report for the same meeting that leaves readiness out
    await _report(database, konferens, "lst", T0, "stabsläge")
    await _report(database, konferens, "lst", T0 + minute, None)
    # polisen: normal at the conference, then katastrof in the activated forum
    await _report(database, konferens, "polisen", T0, "normalläge")
    await _report(database, samordnande, "polisen", T0 + 2 * minute, "katastrofläge")
    # solna never states a level
    await _report(database, konferens, "solna", T0, None)

    assert await _latest(database, ["konferens", "samordnande"]) == [
        ("lst", "stabsläge", "konferens", 0),
        ("polisen", "katastrofläge", "samordnande", 120),
    ]
    # a forum outside the list does not count
    assert await _latest(database, ["konferens"]) == [
        ("lst", "stabsläge", "konferens", 0),
        ("polisen", "normalläge", "konferens", 0),
    ]
    assert await _latest(database, []) == []
    assert await _latest(database, ["chefsgrupp"]) == []


async def test_equal_times_are_settled_by_the_later_report(database: Database) -> None:
    meeting = await _meeting(database, "konferens")
    await _report(database, meeting, "lst", T0, "stabsläge")
    await _report(database, meeting, "lst", T0, "förstärkningsläge")
    assert await _latest(database, ["konferens"]) == [("lst", "förstärkningsläge", "konferens", 0)]
