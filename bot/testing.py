"""Fakes for the services' ports, and a harness that wires the real services to them.

A service test runs the code the bot runs (the same `build_services`, a real SQLite database
migrated to head, the real outbox and persistent timers) with three things replaced: the clock
(`FakeClock`, stepped by the test), the rooms (`FakeRooms`, which remembers what it was asked)
and the alarm clock under the timers (nothing rings by itself; `ServiceHarness.run_due` fires
what is due at the fake time). What the bot would send is read back from the outbox.

It needs no homeserver, so such a test takes milliseconds; what only a homeserver can show
(delivery, encryption, sync) stays in tests/integration.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.scheduling.jobs import JobContext
from bot.scheduling.scheduler import build_scheduler
from bot.scheduling.timers import PersistentTimers
from bot.services import Services
from bot.services.outbox import Outbox
from bot.services.wiring import Ports, build_services
from storage import timers as timer_rows
from storage.db import Database
from storage.models import OutboxMessage


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> datetime:
        self._now += by
        return self._now

    def set(self, to: datetime) -> None:
        self._now = to.astimezone(UTC)


@dataclass
class FakeRooms:
    """Rooms as the services see them: an alias or id resolves to a room id, the bot is in every
    known room (but `unjoined`), and rooms it creates get ids of their own. `encrypted` rooms
    are those listed."""

    server: str = "example.se"
    members_of: dict[str, set[str]] = field(default_factory=dict)
    encrypted_ids: set[str] = field(default_factory=set)
    created: dict[str, str] = field(default_factory=dict)
    """Creation key (or direct room's user) → room id."""
    unjoined: set[str] = field(default_factory=set)
    """Rooms that resolve but the bot is not in (a home room it was never invited to)."""
    invited: dict[str, list[str]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def resolve(self, ref: str) -> str | None:
        if ref.startswith("!"):
            return ref
        if ref.startswith("#"):
            return "!" + ref[1:].replace(":", "-") + ":" + self.server
        return None

    def joined(self, room_id: str) -> bool:
        return room_id not in self.unjoined

    def members(self, room_id: str) -> set[str]:
        return set(self.members_of.get(room_id, set()))

    async def encrypted(self, room_id: str) -> bool:
        return room_id in self.encrypted_ids

    async def create_direct(self, user_id: str, encrypted: bool) -> str | None:
        return await self.create_room(f"direct {user_id}", [user_id], encrypted, f"dm:{user_id}")

    async def create_room(
        self, name: str, invite: list[str], encrypted: bool, key: str
    ) -> str | None:
        if key not in self.created:
            room_id = f"!created{next(self._ids)}:{self.server}"
            self.created[key] = room_id
            self.invited[room_id] = list(invite)
            if encrypted:
                self.encrypted_ids.add(room_id)
        return self.created[key]

    async def invite(self, room_id: str, user_ids: list[str]) -> None:
        self.invited.setdefault(room_id, []).extend(user_ids)


@dataclass
class ServiceHarness:
    settings: Settings
    db: Database
    clock: FakeClock
    rooms: FakeRooms
    timers: PersistentTimers
    services: Services

    async def armed(self) -> list[tuple[str, str, datetime]]:
        """Every armed timer as (id, kind, when), soonest first."""
        async with self.db.session() as session:
            rows = await timer_rows.all_timers(session)
            return [(r.job_id, r.func, r.run_at) for r in rows]

    async def run_due(self) -> list[str]:
        """Fires, soonest first, every timer due at the fake time (and those the fired ones arm
        for no later), as the scheduler would; returns their ids."""
        fired: list[str] = []
        while True:
            due = [job_id for job_id, _, when in await self.armed() if when <= self.clock.now()]
            if not due:
                return fired
            await self.timers.fire(due[0])
            fired.append(due[0])

    async def sent(self, room_id: str | None = None) -> list[dict[str, Any]]:
        """The contents of what the bot has queued to send (to `room_id`), oldest first."""
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if room_id is not None:
            query = query.where(OutboxMessage.room_id == room_id)
        async with self.db.session() as session:
            return [row.content for row in (await session.execute(query)).scalars()]

    async def bodies(self, room_id: str | None = None) -> list[str]:
        return [str(content.get("body", "")) for content in await self.sent(room_id)]


@asynccontextmanager
async def service_harness(
    settings: Settings, directory: Path, *, start: datetime
) -> AsyncIterator[ServiceHarness]:
    """The real services on a fresh SQLite database under `directory`, at fake time `start`."""
    db = await Database.connect(f"sqlite:///{directory / 'harness.db'}")
    try:
        clock = FakeClock(start)
        rooms = FakeRooms()
        timers = PersistentTimers(build_scheduler(settings.zone), db, first_retry_s=0.01)
        outbox = Outbox(db, lambda room_id: None)
        services = build_services(settings, Ports(db, outbox, rooms, timers, clock), environ={})
        timers.context = JobContext(services, timers, db, settings)
        await services.duty.load()
        yield ServiceHarness(settings, db, clock, rooms, timers, services)
    finally:
        await db.dispose()
