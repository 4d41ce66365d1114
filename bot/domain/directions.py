"""A joint regional direction (gemensam regional inriktning) as typed in chat.

Example 4 of the model description: the direction gives "stöd och underlag för gemensamma
prioriteringar av samhällsviktiga verksamheter, samlade resurser … samt kommunikation och
gemensamma budskap". So a draft has four parts, one per line as `key: text`, like a report.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import Refusal

PARTS = ("goal", "priorities", "guidelines", "messages")
KEYS: dict[str, str] = {
    "mål": "goal",
    "syfte": "goal",
    "goal": "goal",
    "prioriteringar": "priorities",
    "prioritering": "priorities",
    "priorities": "priorities",
    "riktlinjer": "guidelines",
    "ramar": "guidelines",
    "guidelines": "guidelines",
    "budskap": "messages",
    "gemensamma budskap": "messages",
    "messages": "messages",
    "joint messages": "messages",
}


@dataclass(frozen=True)
class DirectionDraft:
    goal: str | None = None
    priorities: str | None = None
    guidelines: str | None = None
    messages: str | None = None


def parse_direction(text: str) -> DirectionDraft:
    """`mål: …\\nprioriteringar: …` → the parts; text before any key is the goal, a line
    without a key continues the part above it. Refuses a draft with no goal."""
    parts: dict[str, list[str]] = {}
    current = "goal"
    for line in text.strip().splitlines():
        key, colon, rest = line.partition(":")
        part = KEYS.get(key.strip().casefold()) if colon else None
        if part is not None:
            current = part
            line = rest
        if line.strip():
            parts.setdefault(current, []).append(line.strip())
    values = {name: "\n".join(lines) for name, lines in parts.items()}
    if not values.get("goal"):
        raise Refusal("direction.no_goal")
    return DirectionDraft(**values)
