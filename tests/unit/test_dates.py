"""Follow-up dates as typed in chat (``!followup N DATE``): forms, defaults, DST, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.dates import DEFAULT_TIME, DateError, add_months, parse_date
from bot.render.catalogue import MESSAGES, Catalogue

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday 16:00 in Stockholm (CET, +01:00)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A Stockholm wall-clock time as aware UTC, the form parse_date answers."""
    return datetime(year, month, day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def parse(text: str, now: datetime = NOW) -> datetime:
    return parse_date(text, now, ZONE)


def refusal(text: str, now: datetime = NOW) -> DateError:
    with pytest.raises(DateError) as info:
        parse(text, now)
    return info.value


# --- the accepted forms --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", local(2026, 12, 3)),
        ("2026-12-03 14:00", local(2026, 12, 3, 14)),
        ("2026-12-03T14:00", local(2026, 12, 3, 14)),
        ("2026-12-03 14:30:00", local(2026, 12, 3, 14, 30)),
        ("3/12", local(2026, 12, 3)),
        ("3/12 2026", local(2026, 12, 3)),
        ("3/12/2027", local(2027, 12, 3)),
        ("3/12 kl 14", local(2026, 12, 3, 14)),
        ("3/12 14.30", local(2026, 12, 3, 14, 30)),
        ("3 dec", local(2026, 12, 3)),
        ("3 december", local(2026, 12, 3)),
        ("3 December 2027", local(2027, 12, 3)),
        ("3 dec. 2026", local(2026, 12, 3)),
        ("3:e december", local(2026, 12, 3)),
        ("dec 3", local(2026, 12, 3)),
        ("December 3rd, 2026", local(2026, 12, 3)),
        ("5 januari", local(2027, 1, 5)),
        ("5 jan", local(2027, 1, 5)),
        ("1 okt", local(2027, 10, 1)),
        ("1 oct", local(2027, 10, 1)),
        ("17 maj", local(2027, 5, 17)),
        ("17 may", local(2027, 5, 17)),
        ("1 mars", local(2027, 3, 1)),
        ("torsdag", local(2026, 12, 3)),
        ("Torsdag", local(2026, 12, 3)),
        ("tors", local(2026, 12, 3)),
        ("thu", local(2026, 12, 3)),
        ("Thursday", local(2026, 12, 3)),
        ("fredag", local(2026, 11, 27)),
        ("fri", local(2026, 11, 27)),
        ("lördag", local(2026, 11, 28)),
        ("lordag", local(2026, 11, 28)),
        ("LÖRDAG", local(2026, 11, 28)),
        ("söndag", local(2026, 11, 29)),
        ("måndag", local(2026, 11, 30)),
        ("mandag", local(2026, 11, 30)),
        ("tisdag", local(2026, 12, 1)),
        ("Tisdag kl. 10", local(2026, 12, 1, 10)),
        ("på tisdag", local(2026, 12, 1)),
        ("on wednesday", local(2026, 12, 2)),
        ("idag 18:00", local(2026, 11, 26, 18)),
        ("today at 17:30", local(2026, 11, 26, 17, 30)),
        ("imorgon", local(2026, 11, 27)),
        ("i morgon", local(2026, 11, 27)),
        ("I Morgon kl 13", local(2026, 11, 27, 13)),
        ("tomorrow", local(2026, 11, 27)),
        ("i övermorgon", local(2026, 11, 28)),
        ("+3d", local(2026, 11, 29)),
        ("+2w", local(2026, 12, 10)),
        ("+2v", local(2026, 12, 10)),
        ("+1m", local(2026, 12, 26)),
        ("+ 3 dagar", local(2026, 11, 29)),
        ("om 2 veckor", local(2026, 12, 10)),
        ("in 2 weeks", local(2026, 12, 10)),
        ("om 3 dagar", local(2026, 11, 29)),
        ("in 3 days", local(2026, 11, 29)),
        ("om en vecka", local(2026, 12, 3)),
        ("in a week", local(2026, 12, 3)),
        ("om två månader", local(2027, 1, 26)),
        ("nästa vecka", local(2026, 12, 3)),
        ("nasta vecka", local(2026, 12, 3)),
        ("next week", local(2026, 12, 3)),
        ("nästa månad", local(2026, 12, 26)),
        ("next month", local(2026, 12, 26)),
        ("  3/12  ", local(2026, 12, 3)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    result = parse(text)
    assert result == expected
    assert result.tzinfo is UTC


def test_a_date_without_a_time_is_nine_in_the_morning_local() -> None:
    result = parse("2026-12-03")
    assert result.astimezone(ZONE).time() == DEFAULT_TIME
    assert result == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # CET is UTC+1


@pytest.mark.parametrize("days", range(7))
def test_a_weekday_is_the_next_such_day_never_today(days: int) -> None:
    now = NOW + timedelta(days=days)
    today = now.astimezone(ZONE).date()
    names = ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag")
    for weekday, name in enumerate(names):
        day = parse(name, now).astimezone(ZONE).date()
        assert day.weekday() == weekday
        assert (day - today).days in range(1, 8)
    assert parse("torsdag", NOW) == local(2026, 12, 3)  # NOW is a Thursday: a week ahead


def test_a_date_without_a_year_is_the_next_one() -> None:
    assert parse("3/1") == local(2027, 1, 3)
    assert parse("26/11 18:00") == local(2026, 11, 26, 18)  # today, later on
    assert parse("27/11") == local(2026, 11, 27)


def test_a_month_ahead_is_clamped_to_the_months_last_day() -> None:
    end_of_january = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
    assert parse("+1m", end_of_january) == local(2027, 2, 28)
    assert parse("+1m", end_of_january.replace(year=2028)) == local(2028, 2, 29)
    assert parse("+1m", datetime(2026, 12, 15, 12, tzinfo=UTC)) == local(2027, 1, 15)
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_local_wall_clock_time_survives_the_dst_change() -> None:
    # Summer time starts on Sunday 2027-03-28: 09:00 is 08:00 UTC before, 07:00 UTC after.
    before = datetime(2027, 3, 25, 12, 0, tzinfo=UTC)
    assert parse("+1w", before) == datetime(2027, 4, 1, 7, 0, tzinfo=UTC)
    assert parse("imorgon", before) == datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    assert parse("söndag 12:00", before) == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    # And it ends on 2026-10-25: 09:00 is 07:00 UTC before, 08:00 UTC after.
    autumn = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
    assert parse("måndag", autumn) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert parse("lördag", autumn) == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)


def test_a_time_missing_on_the_spring_forward_night_reads_as_summer_time() -> None:
    before = datetime(2027, 3, 25, 12, 0, tzinfo=UTC)
    result = parse("2027-03-28 02:30", before)
    assert result == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert result.astimezone(ZONE).strftime("%H:%M") == "03:30"


def test_now_may_be_naive_utc_or_in_another_zone() -> None:
    naive = NOW.replace(tzinfo=None)
    elsewhere = NOW.astimezone(ZoneInfo("America/New_York"))
    assert parse("torsdag", naive) == parse("torsdag", elsewhere) == local(2026, 12, 3)


def test_another_zone_reads_dates_there() -> None:
    helsinki = ZoneInfo("Europe/Helsinki")
    assert parse_date("2026-12-03", NOW, helsinki) == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["foo", "3.12", "torsdag 9", "nästa torsdag", "+3", "+3x", "om"])
