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
import re

from bot.matrix.content import Content, notice

#: The homeserver's limit for a whole event.
EVENT_LIMIT = 65_536
#: What the server adds around the content (ids, hashes, signatures, prev and auth events),
#: generously: a v12 event's envelope is about 1.5 KB.
ENVELOPE = 4_096
#: The Megolm wrapper around the ciphertext (algorithm, sender key, session and device ids).
MEGOLM_WRAPPER = 512
#: A Matrix user id as it is written in a message's text.
_USER_ID = re.compile(r"@[A-Za-z0-9._=\-/+]+:[A-Za-z0-9.\-:\[\]]+")
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
    """A message too large for one event, as messages of whole lines each under `budget`
    (the formatting is dropped: a renderer that knows its sections splits better). A line too
    long for a part is split between words (a call-in naming a thousand people), a word too
    long for a part at a character boundary. Each part pings the users it names; the users no
    part names, the first (as long as they fit, then one more part of mentions)."""
    if fits(content, budget=budget):
        return [content]
    users = list((content.get("m.mentions") or {}).get("user_ids", []))
    wanted = set(users)
    lines = str(content.get("body", "")).split("\n")
    parts: list[tuple[str, list[str]]] = []
    current: list[str] = []
    named: list[str] = []
    used = 0
    for line in lines:
        for piece in _pieces(line, budget):
            mine = [u.rstrip(".") for u in _USER_ID.findall(piece)] if users else []
            mine = [u for u in mine if u in wanted]
            cost = _cost(piece) + sum(len(u) + 4 for u in mine)
            if current and encrypted_size(used + cost) > budget:
                parts.append(("\n".join(current), named))
                current, named, used = [], [], 0
            current.append(piece)
            named += mine
            used += cost
    if current:
        parts.append(("\n".join(current), named))
    unnamed = [u for u in users if not any(u in mine for _, mine in parts)]
    pieces = [_plain(text, content, sorted(set(mine))) for text, mine in parts]
    if "m.relates_to" in content:  # the first part still answers what the whole answered
        pieces[0]["m.relates_to"] = content["m.relates_to"]
    if unnamed:
        pieces[0]["m.mentions"] = {
            "user_ids": sorted({*pieces[0]["m.mentions"].get("user_ids", []), *unnamed})
        }
        if not fits(pieces[0], budget=budget):
            pieces[0]["m.mentions"] = {"user_ids": [u for u in users if u in parts[0][1]]}
            pieces.insert(1, _plain(" ".join(unnamed), content, unnamed))
    return pieces


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
    """`line` itself, or cut into pieces that each fit in a part on their own, with room for
    the mentions of the users they name: between words, and inside a word only if it must."""
    # A character takes up to 6 bytes escaped, in the body, the HTML and a mention; base64 4/3.
    step = max(1, (budget - MEGOLM_WRAPPER - 256) * 3 // 4 // 18)
    if len(line) <= step:
        return [line]
    pieces: list[str] = []
    current = ""
    for word in line.split(" "):
        for chunk in [word[i : i + step] for i in range(0, len(word), step)] or [""]:
            if current and len(current) + 1 + len(chunk) > step:
                pieces.append(current)
                current = chunk
            else:
                current = f"{current} {chunk}" if current else chunk
    if current:
        pieces.append(current)
    return pieces


def _plain(text: str, like: Content | None = None, users: list[str] | None = None) -> Content:
    part = notice(text, html.escape(text).replace("\n", "<br>"))
    if like is not None:
        part["msgtype"] = like.get("msgtype", "m.notice")
    part["m.mentions"] = {"user_ids": users} if users else {}
    return part
