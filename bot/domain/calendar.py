"""When each step of a scheduled meeting happens: pure arithmetic over the forum's schedule.

A meeting at M has five steps: call-in (M − call_in_before), reminder (M − reminder_before),
the combined picture at the report deadline (M − report_deadline_before), start (M) and close
(M + meeting_duration). Offsets are absolute durations; M itself comes from the schedule in the
configured zone, so a 16:00 meeting stays at 16:00 local time across DST changes.

Each step is still worth doing for a while after its time ("grace"): a call-in missed while the
bot was down is still useful until the deadline, but not after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

Stage = Literal["call_in", "reminder", "deadline", "start", "close"]
STAGES: tuple[Stage, ...] = ("call_in", "reminder", "deadline", "start", "close")
#: A meeting is always closed eventually, even after a long outage.
CLOSE_GRACE = timedelta(days=1)


class Trigger(Protocol):
    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None: ...


class ScheduledForum(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def call_in_before(self) -> timedelta: ...
    @property
    def reminder_before(self) -> timedelta: ...
    @property
    def report_deadline_before(self) -> timedelta: ...
    @property
    def meeting_duration(self) -> timedelta: ...


@dataclass(frozen=True)
class Step:
    forum_id: str
    stage: Stage
    meeting_at: datetime
    run_at: datetime
    grace: timedelta

    @property
    def job_id(self) -> str:
        return f"meeting:{self.forum_id}:{self.meeting_at.astimezone(UTC).isoformat()}:{self.stage}"

    def expired(self, now: datetime) -> bool:
        return now > self.run_at + self.grace


def next_meeting(forum: ScheduledForum, trigger: Trigger, now: datetime) -> datetime | None:
    """The meeting whose steps are not all done at `now`: one still running counts."""
    after = now - forum.meeting_duration
    return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


def steps_of(forum: ScheduledForum, meeting_at: datetime) -> list[Step]:
    deadline = meeting_at - forum.report_deadline_before
    at = {
        "call_in": meeting_at - forum.call_in_before,
        "reminder": meeting_at - forum.reminder_before,
        "deadline": deadline,
        "start": meeting_at,
        "close": meeting_at + forum.meeting_duration,
    }
    close = at["close"]
    until: dict[Stage, datetime] = {
        "call_in": deadline,
        "reminder": deadline,
        "deadline": close,
        "start": close,
        "close": close + CLOSE_GRACE,
    }
    return [
        Step(forum.id, stage, meeting_at, _utc(at[stage]), _utc(until[stage]) - _utc(at[stage]))
        for stage in STAGES
    ]


def due_steps(forum: ScheduledForum, trigger: Trigger, now: datetime) -> list[Step]:
    """The steps of the next meeting that are still worth running (now or later)."""
    meeting_at = next_meeting(forum, trigger, now)
    if meeting_at is None:
        return []
    return [step for step in steps_of(forum, meeting_at) if not step.expired(now)]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
