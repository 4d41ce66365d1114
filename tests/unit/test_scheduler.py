"""The supervised scheduler: persistent jobs that keep their times, and survival of job-store
errors (apscheduler #1132)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.scheduler import SupervisedScheduler, build_scheduler, ensure_job

ZONE = ZoneInfo("Europe/Stockholm")
RUNS: list[str] = []


def record(label: str) -> None:
    RUNS.append(label)


class FlakyStore(MemoryJobStore):
    """Fails `get_next_run_time` a few times, like a dropped database connection would."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def get_next_run_time(self) -> Any:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("database connection lost")
        return super().get_next_run_time()


async def test_scheduler_survives_job_store_errors_and_reports_them() -> None:
    store = FlakyStore(failures=2)
    scheduler = SupervisedScheduler(jobstores={"default": store}, timezone=ZONE)
    scheduler.retry_after_error_s = 0.1
    scheduler.start()
    try:
        await asyncio.sleep(0.05)
        assert scheduler.errors >= 1
        assert "database connection lost" in (scheduler.health()["last_error"] or "")
        RUNS.clear()
        scheduler.add_job(
            "tests.unit.test_scheduler:record", DateTrigger(), args=("after the errors",)
        )
        for _ in range(50):
            if RUNS:
                break
            await asyncio.sleep(0.05)
        assert RUNS == ["after the errors"]
        for _ in range(50):
            if scheduler.health()["last_error"] is None:
                break
            await asyncio.sleep(0.05)
        assert scheduler.health()["last_error"] is None, "a later wakeup should succeed"
        assert scheduler.running
    finally:
        scheduler.shutdown(wait=False)


async def test_jobs_persist_and_unchanged_schedules_keep_their_next_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    thursday = CronTrigger(day_of_week="thu", hour=16, timezone=ZONE)

    first = build_scheduler(url, ZONE)
    first.start(paused=True)
    ensure_job(
        first,
        "meeting:konferens",
        "tests.unit.test_scheduler:record",
        thursday,
        args=("konferens",),
    )
    next_run = first.get_job("meeting:konferens").next_run_time
    first.shutdown(wait=False)

    second = build_scheduler(url, ZONE)
    second.start(paused=True)
    try:
        job = second.get_job("meeting:konferens")
        assert job is not None and job.next_run_time == next_run and job.args == ("konferens",)
        ensure_job(
            second,
            "meeting:konferens",
            "tests.unit.test_scheduler:record",
            CronTrigger(day_of_week="thu", hour=16, timezone=ZONE),
            args=("konferens",),
        )
        assert second.get_job("meeting:konferens").next_run_time == next_run

        moved = CronTrigger(day_of_week="wed", hour=9, timezone=ZONE)
        ensure_job(
            second,
            "meeting:konferens",
            "tests.unit.test_scheduler:record",
            moved,
            args=("konferens",),
        )
        new_run = second.get_job("meeting:konferens").next_run_time
        assert new_run.weekday() == 2 and new_run.hour == 9
    finally:
        second.shutdown(wait=False)
