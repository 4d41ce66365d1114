"""The combined picture (samlad lägesbild): every actor's report for one meeting, compiled.

The weekly conference exists to "ta fram en samlad lägesbild och gemensam analys" and to
"identifiera och formulera behov av samordning" (the model description, section 3.2). So the
compiled picture is not a list of reports but the same facts regrouped for that work: who has
raised readiness (first, most raised on top), what is happening per kind of actor, every need
for coordination in one place with who needs it, what is offered, what will be communicated,
and who has not reported yet. This module only compiles; ``bot.render.picture`` writes it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.reports import SituationReport, is_raised, readiness_rank

__all__ = [
    "DEFAULT_CATEGORY_ORDER",
    "ActorRef",
    "ActorSummary",
    "CategorySection",
    "CombinedPicture",
    "Contribution",
    "DirectionInfo",
    "GroupReportEntry",
    "MeetingInfo",
    "ReadinessRow",
    "ReportEntry",
    "compile_picture",
    "missing",
]

DEFAULT_CATEGORY_ORDER: tuple[str, ...] = ("stat", "region", "kommun", "blåljus", "trafik", "övrig")
"""Länsstyrelsen and the state first (they host), then region, municipalities, the rest."""


# --- inputs --------------------------------------------------------------------------------


class _ActorLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> object: ...


@dataclass(frozen=True)
class ActorRef:
    """An actor as the picture needs it; ``category`` is the config value (``"kommun"`` …)."""

    id: str
    name: str
    category: str

    @classmethod
    def of(cls, actor: _ActorLike) -> ActorRef:
        """From an ``ActorConfig`` (or anything with id, name and category)."""
        return cls(id=actor.id, name=actor.name, category=str(actor.category))


@dataclass(frozen=True)
class ReportEntry:
    """An actor's current report for the meeting, with who posted it and when (UTC)."""

    actor: ActorRef
    author: str
    received_at: datetime
    report: SituationReport
    source: str | None = None
    """Where the report came from when not from chat (``web-link``), shown beside it."""


@dataclass(frozen=True)
class GroupReportEntry:
    """A working group's report to the forum (``!group report``)."""

    group_name: str
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class MeetingInfo:
    """The sitting the picture is for; times in UTC (naive values are taken as UTC)."""

    forum_name: str
    starts_at: datetime
    deadline_at: datetime | None = None
    round_number: int | None = None
    """The reporting round of an activated forum; None for a scheduled conference."""
    host: str | None = None
    """Who hosts (värdskap), shown because it may move between actors during an event."""
    exercise: bool = False
    reason: str | None = None
    """Why the forum was activated."""


@dataclass(frozen=True)
class DirectionInfo:
    """The joint regional direction in force, shown on top because the work is framed by it."""

    number: int | None = None
    goal: str | None = None
    priorities: str | None = None
    guidelines: str | None = None
    messages: str | None = None
    """Joint messages (gemensamma budskap)."""


# --- output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessRow:
    """One reporting actor's readiness; ``level`` None when the report did not state it.

    ``rank`` is the level's position in the configured scale, None when the level is unknown
    (removed from the config since the report) or not stated.
    """

    actor: ActorRef
    level: str | None
    rank: int | None
    raised: bool
    extra: bool = False


@dataclass(frozen=True)
class ActorSummary:
    """What one actor says is happening: the part of its report read per category."""

    actor: ActorRef
    author: str
    received_at: datetime
    situation: str | None
    impact: str | None
    actions: str | None
    extra: bool = False
    """The actor is not a participant of the forum (reported anyway, e.g. called in ad hoc)."""
    source: str | None = None
    """Where the report came from when not from chat (``web-link``)."""


@dataclass(frozen=True)
class CategorySection:
    category: str
    actors: tuple[ActorSummary, ...]


@dataclass(frozen=True)
class Contribution:
    """One actor's text for a cross-cutting section: a need, a resource, a message …"""

    actor: ActorRef
    text: str
    extra: bool = False


@dataclass(frozen=True)
class LevelChange:
    actor: str
    before: str
    now: str


@dataclass(frozen=True)
class Changes:
    since: datetime
    """When the previous meeting or round was."""
    raised: tuple[LevelChange, ...] = ()
    lowered: tuple[LevelChange, ...] = ()
    new_needs: tuple[Contribution, ...] = ()
    resolved_needs: tuple[Contribution, ...] = ()
    silent: tuple[str, ...] = ()
    """Actors who reported last time and not (yet) this time."""

    @property
    def none(self) -> bool:
        return not (
            self.raised or self.lowered or self.new_needs or self.resolved_needs or self.silent
        )


