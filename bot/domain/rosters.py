"""Duty rosters (jourlistor): who holds a rotating function at a given moment.

A roster's members take turns, one shift each, from the first hand-off on or after its start
date; hand-offs are local wall-clock times (`bot.timezone`), so a Monday 08:00 hand-off stays at
08:00 on both sides of a daylight-saving change. An override (`!duty take`/`give`) puts someone
else on duty for a while; the latest override in force wins. Pure logic, no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.scheduling.schedules import next_occurrences, parse_schedule

ROTATIONS = ("daily", "weekly")
DEFAULT_HANDOFF = {"daily": "08:00", "weekly": "mon 08:00"}


def rotation_trigger(rotation: str, handoff: str | None, zone: ZoneInfo) -> CronTrigger:
    """The hand-off times of a roster: `daily` at `handoff` ("08:00"), `weekly` at `handoff`
    ("mon 08:00", one weekday), or a 5-field cron expression of hand-off times. Raises
    ValueError saying which form is expected."""
    rotation = rotation.strip().casefold()
    if rotation == "daily":
        clock = handoff or DEFAULT_HANDOFF["daily"]
        if len(clock.split()) != 1:
            raise ValueError(f"a daily hand-off is a time of day like '08:00', not {clock!r}")
        return parse_schedule(f"daily {clock}", zone)
    if rotation == "weekly":
        spec = handoff or DEFAULT_HANDOFF["weekly"]
        words = spec.split()
        if len(words) != 2 or any(c in words[0] for c in ",-") or words[0] in ("daily", "dagligen"):
            raise ValueError(
                f"a weekly hand-off is one weekday and a time like 'mon 08:00', not {spec!r}"
            )
        return parse_schedule(spec, zone)
    if len(rotation.split()) != 5:
        raise ValueError(
            f"unknown rotation {rotation!r}: use 'daily', 'weekly' or a 5-field cron "
            "expression of hand-off times like '0 8 * * mon,thu'"
        )
    if handoff is not None:
        raise ValueError("a cron rotation gives the hand-off times itself; remove handoff")
    return parse_schedule(rotation, zone)


@dataclass(frozen=True)
class Shift:
    """One turn: `user` holds the function from `starts_at` until `ends_at`."""

    user: str
    starts_at: datetime
    ends_at: datetime
    number: int
    """0 for the roster's first shift."""


@dataclass(frozen=True)
class Override:
    """Someone put on duty by hand, from `starts_at` until `ends_at`."""

    id: int
    function: str
    user: str
    starts_at: datetime
    ends_at: datetime
    by: str

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class OnDuty:
    """Who holds a rostered function at a moment, and why."""

    user: str | None
    until: datetime | None
    override: Override | None = None


class Rotation:
    """A roster's turns. Hand-off times are computed once and kept, so asking who is on duty
    costs a binary search after the first question."""

    def __init__(
        self, function: str, members: Sequence[str], trigger: CronTrigger, start: date
    ) -> None:
        self.function = function
        self.members = list(members)
        self.trigger = trigger
        zone = trigger.timezone
        self._origin = datetime.combine(start, time(0), tzinfo=zone) - timedelta(microseconds=1)
        self._fires: list[datetime] = []

    def _extend_past(self, at: datetime) -> None:
        while not self._fires or self._fires[-1] <= at:
            after = self._fires[-1] if self._fires else self._origin
            more = next_occurrences(self.trigger, after, 64)
            if not more:
                return
            self._fires.extend(more)

    def shift_at(self, at: datetime) -> Shift | None:
        """The shift in force at `at`; None before the first hand-off or with no members."""
        if not self.members:
            return None
        self._extend_past(at)
        index = bisect.bisect_right(self._fires, at) - 1
        if index < 0 or index + 1 >= len(self._fires):
            return None
        return self._shift(index)

    def _shift(self, index: int) -> Shift:
        self._extend_past(self._fires[index])
        user = self.members[index % len(self.members)]
        return Shift(user, self._fires[index], self._fires[index + 1], index)

    def shift_after(self, shift: Shift) -> Shift:
        return self._shift(shift.number + 1)

    def first_handoff(self) -> datetime | None:
        self._extend_past(self._origin)
        return self._fires[0] if self._fires else None

    def next_in_turn(self, user: str) -> str | None:
        """The member after `user` in the roster's order (None for a single member)."""
        if len(self.members) < 2 or user not in self.members:
            return None
        return self.members[(self.members.index(user) + 1) % len(self.members)]

    def shifts_from(self, at: datetime, count: int) -> list[Shift]:
        """The shift in force at `at` (or the first one, if later) and those after it."""
        first = self.shift_at(at)
        if first is None:
            start = self.first_handoff()
            first = self.shift_at(start) if start is not None and start > at else None
        found: list[Shift] = []
        while first is not None and len(found) < count:
            found.append(first)
            first = self.shift_after(first)
        return found

    def shifts_between(self, start: datetime, end: datetime) -> list[Shift]:
        """Every shift that overlaps [start, end)."""
        found = []
        shift = self.shift_at(start)
        if shift is None:
            first = self.first_handoff()
            if first is None or first >= end:
                return []
            shift = self.shift_at(first)
        while shift is not None and shift.starts_at < end:
            found.append(shift)
            shift = self.shift_after(shift)
        return found

    def on_duty(self, at: datetime, overrides: Sequence[Override] = ()) -> OnDuty:
        """Who holds the function at `at`: the latest override in force, else the rotation."""
        shift = self.shift_at(at)
        covering = [o for o in overrides if o.function == self.function and o.covers(at)]
        if covering:
            chosen = max(covering, key=lambda o: (o.starts_at, o.id))
            return OnDuty(chosen.user, chosen.ends_at, chosen)
        if shift is None:
            first = self.first_handoff()
            return OnDuty(None, first if first is not None and first > at else None)
        return OnDuty(shift.user, shift.ends_at)

    def changes_after(self, at: datetime, overrides: Sequence[Override] = ()) -> datetime | None:
        """The next moment after `at` at which who is on duty may change: a hand-off, or an
        override starting or ending."""
        moments = [o.starts_at for o in overrides if o.starts_at > at] + [
            o.ends_at for o in overrides if o.ends_at > at
        ]
        shift = self.shift_at(at)
        if shift is not None:
            moments.append(shift.ends_at)
        else:
            first = self.first_handoff()
            if first is not None and first > at:
                moments.append(first)
        return min(moments) if moments else None
