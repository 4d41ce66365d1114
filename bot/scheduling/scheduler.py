"""APScheduler 3.11, supervised, in the configured zone: the bot's alarm clock.

Its job store is in memory: what must survive a restart is a row of ours
(`bot/scheduling/timers.py`), written in the same transaction as the change that arms it, and
loaded into the scheduler at start; the recurring housekeeping job is added at every start.
Timers run jobs by kind (`bot.scheduling.jobs`) with plain ids, `coalesce=True` makes downtime
yield one run, not many, and our wakeup catches and reports any error in processing jobs
instead of stopping for good (apscheduler #1132).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler, run_in_event_loop

log = logging.getLogger(__name__)

#: After a job-store error, how soon the scheduler looks again.
RETRY_AFTER_ERROR_S = 10.0
#: The watchdog wakes the scheduler at least this often, so a lost timer cannot stop it.
WATCHDOG_INTERVAL_S = 60.0
#: Default grace for a job missed while the bot was down (per job it may be set otherwise).
DEFAULT_MISFIRE_GRACE_S = 15 * 60


class SupervisedScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose wakeup survives job-store errors and reports them."""

    retry_after_error_s = RETRY_AFTER_ERROR_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_error: str | None = None
        self.last_wakeup: float | None = None
        self.errors = 0

    @run_in_event_loop
    def wakeup(self) -> None:
        self._stop_timer()
        try:
            wait_seconds = self._process_jobs()
            self.last_error = None
        except Exception as exc:  # e.g. the database connection dropped
            self.errors += 1
            self.last_error = repr(exc)
            log.exception(
                "scheduler: processing jobs failed; retrying in %ss", self.retry_after_error_s
            )
            wait_seconds = self.retry_after_error_s
        self.last_wakeup = time.monotonic()
        self._start_timer(wait_seconds)

    def health(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "last_error": self.last_error,
            "errors": self.errors,
            "jobs": len(self.get_jobs()) if self.running else None,
        }


def build_scheduler(zone: ZoneInfo) -> SupervisedScheduler:
    return SupervisedScheduler(
        jobstores={"default": MemoryJobStore()},
        timezone=zone,
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": DEFAULT_MISFIRE_GRACE_S,
            "max_instances": 1,
        },
    )


async def watchdog(scheduler: SupervisedScheduler, interval: float = WATCHDOG_INTERVAL_S) -> None:
    """Keeps the scheduler alive: restarts it if it stopped, and re-arms its timer."""
    while True:
        await asyncio.sleep(interval)
        try:
            if not scheduler.running:
                log.error("scheduler was stopped; starting it again")
                scheduler.start()
            else:
                scheduler.wakeup()
        except Exception:
            log.exception("scheduler watchdog could not revive the scheduler")


def remove_stale_jobs(scheduler: AsyncIOScheduler, keep: set[str], prefix: str) -> list[str]:
    """Removes jobs with `prefix` that the config no longer asks for."""
    removed = []
    for job in scheduler.get_jobs():
        if job.id.startswith(prefix) and job.id not in keep:
            scheduler.remove_job(job.id)
            removed.append(job.id)
    return removed
