"""The stabsjournal: every decision, report, alert and acknowledgement, escalation, host
change, issue step, group report, direction and note of a meeting or an activation, with who,
for which actor, and when.

The journal is read, never written: its entries come from the audit log (which every service
writes in the unit of work of its change) and the situation reports, and ``!log`` is itself an
audit entry (``journal.log``). So there is no second source of truth to drift from the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.timeline import as_utc

LOG = "journal.log"
"""The action of a ``!log`` entry."""
REPORT = "report"
"""The kind of an entry made from a situation report."""
REPLACED_REPORT = "report.replaced"
"""A situation report its actor has corrected since: what was said then stays on record."""


@dataclass(frozen=True)
class JournalEntry:
    at: datetime
    kind: str
    """An audit action (``alert.ack``, ``issue.decide``…), `LOG`, `REPORT` or
    `REPLACED_REPORT`."""
    person: str
    """A user id, or ``system`` for what the bot did on its own."""
    actor: str | None = None
    """The actor the person acted for, when known."""
    values: Mapping[str, str] = field(default_factory=dict)
    """What the entry says, by name (``text``, ``reason``, ``function``…)."""


@dataclass(frozen=True)
class PictureCopy:
    """One combined picture as it was posted: which meeting or round it was of (its kind,
    round number and time), as text and as HTML."""

    meeting_kind: str
    round_number: int
    at: datetime | None
    text: str
    html: str


@dataclass(frozen=True)
class JournalRecord:
    """One journal, ready for a renderer: what it covers, its entries and its pictures."""

    forum_id: str
    forum_name: str
    scope: str
    """``meeting`` or ``activation``."""
    ref: int
    started_at: datetime
    ended_at: datetime | None
    exercise: bool
    reason: str | None
    entries: tuple[JournalEntry, ...]
    pictures: tuple[PictureCopy, ...]


def ordered(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """Oldest first; entries at one moment keep the order they were given in."""
    return sorted(entries, key=lambda e: as_utc(e.at))


#: Which details of an audit entry the journal shows, in this order.
SHOWN_DETAILS = (
    "text",
    "decision",
    "reason",
    "function",
    "message",
    "via",
    "host",
    "title",
    "state",
    "to",
    "forum",
    "why",
    "user",
    "told",
    "unacknowledged",
)


def shown_values(details: Mapping[str, object] | None) -> dict[str, str]:
    """An audit entry's details as text, the ones worth reading only."""
    values: dict[str, str] = {}
    for name in SHOWN_DETAILS:
        value = (details or {}).get(name)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list | tuple):
            values[name] = ", ".join(str(v) for v in value)
        else:
            values[name] = str(value)
    return values
