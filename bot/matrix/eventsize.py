"""How big an event will be when the homeserver sees it, and how to keep every message under
the limit (no I/O).

A Matrix event may be at most 65,536 bytes: the whole event as the server signs it, JSON with
room id, sender, hashes, signatures and the DAG references around the content. In an encrypted
room the content travels as base64 of its ciphertext, about 4/3 of its JSON, inside a Megolm
envelope; and what is encrypted is JSON with non-ASCII characters escaped (``å`` becomes the
six bytes ``\\u00e5``), so Swedish text grows before it is encrypted. Retrying an event the
server refused as too large can never succeed, so the bot measures before it queues: `fits`
answers for the worst case (encrypted), and `split_content` is the last resort for a message
nobody split at its own boundaries.
"""

from __future__ import annotations

import html
import json
from typing import Any

from bot.matrix.content import Content, notice

#: The homeserver's limit for a whole event.
EVENT_LIMIT = 65_536
#: What the server adds around the content (ids, hashes, signatures, prev and auth events),
#: generously: a v12 event's envelope is about 1.5 KB.
ENVELOPE = 4_096
#: The Megolm wrapper around the ciphertext (algorithm, sender key, session and device ids).
MEGOLM_WRAPPER = 512
#: What a part may be: the limit less the envelope and a tenth for what is not foreseen.
BUDGET = int((EVENT_LIMIT - ENVELOPE) * 0.9)


def json_size(content: Content, *, ascii: bool = False) -> int:
    """The content's size as JSON, in bytes: UTF-8 as Synapse counts a plain event, or with
    non-ASCII escaped as the Megolm plaintext is written (``ascii``)."""
    return len(json.dumps(content, ensure_ascii=ascii, separators=(",", ":")).encode())


def event_size(content: Content, encrypted: bool = True) -> int:
    """The bytes the content takes in the event: its JSON, or its ciphertext's base64."""
    if not encrypted:
        return json_size(content)
    return encrypted_size(json_size(content, ascii=True))


def fits(content: Content, encrypted: bool = True, budget: int = BUDGET) -> bool:
    return event_size(content, encrypted) <= budget


def split_content(content: Content, budget: int = BUDGET) -> list[Content]:
    """A message too large for one event, as notices of whole lines each under `budget`
    (the formatting is dropped: a renderer that knows its sections splits better). A single
    line longer than a part is cut at a character boundary."""
    if fits(content, budget=budget):
        return [content]
    lines = str(content.get("body", "")).split("\n")
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for line in lines:
        for piece in _pieces(line, budget):
            cost = _cost(piece)
            if current and encrypted_size(used + cost) > budget:
                parts.append("\n".join(current))
                current, used = [], 0
            current.append(piece)
            used += cost
    if current:
        parts.append("\n".join(current))
    return [_plain(text, content) for text in parts]


def _cost(line: str) -> int:
    return block_cost((line, html.escape(line) + "<br>"))


def block_cost(block: tuple[str, str]) -> int:
    """A (text, HTML) block's share of a message's JSON: in the body and in the HTML (an
    overestimate: each is counted with quotes and a separator of its own)."""
    text, formatted = block
    return len(json.dumps(text)) + len(json.dumps(formatted))


def encrypted_size(json_bytes: int) -> int:
    """The encrypted event's content for `json_bytes` of (ASCII-escaped) message JSON: the
    Megolm plaintext adds the event type and room id, the ciphertext is about as long, and its
    base64 is 4/3 of that, inside the Megolm wrapper."""
    return (json_bytes + 200 + 2) // 3 * 4 + MEGOLM_WRAPPER


def _pieces(line: str, budget: int) -> list[str]:
    """`line` itself, or cut into pieces that each fit in a part on their own."""
    if fits(_plain(line), budget=budget):
        return [line]
    # A character takes at most 4 bytes in UTF-8, 6 as an HTML entity; then base64's 4/3.
    step = max(1, (budget - MEGOLM_WRAPPER - 256) * 3 // 4 // 12)
    return [line[i : i + step] for i in range(0, len(line), step)]


def _plain(text: str, like: Content | None = None) -> Content:
    part = notice(text, html.escape(text).replace("\n", "<br>"))
    if like is not None:
        part["msgtype"] = like.get("msgtype", "m.notice")
        if "m.mentions" in like:
            part["m.mentions"] = like["m.mentions"]
    return part


def size_of(parts: list[Any]) -> int:
    """The largest part's event size, encrypted (for the logs and the benchmark)."""
    return max((event_size(p) for p in parts), default=0)
