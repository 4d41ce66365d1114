"""What the services may ask about rooms, answered from the Matrix client's state.

Config names rooms by alias or id; everything else works with room ids, so aliases are resolved
once and remembered.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from nio import (
    AsyncClient,
    JoinResponse,
    RoomCreateError,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomInviteResponse,
    RoomPreset,
    RoomResolveAliasResponse,
)

log = logging.getLogger(__name__)

ENCRYPTION = {"algorithm": "m.megolm.v1.aes-sha2"}

#: The name of the bot's direct rooms (the alias would show otherwise); the product's name, the
#: same in every language.
DIRECT_ROOM_NAME = "Samverkan"


def creation_alias(bot_user: str, key: str) -> str:
    """The local alias a room created for ``key`` gets: creating it again (a command run again
    after a crash) finds the first room instead of making a second one."""
    digest = hashlib.sha256(f"{bot_user}\n{key}".encode()).hexdigest()[:16]
    return f"samverkan-{digest}"


class Rooms:
    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self._ids: dict[str, str] = {}

    async def resolve(self, ref: str) -> str | None:
        """The room id for an alias or id from the config, or None if the alias is unknown."""
        if ref.startswith("!"):
            return ref
        if ref in self._ids:
            return self._ids[ref]
        resp = await self.client.room_resolve_alias(ref)
        if not isinstance(resp, RoomResolveAliasResponse):
            return None
        self._ids[ref] = resp.room_id
        return resp.room_id

    def remember(self, alias: str, room_id: str) -> None:
        self._ids[alias] = room_id

    def known_ids(self) -> set[str]:
        return set(self._ids.values())

    def joined(self, room_id: str) -> bool:
        """nio keeps rooms the bot has left in `client.rooms`; membership tells."""
        room = self.client.rooms.get(room_id)
        return room is not None and self.client.user_id in room.users

    def members(self, room_id: str) -> set[str]:
        room = self.client.rooms.get(room_id)
        return set(room.users) if room is not None else set()

    async def encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        if room is not None:
            return bool(room.encrypted)
        resp = await self.client.room_get_state_event(room_id, "m.room.encryption")
        return isinstance(resp, RoomGetStateEventResponse)

    async def join(self, ref: str) -> str | None:
        """Joins a configured room (works when it is public or the bot is invited)."""
        room_id = await self.resolve(ref)
        if room_id is None:
            log.warning("room %s does not exist yet", ref)
            return None
        resp = await self.client.join(room_id)
        if isinstance(resp, JoinResponse):
            log.info("joined %s (%s)", ref, room_id)
        else:
            log.warning("could not join %s yet (%s); an invite will do", ref, resp)
        return room_id

    async def create_direct(self, user_id: str, encrypted: bool) -> str | None:
        """A private room with one person, flagged as direct so their client lists it with
        people; invited users of a `trusted_private_chat` share the room's power. One per
        person, even if asked twice (see `creation_alias`)."""
        room_id = await self._create(
            f"direct:{user_id}",
            encrypted,
            name=DIRECT_ROOM_NAME,
            is_direct=True,
            preset=RoomPreset.trusted_private_chat,
            invite=[user_id],
        )
        if room_id is not None:
            log.info("direct room %s with %s", room_id, user_id)
        return room_id

    async def create_room(
        self, name: str, invite: list[str], encrypted: bool, key: str
    ) -> str | None:
        """A private room for a working group, with its first members invited; `key` names
        the request, so asking again with the same key gives the same room."""
        return await self._create(
            key, encrypted, name=name, preset=RoomPreset.private_chat, invite=invite
        )

    async def _create(self, key: str, encrypted: bool, **options: Any) -> str | None:
        initial_state = (
            [{"type": "m.room.encryption", "state_key": "", "content": ENCRYPTION}]
            if encrypted
            else []
        )
        alias = creation_alias(self.client.user_id, key)
        resp = await self.client.room_create(alias=alias, initial_state=initial_state, **options)
        if isinstance(resp, RoomCreateResponse):
            return resp.room_id
        if isinstance(resp, RoomCreateError) and resp.status_code == "M_ROOM_IN_USE":
            server = self.client.user_id.split(":", 1)[1]
            found = await self.client.room_resolve_alias(f"#{alias}:{server}")
            if isinstance(found, RoomResolveAliasResponse):
                log.info("room for %s exists already: %s", key, found.room_id)
                return found.room_id
        log.warning("could not create the room for %s: %s", key, resp)
        return None

    async def invite(self, room_id: str, user_ids: list[str]) -> None:
        """Invites each of `user_ids`; one that cannot be invited is logged, not fatal."""
        for user_id in user_ids:
            resp = await self.client.room_invite(room_id, user_id)
            if not isinstance(resp, RoomInviteResponse):
                log.info("could not invite %s to %s: %s", user_id, room_id, resp)
