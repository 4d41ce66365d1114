"""Meeting schedules: weekday + time (English/Swedish) or cron, DST-correct in Stockholm."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.scheduling.schedules import next_occurrences, parse_schedule

STHLM = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 3, 23, 12, 0, tzinfo=STHLM)  # a Monday, before the March change


def first(text: str, after: datetime = MONDAY, count: int = 1) -> list[datetime]:
    return next_occurrences(parse_schedule(text, STHLM), after, count)


@pytest.mark.parametrize(
    "text",
    [
        "thu 16:00",
        "Thursday 16:00",
        "THU 16:00",
        "tor 16:00",
        "tors 16:00",
        "torsdag 16.00",
        "tor kl. 16.00",
        "thu at 16:00",
        "0 16 * * thu",
        "0 16 * * 4",  # classic cron: 4 is Thursday (APScheduler 3 alone would say Friday)
        "0 16 * * tor",
    ],
)
def test_every_spelling_of_the_thursday_conference(text: str) -> None:
    assert first(text, count=2) == [
        datetime(2026, 3, 26, 16, 0, tzinfo=STHLM),
        datetime(2026, 4, 2, 16, 0, tzinfo=STHLM),
    ]


@pytest.mark.parametrize(
    ("name", "weekday"),
    [
        ("mon", 0), ("monday", 0), ("mån", 0), ("måndag", 0), ("man", 0),
        ("tue", 1), ("tuesday", 1), ("tis", 1), ("tisdag", 1),
        ("wed", 2), ("wednesday", 2), ("ons", 2), ("onsdag", 2),
        ("thu", 3), ("thursday", 3), ("tor", 3), ("torsdag", 3),
        ("fri", 4), ("friday", 4), ("fre", 4), ("fredag", 4),
        ("sat", 5), ("saturday", 5), ("lör", 5), ("lördag", 5),
        ("sun", 6), ("sunday", 6), ("sön", 6), ("söndag", 6),
    ],
)  # fmt: skip
def test_day_names(name: str, weekday: int) -> None:
    occurrences = first(f"{name} 09:30", count=3)
    assert [o.weekday() for o in occurrences] == [weekday] * 3
    assert {(o.hour, o.minute) for o in occurrences} == {(9, 30)}


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("mon,thu 09:30", [3, 0, 3, 0]),
        ("mon, thu 09:30", [3, 0, 3, 0]),
        ("mån,tor 09:30", [3, 0, 3, 0]),
        ("mån-fre 08:00", [1, 2, 3, 4, 0]),  # from Monday noon: Tuesday first
        ("fri-mon 08:00", [4, 5, 6, 0, 4]),  # a range may wrap over the weekend
        ("daily 08:00", [1, 2, 3, 4, 5]),
        ("dagligen 08:00", [1, 2, 3, 4, 5]),
        ("0 8 * * 1-5", [1, 2, 3, 4, 0]),
        ("0 8 * * 0", [6, 6, 6, 6, 6]),
        ("0 8 * * 7", [6, 6, 6, 6, 6]),
        ("0 8 * * */2", [1, 3, 5, 6, 1]),  # classic cron: 0,2,4,6 = sun,tue,thu,sat
        ("0 8 * * sat-sun", [5, 6, 5, 6, 5]),
    ],
)
def test_several_days(text: str, weekdays: list[int]) -> None:
    occurrences = first(text, count=len(weekdays))
    assert [o.weekday() for o in occurrences] == weekdays


def test_cron_day_of_month_and_weekday_must_both_match() -> None:
    # The first Wednesday of the month, as the example config's samordningsgrupp uses.
    assert first("0 9 1-7 * wed", count=3) == [
        datetime(2026, 4, 1, 9, 0, tzinfo=STHLM),
        datetime(2026, 5, 6, 9, 0, tzinfo=STHLM),
        datetime(2026, 6, 3, 9, 0, tzinfo=STHLM),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "thu",
        "16:00",
        "thu 25:00",
        "thu 16",
        "xyz 16:00",
        "mon,xyz 16:00",
        "0 16 * *",
        "0 16 * * * *",
        "0 61 * * *",
        "0 16 * * 8",
        "0 16 * * sun-tue",
        "0 16 32 * *",
    ],
)
def test_invalid_schedules_name_both_forms(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_schedule(text, STHLM)
    message = str(info.value)
    assert repr(text) in message
    assert "'thu 16:00'" in message
    assert "'0 16 * * thu'" in message


# --- daylight saving time in Europe/Stockholm (2026: March 29 and October 25) ---


def test_thursday_1600_stays_1600_over_the_march_change() -> None:
    before, after = first("thu 16:00", after=datetime(2026, 3, 25, tzinfo=STHLM), count=2)
    assert (before.date(), before.hour, before.minute) == (datetime(2026, 3, 26).date(), 16, 0)
    assert (after.date(), after.hour, after.minute) == (datetime(2026, 4, 2).date(), 16, 0)
    assert before.utcoffset() == timedelta(hours=1)
    assert after.utcoffset() == timedelta(hours=2)
    assert before.astimezone(UTC) == datetime(2026, 3, 26, 15, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


def test_thursday_1600_stays_1600_over_the_october_change() -> None:
    before, after = first("tor 16:00", after=datetime(2026, 10, 21, tzinfo=STHLM), count=2)
    assert (before.date(), before.hour) == (datetime(2026, 10, 22).date(), 16)
    assert (after.date(), after.hour) == (datetime(2026, 10, 29).date(), 16)
    assert before.astimezone(UTC) == datetime(2026, 10, 22, 14, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 10, 29, 15, 0, tzinfo=UTC)


def test_a_time_in_the_spring_gap_happens_an_hour_later() -> None:
    occurrences = first("daily 02:30", after=datetime(2026, 3, 28, 12, tzinfo=STHLM), count=2)
    assert occurrences[0].astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (occurrences[0].hour, occurrences[0].minute) == (3, 30)  # 02:30 does not exist
    assert (occurrences[1].day, occurrences[1].hour) == (30, 2)


def test_a_repeated_autumn_time_is_listed_once() -> None:
    occurrences = first("daily 02:30", after=datetime(2026, 10, 24, 12, tzinfo=STHLM), count=3)
    assert [(o.day, o.hour, o.minute) for o in occurrences] == [
        (25, 2, 30),
        (26, 2, 30),
        (27, 2, 30),
    ]


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
    st.sampled_from(["thu 16:00", "torsdag 16.00", "0 16 * * 4"]),
)
def test_the_conference_is_always_thursday_1600_local(start: datetime, text: str) -> None:
    occurrences = first(text, after=start.replace(tzinfo=STHLM), count=6)
    assert all((o.weekday(), o.hour, o.minute) == (3, 16, 0) for o in occurrences)
    assert all(b.date() - a.date() == timedelta(days=7) for a, b in pairwise(occurrences))


# --- next_occurrences ---


def test_next_occurrences_are_strictly_after() -> None:
    thursday = datetime(2026, 3, 26, 16, 0, tzinfo=STHLM)
    assert first("thu 16:00", after=thursday) == [datetime(2026, 4, 2, 16, 0, tzinfo=STHLM)]


def test_next_occurrences_are_in_the_trigger_zone() -> None:
    (occurrence,) = first("thu 16:00", after=datetime(2026, 3, 23, tzinfo=UTC))
    assert occurrence.tzinfo == STHLM
    assert occurrence.hour == 16


def test_next_occurrences_count_and_naive_datetimes() -> None:
    assert first("thu 16:00", count=0) == []
    with pytest.raises(ValueError, match="aware"):
        first("thu 16:00", after=datetime(2026, 3, 23))
