"""What services need from the outside world, as protocols, so services never import nio."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol


class RoomsPort(Protocol):
    async def resolve(self, ref: str) -> str | None: ...

    def joined(self, room_id: str) -> bool: ...

    def members(self, room_id: str) -> set[str]: ...

    async def encrypted(self, room_id: str) -> bool: ...

    async def create_direct(self, user_id: str, encrypted: bool) -> str | None:
        """A new direct room with `user_id` (invited); None when the homeserver refuses."""
        ...


class GroupRoomsPort(RoomsPort, Protocol):
    async def create_room(self, name: str, invite: list[str], encrypted: bool) -> str | None: ...

    async def invite(self, room_id: str, user_ids: list[str]) -> None: ...


class TimersPort(Protocol):
    """Persistent timers (scheduler jobs) that survive restarts; `func` is `"module:function"`."""

    def at(
        self, job_id: str, func: str, when: datetime, args: tuple[Any, ...], grace: timedelta
    ) -> None: ...

    def cancel(self, prefix: str) -> int: ...
