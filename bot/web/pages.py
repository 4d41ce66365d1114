"""What each dashboard page shows, as plain data: the templates read only these.

The dashboard's handlers fill them from the read model; the templates and the model picture
never see storage rows, so a page can be rendered (and tested) from hand-made values. Times are
UTC (naive values are taken as UTC); text typed by users is kept as typed and escaped where it
is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.picture import ActorRef, CombinedPicture
from bot.domain.reports import SituationReport
from bot.domain.timeline import ActivationInfo, AlertInfo, TimelineEntry

__all__ = [
    "ActivationPage",
    "ForumCard",
    "GroupCard",
    "GroupReportLine",
    "IssueRow",
    "MeetingPage",
    "Overview",
    "ReadinessCell",
    "ReportView",
    "RoundLink",
]


@dataclass(frozen=True)
class GroupReportLine:
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class GroupCard:
    """A working group under its forum."""

    name: str
    task: str | None = None
    standing: bool = False
    lit: bool = False
    """Formed for (or working in) an ongoing activation."""
    members: tuple[str, ...] = ()
    """Actor names and user ids, as the group lists them."""
    reports: tuple[GroupReportLine, ...] = ()


@dataclass(frozen=True)
class ForumCard:
    """One forum on the overview: what it is, what state it is in, its latest picture."""

    id: str
    name: str
    level: str
    mode: str
    """The configured mode (ordinarie | aktiverat), i.e. the column of the model it sits in."""
    activation_id: int | None = None
    """The ongoing activation; None when the forum is not activated."""
    exercise: bool = False
    reason: str | None = None
    activated_at: datetime | None = None
    host: str | None = None
    """Who hosts: the activation's host, else the actor(s) holding the forum's host function."""
    next_meeting: datetime | None = None
    sitting: bool = False
    """A meeting or reporting round of the forum is open right now."""
    latest_meeting_id: int | None = None
    picture: CombinedPicture | None = None
    """The combined picture of the latest meeting that has reports or is open."""
    groups: tuple[GroupCard, ...] = ()

    @property
    def activated(self) -> bool:
        return self.activation_id is not None


@dataclass(frozen=True)
class ReadinessCell:
    """One actor's latest stated readiness; `level` None when it never stated one."""

    actor: ActorRef
    level: str | None = None
    rank: int | None = None
    """Position on the configured scale (0 = lowest); None when not stated or not on it."""
    forum_name: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Overview:
    forums: tuple[ForumCard, ...]
    readiness: tuple[ReadinessCell, ...]
    readiness_levels: tuple[str, ...]

    @property
    def live(self) -> bool:
        """A forum is activated: the page refreshes itself often."""
        return any(card.activated for card in self.forums)


@dataclass(frozen=True)
class ReportView:
    """One actor's current report for a meeting, every field."""

    actor: ActorRef
    author: str
    received_at: datetime
    report: SituationReport
    extra: bool = False
    """The actor is not a participant of the forum."""
    source: str | None = None
    """Where it came from when not the chat (e.g. a report link)."""


@dataclass(frozen=True)
class IssueRow:
    number: int
    title: str
    state: str
    forum_name: str
    origin_name: str
    owner: str | None = None
    followup_at: datetime | None = None
    updated_at: datetime | None = None
    description: str | None = None

    @property
    def closed(self) -> bool:
        return self.state == "closed"


@dataclass(frozen=True)
class MeetingPage:
    id: int
    forum_id: str
    forum_name: str
    kind: str
    state: str
    starts_at: datetime | None
    deadline_at: datetime | None
    picture: CombinedPicture
    reports: tuple[ReportView, ...] = ()
    issues: tuple[IssueRow, ...] = ()
    groups: tuple[GroupCard, ...] = ()
    round_number: int | None = None
    activation_id: int | None = None
    exercise: bool = False


@dataclass(frozen=True)
class RoundLink:
    meeting_id: int
    number: int
    state: str


@dataclass(frozen=True)
class ActivationPage:
    info: ActivationInfo
    state: str
    forum_id: str
    entries: tuple[TimelineEntry, ...] = ()
    alerts: tuple[AlertInfo, ...] = ()
    rounds: tuple[RoundLink, ...] = field(default_factory=tuple)
