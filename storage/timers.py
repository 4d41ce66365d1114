"""Timers: the bot's one-shot scheduled steps, as rows written with the change that arms them.

A timer row and the domain change that needs it commit together; the job a timer runs deletes
the row in its own unit of work, so a timer fires once, and a kill at any point leaves it either
still due (it runs at the next start) or done with all its effects.

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.infra import Timer


async def put(
    session: AsyncSession,
    *,
    job_id: str,
    func: str,
    args: Sequence[Any],
    run_at: datetime,
    grace_s: int,
) -> bool:
    """Arms ``job_id`` (or moves it); False when it is armed exactly so already."""
    row = await session.get(Timer, job_id)
    if row is None:
        session.add(
            Timer(job_id=job_id, func=func, args=list(args), run_at=run_at, grace_s=grace_s)
        )
        await session.flush()
        return True
    same = (row.func, list(row.args), row.run_at, row.grace_s) == (
        func,
        list(args),
        run_at,
        grace_s,
    )
    if same:
        return False
    row.func, row.args, row.run_at, row.grace_s, row.attempts = func, list(args), run_at, grace_s, 0
    await session.flush()
    return True


async def get(session: AsyncSession, job_id: str) -> Timer | None:
    return await session.get(Timer, job_id)


async def all_timers(session: AsyncSession) -> Sequence[Timer]:
    """Every armed timer, soonest first."""
    result = await session.execute(select(Timer).order_by(Timer.run_at, Timer.job_id))
    return result.scalars().all()


async def remove(session: AsyncSession, prefix: str, *, keep: Collection[str] = ()) -> list[str]:
    """Disarms the timers whose id starts with ``prefix`` (all but ``keep``); returns their ids."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    result = await session.execute(
        select(Timer.job_id).where(Timer.job_id.like(f"{escaped}%", escape="\\"))
    )
    ids = [job_id for job_id in result.scalars() if job_id not in keep]
    if ids:
        await session.execute(
            delete(Timer).where(Timer.job_id.in_(ids)).execution_options(synchronize_session=False)
        )
    return ids
