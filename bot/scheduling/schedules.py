"""Meeting schedules from the config: ``"thu 16:00"`` or a 5-field cron expression.

Most forums meet on fixed weekdays (the regional conference every Thursday at 16:00), so the
short form is weekday(s) plus a local time, in English or Swedish as admins in Stockholm write
it: ``"thu 16:00"``, ``"tor 16:00"``, ``"torsdag 16.00"``, ``"mon,thu 09:30"``, ``"mån-fre 08:00"``,
``"daily 08:00"`` / ``"dagligen 08:00"``. Anything else (every other month, the first Wednesday)
is a classic 5-field cron expression: ``"0 9 1-7 * wed"``.

Two deliberate differences from a plain ``CronTrigger.from_crontab``:

* weekday **numbers** follow classic cron (0 and 7 are Sunday, 4 is Thursday). APScheduler 3
  counts from Monday, so ``"0 16 * * 4"`` would silently move the conference to Friday.
* when both day of month and weekday are restricted, **both** must match (APScheduler's rule),
  which is what ``"0 9 1-7 * wed"`` = "the first Wednesday" needs; classic cron would fire on
  either.

Every trigger carries the configured time zone, so a 16:00 meeting stays at 16:00 local time on
both sides of a daylight-saving change.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

__all__ = ["next_occurrences", "parse_schedule"]

_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Day name (lower case) -> weekday number, Monday = 0 as in ``datetime.weekday()``.
_DAY_NAMES: dict[str, int] = {}
for _weekday, _names in enumerate(
    (
        ("mon", "monday", "mån", "måndag", "man", "mandag"),
        ("tue", "tues", "tuesday", "tis", "tisdag"),
        ("wed", "wednesday", "ons", "onsdag"),
        ("thu", "thur", "thurs", "thursday", "tor", "tors", "torsdag"),
        ("fri", "friday", "fre", "fredag"),
        ("sat", "saturday", "lör", "lördag", "lor", "lordag"),
        ("sun", "sunday", "sön", "söndag", "son", "sondag"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _weekday

_EVERY_DAY = frozenset({"daily", "dagligen", "dagl"})
_FILLER_WORDS = frozenset({"at", "kl", "kl."})  # "thu at 16:00", "tor kl. 16.00"
_TIME_RE = re.compile(r"^(?P<hour>[01]?[0-9]|2[0-3])[:.](?P<minute>[0-5][0-9])$")

_FORMS = (
    "expected weekday(s) and a time, like 'thu 16:00', 'mon,thu 09:30', 'tor 16:00' or "
    "'daily 08:00', or a 5-field cron expression (minute hour day month weekday), "
    "like '0 16 * * thu'"
)


def parse_schedule(text: str, tz: ZoneInfo) -> CronTrigger:
    """Turn a schedule string into a ``CronTrigger`` in ``tz``.

    Raises ``ValueError`` whose message names both accepted forms, so config checking can show
    it unchanged.
    """
    normalised = re.sub(r"\s*([,-])\s*", r"\1", " ".join(str(text).split())).lower()
    words = [word for word in normalised.split(" ") if word and word not in _FILLER_WORDS]
    if len(words) == 5:
        return _from_crontab(text, words, tz)
    if len(words) == 2:
        return _from_days_and_time(text, words[0], words[1], tz)
    raise ValueError(f"invalid schedule {text!r}: {_FORMS}")


def next_occurrences(trigger: CronTrigger, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` fire times strictly after ``after``, aware, in the trigger's zone.

    Meant for calendars and "next meeting" answers, so each is a real local time: a time that
    falls in the spring-forward gap is shown as the instant it happens (02:30 becomes 03:30),
    and a wall-clock time that occurs twice in the autumn is listed once. Fewer than ``count``
    are returned only when the trigger has an end date that is reached first.
    """
    if after.tzinfo is None:
        raise ValueError("'after' must be a time-zone aware datetime")
    if count < 0:
        raise ValueError(f"count must be zero or more, not {count}")
    zone = trigger.timezone
    found: list[datetime] = []
    moment = after
    last_wall_time = _wall_time(after.astimezone(zone))
    while len(found) < count:
        # APScheduler returns the first fire time at or after "now"; nudge past the last one.
        # Step in UTC: wall-clock arithmetic on an aware datetime drops ``fold`` and would
        # step back into the repeated autumn hour forever.
        fire_time = trigger.get_next_fire_time(
            None, moment.astimezone(UTC) + timedelta(microseconds=1)
        )
        if fire_time is None:
            break
        moment = fire_time
        local = fire_time.astimezone(UTC).astimezone(zone)
        if _wall_time(local) != last_wall_time:
            found.append(local)
        last_wall_time = _wall_time(local)
    return found


