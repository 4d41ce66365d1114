"""The meeting calendar feed, read back with the `icalendar` library as a calendar app would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from bot.config import ForumConfig, load_config
from bot.render.catalogue import Catalogue
from bot.render.ics import calendar_ics, uid, upcoming_meetings

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
ZONE = ZoneInfo("Europe/Stockholm")


def feed(now: datetime, forums: list[ForumConfig], language: str = "sv") -> icalendar.Calendar:
    with_triggers = [(f, t) for f in forums if (t := f.trigger(ZONE)) is not None]
    body = calendar_ics(
        upcoming_meetings(with_triggers, now),
        name="Samverkan: möten",
        zone=ZONE,
        domain="example.se",
        t=Catalogue("sv" if language == "sv" else "en"),
        now=now,
    )
    assert b"\r\n" in body  # RFC 5545 line ends
    return icalendar.Calendar.from_ical(body)


def scheduled() -> list[ForumConfig]:
    settings = load_config(EXAMPLE)
    return [f for f in settings.forums if f.schedule]


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_the_weekly_conference_across_the_dst_change() -> None:
    konferens = [f for f in scheduled() if f.id == "konferens"]
    # Thursday 2026-10-22; summer time ends on Sunday 2026-10-25.
    calendar = feed(datetime(2026, 10, 22, 8, 0, tzinfo=UTC), konferens)
    assert calendar["X-WR-CALNAME"] == "Samverkan: möten"
    assert calendar["VERSION"] == "2.0"
    found = events(calendar)
    assert len(found) == 26  # half a year of Thursdays
    first, second = found[0], found[1]
    assert first["SUMMARY"] == "Regional samverkanskonferens"
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert (start.hour, start.minute, str(start.tzinfo)) == (16, 0, "Europe/Stockholm")
    assert end - start == timedelta(hours=1)
    assert first["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert start.astimezone(UTC).hour == 14  # CEST
    assert second.decoded("DTSTART").astimezone(UTC).hour == 15  # CET: still 16:00 local
    assert str(first["UID"]) == "meeting-konferens-20261022T140000Z@example.se"
    assert "Kallelse torsdag 2026-10-22 kl. 13:00" in str(first["DESCRIPTION"])
    assert str(first["LOCATION"]) == "#samverkanskonferens:example.se"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Stockholm"


def test_uids_are_stable_and_a_running_meeting_still_shows() -> None:
    konferens = [f for f in scheduled() if f.id == "konferens"]
    before = feed(datetime(2026, 10, 22, 8, 0, tzinfo=UTC), konferens)
    during = feed(datetime(2026, 10, 22, 14, 30, tzinfo=UTC), konferens)  # 16:30 local
    uids_before = [str(e["UID"]) for e in events(before)]
    uids_during = [str(e["UID"]) for e in events(during)]
    assert uids_during[0] == uids_before[0]  # the meeting under way is still listed
    assert uids_during[:10] == uids_before[:10]
    after = feed(datetime(2026, 10, 22, 15, 30, tzinfo=UTC), konferens)  # closed at 17:00
    assert str(events(after)[0]["UID"]) == uids_before[1]


def test_every_scheduled_forum_in_time_order_with_distinct_uids() -> None:
    forums = scheduled()
    calendar = feed(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), forums, language="en")
    found = events(calendar)
    starts = [e.decoded("DTSTART") for e in found]
    assert starts == sorted(starts)
    assert {str(e["SUMMARY"]) for e in found} == {f.name for f in forums}
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    chefsgrupp = next(e for e in found if e["SUMMARY"] == "Regional chefsgrupp")
    assert chefsgrupp.decoded("DTSTART").date().isoformat() == "2027-01-12"  # 2nd Tue of Jan


def test_text_is_escaped_by_the_format() -> None:
    forum = scheduled()[0].model_copy(update={"name": "Möte; med, komma\noch rad"})
    calendar = feed(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), [forum])
    assert str(events(calendar)[0]["SUMMARY"]) == "Möte; med, komma\noch rad"


def test_uid_uses_the_meeting_start_in_utc() -> None:
    forum = scheduled()[0]
    trigger = forum.trigger(ZONE)
    assert trigger is not None
    (meeting,) = upcoming_meetings([(forum, trigger)], datetime.now(UTC), 1)
    assert uid(meeting, "example.se").startswith(f"meeting-{forum.id}-")
    assert uid(meeting, "example.se").endswith("Z@example.se")
