"""A joint regional direction's parts as labelled rows: the message that sends it home and the
journal that records it read the same four parts in the same order."""

from __future__ import annotations

from bot.render.catalogue import Catalogue
from storage.models.directions import Direction

PART_KEYS = (
    ("goal", "direction.goal"),
    ("priorities", "direction.priorities"),
    ("guidelines", "direction.guidelines"),
    ("joint_messages", "direction.messages"),
)


def direction_rows(t: Catalogue, direction: Direction) -> list[tuple[str, str]]:
    """(label, text) for each part the direction states."""
    return [(t(key), value) for name, key in PART_KEYS if (value := getattr(direction, name))]
