"""Durations as written in the config ("3h", "1h30m") and back."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.scheduling.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3h", timedelta(hours=3)),
        ("15m", timedelta(minutes=15)),
        ("90s", timedelta(seconds=90)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1w2d3h4m5s", timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        (" 10M ", timedelta(minutes=10)),
        ("0", timedelta(0)),
        ("0m", timedelta(0)),
        ("120m", timedelta(hours=2)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "h", "5", "1.5h", "-1h", "30m1h", "1h1h", "3 hours", "3t", "PT3H", "1h30", "٣h"],
)
def test_parse_duration_rejects_with_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected .*'1h30m'") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


def test_parse_duration_rejects_absurdly_long() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("99999999999999w")


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(hours=1, minutes=30), "1h30m"),
        (timedelta(hours=3), "3h"),
        (timedelta(seconds=90), "1m30s"),
        (timedelta(days=10), "1w3d"),
        (timedelta(0), "0m"),
    ],
)
def test_format_duration(td: timedelta, text: str) -> None:
    assert format_duration(td) == text


@pytest.mark.parametrize("td", [timedelta(seconds=-1), timedelta(milliseconds=1500)])
def test_format_duration_rejects_what_cannot_be_written(td: timedelta) -> None:
    with pytest.raises(ValueError):
        format_duration(td)


@given(st.integers(min_value=0, max_value=10**9))
def test_format_then_parse_round_trips(seconds: int) -> None:
    td = timedelta(seconds=seconds)
    assert parse_duration(format_duration(td)) == td


@given(st.lists(st.one_of(st.none(), st.integers(0, 10_000)), min_size=5, max_size=5))
def test_parse_reads_every_combination_of_units(counts: list[int | None]) -> None:
    units = [("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)]
    parts = [(count, unit, size) for count, (unit, size) in zip(counts, units, strict=True)]
    text = "".join(f"{count}{unit}" for count, unit, _ in parts if count is not None)
    expected = sum(count * size for count, _, size in parts if count is not None)
    if not text:
        with pytest.raises(ValueError):
            parse_duration(text)
    else:
        assert parse_duration(text) == timedelta(seconds=expected)
        assert parse_duration(format_duration(parse_duration(text))) == timedelta(seconds=expected)
