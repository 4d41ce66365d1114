"""Direct rooms: one private room per person, for alerts that must reach them personally.

Rooms are created ahead (at start, for everyone an alert may reach), because creating forty rooms
while a forum is being activated would delay the alerts by seconds; one missing at alert time is
created then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from bot.services.ports import RoomsPort
from storage import direct_rooms
from storage.db import Database

log = logging.getLogger(__name__)

#: Room creations at once; Synapse serialises much of the work anyway.
PARALLEL_CREATIONS = 4


class DirectRooms:
    def __init__(self, db: Database, rooms: RoomsPort) -> None:
        self.db = db
        self.rooms = rooms
        self._locks: dict[str, asyncio.Lock] = {}

    async def room_for(self, user_id: str) -> str | None:
        """The direct room with `user_id`, created if there is none; None if it cannot be."""
        known = await self._known(user_id)
        if known is not None:
            return known
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            known = await self._known(user_id)
            if known is not None:
                return known
            created = await self.rooms.create_direct(user_id, encrypted=True)
            if created is None:
                return None
            async with self.db.session() as session:
                room_id = await direct_rooms.remember(session, user_id, created)
                await session.commit()
            return room_id

    async def rooms_for(self, user_ids: Iterable[str]) -> dict[str, str | None]:
        """`room_for` of each, with one read for the rooms already known (an activation
        alerts dozens of people at once)."""
        async with self.db.session() as session:
            known = await direct_rooms.all_rooms(session)
        result: dict[str, str | None] = {u: known.get(u) for u in user_ids}
        missing = [u for u, room_id in result.items() if room_id is None]
        for user_id, room_id in zip(
            missing, await asyncio.gather(*(self.room_for(u) for u in missing)), strict=True
        ):
            result[user_id] = room_id
        return result

    async def _known(self, user_id: str) -> str | None:
        async with self.db.session() as session:
            return await direct_rooms.room_of(session, user_id)

    async def prepare(self, user_ids: Iterable[str]) -> None:
        """Makes sure a direct room exists with each of `user_ids` (a few at a time)."""
        async with self.db.session() as session:
            known = await direct_rooms.all_rooms(session)
        missing = sorted(set(user_ids) - set(known))
        if not missing:
            return
        gate = asyncio.Semaphore(PARALLEL_CREATIONS)

        async def one(user_id: str) -> None:
            async with gate:
                await self.room_for(user_id)

        await asyncio.gather(*(one(u) for u in missing))
        log.info("direct rooms ready for %d people", len(missing))
