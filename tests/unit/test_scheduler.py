"""The supervised scheduler survives job-store errors (apscheduler #1132); persistence is the
timers table's (tests/storage/test_timers.py)."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.date import DateTrigger

from bot.scheduling.scheduler import SupervisedScheduler

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
