"""Upcoming meetings as an iCalendar feed, for people to subscribe to in their calendar app.

Each meeting is one ``VEVENT`` in the configured zone (``TZID``, with its ``VTIMEZONE``), from the
meeting's start to its close. Its ``UID`` is made of the forum id, the meeting's start in UTC and
the bot's server name, so the same meeting keeps its UID in every fetch and across restarts, and
a calendar app updates it instead of adding a copy. The text (escaped by `icalendar`) says when
the call-in, reminder and report deadline come, in the bot's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from apscheduler.triggers.cron import CronTrigger

from bot.config import ForumConfig
from bot.render.catalogue import Catalogue
from bot.render.times import when
from bot.scheduling.schedules import next_occurrences

PRODID = "-//samverkan//meeting calendar//EN"
#: How many meetings of each forum the feed lists: half a year of a weekly forum.
HORIZON_MEETINGS = 26


@dataclass(frozen=True)
class CalendarMeeting:
    forum: ForumConfig
    starts: datetime


def new_calendar(prodid: str, name: str, zone: ZoneInfo) -> icalendar.Calendar:
    """An empty feed named `name`, published in `zone`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    return calendar


def upcoming_meetings(
    forums: Iterable[tuple[ForumConfig, CronTrigger]],
    now: datetime,
    per_forum: int = HORIZON_MEETINGS,
) -> list[CalendarMeeting]:
    """The next meetings of each forum, in time order; one still running counts."""
    found = [
        CalendarMeeting(forum, starts)
        for forum, trigger in forums
        for starts in next_occurrences(trigger, now - forum.meeting_duration, per_forum)
    ]
    return sorted(found, key=lambda meeting: (meeting.starts, meeting.forum.id))


def uid(meeting: CalendarMeeting, domain: str) -> str:
    stamp = meeting.starts.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"meeting-{meeting.forum.id}-{stamp}@{domain}"


def calendar_ics(
    meetings: Sequence[CalendarMeeting],
    *,
    name: str,
    zone: ZoneInfo,
    domain: str,
    t: Catalogue,
    now: datetime,
) -> bytes:
    """The feed's bytes (UTF-8, CRLF line ends, folded as RFC 5545 asks)."""
    calendar = new_calendar(PRODID, name, zone)
    stamp = now.astimezone(UTC)
    for meeting in meetings:
        forum, starts = meeting.forum, meeting.starts.astimezone(zone)
        ends = starts + forum.meeting_duration
        event = icalendar.Event()
        event.add("uid", uid(meeting, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", forum.name)
        event.add("location", forum.room)
        event.add(
            "description",
            t(
                "ics.description",
                call_in=when(t, starts - forum.call_in_before, zone),
                reminder=when(t, starts - forum.reminder_before, zone),
                deadline=when(t, starts - forum.report_deadline_before, zone),
                end=when(t, ends, zone),
                room=forum.room,
            ),
        )
        event.add("categories", [str(forum.level)])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
