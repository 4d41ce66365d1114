"""Timers of an older version, left in APScheduler's pickled job store, move into the timers
table once, by kind, without the old job functions being importable."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, insert, select

from bot.scheduling.scheduler import build_scheduler
from bot.scheduling.timers import LEGACY_JOBS_TABLE, PersistentTimers, import_legacy_jobs
from storage import timers
from storage.db import Database


def old_state(job_id: str, func: str, trigger: object, run_at: datetime) -> dict[str, object]:
    """A job's state as APScheduler 3 pickled it into its job store."""
    return {
        "version": 1,
        "id": job_id,
        "func": func,
        "trigger": trigger,
        "executor": "default",
        "args": (7,),
        "kwargs": {},
        "name": func,
        "misfire_grace_time": 600,
        "coalesce": True,
        "max_instances": 1,
        "next_run_time": run_at,
    }


@pytest.fixture
def old_store(database: Database) -> list[dict[str, object]]:
    engine = create_engine(database.sync_url)
    scheduler = build_scheduler(ZoneInfo("Europe/Stockholm"))
    store = SQLAlchemyJobStore(engine=engine, tablename=LEGACY_JOBS_TABLE)
    store.start(scheduler, "legacy")  # creates the table as the old version did
    run_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    states = [
        old_state("alert:7:1", "bot.jobs:alert_step", DateTrigger(run_at), run_at),
        old_state("gone:1", "bot.jobs:no_such_job", DateTrigger(run_at), run_at),
        old_state("every", "bot.jobs:prune_history", IntervalTrigger(hours=1), run_at),
    ]
    with engine.begin() as connection:
        for state in states:
            connection.execute(
                insert(store.jobs_t).values(
                    id=state["id"],
                    next_run_time=run_at.timestamp(),
                    job_state=pickle.dumps(state, pickle.HIGHEST_PROTOCOL),
                )
            )
    engine.dispose()
    return states


async def test_old_date_jobs_become_timers_once(
    database: Database, old_store: list[dict[str, object]]
) -> None:
    scheduler = build_scheduler(ZoneInfo("Europe/Stockholm"))
    scheduler.start(paused=True)
    try:
        armed = PersistentTimers(scheduler, database)
        assert await import_legacy_jobs(database, armed) == 1
        async with database.session() as session:
            rows = {t.job_id: t for t in await timers.all_timers(session)}
        assert set(rows) == {"alert:7:1"}  # unknown jobs and interval jobs are not timers
        row = rows["alert:7:1"]
        assert (row.func, row.args, row.grace_s) == ("alert_step", [7], 600)
        assert row.run_at == old_store[0]["next_run_time"]
        assert scheduler.get_job("alert:7:1") is not None
        assert await import_legacy_jobs(database, armed) == 0  # the old store is empty now
    finally:
        scheduler.shutdown(wait=False)
    engine = create_engine(database.sync_url)
    store = SQLAlchemyJobStore(engine=engine, tablename=LEGACY_JOBS_TABLE)
    with engine.connect() as connection:
        assert connection.execute(select(store.jobs_t.c.id)).all() == []
    engine.dispose()
