"""``/healthz``: is the bot doing its job? For container health checks and load balancers.

Three checks, each of which stops the bot from doing its work when it fails: a /sync succeeded
within ``[health] max_sync_age`` (else commands go unanswered), the database answers (else
nothing is stored or sent), the scheduler runs (else no call-in, picture or alert goes out on
time). 200 with ``"status": "ok"`` when all pass, 503 naming the failed ones otherwise.

Public, since a health checker has no token; so it says nothing beyond those three facts: no
versions, user ids, rooms or error texts (the bot's log has those).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.web.keys import HEALTH, SERVICES, HealthSource

PATH = "/healthz"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: dict[str, Any]


async def run_checks(source: HealthSource, max_sync_age_s: float) -> list[Check]:
    age = source.last_sync_age()
    sync = Check(
        "sync",
        age is not None and age <= max_sync_age_s,
        {
            "age_s": None if age is None else round(age, 1),
            "max_age_s": round(max_sync_age_s, 1),
        },
    )
    database = Check("database", await source.db_ok(), {})
    scheduler = Check("scheduler", source.scheduler_running(), {})
    return [sync, database, scheduler]


def body_of(checks: list[Check]) -> tuple[int, dict[str, Any]]:
    failed = [check.name for check in checks if not check.ok]
    body: dict[str, Any] = {
        "status": "failing" if failed else "ok",
        "checks": {check.name: {"ok": check.ok, **check.detail} for check in checks},
    }
    if failed:
        body["failed"] = failed
    return (503 if failed else 200), body


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    max_age = app[SERVICES].settings.health.max_sync_age.total_seconds()
    status, body = body_of(await run_checks(app[HEALTH], max_age))
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, healthz)
