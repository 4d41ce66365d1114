"""Keeps the scheduler's meeting jobs in line with the config: one date job per step of each
scheduled forum's next meeting. Run at start and after every meeting closes; a schedule changed
in the TOML moves the jobs at the next start, and jobs for meetings no longer planned are removed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger

from bot.config import Mode, Settings
from bot.domain.calendar import Step, due_steps
from bot.scheduler import ensure_job, remove_stale_jobs

log = logging.getLogger(__name__)

JOB_PREFIX = "meeting:"
STEP_JOB = "bot.jobs:meeting_step"


def planned_steps(settings: Settings, now: datetime) -> list[Step]:
    steps: list[Step] = []
    for forum in settings.forums:
        if forum.mode != Mode.ORDINARIE or not forum.schedule:
            continue
        trigger = forum.trigger(settings.zone)
        if trigger is not None:
            steps.extend(due_steps(forum, trigger, now))
    return steps


def plan_meetings(
    scheduler: BaseScheduler, settings: Settings, now: datetime | None = None
) -> list[Step]:
    now = now or datetime.now(UTC)
    steps = planned_steps(settings, now)
    for step in steps:
        ensure_job(
            scheduler,
            step.job_id,
            STEP_JOB,
            DateTrigger(run_date=step.run_at),
            args=(step.forum_id, step.stage, step.meeting_at.isoformat()),
            misfire_grace_time=max(1, int(step.grace.total_seconds())),
        )
    removed = remove_stale_jobs(scheduler, {s.job_id for s in steps}, JOB_PREFIX)
    if removed:
        log.info("removed %d meeting jobs no longer in the config", len(removed))
    return steps