@dataclass(frozen=True)
class CombinedPicture:
    meeting: MeetingInfo
    direction: DirectionInfo | None
    readiness: tuple[ReadinessRow, ...]
    sections: tuple[CategorySection, ...]
    needs: tuple[Contribution, ...]
    resources: tuple[Contribution, ...]
    communication: tuple[Contribution, ...]
    outlook: tuple[Contribution, ...]
    contacts: tuple[Contribution, ...]
    group_reports: tuple[GroupReportEntry, ...]
    missing: tuple[ActorRef, ...]
    reported: int
    """Participants that have reported (extras not counted)."""
    expected: int
    """Participants called in."""
    readiness_levels: tuple[str, ...] = ()
    """The configured scale, lowest first, so a reader can say what "raised" is measured from."""
    changes: Changes | None = None
    """What changed since the forum's previous meeting or round (None: there was none)."""

    @property
    def raised(self) -> tuple[ReadinessRow, ...]:
        return tuple(row for row in self.readiness if row.raised)

    @property
    def extras(self) -> int:
        """Reports from actors that are not participants."""
        return sum(1 for section in self.sections for summary in section.actors if summary.extra)

    @property
    def complete(self) -> bool:
        return not self.missing


# --- compiling -----------------------------------------------------------------------------


def _unique(actors: Iterable[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    result = []
    for actor in actors:
        if actor.id not in seen:
            seen.add(actor.id)
            result.append(actor)
    return result


def _latest(reports: Iterable[ReportEntry]) -> dict[str, ReportEntry]:
    """One report per actor id; the caller should already pass one, but a duplicate must not
    show an actor twice, so the most recently received one wins."""
    latest: dict[str, ReportEntry] = {}
    for entry in reports:
        held = latest.get(entry.actor.id)
        if held is None or entry.received_at >= held.received_at:
            latest[entry.actor.id] = entry
    return latest


def missing(participants: Sequence[ActorRef], reports: Sequence[ReportEntry]) -> list[ActorRef]:
    """Participants without a report, in participant (config) order."""
    reported = {entry.actor.id for entry in reports}
    return [actor for actor in _unique(participants) if actor.id not in reported]


def _readiness_row(entry: ReportEntry, levels: Sequence[str], extra: bool) -> ReadinessRow:
    level = entry.report.readiness
    if level is None:
        return ReadinessRow(entry.actor, None, None, raised=False, extra=extra)
    try:
        rank: int | None = readiness_rank(level, levels)
    except ValueError:
        rank = None
    return ReadinessRow(entry.actor, level, rank, raised=is_raised(level, levels), extra=extra)


def _readiness_order(row: ReadinessRow) -> tuple[bool, int, str]:
    # Raised first, the highest level on top; an unknown (but raised) level after the known
    # raised ones; then normal, then those that did not say. Ties by name, for a stable table.
    rank = row.rank if row.rank is not None else 0
    return (not row.raised, -rank if row.level is not None else 1, row.actor.name.casefold())


def compile_picture(
    meeting: MeetingInfo,
    participants: Sequence[ActorRef],
    reports: Sequence[ReportEntry],
    readiness_levels: Sequence[str],
    *,
    category_order: Sequence[str] = DEFAULT_CATEGORY_ORDER,
    group_reports: Sequence[GroupReportEntry] = (),
    direction: DirectionInfo | None = None,
) -> CombinedPicture:
    """Compiles the combined picture from each actor's current report for the meeting.

    Actors are read in a fixed order (categories in ``category_order``, unknown categories after
    them alphabetically; within a category participants in config order, then reports from
    non-participants by name), and every cross-cutting list follows that order, so the same
    actor is found in the same place in every section and in every week's picture.
    """
    people = _unique(participants)
    position = {actor.id: index for index, actor in enumerate(people)}
    latest = _latest(reports)
    categories = list(dict.fromkeys(category_order))
    categories += sorted({e.actor.category for e in latest.values()} - set(categories))
    category_index = {category: index for index, category in enumerate(categories)}

    def order(entry: ReportEntry) -> tuple[int, int, str]:
        actor = entry.actor
        return (
            category_index[actor.category],
            position.get(actor.id, len(position)),
            actor.name.casefold(),
        )

    entries = sorted(latest.values(), key=order)
    extra = {entry.actor.id: entry.actor.id not in position for entry in entries}

    sections = []
    for category in categories:
        summaries = tuple(
            ActorSummary(
                actor=entry.actor,
                author=entry.author,
                received_at=entry.received_at,
                situation=entry.report.situation,
                impact=entry.report.impact,
                actions=entry.report.actions,
                extra=extra[entry.actor.id],
                source=entry.source,
            )
            for entry in entries
            if entry.actor.category == category
        )
        if summaries:
            sections.append(CategorySection(category, summaries))

    def gather(field: str) -> tuple[Contribution, ...]:
        return tuple(
            Contribution(entry.actor, text, extra=extra[entry.actor.id])
            for entry in entries
            if (text := getattr(entry.report, field))
        )

    rows = [_readiness_row(e, readiness_levels, extra[e.actor.id]) for e in entries]
    absent = missing(people, entries)
    return CombinedPicture(
        meeting=meeting,
        direction=direction,
        readiness=tuple(sorted(rows, key=_readiness_order)),
        sections=tuple(sections),
        needs=gather("needs"),
        resources=gather("resources"),
        communication=gather("communication"),
        outlook=gather("outlook"),
        contacts=gather("contact"),
        group_reports=tuple(sorted(group_reports, key=lambda g: g.at)),
        missing=tuple(absent),
        reported=len(people) - len(absent),
        expected=len(people),
        readiness_levels=tuple(readiness_levels),
    )
