"""What the demo prints: each step and each message, with who said it where, for a newcomer
watching the terminal."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

SERVER = "localhost"
"""The demo homeserver's name."""


def localpart(matrix_id: str) -> str:
    return matrix_id[1:].split(":", 1)[0]


def local_alias(alias: str) -> str:
    return f"#{localpart(alias)}:{SERVER}"


@dataclass
class Transcript:
    """Prints what happens, in order, readable for a newcomer."""

    started: float = field(default_factory=time.monotonic)
    names: dict[str, str] = field(default_factory=dict)
    rooms: dict[str, str] = field(default_factory=dict)

    def _stamp(self) -> str:
        return f"{time.monotonic() - self.started:6.1f}s"

    def step(self, text: str) -> None:
        print(f"\n== {text}", flush=True)

    def note(self, text: str) -> None:
        print(f"{self._stamp()}  · {text}", flush=True)

    def said(self, who: str, room: str, body: str) -> None:
        name = self.names.get(who, who)
        where = self.rooms.get(room, room)
        lines = body.splitlines() or [""]
        print(f"{self._stamp()}  {name} i {where}: {lines[0]}", flush=True)
        for line in lines[1:]:
            print(f"{'':8}    {line}", flush=True)
