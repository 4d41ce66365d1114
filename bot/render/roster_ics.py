"""A duty roster's shifts as an iCalendar feed (`/calendar.ics?roster=FUNCTION`), so each
person sees their turns in their own calendar.

One ``VEVENT`` per shift of the rotation, and one per override taken in chat, marked so. UIDs
are made of the function and the shift's start, so a calendar app updates a shift in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from bot.domain.rosters import Override, Shift
from bot.render.catalogue import Catalogue
from bot.render.ics import new_calendar

PRODID = "-//samverkan//duty roster//EN"
#: How many shifts ahead the feed lists: half a year of a weekly roster.
HORIZON_SHIFTS = 26


def roster_ics(
    function: str,
    actor: str,
    shifts: Sequence[Shift],
    overrides: Sequence[Override],
    *,
    zone: ZoneInfo,
    domain: str,
    t: Catalogue,
    now: datetime,
) -> bytes:
    name = t("ics.roster.name", function=function, actor=actor)
    calendar = new_calendar(PRODID, name, zone)
    entries = [("shift", s.user, s.starts_at, s.ends_at) for s in shifts]
    entries += [("override", o.user, o.starts_at, o.ends_at) for o in overrides]
    for kind, user, starts, ends in sorted(entries, key=lambda e: (e[2], e[0])):
        event = icalendar.Event()
        stamp = starts.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        event.add("uid", f"{kind}-{function}-{stamp}@{domain}")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", starts.astimezone(zone))
        event.add("dtend", ends.astimezone(zone))
        event.add("summary", t(f"ics.roster.{kind}", function=function, user=user))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
