"""Duty rosters: turns across hand-offs and daylight-saving changes, overrides, and the
config's checks of `[[rosters]]` with key paths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Directory, load_config
from bot.domain.rosters import Override, Rotation, rotation_trigger
from tests.unit.test_config import MINIMAL, problems_of, write

ZONE = ZoneInfo("Europe/Stockholm")
PEOPLE = ["@anna:x", "@bo:x", "@cilla:x"]


def weekly(start: date = date(2026, 3, 16)) -> Rotation:
    return Rotation("tib", PEOPLE, rotation_trigger("weekly", "mon 08:00", ZONE), start)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE)  # type: ignore[misc]


def test_members_take_turns_from_the_first_handoff() -> None:
    rotation = weekly()
    assert rotation.on_duty(local(2026, 3, 16, 7, 59)).user is None  # before the first shift
    first = rotation.shift_at(local(2026, 3, 16, 8, 0))
    assert first is not None and first.user == "@anna:x" and first.number == 0
    assert rotation.on_duty(local(2026, 3, 23, 7, 59)).user == "@anna:x"
    assert rotation.on_duty(local(2026, 3, 23, 8, 0)).user == "@bo:x"
    assert rotation.on_duty(local(2026, 4, 6, 8, 0)).user == "@anna:x"  # round again
    assert rotation.next_in_turn("@cilla:x") == "@anna:x"


def test_the_handoff_stays_at_eight_local_across_daylight_saving() -> None:
    rotation = weekly()
    # Sweden moves to summer time on Sunday 2026-03-29: the shift from Monday 23 March lasts
    # one hour less in real time, and the hand-off on 30 March is still at 08:00 local.
    shift = rotation.shift_at(local(2026, 3, 28, 12, 0))
    assert shift is not None and shift.user == "@bo:x"
    assert shift.ends_at.astimezone(ZONE).hour == 8
    real = shift.ends_at.astimezone(UTC) - shift.starts_at.astimezone(UTC)
    assert real == timedelta(days=7, hours=-1)
    assert shift.ends_at.astimezone(UTC).hour == 6  # 08:00 CEST, where 23 March was 07:00 UTC
    assert shift.starts_at.astimezone(UTC).hour == 7
    autumn = rotation.shift_at(local(2026, 10, 26, 9, 0))  # winter time from 25 October
    assert autumn is not None and autumn.starts_at.astimezone(ZONE).hour == 8


def test_an_override_wins_while_in_force_and_the_roster_resumes() -> None:
    rotation = weekly()
    at = local(2026, 3, 18, 20, 0)
    override = Override(1, "tib", "@cilla:x", at, local(2026, 3, 19, 8, 0), "@cilla:x")
    assert rotation.on_duty(at, [override]).user == "@cilla:x"
    assert rotation.on_duty(at, [override]).until == override.ends_at
    assert rotation.on_duty(local(2026, 3, 19, 8, 0), [override]).user == "@anna:x"
    assert rotation.changes_after(at, [override]) == override.ends_at
    other = Override(2, "rsk", "@bo:x", at, local(2026, 3, 20), "@bo:x")  # another function
    assert rotation.on_duty(at, [other]).user == "@anna:x"


def test_daily_and_cron_rotations() -> None:
    daily = Rotation("rsk", PEOPLE, rotation_trigger("daily", "07:30", ZONE), date(2026, 12, 1))
    assert daily.on_duty(local(2026, 12, 2, 7, 29)).user == "@anna:x"
    assert daily.on_duty(local(2026, 12, 2, 7, 30)).user == "@bo:x"
    cron = Rotation("k", PEOPLE, rotation_trigger("0 8 * * mon,thu", None, ZONE), date(2026, 12, 1))
    shifts = cron.shifts_between(local(2026, 12, 1), local(2026, 12, 15))
    assert [s.starts_at.day for s in shifts] == [3, 7, 10, 14]
    assert [s.user for s in shifts] == [*PEOPLE, PEOPLE[0]]


@pytest.mark.parametrize(
    ("rotation", "handoff", "says"),
    [
        ("weekly", "mon,thu 08:00", "one weekday"),
        ("daily", "mon 08:00", "time of day"),
        ("fortnightly", None, "unknown rotation"),
        ("0 8 * * mon", "mon 08:00", "remove handoff"),
        ("weekly", "mon 25:00", "invalid time"),
    ],
)
def test_bad_rotations_say_what_is_expected(rotation: str, handoff: str | None, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        rotation_trigger(rotation, handoff, ZONE)


ROSTER = """
[[members]]
user = "@anna:example.se"
actor = "lst"

[[members]]
user = "@bo:example.se"
actor = "lst"

[[rosters]]
function = "tib"
actor = "lst"
rotation = "weekly"
handoff = "mon 08:00"
start = "2026-12-07"
members = ["@anna:example.se", "@bo:example.se"]
"""


def test_a_roster_loads_and_its_members_hold_the_mandate(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, MINIMAL + ROSTER))
    assert settings.roster("tib") is not None
    people = Directory(settings)
    assert "tib" in people.functions_of("@bo:example.se")
    assert people.holders_of("tib") == ["@tib:example.se"]


def test_roster_problems_have_key_paths(tmp_path: Path) -> None:
    text = MINIMAL + ROSTER.replace('rotation = "weekly"', 'rotation = "weekly"\n')
    text = text.replace('handoff = "mon 08:00"', 'handoff = "mon,fre 08:00"')
    text = text.replace(
        '"@bo:example.se"]', '"@bo:example.se", "@eve:example.se", "@bo:example.se"]'
    )
    text += """
[[rosters]]
function = "tib"
actor = "polisen"
rotation = "hourly"
start = "2026-12-07"
members = ["@anna:example.se"]

[[members]]
user = "@anna:example.se"
actor = "lst"
"""
    found = [(p.path, p.message) for p in problems_of(write(tmp_path, text))]
    paths = [path for path, _ in found]
    assert "members[3].user" in paths  # the same person twice for one actor
    assert "rosters[0].handoff" in paths
    assert "rosters[0].members[2]" in paths  # not a member of lst
    assert "rosters[0].members[3]" in paths  # twice on the roster
    assert "rosters[1].function" in paths  # a second roster for tib
    assert "rosters[1].actor" in paths and "rosters[1].rotation" in paths
    messages = dict(found)
    assert "not listed under [[members]] for actor 'lst'" in messages["rosters[0].members[2]"]
    assert "give that entry all their functions" in messages["members[3].user"]