def test_unreadable_text_names_the_text_and_the_forms(text: str) -> None:
    error = refusal(text)
    assert error.key == "date.unreadable"
    assert error.values == {"text": text}
    message = Catalogue("en")(error.key, **error.values)
    assert f"“{text}”" in message and "2026-12-03" in message and "+2w" in message


def test_empty_text() -> None:
    assert refusal("").key == "date.empty"
    assert refusal("   ").key == "date.empty"


@pytest.mark.parametrize("text", ["31/2", "2026-13-01", "2026-02-30", "30 feb", "29/2"])
def test_days_that_do_not_exist(text: str) -> None:
    assert refusal(text).key == "date.invalid"


@pytest.mark.parametrize("text", ["3/12 25:00", "2026-12-03 14:75", "imorgon kl 24"])
def test_times_that_do_not_exist(text: str) -> None:
    error = refusal(text)
    assert error.key == "date.invalid_time"


def test_past_dates_are_refused() -> None:
    error = refusal("2026-11-01")
    assert error.key == "date.past"
    assert error.values["date"] == "2026-11-01 09:00"
    assert refusal("idag 15:00").key == "date.past"  # 16:00 now
    assert refusal("idag 16:00").key == "date.past"  # now is not ahead either


def test_today_after_nine_suggests_a_time() -> None:
    for text in ("idag", "today", "26/11"):
        error = refusal(text)
        assert error.key == "date.today_passed"
        assert error.values["time"] == "09:00"
    early = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 07:00 local
    assert parse("idag", early) == local(2026, 11, 26)
    assert parse("+0d", early) == local(2026, 11, 26)


def test_more_than_two_years_ahead_is_refused() -> None:
    assert parse("2028-11-26 23:00") == local(2028, 11, 26, 23)
    error = refusal("2028-11-27")
    assert error.key == "date.too_far"
    assert error.values["limit"] == "2028-11-26"
    assert error.values["date"] == "2028-11-27 09:00"
    assert refusal("+25m").key == "date.too_far"
    assert refusal("+999999w").key == "date.too_far"
    assert refusal("in 999999 months").key == "date.too_far"
    assert refusal("9999-12-31 23:59").key == "date.too_far"


def test_every_refusal_has_a_message_in_both_languages() -> None:
    texts = ["", "foo", "31/2", "3/12 25:00", "2026-11-01", "idag", "2030-01-01", "+999999m"]
    keys = set()
    for text in texts:
        error = refusal(text)
        keys.add(error.key)
        for language in ("sv", "en"):
            assert Catalogue(language)(error.key, **error.values)
    assert keys == {key for key in MESSAGES if key.startswith("date.")}


# --- never anything but DateError ----------------------------------------------------------

_VOCABULARY = st.sampled_from(
    [
        "+",
        "-",
        "/",
        ":",
        ".",
        " ",
        "t",
        "kl",
        "om",
        "in",
        "dec",
        "torsdag",
        "nästa",
        "vecka",
        "2026",
        "12",
        "3",
        "0",
        "99",
        "999999",
        "d",
        "w",
        "m",
        "ett",
        "e",
        "idag",
        "i morgon",
        "²",
        "٣",
        "ß",
    ]
)


@settings(max_examples=300)
@given(text=st.text())
def test_arbitrary_text_raises_only_date_error(text: str) -> None:
    try:
        result = parse(text)
    except DateError as error:
        assert error.key in MESSAGES
    else:
        assert NOW < result <= local(2028, 11, 26, 23, 59)


@settings(max_examples=300)
@given(
    words=st.lists(_VOCABULARY, max_size=6),
    now=st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_date_like_text_raises_only_date_error(words: list[str], now: datetime) -> None:
    try:
        result = parse("".join(words), now)
    except DateError as error:
        assert error.key in MESSAGES
    else:
        assert result > now
        assert result.tzinfo is UTC
        assert result.astimezone(ZONE).date() <= add_months(now.astimezone(ZONE).date(), 24)
