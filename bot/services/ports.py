"""What services need from the outside world, as protocols, so services never import nio."""

from __future__ import annotations

from typing import Protocol


class RoomsPort(Protocol):
    async def resolve(self, ref: str) -> str | None: ...

    def joined(self, room_id: str) -> bool: ...

    def members(self, room_id: str) -> set[str]: ...

    async def encrypted(self, room_id: str) -> bool: ...
