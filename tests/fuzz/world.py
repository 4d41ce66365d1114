"""A real bot without Matrix: the services `bot.app.App` wires, on a migrated database.

The router and every service run for real, with the real config, database, catalogue and
scheduler job store; only the homeserver is missing. Rooms are answered from memory
(`MemoryRooms`), as if every configured room existed and the bot were in it, and the outbox only
stores rows (the sender that would deliver them is never started), which is where the fuzz tests
look for the bot's answers.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import select

import commands  # noqa: F401  (registers the chat commands)
from bot.app import App
from bot.config import Settings, load_config
from bot.matrix.incoming import Incoming
from bot.render.catalogue import Catalogue
from bot.scheduling.scheduler import SupervisedScheduler, build_scheduler
from bot.scheduling.timers import PersistentTimers
from bot.services import Services
from bot.services.outbox import Outbox
from commands.router import CommandRouter
from storage.db import Database
from storage.models.infra import OutboxMessage

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"

T = TypeVar("T")


def room_id_of(ref: str) -> str:
    """`#konferens:example.se` → `!konferens:example.se`: a stable id for a configured alias."""
    return "!" + ref[1:] if ref.startswith("#") else ref


class MemoryRooms:
    """The services' room port (`bot.services.ports.GroupRoomsPort`) without a homeserver:
    every alias resolves, the bot is in every room, every room is encrypted, and rooms the
    bot creates get fresh ids."""

    def __init__(self, bot_user: str) -> None:
        self.bot_user = bot_user
        self.created: dict[str, list[str]] = {}
        self._numbers = itertools.count(1)

    async def resolve(self, ref: str) -> str | None:
        return room_id_of(ref)

    def remember(self, alias: str, room_id: str) -> None:
        """`Rooms.remember`: nothing to remember, every alias resolves."""

    def known_ids(self) -> set[str]:
        return set(self.created)

    def joined(self, room_id: str) -> bool:
        return True

    def members(self, room_id: str) -> set[str]:
        return {self.bot_user, *self.created.get(room_id, [])}

    async def encrypted(self, room_id: str) -> bool:
        return True

    async def create_direct(self, user_id: str, encrypted: bool) -> str | None:
        room_id = f"!direct-{next(self._numbers)}:fuzz.test"
        self.created[room_id] = [user_id]
        return room_id

    async def create_room(
        self, name: str, invite: list[str], encrypted: bool, key: str
    ) -> str | None:
        room_id = f"!group-{next(self._numbers)}:fuzz.test"
        self.created[room_id] = list(invite)
        return room_id

    async def invite(self, room_id: str, user_ids: list[str]) -> None:
        self.created.setdefault(room_id, []).extend(user_ids)


@dataclass
class Reply:
    """One outbox row written while the bot handled an event."""

    room_id: str
    event_type: str
    content: dict[str, Any]


class World:
    """A running bot minus Matrix, driven from synchronous tests on its own event loop (so
    hypothesis runs each example as a plain function call)."""

    def __init__(self, url: str, language: str = "sv") -> None:
        self.runner = asyncio.Runner()
        self.settings: Settings = load_config(
            EXAMPLE,
            overrides={
                "storage": {"url": url},
                "bot": {"language": language},
                # Every example must be answered; a flood's silence is the router's own test.
                "limits": {"commands_per_window": 0},
            },
        )
        self.run(self._start())

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(work)

    async def _start(self) -> None:
        s = self.settings
        # Built by the app's own wiring, so a service added there is fuzzed here too.
        app = App(s)
        app.db = self.db = await Database.connect(s.storage.url)
        await app._sync_directory()
        app.rooms = self.rooms = MemoryRooms(s.matrix.user_id)  # type: ignore[assignment]
        app.catalogue = Catalogue(s.bot.language)
        app.outbox = Outbox(self.db, lambda room_id: None)
        app.scheduler = self.scheduler = build_scheduler(s.zone)
        app.timers = PersistentTimers(app.scheduler, self.db)
        app.cross_signing = None
        app.client = SimpleNamespace(olm=None, device_id="FUZZDEVICE")  # type: ignore[assignment]
        self.services: Services = app._services()
        self.router = CommandRouter(self.services)
        # As at start: timers are stored, but never fire during a test.
        self.scheduler.start(paused=True)
        self._seen = await self._last_row()

    async def _last_row(self) -> int:
        async with self.db.session() as session:
            last = await session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()))
        return last or 0

    async def _rows_after(self, last: int) -> list[Reply]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
            )
            return [Reply(r.room_id, r.event_type, dict(r.content)) for r in rows]

    def forum_room(self, forum_id: str) -> str:
        forum = self.settings.forum(forum_id)
        assert forum is not None, forum_id
        return room_id_of(forum.room)

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Feeds one event to the command router; returns every outbox row it caused."""

        async def go() -> list[Reply]:
            await self.router.handle(incoming)
            rows = await self._rows_after(self._seen)
            self._seen = max(self._seen, await self._last_row())
            return rows

        return self.run(go())

    def close(self) -> None:
        async def stop() -> None:
            scheduler: SupervisedScheduler = self.scheduler
            if scheduler.running:
                scheduler.shutdown(wait=False)
            await self.db.dispose()

        try:
            self.run(stop())
        finally:
            self.runner.close()
