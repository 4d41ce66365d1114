"""Bot configs for throwaway homeservers (tests, benchmarks): written as real TOML files, so
they go through the same loader as an admin's config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w


def minimal_config(
    *,
    homeserver: str,
    bot_user: str,
    base: Path,
    forum_room: str,
    members: dict[str, tuple[str, list[str]]],
    home_rooms: dict[str, str] | None = None,
    admins: tuple[str, ...] = (),
    language: str = "sv",
) -> dict[str, Any]:
    """One forum, the actors named in `members` (user id → (actor id, functions))."""
    actor_ids = sorted({actor for actor, _ in members.values()})
    home_rooms = home_rooms or {}
    return {
        "matrix": {
            "homeserver": homeserver,
            "user_id": bot_user,
            "device_name": "samverkan",
            "store_path": str(base / "store"),
        },
        "bot": {"admins": list(admins), "language": language},
        # Simulated people type faster than people: no per-person command limit.
        "limits": {"commands_per_window": 0},
        "storage": {"url": f"sqlite+aiosqlite:///{base / 'samverkan.db'}"},
        "actors": [
            {
                "id": actor,
                "name": f"Aktör {actor}",
                "category": "kommun",
                "home_room": home_rooms.get(actor, forum_room),
            }
            for actor in actor_ids
        ],
        "members": [
            {"user": user, "actor": actor, "functions": functions}
            for user, (actor, functions) in members.items()
        ],
        "forums": [
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": forum_room,
                "participants": ["*"],
            }
        ],
    }


def write_config(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data))
    return path
