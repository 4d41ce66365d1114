"""The report links in a call-in: one line per actor without Matrix, for the host to pass on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.matrix.content import Content
from bot.render.catalogue import Catalogue
from bot.render.times import when

__all__ = ["with_report_links"]


def with_report_links(
    t: Catalogue,
    content: Content,
    links: Sequence[tuple[str, str]],
    expires_at: datetime,
    zone: ZoneInfo,
) -> Content:
    """`content` (a call-in) with a section listing ``(actor name, url)``; unchanged if none."""
    if not links:
        return content
    title = t("link.call_in.title")
    intro = t("link.call_in.intro", expires=when(t, expires_at, zone))
    lines = [f"{name}: {url}" for name, url in links]
    body = "\n".join([str(content.get("body", "")), "", title, intro, *lines])
    items = Markup("").join(
        Markup('<li><b>{}</b>: <a href="{}">{}</a></li>').format(name, url, url)
        for name, url in links
    )
    section = Markup("<p><b>{}</b><br>{}</p><ul>{}</ul>").format(title, intro, items)
    result = {**content, "body": body}
    if "formatted_body" in content:  # HTML already: kept as it is
        result["formatted_body"] = Markup(content["formatted_body"]) + section
    return result
