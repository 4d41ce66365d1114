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
        """The direct room with `user_id` (invited), the same one when asked again; None when
        the homeserver refuses."""
        ...


class GroupRoomsPort(RoomsPort, Protocol):
    async def create_room(
        self, name: str, invite: list[str], encrypted: bool, key: str
    ) -> str | None:
        """A new room; asked again with the same `key` (a re-run), the same room."""
        ...

    async def invite(self, room_id: str, user_ids: list[str]) -> None: ...


class TimersPort(Protocol):
    """Persistent timers that survive restarts and fire once, running the job of a kind
    (a `bot.scheduling.kinds.JobKind`)."""

    async def at(
        self, job_id: str, kind: str, when: datetime, args: tuple[Any, ...], grace: timedelta
    ) -> None:
        """Arms `job_id` in the caller's unit of work: it exists if and only if that commits."""
        ...

    async def cancel(self, prefix: str, *, keep: set[str] | None = None) -> int:
        """Disarms the timers whose id starts with `prefix` (except `keep`)."""
        ...
