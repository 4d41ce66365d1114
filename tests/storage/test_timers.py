"""Timers fire once: armed with the change that needs them, deleted with the job they run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.scheduler import SupervisedScheduler, build_scheduler
from bot.scheduling.timers import PersistentTimers
from storage import timers
from storage.db import Database

RUNS: list[str] = []
FUNC = "record"


async def record(_ctx: object, label: str) -> None:
    RUNS.append(label)


async def explode(_ctx: object, label: str) -> None:
    RUNS.append(label)
    raise ValueError("a bug in the job")


#: The jobs these tests' timers run, by kind, in place of the bot's registry.
TEST_JOBS = {"record": record, "explode": explode}


@pytest.fixture
async def clock() -> AsyncIterator[SupervisedScheduler]:
    scheduler = build_scheduler(ZoneInfo("Europe/Stockholm"))
    scheduler.start(paused=True)  # rings only when a test fires a timer itself
    RUNS.clear()
    yield scheduler
    scheduler.shutdown(wait=False)


async def stored(database: Database) -> dict[str, datetime]:
    async with database.session() as s:
        return {t.job_id: t.run_at for t in await timers.all_timers(s)}


async def test_a_timer_exists_only_if_its_unit_commits(
    database: Database, clock: SupervisedScheduler
) -> None:
    armed = PersistentTimers(clock, database, jobs=TEST_JOBS)
    soon = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(RuntimeError):
        async with database.unit():
            await armed.at("t:rolled-back", FUNC, soon, ("x",), timedelta(minutes=5))
            assert clock.get_job("t:rolled-back") is None  # not before the commit
            raise RuntimeError("killed")
    assert await stored(database) == {}
    assert clock.get_job("t:rolled-back") is None

    async with database.unit():
        await armed.at("t:kept", FUNC, soon, ("x",), timedelta(minutes=5))
    assert await stored(database) == {"t:kept": soon}
    assert clock.get_job("t:kept") is not None


async def test_a_restart_loads_due_timers_and_drops_missed_ones(
    database: Database, clock: SupervisedScheduler
) -> None:
    now = datetime.now(UTC)
    first = PersistentTimers(clock, database, jobs=TEST_JOBS)
    await first.at("t:later", FUNC, now + timedelta(hours=1), ("later",), timedelta(minutes=5))
    await first.at("t:late", FUNC, now - timedelta(minutes=1), ("late",), timedelta(minutes=5))
    await first.at("t:missed", FUNC, now - timedelta(hours=2), ("gone",), timedelta(minutes=5))

    restarted = build_scheduler(ZoneInfo("Europe/Stockholm"))
    restarted.start(paused=True)
    try:
        again = PersistentTimers(restarted, database, jobs=TEST_JOBS)
        assert await again.load(now) == 1
        assert set(await stored(database)) == {"t:later", "t:late"}
        assert {j.id for j in restarted.get_jobs()} == {"t:later", "t:late"}
        assert restarted.get_job("t:late").next_run_time == now  # overdue: at once
    finally:
        restarted.shutdown(wait=False)


async def test_firing_runs_once_and_cancel_disarms(
    database: Database, clock: SupervisedScheduler
) -> None:
    armed = PersistentTimers(clock, database, jobs=TEST_JOBS)
    soon = datetime.now(UTC) + timedelta(hours=1)
    await armed.at("t:once", FUNC, soon, ("once",), timedelta(minutes=5))
    await armed.fire("t:once")
    await armed.fire("t:once")  # rung twice (e.g. loaded again): runs once
    assert RUNS == ["once"]
    assert await stored(database) == {}

    for n in range(3):
        await armed.at(f"alert:1:{n}", FUNC, soon, (str(n),), timedelta(minutes=5))
    await armed.at("alert:10:0", FUNC, soon, ("other",), timedelta(minutes=5))
    assert await armed.cancel("alert:1:", keep={"alert:1:2"}) == 2
    assert set(await stored(database)) == {"alert:1:2", "alert:10:0"}
    assert {j.id for j in clock.get_jobs()} == {"alert:1:2", "alert:10:0"}


async def test_a_failing_job_is_rolled_back_and_dropped(
    database: Database, clock: SupervisedScheduler
) -> None:
    armed = PersistentTimers(clock, database, jobs=TEST_JOBS)
    soon = datetime.now(UTC) + timedelta(hours=1)
    await armed.at("t:bug", "explode", soon, ("bug",), timedelta(1))
    await armed.fire("t:bug")  # logged, not raised
    assert RUNS == ["bug"]
    assert await stored(database) == {}
