"""Times as people read them: local, with the weekday, in the bot's language."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.render.catalogue import Catalogue


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:  # storage hands back UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def when(t: Catalogue, moment: datetime, zone: ZoneInfo) -> str:
    """`torsdag 2026-11-26 kl. 16:00`."""
    moment = local(moment, zone)
    return t(
        "picture.when",
        weekday=t(f"picture.weekday.{moment.weekday()}"),
        date=moment.strftime("%Y-%m-%d"),
        time=moment.strftime("%H:%M"),
    )


def clock(moment: datetime, zone: ZoneInfo) -> str:
    """`15:45`."""
    return local(moment, zone).strftime("%H:%M")
