"""The services' one-shot timers: rows in our database, with APScheduler as the alarm clock.

A timer is written in the unit of work of the change that arms it (`storage/timers.py`), and its
in-memory APScheduler job is added only after that commits. When it rings, `fire` deletes the row
and runs the job's function in one unit of work, so a kill at any moment leaves the timer either
still armed (it runs after the restart) or done with all its effects: exactly once. At start,
`load` re-arms every row; one found later than its grace is logged as missed and dropped, as
APScheduler's ``misfire_grace_time`` would.

Timers from before this table lived in APScheduler's pickled job store (``apscheduler_jobs``);
`import_legacy_jobs` moves them over once.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import MetaData, Table, create_engine, inspect, select

from bot.matrix.inbox import is_transient, with_retries
from bot.scheduling.jobs import JOBS, Job, JobContext
from bot.scheduling.kinds import JobKind, stored_kind
from storage import timers
from storage.db import Database

log = logging.getLogger(__name__)

#: The old job store's table, read once by `import_legacy_jobs`.
LEGACY_JOBS_TABLE = "apscheduler_jobs"
#: When a timer keeps failing for a transient reason, the next round of tries is this far off.
REARM_AFTER_FAILURE = timedelta(minutes=1)


class PersistentTimers:
    """Implements the services' `TimersPort`."""

    def __init__(
        self,
        scheduler: BaseScheduler,
        db: Database,
        *,
        first_retry_s: float = 1.0,
        synced: asyncio.Event | None = None,
        jobs: Mapping[str, Job] = JOBS,
    ) -> None:
        self.scheduler = scheduler
        self.db = db
        self.first_retry_s = first_retry_s
        #: Set after the first sync: a timer overdue at start waits for the rooms to be known.
        self.synced = synced
        #: What jobs reach; the app sets it once its services exist, before timers ring.
        self.context: JobContext | None = None
        #: The job of each kind (the registry; tests give their own).
        self.jobs = jobs

    async def at(
        self, job_id: str, kind: str, when: datetime, args: tuple[Any, ...], grace: timedelta
    ) -> None:
        """Arms (or moves) `job_id` to run the job of `kind` with `args` at `when`, in the
        caller's unit of work if there is one; arming it exactly as it is changes nothing."""
        async with self.db.session() as session:
            changed = await timers.put(
                session,
                job_id=job_id,
                func=str(kind),
                args=args,
                run_at=when,
                grace_s=max(1, int(grace.total_seconds())),
            )
            await session.commit()
        if changed or self.scheduler.get_job(job_id) is None:
            self.db.after_commit(lambda: self._ring_at(job_id, when))

    async def cancel(self, prefix: str, *, keep: set[str] | None = None) -> int:
        """Disarms the timers whose id starts with `prefix`, except `keep`; returns how many."""
        async with self.db.session() as session:
            removed = await timers.remove(session, prefix, keep=keep or set())
            await session.commit()
        if removed:
            self.db.after_commit(lambda: self._silence(removed))
        return len(removed)

    async def load(self, now: datetime | None = None) -> int:
        """At start: every armed timer rings at its time (or now, when it is overdue but
        within its grace); returns how many were missed."""
        now = now or datetime.now(UTC)
        async with self.db.session() as session:
            rows = await timers.all_timers(session)
            missed = [r for r in rows if r.run_at + timedelta(seconds=r.grace_s) < now]
            for row in missed:
                log.warning(
                    "timer %s was due at %s and is too late now; missed",
                    row.job_id,
                    row.run_at.isoformat(),
                )
                await session.delete(row)
            await session.commit()
        for row in rows:
            if row not in missed:
                self._ring_at(row.job_id, max(row.run_at, now))
        return len(missed)

    async def fire(self, job_id: str) -> None:
        """Runs a timer that rang: deletes it and runs its function in one unit of work."""
        if self.synced is not None:
            await self.synced.wait()

        async def once() -> None:
            async with self.db.unit():
                async with self.db.session() as session:
                    row = await timers.get(session, job_id)
                    if row is None:
                        return  # disarmed, or run already
                    func, args = row.func, list(row.args)
                    await session.delete(row)
                    await session.commit()
                # First of the hooks, so a job that arms the same id again keeps it.
                self.db.after_commit(lambda: self._silence([job_id]))
                await self.jobs[stored_kind(func)](self.context, *args)

        failed = await with_retries(once, f"timer {job_id}", first_s=self.first_retry_s)
        if failed is None:
            return
        if is_transient(failed):
            log.error("timer %s keeps failing (%r); trying again later", job_id, failed)
            self._ring_at(job_id, datetime.now(UTC) + REARM_AFTER_FAILURE)
            return
        log.error("timer %s failed; dropped", job_id, exc_info=failed)
        await self._drop(job_id)

    async def _drop(self, job_id: str) -> None:
        async with self.db.session() as session:
            row = await timers.get(session, job_id)
            if row is not None:
                await session.delete(row)
            await session.commit()

    def _ring_at(self, job_id: str, when: datetime) -> None:
        self.scheduler.add_job(
            self.fire,
            DateTrigger(run_date=when),
            id=job_id,
            args=(job_id,),
            misfire_grace_time=None,  # the row's grace decides, at start
            coalesce=True,
            replace_existing=True,
        )

    def _silence(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)


def legacy_jobs(sync_url: str) -> list[tuple[str, JobKind, tuple[Any, ...], datetime, int]]:
    """The date jobs left in APScheduler's old job store, which is emptied (blocking I/O: run it
    in a thread). Its rows are APScheduler's pickled job states, read here without rebuilding
    the jobs (that would need the old job functions importable); a job whose function is no
    kind of ours is logged and dropped."""
    engine = create_engine(sync_url)
    try:
        if not inspect(engine).has_table(LEGACY_JOBS_TABLE):
            return []
        table = Table(LEGACY_JOBS_TABLE, MetaData(), autoload_with=engine)
        found = []
        with engine.begin() as connection:
            for row in connection.execute(select(table.c.id, table.c.job_state)):
                state = pickle.loads(row.job_state)
                run_at, func = state.get("next_run_time"), str(state.get("func", ""))
                if not isinstance(state.get("trigger"), DateTrigger) or run_at is None:
                    continue
                try:
                    kind = JobKind.of(func)
                except ValueError:
                    log.warning("old timer %s runs %s, which is no job now; dropped", row.id, func)
                    continue
                grace = state.get("misfire_grace_time") or 1
                found.append((row.id, kind, tuple(state.get("args", ())), run_at, int(grace)))
            connection.execute(table.delete())
        return found
    finally:
        engine.dispose()


async def import_legacy_jobs(db: Database, armed: PersistentTimers) -> int:
    """Moves the timers of an older version's job store into the timers table, once."""
    found = await asyncio.to_thread(legacy_jobs, db.sync_url)
    for job_id, kind, args, run_at, grace_s in found:
        await armed.at(job_id, kind, run_at, args, timedelta(seconds=grace_s))
    if found:
        log.info("moved %d timers from the old job store", len(found))
    return len(found)
