"""What the web shows, as plain frozen data: forums, meetings, pictures, issues, activations.

Made by `bot.services.readmodel.ReadModel`; the dashboard renders them and the JSON API
serialises them field by field (times are aware UTC). Names come with ids, so a page needs no
config lookups of its own. User text is kept as typed: escaping is the renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import computed_field

from bot.domain.picture import CombinedPicture, Contribution
from bot.domain.timeline import AlertInfo


@dataclass(frozen=True)
class ActorView:
    id: str
    name: str
    category: str


@dataclass(frozen=True)
class ForumRef:
    """A forum as other views name it."""

    id: str
    name: str
    level: str
    """inriktande | samordnande | verkställande"""
    mode: str
    """The configured mode: ordinarie | aktiverat."""


@dataclass(frozen=True)
class ActivationView:
    id: int
    forum: ForumRef
    state: str
    """active | ended (requests never confirmed are not shown)."""
    reason: str | None
    exercise: bool
    requested_by: str
    requested_at: datetime
    activated_by: str | None
    activated_at: datetime | None
    ended_by: str | None
    ended_at: datetime | None
    host: ActorView | None
    """Who hosts (värdskap); after the end, who hosted last."""


@dataclass(frozen=True)
class MeetingView:
    """One sitting of a forum, or one reporting round of an activation."""

    id: int
    forum: ForumRef
    kind: str
    """scheduled | manual | activated"""
    state: str
    """planned | called | open | closed | cancelled"""
    round_number: int | None
    """The reporting round of an activation; None for other meetings."""
    scheduled_at: datetime | None
    call_in_at: datetime | None
    deadline_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    activation_id: int | None
    exercise: bool


@dataclass(frozen=True)
class ActorReadiness:
    """An actor's latest stated readiness level, where and when it was stated."""

    actor: ActorView
    level: str | None
    """None when the actor never stated one (in the forums the reader may see)."""
    rank: int | None
    """Position on the configured scale, 0 the lowest; None when not stated or no longer on it."""
    raised: bool
    """Above the first level (a level no longer on the scale counts as raised)."""
    forum: ForumRef | None
    at: datetime | None
    history: tuple[tuple[datetime, int], ...] = ()
    """(when, rank) of each level stated over the last weeks, oldest first (levels no longer
    on the scale left out): the dashboard's small chart."""


@dataclass(frozen=True)
class UpcomingMeeting:
    """A meeting the schedule will hold; `meeting_id` once it is stored (near its call-in)."""

    forum: ForumRef
    at: datetime
    meeting_id: int | None


@dataclass(frozen=True)
class GroupReportView:
    author: str
    text: str
    at: datetime
    meeting_id: int | None


@dataclass(frozen=True)
class GroupView:
    """A working group under its forum; `reports` as the view that made it selected them
    (all of them, or those of one meeting)."""

    id: int
    slug: str
    name: str
    forum: ForumRef
    task: str | None
    standing: bool
    activation_id: int | None
    closed_at: datetime | None
    members: tuple[str, ...]
    """Actor names and user ids."""
    reports: tuple[GroupReportView, ...]


@dataclass(frozen=True)
class ForumView:
    """A forum on the overview: its mode now, who hosts, its next and latest meeting, and the
    latest combined picture."""

    forum: ForumRef
    room: str
    participants: tuple[ActorView, ...]
    host_function: str | None
    host: ActorView | None
    """The activation's host while activated, else the actor holding the host function."""
    activation: ActivationView | None
    """The activation in force, if any."""
    next_meeting: datetime | None
    """The next scheduled meeting (a running one counts until it closes)."""
    current_meeting: MeetingView | None
    """The meeting collecting reports now (called or open), if any."""
    latest_meeting: MeetingView | None
    """The latest meeting that has begun."""
    latest_picture: CombinedPicture | None
    """The combined picture of `latest_meeting`, as it stands now."""
    groups: tuple[GroupView, ...]
    open_issues: int

    # Computed fields: published with the fields (bot.web.schema).
    @computed_field  # type: ignore[prop-decorator]
    @property
    def activated(self) -> bool:
        return self.activation is not None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exercise(self) -> bool:
        return self.activation is not None and self.activation.exercise

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mode_now(self) -> str:
        """aktiverat while an activation is in force, else ordinarie."""
        return "aktiverat" if self.activation is not None else "ordinarie"


@dataclass(frozen=True)
class ReportView:
    """One actor's current report for a meeting, every field as typed (None when left out)."""

    actor: ActorView
    author: str
    received_at: datetime
    fields: dict[str, str | None]
    """situation, impact, actions, needs, resources, communication, outlook, contact, readiness"""
    raised: bool
    """The readiness level is above the first configured one."""
    source: str | None
    """Where the report came from when not from chat (e.g. a report link's web form)."""


@dataclass(frozen=True)
class IssueEventItem:
    at: datetime
    by: str
    kind: str
    forum: ForumRef | None
    text: str | None


@dataclass(frozen=True)
class IssueItem:
    number: int
    title: str
    description: str | None
    state: str
    """raised, accepted, investigating, proposed, decided, implementing, followed_up, closed"""
    forum: ForumRef | None
    """Where it sits now (None if the forum was removed from the config)."""
    origin_forum: ForumRef | None
    raised_by: str
    actor: ActorView | None
    """The raiser's organisation, when known."""
    owner: str | None
    """The owner as a label (actor name, user id or function)."""
    followup_at: datetime | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    meeting_id: int | None
    """The meeting it was raised in, if any."""
    events: tuple[IssueEventItem, ...]


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting with everything said for it."""

    meeting: MeetingView
    activation: ActivationView | None
    reports: tuple[ReportView, ...]
    missing: tuple[ActorView, ...]
    needs: tuple[Contribution, ...]
    """Needs for coordination, each with the actor that needs it."""
    picture: CombinedPicture
    issues: tuple[IssueItem, ...]
    """Raised in this meeting, and while it is not closed, the others open in its forum."""
    groups: tuple[GroupView, ...]
    """The forum's working groups, each with its reports for this meeting."""


@dataclass(frozen=True)
class TimelineItem:
    """One line of an activation's timeline: `kind` and `values` as in
    `bot.domain.timeline.TimelineEntry`, `text` the line in the configured language."""

    at: datetime
    kind: str
    values: dict[str, str]
    text: str


@dataclass(frozen=True)
class ActivationDetail:
    activation: ActivationView
    timeline: tuple[TimelineItem, ...]
    alerts: tuple[AlertInfo, ...]
    """Each alert with its recipients and their acknowledgements."""
    rounds: tuple[MeetingView, ...]
    groups: tuple[GroupView, ...]
