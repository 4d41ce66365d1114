"""Which configured rooms are not encrypted, for `[bot] require_encryption`.

The bot withholds pictures, reports and summaries from unencrypted rooms when encryption is
required; these warnings tell the admin which rooms those are before anyone wonders why nothing
arrives. Start-up asks the bot's own client; `check-config` asks the homeserver with the login
the bot saved under `store_path` (it never logs in itself, so it creates no device).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

import aiohttp

from bot.config import Settings
from bot.crypto.status import find_login
from bot.matrix.crosssigning import TIMEOUT
from bot.matrix.identity import KeysApiError

log = logging.getLogger(__name__)

#: Room id → encrypted? None when it cannot be told (the room is unknown or not joined).
Encrypted = Callable[[str], Awaitable[bool | None]]
#: Room reference (id or alias) → room id, None when it does not resolve.
Resolve = Callable[[str], Awaitable[str | None]]


def configured_rooms(settings: Settings) -> list[tuple[str, str]]:
    """Every room the config names, with the key it is named under: (key path, reference)."""
    rooms = [(f"forums[{f.id}].room", f.room) for f in settings.forums]
    if settings.alerts.room:
        rooms.append(("alerts.room", settings.alerts.room))
    rooms += [(f"actors[{a.id}].home_room", a.home_room) for a in settings.actors if a.home_room]
    rooms += [(f"groups[{g.id}].room", g.room) for g in settings.groups if g.room]
    return rooms


async def unencrypted_rooms(
    settings: Settings, resolve: Resolve, encrypted: Encrypted
) -> list[str]:
    """One warning line per configured room that is not encrypted (or cannot be checked)."""
    lines = []
    for key, ref in configured_rooms(settings):
        room_id = await resolve(ref)
        state = await encrypted(room_id) if room_id else None
        if state is False:
            lines.append(
                f"{key}: {ref} is not encrypted; with require_encryption the bot withholds "
                "pictures, reports and summaries there until encryption is turned on"
            )
        elif state is None:
            lines.append(f"{key}: {ref} could not be checked for encryption (not joined yet?)")
    return lines


async def check_with_saved_login(settings: Settings) -> list[str]:
    """`check-config`'s look at the rooms, over HTTP with the bot's saved login."""
    try:
        login = await find_login(settings)
    except (KeysApiError, aiohttp.ClientError, TimeoutError) as exc:
        return [f"rooms: encryption not checked: {exc}"]
    if login is None:
        return [
            f"rooms: encryption not checked: no saved login under {settings.matrix.store_path} "
            "yet; the bot checks at start"
        ]
    base = settings.matrix.homeserver.rstrip("/") + "/_matrix/client/v3"
    headers = {"Authorization": f"Bearer {login.access_token}"}
    async with aiohttp.ClientSession(timeout=TIMEOUT, headers=headers) as http:

        async def resolve(ref: str) -> str | None:
            if ref.startswith("!"):
                return ref
            async with http.get(f"{base}/directory/room/{quote(ref, safe='')}") as resp:
                body = await resp.json(content_type=None)
                return body.get("room_id") if resp.status == 200 else None

        async def encrypted(room_id: str) -> bool | None:
            url = f"{base}/rooms/{quote(room_id, safe='')}/state/m.room.encryption"
            async with http.get(url) as resp:
                if resp.status == 200:
                    return True
                body = await resp.json(content_type=None)
                return False if body.get("errcode") == "M_NOT_FOUND" else None

        try:
            return await unencrypted_rooms(settings, resolve, encrypted)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return [f"rooms: encryption not checked: {exc}"]
