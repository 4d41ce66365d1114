"""The picture's and the summaries' opening: what changed since the previous meeting or
round (`bot.domain.changes`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.changes import Changes
from bot.render.catalogue import Catalogue
from bot.render.times import when


def change_lines(t: Catalogue, changes: Changes) -> list[str]:
    """One line per kind of change; one saying nothing changed when nothing did."""
    if changes.none:
        return [t("changes.none")]
    lines = []
    if changes.raised:
        items = ", ".join(f"{c.actor} {c.before} → {c.now}" for c in changes.raised)
        lines.append(t("changes.raised", items=items))
    if changes.lowered:
        items = ", ".join(f"{c.actor} {c.before} → {c.now}" for c in changes.lowered)
        lines.append(t("changes.lowered", items=items))
    if changes.new_needs:
        items = "; ".join(f"{n.actor.name}: {n.text}" for n in changes.new_needs)
        lines.append(t("changes.new_needs", items=items))
    if changes.resolved_needs:
        items = "; ".join(f"{n.actor.name}: {n.text}" for n in changes.resolved_needs)
        lines.append(t("changes.resolved_needs", items=items))
    if changes.silent:
        lines.append(t("changes.silent", actors=", ".join(changes.silent)))
    return lines


def changes_title(t: Catalogue, changes: Changes, zone: ZoneInfo) -> str:
    return t("changes.title", since=when(t, changes.since, zone))


def changes_block(t: Catalogue, changes: Changes, zone: ZoneInfo) -> tuple[str, Markup]:
    title = changes_title(t, changes, zone)
    lines = change_lines(t, changes)
    text = "\n".join([title, *(f"- {line}" for line in lines)])
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return text, Markup("<h4>{}</h4><ul>{}</ul>").format(title, items)
