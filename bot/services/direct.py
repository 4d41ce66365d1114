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
    """Database reads and writes happen in the calling task only, never in the concurrent
    creations: inside a unit of work on SQLite the caller holds the only connection."""

    def __init__(self, db: Database, rooms: RoomsPort) -> None:
        self.db = db
        self.rooms = rooms
        self._locks: dict[str, asyncio.Lock] = {}
        #: Rooms created by this process, so two requests at once create one room.
        self._created: dict[str, str] = {}

    async def room_for(self, user_id: str) -> str | None:
        """The direct room with `user_id`, created if there is none; None if it cannot be."""
        return (await self.rooms_for([user_id]))[user_id]

    async def rooms_for(self, user_ids: Iterable[str]) -> dict[str, str | None]:
        """`room_for` of each, with one read for the rooms already known (an activation
        alerts dozens of people at once) and the missing ones created concurrently."""
        async with self.db.session() as session:
            known = await direct_rooms.all_rooms(session)
        result: dict[str, str | None] = {u: known.get(u) for u in user_ids}
        missing = [u for u, room_id in result.items() if room_id is None]
        if not missing:
            return result
        created = await asyncio.gather(*(self._create(u) for u in missing))
        async with self.db.session() as session:
            for user_id, room_id in zip(missing, created, strict=True):
                if room_id is not None:
                    result[user_id] = await direct_rooms.remember(session, user_id, room_id)
            await session.commit()
        return result

    async def _create(self, user_id: str) -> str | None:
        """Creates the room on the homeserver (no database work: see the class)."""
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            if user_id not in self._created:
                room_id = await self.rooms.create_direct(user_id, encrypted=True)
                if room_id is None:
                    return None
                self._created[user_id] = room_id
            return self._created[user_id]

    async def prepare(self, user_ids: Iterable[str]) -> None:
        """Makes sure a direct room exists with each of `user_ids` (a few at a time)."""
        async with self.db.session() as session:
            known = await direct_rooms.all_rooms(session)
        missing = sorted(set(user_ids) - set(known))
        if not missing:
            return
        for start in range(0, len(missing), PARALLEL_CREATIONS):
            await self.rooms_for(missing[start : start + PARALLEL_CREATIONS])
        log.info("direct rooms ready for %d people", len(missing))
