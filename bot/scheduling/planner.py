"""Keeps the meeting timers in line with the config: one timer per step of each scheduled
forum's next meeting. Run at start and after every meeting closes (in the close's unit of work);
a schedule changed in the TOML moves the timers at the next start, and timers for meetings no
longer planned are removed. A step run already and planned again does nothing: each step checks
the meeting's state.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.config import Mode, Settings
from bot.domain.calendar import Step, due_steps
from bot.scheduling.kinds import JobKind
from bot.services.ports import TimersPort

log = logging.getLogger(__name__)

JOB_PREFIX = "meeting:"
STEP_JOB = JobKind.MEETING_STEP


def planned_steps(settings: Settings, now: datetime) -> list[Step]:
    steps: list[Step] = []
    for forum in settings.forums:
        if forum.mode != Mode.ORDINARIE or not forum.schedule:
            continue
        trigger = forum.trigger(settings.zone)
        if trigger is not None:
            steps.extend(due_steps(forum, trigger, now))
    return steps


async def plan_meetings(
    timers: TimersPort, settings: Settings, now: datetime | None = None
) -> list[Step]:
    now = now or datetime.now(UTC)
    steps = planned_steps(settings, now)
    for step in steps:
        await timers.at(
            step.job_id,
            STEP_JOB,
            step.run_at,
            (step.forum_id, step.stage, step.meeting_at.isoformat()),
            grace=step.grace,
        )
    removed = await timers.cancel(JOB_PREFIX, keep={s.job_id for s in steps})
    if removed:
        log.info("removed %d meeting timers no longer in the config", removed)
    return steps
