"""The picture's and the summaries' opening: what changed since the previous meeting or
round (`bot.domain.changes`)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.changes import Changes
from bot.domain.picture import Contribution, LevelChange
from bot.render.catalogue import Catalogue
from bot.render.times import when


def change_lines(t: Catalogue, changes: Changes) -> list[str]:
    """One line per kind of change; one saying nothing changed when nothing did."""
    if changes.none:
        return [t("changes.none")]
    lines = [
        t(key, items=items)
        for key, items in (
            ("changes.raised", _levels(changes.raised)),
            ("changes.lowered", _levels(changes.lowered)),
            ("changes.new_needs", _needs(changes.new_needs)),
            ("changes.resolved_needs", _needs(changes.resolved_needs)),
        )
        if items
    ]
    if changes.silent:
        lines.append(t("changes.silent", actors=", ".join(changes.silent)))
    return lines


def _levels(found: Sequence[LevelChange]) -> str:
    return ", ".join(f"{c.actor} {c.before} → {c.now}" for c in found)


def _needs(found: Sequence[Contribution]) -> str:
    return "; ".join(f"{n.actor.name}: {n.text}" for n in found)


def changes_title(t: Catalogue, changes: Changes, zone: ZoneInfo) -> str:
    return t("changes.title", since=when(t, changes.since, zone))


def changes_block(t: Catalogue, changes: Changes, zone: ZoneInfo) -> tuple[str, Markup]:
    title = changes_title(t, changes, zone)
    lines = change_lines(t, changes)
    text = "\n".join([title, *(f"- {line}" for line in lines)])
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return text, Markup("<h4>{}</h4><ul>{}</ul>").format(title, items)
