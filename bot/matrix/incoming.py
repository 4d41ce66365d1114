"""Incoming events as plain data, so handlers and commands never see nio objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nio import Event, ReactionEvent, RoomMessageText

from bot.domain.text import readable

Kind = Literal["message", "reaction"]


@dataclass(frozen=True)
class Incoming:
    """One event from a room, reduced to what the bot acts on."""

    kind: Kind
    room_id: str
    event_id: str
    sender: str
    timestamp_ms: int
    body: str = ""
    #: The event this one replies to (`m.in_reply_to`) or reacts to (annotation).
    relates_to: str | None = None
    #: The root of the thread this event is in, if any.
    thread_root: str | None = None
    #: The reaction key, e.g. "✅".
    key: str | None = None
    encrypted: bool = False


def strip_reply_fallback(body: str) -> str:
    """Drops the `> <@user> quoted text` lines older clients put before a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def from_nio(room_id: str, event: Event) -> Incoming | None:
    """Reduces a (decrypted) nio event to an `Incoming`, or None when the bot ignores it."""
    if isinstance(event, RoomMessageText):
        relates = event.source.get("content", {}).get("m.relates_to") or {}
        reply_to = (relates.get("m.in_reply_to") or {}).get("event_id")
        thread_root = relates.get("event_id") if relates.get("rel_type") == "m.thread" else None
        body = readable(event.body)
        body = strip_reply_fallback(body) if reply_to else body
        return Incoming(
            kind="message",
            room_id=room_id,
            event_id=event.event_id,
            sender=event.sender,
            timestamp_ms=event.server_timestamp,
            body=body,
            relates_to=reply_to,
            thread_root=thread_root,
            encrypted=bool(getattr(event, "decrypted", False)),
        )
    if isinstance(event, ReactionEvent):
        return Incoming(
            kind="reaction",
            room_id=room_id,
            event_id=event.event_id,
            sender=event.sender,
            timestamp_ms=event.server_timestamp,
            relates_to=event.reacts_to,
            key=event.key,
            encrypted=bool(getattr(event, "decrypted", False)),
        )
    return None
