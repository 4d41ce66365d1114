"""The steps of a scheduled meeting and the jobs the planner keeps for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import load_config
from bot.domain.calendar import due_steps, next_meeting, steps_of
from bot.scheduling.planner import plan_meetings
from bot.scheduling.scheduler import build_scheduler
from bot.scheduling.schedules import next_occurrences, parse_schedule
from bot.scheduling.timers import PersistentTimers
from storage import timers
from storage.db import Database
from storage.models import Timer

ZONE = ZoneInfo("Europe/Stockholm")
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def konferens():  # type: ignore[no-untyped-def]
    settings = load_config(EXAMPLE)
    forum = settings.forum("konferens")
    assert forum is not None
    return settings, forum


def test_a_thursday_meeting_stays_at_16_local_across_both_dst_changes() -> None:
    trigger = parse_schedule("thu 16:00", ZONE)
    spring = next_occurrences(trigger, datetime(2026, 3, 24, tzinfo=ZONE), 2)
    autumn = next_occurrences(trigger, datetime(2026, 10, 20, tzinfo=ZONE), 2)
    for moment in [*spring, *autumn]:
        local = moment.astimezone(ZONE)
        assert (local.weekday(), local.hour, local.minute) == (3, 16, 0)
    # The UTC hour moves, the local hour does not.
    assert {m.astimezone(UTC).hour for m in spring} == {15, 14}
    assert {m.astimezone(UTC).hour for m in autumn} == {14, 15}


def test_steps_follow_the_configured_offsets() -> None:
    _, forum = konferens()
    meeting = datetime(2026, 11, 26, 16, 0, tzinfo=ZONE)
    steps = {s.stage: s for s in steps_of(forum, meeting)}
    assert steps["call_in"].run_at == meeting - forum.call_in_before
    assert steps["reminder"].run_at == meeting - forum.reminder_before
    assert steps["deadline"].run_at == meeting - forum.report_deadline_before
    assert steps["start"].run_at == meeting
    assert steps["close"].run_at == meeting + forum.meeting_duration
    # A missed call-in is worth sending until the deadline, no longer.
    assert steps["call_in"].run_at + steps["call_in"].grace == steps["deadline"].run_at


def test_after_a_restart_only_meaningful_steps_remain() -> None:
    settings, forum = konferens()
    trigger = forum.trigger(settings.zone)
    assert trigger is not None
    meeting = datetime(2026, 11, 26, 16, 0, tzinfo=ZONE)
    # Down from 12:00 to 15:50: the call-in and reminder are too late, the picture is not.
    stages = [
        s.stage for s in due_steps(forum, trigger, datetime(2026, 11, 26, 15, 50, tzinfo=ZONE))
    ]
    assert stages == ["deadline", "start", "close"]
    # During the meeting the next meeting is still this one, until it has closed.
    during = next_meeting(forum, trigger, meeting + timedelta(minutes=30))
    assert during == meeting
    after = next_meeting(forum, trigger, meeting + forum.meeting_duration + timedelta(seconds=1))
    assert after == meeting + timedelta(days=7)


async def test_planner_keeps_unchanged_timers_and_moves_changed_schedules(
    tmp_path: Path,
) -> None:
    settings, _ = konferens()
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # a Monday
    db = await Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'samverkan.db'}")
    scheduler = build_scheduler(ZONE)
    armed = PersistentTimers(scheduler, db)
    scheduler.start(paused=True)

    async def stored() -> dict[str, Timer]:
        async with db.session() as session:
            return {t.job_id: t for t in await timers.all_timers(session)}

    try:
        steps = await plan_meetings(armed, settings, now)
        konf = [s for s in steps if s.forum_id == "konferens"]
        assert [s.stage for s in konf] == ["call_in", "reminder", "deadline", "start", "close"]
        assert all(scheduler.get_job(s.job_id) is not None for s in steps)
        rows = await stored()
        assert set(rows) == {s.job_id for s in steps}
        call_in = rows[konf[0].job_id]
        assert call_in.args == ["konferens", "call_in", konf[0].meeting_at.isoformat()]
        assert call_in.run_at.astimezone(ZONE).hour == 13  # 16:00 - 3h
        assert scheduler.get_job(konf[0].job_id).args == (konf[0].job_id,)

        # Planning again changes nothing.
        again = await plan_meetings(armed, settings, now)
        assert [s.job_id for s in again] == [s.job_id for s in steps]
        assert {k: (v.run_at, v.args) for k, v in (await stored()).items()} == {
            k: (v.run_at, v.args) for k, v in rows.items()
        }
        # The schedule moves in the TOML: the old timers go, new ones come.
        moved = settings.model_copy(deep=True)
        forum = moved.forum("konferens")
        assert forum is not None
        object.__setattr__(forum, "schedule", "wed 09:00")
        new = [s for s in await plan_meetings(armed, moved, now) if s.forum_id == "konferens"]
        assert scheduler.get_job(konf[0].job_id) is None
        assert new[0].meeting_at.astimezone(ZONE).weekday() == 2
        jobs = [j.id for j in scheduler.get_jobs() if j.id.startswith("meeting:konferens:")]
        assert sorted(jobs) == sorted(s.job_id for s in new)
        konf_rows = [k for k in await stored() if k.startswith("meeting:konferens:")]
        assert sorted(konf_rows) == sorted(s.job_id for s in new)
    finally:
        scheduler.shutdown(wait=False)
        await db.dispose()
