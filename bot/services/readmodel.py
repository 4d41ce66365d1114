"""What the web shows, read through the storage query modules and cut to what the viewer may see.

The web reads nothing on its own: its handlers ask this read model, which reads through
`storage` (as every service does) and hands back the plain views of `bot.services.views`.

Who sees what. The full web token sees everything. An actor's read token
(``[web] actor_tokens_env``) sees what that actor's members see in chat, and no more:

* forums the actor takes part in (``participants``, ``"*"`` counts). Their rooms carry the
  call-ins, every report, the combined pictures, activations, alerts and working-group reports,
  and ``!picture``/``!missing`` answer only participants. Other forums do not exist for the
  viewer: not listed, and asked for by id they are "not found", like an id that never existed;
* meetings, pictures and activations (with their timelines and acknowledgements: the activation
  summary goes to every participant's home room) of those forums;
* working groups reporting to those forums;
* issues that sit in or were raised in one of those forums, raised by the actor, or owned by the
  actor or one of its members. (In chat any member may list every open issue with ``!issues
  all``; the web keeps to the actor's own forums, because a read token is easier to leave on a
  wall screen than a chat account is to lend out.)
* the joint regional direction in force, which is on top of every picture anyway.

An actor that no longer exists in the config sees nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, Directory, ForumConfig, Settings
from bot.domain.calendar import next_meeting
from bot.domain.issues import Owner
from bot.domain.picture import ActorRef, CombinedPicture, DirectionInfo
from bot.domain.reports import FIELDS, is_raised, readiness_rank
from bot.domain.timeline import compile_timeline
from bot.render.catalogue import Catalogue
from bot.render.timeline import entry_text
from bot.scheduling.schedules import next_occurrences
from bot.services.activations import ActivationService
from bot.services.clock import SYSTEM_CLOCK, Clock
from bot.services.duty import Duty
from bot.services.issues import IssueService
from bot.services.pictures import PictureService
from bot.services.views import (
    ActivationDetail,
    ActivationView,
    ActorReadiness,
    ActorView,
    ForumRef,
    ForumView,
    GroupReportView,
    GroupView,
    IssueEventItem,
    IssueItem,
    MeetingDetail,
    MeetingView,
    ReportView,
    TimelineItem,
    UpcomingMeeting,
)
from storage import activations, groups, issues, listings, meetings
from storage import readiness as readiness_rows
from storage.db import COMMITS, Database
from storage.models.activations import Activation, ActivationState
from storage.models.groups import GroupReport, WorkingGroup
from storage.models.issues import Issue
from storage.models.meetings import Meeting, MeetingKind, MeetingState, SituationReport

#: The overview of a viewer is read again after the next commit, and at least this often (the
#: next meeting's time moves on without any write).
OVERVIEW_MAX_AGE_S = 10.0


class Reader(Protocol):
    """Who reads: `actor` None for the full token, else the actor of a read token
    (`bot.web.keys.Viewer` is one)."""

    @property
    def actor(self) -> str | None: ...


class UnknownForum(ValueError):
    """A forum filter names a forum that does not exist, or that the reader may not see."""

    def __init__(self, forum_id: str) -> None:
        super().__init__(f"unknown forum {forum_id!r}")
        self.forum_id = forum_id


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ReadModel:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        pictures: PictureService,
        issues: IssueService,
        activations: ActivationService,
        catalogue: Catalogue,
        duty: Duty,
        *,
        directory: Directory,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.settings = settings
        self.directory = directory
        self.clock = clock
        self.duty = duty
        self.db = db
        self.pictures = pictures
        self.issue_service = issues
        self.activation_service = activations
        self.t = catalogue
        #: (what, viewer's actor) → (commit count, monotonic time, the read being or been done)
        self._overview: dict[tuple[str, str | None], tuple[int, float, asyncio.Task[Any]]] = {}

    # -- who sees what ----------------------------------------------------------------

    def visible_forums(self, reader: Reader) -> list[ForumConfig]:
        """The forums `reader` may see, in config order."""
        if reader.actor is None:
            return list(self.settings.forums)
        return [
            forum
            for forum in self.settings.forums
            if any(a.id == reader.actor for a in self.directory.participants_of(forum))
        ]

    def visible_forum(self, reader: Reader, forum_id: str) -> ForumConfig | None:
        return next((f for f in self.visible_forums(reader) if f.id == forum_id), None)

    def may_see_issue(self, reader: Reader, issue: Issue) -> bool:
        actor = reader.actor
        if actor is None:
            return True
        forum_ids = {f.id for f in self.visible_forums(reader)}
        if issue.forum_id in forum_ids or issue.origin_forum_id in forum_ids:
            return True
        if issue.actor_id == actor:
            return True
        if issue.owner_kind == "actor" and issue.owner_ref == actor:
            return True
        people = {m.user for m in self.directory.members_of(actor)}
        return issue.owner_kind == "user" and issue.owner_ref in people

    def _forum_filter(self, reader: Reader, forum_id: str | None) -> list[ForumConfig]:
        if forum_id is None:
            return self.visible_forums(reader)
        forum = self.visible_forum(reader, forum_id)
        if forum is None:
            raise UnknownForum(forum_id)
        return [forum]

    # -- forums -----------------------------------------------------------------------

    async def forums(self, reader: Reader, *, now: datetime | None = None) -> list[ForumView]:
        """Every forum the reader may see, in config order, as on the overview.

        Read once per viewer until the next commit (see `CommitCounter`) or for at most
        `OVERVIEW_MAX_AGE_S`; concurrent requests share one read. An explicit `now` reads anew.
        """
        forums = self.visible_forums(reader)
        if now is not None:
            return await self._forum_views(forums, now)
        return list(
            await self._shared(
                "forums", reader, lambda: self._forum_views(forums, self.clock.now())
            )
        )

    async def _shared(
        self, what: str, reader: Reader, read: Callable[[], Awaitable[list[Any]]]
    ) -> list[Any]:
        """One read of `what` per viewer until the next commit (see `CommitCounter`) or for at
        most `OVERVIEW_MAX_AGE_S`; concurrent requests share it."""
        key, count = (what, reader.actor), COMMITS.count
        held = self._overview.get(key)
        if held is None or held[0] != count or time.monotonic() - held[1] > OVERVIEW_MAX_AGE_S:
            task = asyncio.ensure_future(read())
            held = (count, time.monotonic(), task)
            self._overview[key] = held
            task.add_done_callback(lambda done: self._forget_failed(key, done))
        # Shielded: a client that goes away must not cancel the read the others wait for.
        return list(await asyncio.shield(held[2]))

    def _forget_failed(self, key: tuple[str, str | None], task: asyncio.Task[Any]) -> None:
        held = self._overview.get(key)
        if held is not None and held[2] is task and (task.cancelled() or task.exception()):
            del self._overview[key]

    async def forum(
        self, reader: Reader, forum_id: str, *, now: datetime | None = None
    ) -> ForumView | None:
        if self.visible_forum(reader, forum_id) is None:
            return None
        views = await self.forums(reader, now=now)
        return next((view for view in views if view.forum.id == forum_id), None)

    async def direction(self) -> DirectionInfo | None:
        """The joint regional direction in force (everyone may see it)."""
        async with self.db.session() as session:
            return await self.pictures.direction(session)

    async def _forum_views(self, forums: Sequence[ForumConfig], now: datetime) -> list[ForumView]:
        if not forums:
            return []
        ids = [f.id for f in forums]
        views = []
        async with self.db.session() as session:
            open_counts = Counter(i.forum_id for i in await listings.issues(session, forum_ids=ids))
            by_forum: dict[str, list[WorkingGroup]] = {}
            for group in await listings.groups_of_forums(session, ids):
                by_forum.setdefault(group.forum_id, []).append(group)
            for forum in forums:
                activation = await activations.active(session, forum.id)
                current = await meetings.active_meeting(session, forum.id)
                latest = await meetings.latest_meeting(session, forum.id)
                picture = await self.pictures.compile(session, forum, latest) if latest else None
                exercise = {activation.id: activation.exercise} if activation else {}
                views.append(
                    ForumView(
                        forum=self.forum_ref(forum),
                        room=forum.room,
                        participants=tuple(
                            self.actor_view(a) for a in self.directory.participants_of(forum)
                        ),
                        host_function=forum.host_function,
                        host=self._host(forum, activation),
                        activation=self.activation_view(activation) if activation else None,
                        next_meeting=self._next_meeting(forum, now),
                        current_meeting=(
                            await self._meeting_view(session, current, exercise)
                            if current
                            else None
                        ),
                        latest_meeting=(
                            await self._meeting_view(session, latest, exercise) if latest else None
                        ),
                        latest_picture=picture,
                        groups=tuple(
                            self.group_view(g, g.reports) for g in by_forum.get(forum.id, [])
                        ),
                        open_issues=open_counts[forum.id],
                    )
                )
        return views

    def _next_meeting(self, forum: ForumConfig, now: datetime) -> datetime | None:
        trigger = forum.trigger(self.settings.zone)
        if trigger is None:
            return None
        found = next_meeting(forum, trigger, now)
        return _utc(found)

    def _host(self, forum: ForumConfig, activation: Activation | None) -> ActorView | None:
        if activation is not None and activation.host_actor_id:
            return self._actor_by_id(activation.host_actor_id)
        if forum.host_function:
            for user in self.duty.holders(forum.host_function):
                for actor in self.directory.actors_of(user):
                    return self.actor_view(actor)
        return None

    # -- readiness --------------------------------------------------------------------

    async def readiness(self, reader: Reader) -> list[ActorReadiness]:
        """Each actor's latest stated readiness level in the forums the reader may see: every
        configured actor for the full token, the participants of those forums for an actor's
        token. Raised levels first (highest on top), then the first level, then actors that
        never stated one; by name within each. Shared like `forums` (it is on the overview)."""
        return list(await self._shared("readiness", reader, lambda: self._readiness(reader)))

    async def _readiness(self, reader: Reader) -> list[ActorReadiness]:
        forums = self.visible_forums(reader)
        if reader.actor is None:
            actors = list(self.settings.actors)
        else:
            seen: dict[str, ActorConfig] = {}
            for forum in forums:
                for actor in self.directory.participants_of(forum):
                    seen.setdefault(actor.id, actor)
            actors = list(seen.values())
        async with self.db.session() as session:
            found = await readiness_rows.latest_stated(session, [f.id for f in forums])
        stated = {report.actor_id: (report, forum_id) for report, forum_id in found}
        levels = self.settings.reports.readiness_levels
        rows = []
        for actor in actors:
            if actor.id not in stated:
                rows.append(ActorReadiness(self.actor_view(actor), None, None, False, None, None))
                continue
            report, forum_id = stated[actor.id]
            level = report.readiness or ""
            try:
                rank: int | None = readiness_rank(level, levels)
            except ValueError:  # a level since removed from the config
                rank = None
            rows.append(
                ActorReadiness(
                    actor=self.actor_view(actor),
                    level=level,
                    rank=rank,
                    raised=is_raised(level, levels),
                    forum=self._named_forum(forum_id),
                    at=_aware(report.received_at),
                )
            )
        rows.sort(
            key=lambda r: (r.level is None, not r.raised, -(r.rank or 0), r.actor.name.casefold())
        )
        return rows

    # -- meetings ---------------------------------------------------------------------

    async def meetings(
        self,
        reader: Reader,
        *,
        forum_id: str | None = None,
        limit: int = 20,
        upcoming_per_forum: int = 3,
        now: datetime | None = None,
    ) -> tuple[list[MeetingView], list[UpcomingMeeting]]:
        """Recent meetings (newest first, at most `limit`) and the upcoming scheduled ones
        (soonest first, `upcoming_per_forum` per forum) of one forum or every visible one;
        raises `UnknownForum` for a forum the reader may not see."""
        forums = self._forum_filter(reader, forum_id)
        now = now or self.clock.now()
        ids = [f.id for f in forums]
        if not ids:
            return [], []
        async with self.db.session() as session:
            recent = [
                await self._meeting_view(session, m, {})
                for m in await listings.recent_meetings(session, ids, limit=limit)
            ]
            stored = {
                (m.forum_id, _utc(m.scheduled_at)): m.id
                for m in await listings.planned_meetings(session, ids, now)
            }
        coming = []
        for forum in forums:
            trigger = forum.trigger(self.settings.zone)
            if trigger is None:
                continue
            for at in next_occurrences(trigger, now, upcoming_per_forum):
                at_utc = _aware(at)
                coming.append(
                    UpcomingMeeting(self.forum_ref(forum), at_utc, stored.get((forum.id, at_utc)))
                )
        coming.sort(key=lambda u: (u.at, u.forum.id))
        return recent, coming

    async def meeting(self, reader: Reader, meeting_id: int) -> MeetingDetail | None:
        """The meeting with its reports, missing actors, needs, issues and working groups;
        None when it does not exist or the reader may not see its forum."""
        async with self.db.session() as session:
            row = await meetings.get_meeting(session, meeting_id)
            forum = self.visible_forum(reader, row.forum_id) if row else None
            if row is None or forum is None:
                return None
            activation = (
                await activations.get(session, row.activation_id) if row.activation_id else None
            )
            exercise = {activation.id: activation.exercise} if activation else {}
            picture = await self.pictures.compile(session, forum, row)
            reports = await meetings.current_reports(session, row.id)
            found = await listings.issues_of_meeting(session, row.id)
            if row.state != MeetingState.CLOSED:
                found += await issues.open_in(session, [forum.id])
            forum_groups = await listings.groups_of_forums(
                session, [forum.id], activation_id=row.activation_id
            )
            view = await self._meeting_view(session, row, exercise)
        raised = {r.actor.id for r in picture.raised}
        seen: set[int] = set()
        issue_items = []
        for issue in found:
            if issue.number not in seen and self.may_see_issue(reader, issue):
                seen.add(issue.number)
                issue_items.append(self.issue_item(issue))
        return MeetingDetail(
            meeting=view,
            activation=self.activation_view(activation) if activation else None,
            reports=tuple(self._report_view(r, raised) for r in reports),
            missing=tuple(self._ref_view(a) for a in picture.missing),
            needs=picture.needs,
            picture=picture,
            issues=tuple(issue_items),
            groups=tuple(
                self.group_view(g, [r for r in g.reports if r.meeting_id == row.id])
                for g in forum_groups
            ),
        )

    async def picture(self, reader: Reader, meeting_id: int) -> CombinedPicture | None:
        """The meeting's combined picture as it stands now."""
        async with self.db.session() as session:
            row = await meetings.get_meeting(session, meeting_id)
            forum = self.visible_forum(reader, row.forum_id) if row else None
            if row is None or forum is None:
                return None
            return await self.pictures.compile(session, forum, row)

    async def _meeting_view(
        self, session: AsyncSession, row: Meeting, exercise: dict[int, bool]
    ) -> MeetingView:
        """`exercise` caches activation id → exercise flag across one page."""
        is_exercise = False
        if row.activation_id is not None:
            if row.activation_id not in exercise:
                found = await activations.get(session, row.activation_id)
                exercise[row.activation_id] = bool(found and found.exercise)
            is_exercise = exercise[row.activation_id]
        return MeetingView(
            id=row.id,
            forum=self._named_forum(row.forum_id),
            kind=row.kind,
            state=row.state,
            round_number=row.round_number if row.kind == MeetingKind.ACTIVATED else None,
            scheduled_at=_utc(row.scheduled_at),
            call_in_at=_utc(row.call_in_at),
            deadline_at=_utc(row.deadline_at),
            opened_at=_utc(row.opened_at),
            closed_at=_utc(row.closed_at),
            activation_id=row.activation_id,
            exercise=is_exercise,
        )

    def _report_view(self, row: SituationReport, raised: set[str]) -> ReportView:
        return ReportView(
            actor=self._actor_by_id(row.actor_id) or ActorView(row.actor_id, row.actor_id, "övrig"),
            author=row.author,
            received_at=_aware(row.received_at),
            fields={name: getattr(row, name) for name in FIELDS},
            raised=row.actor_id in raised,
            source=getattr(row, "source", None),
        )

    # -- issues -----------------------------------------------------------------------

    async def issues(
        self, reader: Reader, *, forum_id: str | None = None, include_closed: bool = False
    ) -> list[IssueItem]:
        """Issues the reader may see, by number; only those sitting in or raised in `forum_id`
        when given (`UnknownForum` for a forum the reader may not see)."""
        forum_ids = (
            None if forum_id is None else [f.id for f in self._forum_filter(reader, forum_id)]
        )
        async with self.db.session() as session:
            found = await listings.issues(
                session, forum_ids=forum_ids, include_closed=include_closed
            )
        return [self.issue_item(i) for i in found if self.may_see_issue(reader, i)]

    async def issue(self, reader: Reader, number: int) -> IssueItem | None:
        async with self.db.session() as session:
            found = await issues.get(session, number)
        if found is None or not self.may_see_issue(reader, found):
            return None
        return self.issue_item(found)

    def issue_item(self, issue: Issue) -> IssueItem:
        owner = None
        if issue.owner_kind and issue.owner_ref:
            owner = self.issue_service.owner_label(Owner(issue.owner_kind, issue.owner_ref))  # type: ignore[arg-type]
        return IssueItem(
            number=issue.number,
            title=issue.title,
            description=issue.description,
            state=issue.state,
            forum=self._forum_ref_by_id(issue.forum_id),
            origin_forum=self._forum_ref_by_id(issue.origin_forum_id),
            raised_by=issue.raised_by,
            actor=self._actor_by_id(issue.actor_id) if issue.actor_id else None,
            owner=owner,
            followup_at=_utc(issue.followup_at),
            created_at=_aware(issue.created_at),
            updated_at=_aware(issue.updated_at),
            closed_at=_utc(issue.closed_at),
            meeting_id=issue.meeting_id,
            events=tuple(
                IssueEventItem(
                    at=_aware(e.at),
                    by=e.by_user,
                    kind=e.kind,
                    forum=self._forum_ref_by_id(e.forum_id) if e.forum_id else None,
                    text=e.text,
                )
                for e in issue.events
            ),
        )

    # -- activations ------------------------------------------------------------------

    async def activations(
        self, reader: Reader, *, forum_id: str | None = None, limit: int = 20
    ) -> list[ActivationView]:
        """Activations in force or ended, newest first (`UnknownForum` as for meetings)."""
        ids = [f.id for f in self._forum_filter(reader, forum_id)]
        if not ids:
            return []
        async with self.db.session() as session:
            rows = await listings.activations(session, ids, limit=limit)
        return [self.activation_view(r) for r in rows]

    async def activation(self, reader: Reader, activation_id: int) -> ActivationDetail | None:
        """The activation with its timeline (alerts and acknowledgements, rounds, reports,
        host changes), its rounds and its working groups."""
        async with self.db.session() as session:
            row = await activations.get(session, activation_id)
            if row is None or row.state not in (ActivationState.ACTIVE, ActivationState.ENDED):
                return None
            forum = self.visible_forum(reader, row.forum_id)
            if forum is None:
                return None
            facts = await self.activation_service.timeline.facts(session, forum, row)
            rounds = [
                await self._meeting_view(session, m, {row.id: row.exercise})
                for m in await activations.rounds(session, row.id)
            ]
            formed = await groups.of_activation(session, row.id)
        entries = compile_timeline(facts.activation, facts.alerts, facts.rounds, facts.host_changes)
        return ActivationDetail(
            activation=self.activation_view(row),
            timeline=tuple(
                TimelineItem(e.at, e.kind, dict(e.values), entry_text(self.t, e)) for e in entries
            ),
            alerts=facts.alerts,
            rounds=tuple(rounds),
            groups=tuple(self.group_view(g, g.reports) for g in formed),
        )

    def activation_view(self, row: Activation) -> ActivationView:
        return ActivationView(
            id=row.id,
            forum=self._named_forum(row.forum_id),
            state=row.state,
            reason=row.reason,
            exercise=row.exercise,
            requested_by=row.requested_by,
            requested_at=_aware(row.requested_at),
            activated_by=row.activated_by,
            activated_at=_utc(row.activated_at),
            ended_by=row.ended_by,
            ended_at=_utc(row.ended_at),
            host=self._actor_by_id(row.host_actor_id) if row.host_actor_id else None,
        )

    # -- small views ------------------------------------------------------------------

    def forum_ref(self, forum: ForumConfig) -> ForumRef:
        return ForumRef(forum.id, forum.name, str(forum.level), str(forum.mode))

    def _forum_ref_by_id(self, forum_id: str) -> ForumRef | None:
        forum = self.settings.forum(forum_id)
        return self.forum_ref(forum) if forum else None

    def _named_forum(self, forum_id: str) -> ForumRef:
        """The forum's reference; one removed from the config keeps its id as its name."""
        return self._forum_ref_by_id(forum_id) or ForumRef(forum_id, forum_id, "", "")

    def actor_view(self, actor: ActorConfig) -> ActorView:
        return ActorView(actor.id, actor.name, str(actor.category))

    def _actor_by_id(self, actor_id: str) -> ActorView | None:
        actor = self.settings.actor(actor_id)
        return self.actor_view(actor) if actor else None

    def _ref_view(self, ref: ActorRef) -> ActorView:
        return ActorView(ref.id, ref.name, ref.category)

    def group_view(self, group: WorkingGroup, reports: Iterable[GroupReport]) -> GroupView:
        members = []
        for member in group.members:
            actor = self.settings.actor(member.ref) if member.kind == "actor" else None
            members.append(actor.name if actor else member.ref)
        return GroupView(
            id=group.id,
            slug=group.slug,
            name=group.name,
            forum=self._named_forum(group.forum_id),
            task=group.task,
            standing=group.standing,
            activation_id=group.activation_id,
            closed_at=_utc(group.closed_at),
            members=tuple(members),
            reports=tuple(
                GroupReportView(
                    author=r.author, text=r.text, at=_aware(r.at), meeting_id=r.meeting_id
                )
                for r in reports
            ),
        )
