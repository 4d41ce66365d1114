"""Finding forums: by what people type (id or name, any case, with or without å/ä/ö) and by room."""

from __future__ import annotations

from bot.config import ForumConfig, Mode, Settings
from bot.domain.errors import Refusal
from bot.domain.slugs import fold
from bot.services.ports import RoomsPort


class Forums:
    def __init__(self, settings: Settings, rooms: RoomsPort) -> None:
        self.settings = settings
        self.rooms = rooms

    def find(self, text: str) -> ForumConfig | None:
        wanted = fold(text)
        for forum in self.settings.forums:
            if wanted in (fold(forum.id), fold(forum.name)):
                return forum
        return None

    def activatable(self) -> list[ForumConfig]:
        """Forums meant for activated mode, or with people who may activate them."""
        return [f for f in self.settings.forums if f.mode == Mode.AKTIVERAT or f.activators]

    def find_activatable(self, name: str) -> ForumConfig:
        """The forum named (id or name, any case or accents) that can be activated."""
        forum = self.find(name)
        if forum is None or forum not in self.activatable():
            names = ", ".join(f"{f.id} ({f.name})" for f in self.activatable()) or "–"
            raise Refusal("activation.unknown_forum", name=name, forums=names)
        return forum

    def scheduled(self) -> list[ForumConfig]:
        """Forums with a weekly (or other) routine: ordinarie läge and a schedule."""
        return [f for f in self.settings.forums if f.mode == Mode.ORDINARIE and f.schedule]

    async def of_room(self, room_id: str) -> ForumConfig | None:
        for forum in self.settings.forums:
            if await self.rooms.resolve(forum.room) == room_id:
                return forum
        return None

    async def room_of(self, forum: ForumConfig) -> str | None:
        return await self.rooms.resolve(forum.room)

    async def withholds(self, room_id: str) -> bool:
        """True when `[bot] require_encryption` forbids posting what was said in the forums
        (pictures, reports, summaries) into this room, because it is not encrypted."""
        return self.settings.bot.require_encryption and not await self.rooms.encrypted(room_id)

    async def require_room(self, forum: ForumConfig) -> str:
        """The forum's room id; refuses (saying which room) when it cannot be resolved."""
        room_id = await self.room_of(forum)
        if room_id is None:
            raise Refusal("conf.no_room", forum=forum.name, room=forum.room)
        return room_id
