"""Dates as people type them in chat, for ``!followup N DATE``.

A coordinator setting a follow-up writes what they would say aloud: ``torsdag``, ``3/12``,
``om 2 veckor``, ``+2w``, or an ISO date when they have one in front of them. This module reads
those forms, in Swedish and English, and answers an aware UTC time (storage keeps UTC) or a
``DateError`` naming a catalogue key (``date.*``), so the refusal comes in the bot's language
and shows the forms that work.

Accepted (case and accents do not matter: ``Lördag``, ``lordag``, ``LÖRDAG``):

============================== =========================================================
form                           meaning
============================== =========================================================
``2026-12-03``                 that day
``3/12``, ``3/12 2026``        day/month (Swedish order), the next such day if no year
``3 dec``, ``3 december 2026`` day and month name or abbreviation, Swedish or English;
``dec 3``, ``december 3rd``    the English order works too
``torsdag``, ``tors``, ``thu`` the next such weekday, never today
``idag``, ``today``            today
``imorgon``, ``i morgon``,     tomorrow
``tomorrow``
``i övermorgon``               the day after tomorrow
``+3d``, ``+2w``, ``+1m``      days, weeks (``v`` too), months from today
``om 2 veckor``, ``in 3 days`` the same in words (``om en månad``, ``in a week``)
``nästa vecka``, ``next week`` a week from today (``nästa månad``/``next month``: a month)
============================== =========================================================

Any of them may end with a time: ``14:00``, ``14.30``, ``kl 14``, ``at 9``, and an ISO date
also ``T14:00``; a time alone is not a date (``3.12`` could be either). ``nästa torsdag`` /
``next thursday`` are refused as unreadable on purpose: people mean different weeks by them,
and a follow-up a week off is worse than being asked to write the date.

Without a time the time is 09:00 local: a follow-up is a reminder to do office work (check that
a decided measure was carried out), so it should reach people at the start of a working day,
not at midnight when nobody reads it and it scrolls away before morning.

A month from the 31st lands on the last day of a shorter month (31 jan + 1m = 28 or 29 feb).
Times are local wall-clock times in the configured zone, converted with zoneinfo, so 09:00 stays
09:00 across a DST change; a time that does not exist on the spring-forward night is read with
the offset before the change (02:30 becomes 03:30 summer time).

A follow-up must lie ahead (``date.past``; ``date.today_passed`` when only the default 09:00 of
today has passed, so the answer can suggest adding a time) and at most two years ahead
(``date.too_far``): further than that is almost always a typo in the year, and a reminder that
far out will find neither the issue's people nor its forum the same.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import Refusal

__all__ = [
    "DEFAULT_TIME",
    "MAX_AHEAD_MONTHS",
    "DateError",
    "add_months",
    "parse_date",
]

DEFAULT_TIME = time(9, 0)
"""The time of a date given without one: the start of an office day (see the module docstring)."""

MAX_AHEAD_MONTHS = 24
"""How far ahead a follow-up may lie: two years."""


class DateError(Refusal):
    """The text is not a usable follow-up date; ``key`` (``date.*``) explains why.

    Like ``bot.domain.reports.ReportError``: ``values`` fill in the catalogue text, so the
    answer is written in the bot's language by whoever shows it.
    """


# --- vocabulary (accent-free, case-folded: see _normalise) ---------------------------------

_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("mandag", "man", "monday", "mon"),
        ("tisdag", "tis", "tuesday", "tue", "tues"),
        ("onsdag", "ons", "wednesday", "wed"),
        ("torsdag", "tor", "tors", "thursday", "thu", "thur", "thurs"),
        ("fredag", "fre", "friday", "fri"),
        ("lordag", "lor", "saturday", "sat"),
        ("sondag", "son", "sunday", "sun"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _number

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("mars", "march", "mar"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augusti", "august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_DAYS_FROM_TODAY: dict[str, int] = {
    "idag": 0,
    "i dag": 0,
    "today": 0,
    "imorgon": 1,
    "i morgon": 1,
    "tomorrow": 1,
    "iovermorgon": 2,
    "i overmorgon": 2,
    "overmorgon": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}

_NEXT: dict[str, tuple[int, str]] = {
    "nasta vecka": (1, "w"),
    "next week": (1, "w"),
    "nasta manad": (1, "m"),
    "next month": (1, "m"),
}

_UNITS: dict[str, str] = {
    **dict.fromkeys(("d", "dag", "dagar", "dygn", "day", "days"), "d"),
    **dict.fromkeys(("w", "v", "vecka", "veckor", "week", "weeks"), "w"),
    **dict.fromkeys(("m", "man", "manad", "manader", "month", "months"), "m"),
}

_NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(("en", "ett", "a", "an", "one"), 1),
    **dict.fromkeys(("tva", "two"), 2),
    **dict.fromkeys(("tre", "three"), 3),
    **dict.fromkeys(("fyra", "four"), 4),
    **dict.fromkeys(("fem", "five"), 5),
    **dict.fromkeys(("sex", "six"), 6),
    **dict.fromkeys(("sju", "seven"), 7),
    **dict.fromkeys(("atta", "eight"), 8),
    **dict.fromkeys(("nio", "nine"), 9),
    **dict.fromkeys(("tio", "ten"), 10),
}

# --- patterns (over normalised text: ASCII digits only, so int() never sees odd digits) -----

_COUNT = r"[0-9]{1,6}"  # longer numbers are no date anyone means (and int() has limits)

_TIME_RE = re.compile(
    r"(?:^|\s+|(?<=[0-9])t)"
    r"(?:(?:kl\.?|klockan|at|@)\s*(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?"
    r"|(?P<hour2>[0-9]{1,2})[:.](?P<minute2>[0-9]{2}))"
    r"(?::[0-9]{2})?$"
)
_ISO_RE = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})$")
_SLASH_RE = re.compile(
    r"^(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})(?:(?:/|\s+)(?P<year>[0-9]{4}))?$"
)
_DAY_MONTH_RE = re.compile(
    r"^(?P<day>[0-9]{1,2})(?::?e|st|nd|rd|th|\.)?\s*(?P<month>[a-z]+)\.?"
    r"(?:,?\s+(?P<year>[0-9]{4}))?$"
)
_MONTH_DAY_RE = re.compile(
    r"^(?P<month>[a-z]+)\.?\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>[0-9]{4}))?$"
)
_PLUS_RE = re.compile(rf"^\+\s*(?P<count>{_COUNT})\s*(?P<unit>[a-z]+)$")
_IN_RE = re.compile(r"^(?:om|in)\s+(?:(?P<count>[0-9]+)\s*|(?P<word>[a-z]+)\s+)(?P<unit>[a-z]+)$")
_WEEKDAY_RE = re.compile(r"^(?:(?:pa|on)\s+)?(?P<name>[a-z]+)\.?$")


def _normalise(text: str) -> str:
    """Case-folded, accents dropped (``Lördag`` → ``lordag``), spaces collapsed, so a user
    whose keyboard lacks å, ä, ö is understood as well as one whose has them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 jan + 1 → 28/29 feb).

    Raises ``OverflowError`` past year 9999, like ``date + timedelta`` does.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _shift(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    return add_months(today, count)


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("date.invalid", text=text) from None


def _without_year(text: str, today: date, month: int, day: int) -> date:
    """The next 3/12 from today: this year's unless it has passed (or does not exist, 29/2)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateError("date.invalid", text=text)


def _calendar_date(text: str, part: str, today: date) -> date | None:
    """ISO, day/month and day-and-month-name forms; None when ``part`` is none of them."""
    match = _ISO_RE.match(part)
    if match:
        return _make(text, int(match["year"]), int(match["month"]), int(match["day"]))
    month: int | None
    match = _SLASH_RE.match(part)
    if match:
        month = int(match["month"])
    else:
        match = _DAY_MONTH_RE.match(part) or _MONTH_DAY_RE.match(part)
        if match is None:
            return None
        month = _MONTHS.get(match["month"])
        if month is None:
            return None
    day = int(match["day"])
    if match["year"] is not None:
        return _make(text, int(match["year"]), month, day)
    return _without_year(text, today, month, day)


def _relative_date(part: str, today: date) -> date | None:
    """Today, tomorrow, weekdays and counted days, weeks and months; None for anything else."""
    if part in _DAYS_FROM_TODAY:
        return today + timedelta(days=_DAYS_FROM_TODAY[part])
    if part in _NEXT:
        count, unit = _NEXT[part]
        return _shift(today, count, unit)
    match = _WEEKDAY_RE.match(part)
    if match and match["name"] in _WEEKDAYS:
        ahead = (_WEEKDAYS[match["name"]] - today.weekday()) % 7 or 7  # never today
        return today + timedelta(days=ahead)
    match = _PLUS_RE.match(part) or _IN_RE.match(part)
    if match is None or match["unit"] not in _UNITS:
        return None
    digits, word = match["count"], match.groupdict().get("word")
    if digits is not None:
        if len(digits) > 6:
            return None
        count = int(digits)
    elif word in _NUMBER_WORDS:
        count = _NUMBER_WORDS[word]
    else:
        return None
    return _shift(today, count, _UNITS[match["unit"]])


def _split_time(text: str, normalised: str) -> tuple[str, time | None]:
    """``"3/12 kl 14"`` → (``"3/12"``, 14:00); the time must end the text."""
    match = _TIME_RE.search(normalised)
    if match is None:
        return normalised, None
    hour = match["hour"] if match["hour"] is not None else match["hour2"]
    minute = match["minute"] if match["hour"] is not None else match["minute2"]
    try:
        moment = time(int(hour), int(minute or 0))
    except ValueError:
        raise DateError("date.invalid_time", text=text, time=match.group(0).strip()) from None
    return normalised[: match.start()].strip(), moment


def _stamp(moment: datetime, zone: ZoneInfo) -> str:
    """Local ``2026-12-03 09:00``: language-neutral, so the domain can put it in an error."""
    local = moment.astimezone(zone)
    return f"{local.date().isoformat()} {local:%H:%M}"  # isoformat: year 1 is 0001, not 1


def parse_date(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The follow-up time ``text`` means, seen from ``now``, as an aware UTC ``datetime``.

    ``now`` may be in any zone (naive is taken as UTC, as storage hands it back); the date is
    read in ``zone``. Raises ``DateError`` with one of ``date.empty``, ``date.unreadable``,
    ``date.invalid`` (no such day: 31/2), ``date.invalid_time``, ``date.past``,
    ``date.today_passed`` or ``date.too_far``; never any other exception.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    local_now = now.astimezone(zone)
    today = local_now.date()
    normalised = _normalise(text)
    if not normalised:
        raise DateError("date.empty")
    shown = " ".join(text.split())
    try:
        limit = add_months(today, MAX_AHEAD_MONTHS)
    except OverflowError:
        limit = date.max
    part, at = _split_time(shown, normalised)
    try:
        day = _calendar_date(shown, part, today) or _relative_date(part, today)
    except OverflowError:  # +999999m and the like: past year 9999
        raise DateError("date.too_far", text=shown, date=shown, limit=limit.isoformat()) from None
    if day is None:
        raise DateError("date.unreadable", text=shown)
    wall = datetime.combine(day, at or DEFAULT_TIME, tzinfo=zone)
    try:
        moment = wall.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 in a zone whose UTC time falls outside them
        key = "date.past" if day <= today else "date.too_far"
        raise DateError(key, text=shown, date=_stamp(wall, zone), limit=limit.isoformat()) from None
    if moment <= now:
        if at is None and day == today:
            raise DateError("date.today_passed", text=shown, time=DEFAULT_TIME.strftime("%H:%M"))
        raise DateError("date.past", text=shown, date=_stamp(moment, zone))
    if day > limit:
        raise DateError(
            "date.too_far", text=shown, date=_stamp(moment, zone), limit=limit.isoformat()
        )
    return moment