def _wall_time(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None, fold=0)


def _from_days_and_time(text: str, days: str, time: str, tz: ZoneInfo) -> CronTrigger:
    match = _TIME_RE.match(time)
    if match is None:
        raise ValueError(f"invalid time {time!r} in schedule {text!r}: use HH:MM; {_FORMS}")
    if days in _EVERY_DAY:
        day_of_week = "*"
    else:
        try:
            day_of_week = _cron_days(_weekdays(days, _DAY_NAMES))
        except ValueError as exc:
            raise ValueError(f"invalid schedule {text!r}: {exc}; {_FORMS}") from None
    return CronTrigger(
        day_of_week=day_of_week,
        hour=int(match["hour"]),
        minute=int(match["minute"]),
        second=0,
        timezone=tz,
    )


def _from_crontab(text: str, fields: list[str], tz: ZoneInfo) -> CronTrigger:
    weekday_field = fields[4]
    try:
        if weekday_field != "*":
            weekday_field = _cron_days(_classic_cron_weekdays(weekday_field))
        return CronTrigger.from_crontab(" ".join([*fields[:4], weekday_field]), timezone=tz)
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {text!r}: {exc}; {_FORMS}") from None


def _weekdays(spec: str, names: dict[str, int]) -> set[int]:
    """Days in a comma list of names and ``a-b`` ranges (ranges may wrap: ``fri-mon``)."""
    days: set[int] = set()
    for item in spec.split(","):
        first, _, last = item.partition("-")
        start = _day(first, names)
        end = _day(last, names) if last else start
        days.update((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return days


def _classic_cron_weekdays(spec: str) -> set[int]:
    """Days in a cron weekday field, numbers counted the classic way (0 and 7 = Sunday)."""
    names = {name: number + 1 for name, number in _DAY_NAMES.items()}  # mon = 1 ... sun = 7
    days: set[int] = set()
    for item in spec.split(","):
        body, _, step_text = item.partition("/")
        step = _number(step_text, "step") if step_text else 1
        if step < 1:
            raise ValueError(f"weekday step must be 1 or more in {item!r}")
        if body == "*":
            cron_days = list(range(0, 7, step))
        else:
            first, _, last = body.partition("-")
            start = _cron_day(first, names)
            end = _cron_day(last, names) if last else start
            if end < start:
                raise ValueError(f"weekday range {body!r} runs backwards")
            cron_days = list(range(start, end + 1, step))
        days.update((day - 1) % 7 for day in cron_days)  # cron 1 = Monday -> 0
    return days


def _cron_day(token: str, names: dict[str, int]) -> int:
    """A cron weekday as a classic cron number (0-7, Sunday = 0 or 7)."""
    if token in names:
        return names[token]
    day = _number(token, "weekday")
    if not 0 <= day <= 7:
        raise ValueError(f"weekday {token!r} is not 0-7 (0 and 7 are Sunday) or mon-sun")
    return day


def _day(token: str, names: dict[str, int]) -> int:
    if token not in names:
        raise ValueError(f"unknown weekday {token!r}")
    return names[token]


def _number(token: str, what: str) -> int:
    if not (token.isascii() and token.isdigit()):
        raise ValueError(f"{what} {token!r} is neither a number nor a day name")
    return int(token)


def _cron_days(days: set[int]) -> str:
    return ",".join(_CRON_DAYS[day] for day in sorted(days))
