"""Bot configs for throwaway homeservers (tests, benchmarks): written as real TOML files, so
they go through the same loader as an admin's config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from bot.demo.lines import DEMO_ALERTS, DEMO_ROUNDS
from bot.demo.transcript import local_alias


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


def example_demo_config(
    example: dict[str, Any],
    *,
    homeserver: str,
    bot_user: str,
    base: Path,
    web_port: int,
    web_url: str,
    users: dict[str, str],
) -> dict[str, Any]:
    """`config.example.toml` pointed at the demo's homeserver: one simulated person per actor
    (`users`: actor id → user id, the coordinator "lst" as admin), local room aliases, the web
    view on loopback, and rounds and alerts that play out in seconds."""
    data = dict(example)
    data["matrix"] = {
        **data["matrix"],
        "homeserver": homeserver,
        "user_id": bot_user,
        "store_path": str(base / "store"),
    }
    data["bot"] = {**data.get("bot", {}), "admins": [users["lst"]]}
    data["storage"] = {"url": f"sqlite+aiosqlite:///{base / 'samverkan.db'}"}
    data["web"] = {
        **data.get("web", {}),
        "enabled": True,
        "host": "127.0.0.1",
        "port": web_port,
        "public_url": web_url,
    }
    data["actors"] = [{**a, "home_room": local_alias(a["home_room"])} for a in data["actors"]]
    data["forums"] = [{**f, "room": local_alias(f["room"])} for f in data["forums"]]
    if "alerts" in data and data["alerts"].get("room"):
        data["alerts"] = {**data["alerts"], "room": local_alias(data["alerts"]["room"])}
    data["alerts"] = {**data.get("alerts", {}), **DEMO_ALERTS}
    for forum in data["forums"]:
        if forum["id"] == "samordnande":
            forum.update(DEMO_ROUNDS)
    functions: dict[str, set[str]] = {}
    for m in example.get("members", []):
        functions.setdefault(m["actor"], set()).update(m.get("functions", []))
    data["members"] = [
        {"user": user, "actor": actor, "functions": sorted(functions.get(actor, []))}
        for actor, user in users.items()
    ]
    # A roster turns among the simulated person of its actor (one per actor in the demo).
    data["rosters"] = [
        {**r, "members": [users[r["actor"]]]}
        for r in data.get("rosters", [])
        if r["actor"] in users
    ]
    data["groups"] = [
        {**g, "members": [m for m in g.get("members", []) if not m.startswith("@")]}
        for g in data.get("groups", [])
    ]
    return data
