"""The health verdict: which checks fail, and that the answer says nothing else."""

from __future__ import annotations

import json

from bot.web.health import body_of, run_checks


class Source:
    """A bot state to judge (the real App is judged in tests/integration/test_operations.py)."""

    def __init__(self, age: float | None, db: bool = True, scheduler: bool = True) -> None:
        self.age, self.db, self.scheduler = age, db, scheduler

    def last_sync_age(self) -> float | None:
        return self.age

    async def db_ok(self) -> bool:
        return self.db

    def scheduler_running(self) -> bool:
        return self.scheduler


async def verdict(source: Source, max_age: float = 120.0) -> tuple[int, dict[str, object]]:
    return body_of(await run_checks(source, max_age))


async def test_all_pass() -> None:
    status, body = await verdict(Source(age=3.04))
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {
            "sync": {"ok": True, "age_s": 3.0, "max_age_s": 120.0},
            "database": {"ok": True},
            "scheduler": {"ok": True},
        },
    }


async def test_a_stale_sync_fails_and_is_named() -> None:
    status, body = await verdict(Source(age=121.0))
    assert status == 503
    assert body["status"] == "failing" and body["failed"] == ["sync"]


async def test_no_sync_yet_fails() -> None:
    status, body = await verdict(Source(age=None))
    assert status == 503 and body["failed"] == ["sync"]


async def test_every_failed_check_is_named() -> None:
    status, body = await verdict(Source(age=1.0, db=False, scheduler=False))
    assert status == 503 and body["failed"] == ["database", "scheduler"]
    status, body = await verdict(Source(age=500.0, db=False, scheduler=False))
    assert body["failed"] == ["sync", "database", "scheduler"]


async def test_the_answer_holds_only_the_three_checks() -> None:
    _, body = await verdict(Source(age=1.0, db=False))
    assert set(body) == {"status", "checks", "failed"}
    assert set(body["checks"]) == {"sync", "database", "scheduler"}  # type: ignore[arg-type]
    assert len(json.dumps(body)) < 300
