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
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.config import ActorConfig, ForumConfig
from bot.domain.calendar import next_meeting
from bot.domain.picture import CombinedPicture, DirectionInfo
from bot.domain.reports import is_raised, readiness_rank
from bot.domain.timeline import as_utc, compile_timeline
from bot.render.timeline import entry_text
from bot.scheduling.schedules import next_occurrences
from bot.services.activations import ActivationService
from bot.services.core import Core, Service
from bot.services.duty import Duty
from bot.services.issues import IssueService
from bot.services.pictures import PictureService
from bot.services.read_access import ReadAccess, Reader
from bot.services.view_mapping import ViewMapper, utc_or_none
from bot.services.views import (
    ActivationDetail,
    ActivationView,
    ActorReadiness,
    ActorView,
    ForumView,
    IssueItem,
    MeetingDetail,
    MeetingView,
    TimelineItem,
    UpcomingMeeting,
)
from storage import activations, groups, issues, listings, meetings
from storage import readiness as readiness_rows
from storage.db import COMMITS
from storage.models.activations import Activation, ActivationState
from storage.models.groups import WorkingGroup
from storage.models.meetings import MeetingState

#: How far back the dashboard's readiness chart looks.
READINESS_HISTORY = timedelta(weeks=6)

#: The overview of a viewer is read again after the next commit, and at least this often (the
#: next meeting's time moves on without any write).
OVERVIEW_MAX_AGE_S = 10.0


class ReadModel(Service):
    def __init__(
        self,
        core: Core,
        pictures: PictureService,
        issues: IssueService,
        activations: ActivationService,
        duty: Duty,
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.pictures = pictures
        self.issue_service = issues
        self.activation_service = activations
        self.access = ReadAccess(core.settings, core.directory)
        self.views = ViewMapper(core.settings, issues)
        #: (what, viewer's actor) → (commit count, monotonic time, the read being or been done)
        self._overview: dict[tuple[str, str | None], tuple[int, float, asyncio.Task[Any]]] = {}

    # -- forums -----------------------------------------------------------------------

    async def forums(self, reader: Reader, *, now: datetime | None = None) -> list[ForumView]:
        """Every forum the reader may see, in config order, as on the overview.

        Read once per viewer until the next commit (see `CommitCounter`) or for at most
        `OVERVIEW_MAX_AGE_S`; concurrent requests share one read. An explicit `now` reads anew.
        """
        forums = self.access.visible_forums(reader)
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
        if self.access.visible_forum(reader, forum_id) is None:
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
                        forum=self.views.forum_ref(forum),
                        room=forum.room,
                        participants=tuple(
                            self.views.actor_view(a) for a in self.directory.participants_of(forum)
                        ),
                        host_function=forum.host_function,
                        host=self._host(forum, activation),
                        activation=self.views.activation_view(activation) if activation else None,
                        next_meeting=self._next_meeting(forum, now),
                        current_meeting=(
                            await self.views.meeting_view(session, current, exercise)
                            if current
                            else None
                        ),
                        latest_meeting=(
                            await self.views.meeting_view(session, latest, exercise)
                            if latest
                            else None
                        ),
                        latest_picture=picture,
                        groups=tuple(
                            self.views.group_view(g, g.reports) for g in by_forum.get(forum.id, [])
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
        return utc_or_none(found)

    def _host(self, forum: ForumConfig, activation: Activation | None) -> ActorView | None:
        if activation is not None and activation.host_actor_id:
            return self.views.actor_by_id(activation.host_actor_id)
        if forum.host_function:
            for user in self.duty.holders(forum.host_function):
                for actor in self.directory.actors_of(user):
                    return self.views.actor_view(actor)
        return None

    # -- readiness --------------------------------------------------------------------

    async def readiness(self, reader: Reader) -> list[ActorReadiness]:
        """Each actor's latest stated readiness level in the forums the reader may see: every
        configured actor for the full token, the participants of those forums for an actor's
        token. Raised levels first (highest on top), then the first level, then actors that
        never stated one; by name within each. Shared like `forums` (it is on the overview)."""
        return list(await self._shared("readiness", reader, lambda: self._readiness(reader)))

    async def _readiness(self, reader: Reader) -> list[ActorReadiness]:
        forums = self.access.visible_forums(reader)
        if reader.actor is None:
            actors = list(self.settings.actors)
        else:
            seen: dict[str, ActorConfig] = {}
            for forum in forums:
                for actor in self.directory.participants_of(forum):
                    seen.setdefault(actor.id, actor)
            actors = list(seen.values())
        since = self.clock.now() - READINESS_HISTORY
        async with self.db.session() as session:
            found = await readiness_rows.latest_stated(session, [f.id for f in forums])
            stated_since = await readiness_rows.history(session, [f.id for f in forums], since)
        stated = {report.actor_id: (report, forum_id) for report, forum_id in found}
        levels = self.settings.reports.readiness_levels
        history: dict[str, list[tuple[datetime, int]]] = {}
        for actor_id, at, stated_level in stated_since:
            try:
                history.setdefault(actor_id, []).append(
                    (as_utc(at), readiness_rank(stated_level, levels))
                )
            except ValueError:
                continue
        rows = []
        for actor in actors:
            if actor.id not in stated:
                rows.append(
                    ActorReadiness(self.views.actor_view(actor), None, None, False, None, None)
                )
                continue
            report, forum_id = stated[actor.id]
            level = report.readiness or ""
            try:
                rank: int | None = readiness_rank(level, levels)
            except ValueError:  # a level since removed from the config
                rank = None
            rows.append(
                ActorReadiness(
                    actor=self.views.actor_view(actor),
                    level=level,
                    rank=rank,
                    raised=is_raised(level, levels),
                    forum=self.views.named_forum(forum_id),
                    at=as_utc(report.received_at),
                    history=tuple(history.get(actor.id, ())),
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
        forums = self.access.forum_filter(reader, forum_id)
        now = now or self.clock.now()
        ids = [f.id for f in forums]
        if not ids:
            return [], []
        async with self.db.session() as session:
            recent = [
                await self.views.meeting_view(session, m, {})
                for m in await listings.recent_meetings(session, ids, limit=limit)
            ]
            stored = {
                (m.forum_id, utc_or_none(m.scheduled_at)): m.id
                for m in await listings.planned_meetings(session, ids, now)
            }
        coming = []
        for forum in forums:
            trigger = forum.trigger(self.settings.zone)
            if trigger is None:
                continue
            for at in next_occurrences(trigger, now, upcoming_per_forum):
                at_utc = as_utc(at)
                coming.append(
                    UpcomingMeeting(
                        self.views.forum_ref(forum), at_utc, stored.get((forum.id, at_utc))
                    )
                )
        coming.sort(key=lambda u: (u.at, u.forum.id))
        return recent, coming

    async def meeting(self, reader: Reader, meeting_id: int) -> MeetingDetail | None:
        """The meeting with its reports, missing actors, needs, issues and working groups;
        None when it does not exist or the reader may not see its forum."""
        async with self.db.session() as session:
            row = await meetings.get_meeting(session, meeting_id)
            forum = self.access.visible_forum(reader, row.forum_id) if row else None
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
            view = await self.views.meeting_view(session, row, exercise)
        raised = {r.actor.id for r in picture.raised}
        seen: set[int] = set()
        issue_items = []
        for issue in found:
            if issue.number not in seen and self.access.may_see_issue(reader, issue):
                seen.add(issue.number)
                issue_items.append(self.views.issue_item(issue))
        return MeetingDetail(
            meeting=view,
            activation=self.views.activation_view(activation) if activation else None,
            reports=tuple(self.views.report_view(r, raised) for r in reports),
            missing=tuple(self.views.ref_view(a) for a in picture.missing),
            needs=picture.needs,
            picture=picture,
            issues=tuple(issue_items),
            groups=tuple(
                self.views.group_view(g, [r for r in g.reports if r.meeting_id == row.id])
                for g in forum_groups
            ),
        )

    async def picture(self, reader: Reader, meeting_id: int) -> CombinedPicture | None:
        """The meeting's combined picture as it stands now."""
        async with self.db.session() as session:
            row = await meetings.get_meeting(session, meeting_id)
            forum = self.access.visible_forum(reader, row.forum_id) if row else None
            if row is None or forum is None:
                return None
            return await self.pictures.compile(session, forum, row)

    # -- issues -----------------------------------------------------------------------

    async def issues(
        self, reader: Reader, *, forum_id: str | None = None, include_closed: bool = False
    ) -> list[IssueItem]:
        """Issues the reader may see, by number; only those sitting in or raised in `forum_id`
        when given (`UnknownForum` for a forum the reader may not see)."""
        forum_ids = (
            None if forum_id is None else [f.id for f in self.access.forum_filter(reader, forum_id)]
        )
        async with self.db.session() as session:
            found = await listings.issues(
                session, forum_ids=forum_ids, include_closed=include_closed
            )
        return [self.views.issue_item(i) for i in found if self.access.may_see_issue(reader, i)]

    async def issue(self, reader: Reader, number: int) -> IssueItem | None:
        async with self.db.session() as session:
            found = await issues.get(session, number)
        if found is None or not self.access.may_see_issue(reader, found):
            return None
        return self.views.issue_item(found)

    # -- activations ------------------------------------------------------------------

    async def activations(
        self, reader: Reader, *, forum_id: str | None = None, limit: int = 20
    ) -> list[ActivationView]:
        """Activations in force or ended, newest first (`UnknownForum` as for meetings)."""
        ids = [f.id for f in self.access.forum_filter(reader, forum_id)]
        if not ids:
            return []
        async with self.db.session() as session:
            rows = await listings.activations(session, ids, limit=limit)
        return [self.views.activation_view(r) for r in rows]

    async def activation(self, reader: Reader, activation_id: int) -> ActivationDetail | None:
        """The activation with its timeline (alerts and acknowledgements, rounds, reports,
        host changes), its rounds and its working groups."""
        async with self.db.session() as session:
            row = await activations.get(session, activation_id)
            if row is None or row.state not in (ActivationState.ACTIVE, ActivationState.ENDED):
                return None
            forum = self.access.visible_forum(reader, row.forum_id)
            if forum is None:
                return None
            facts = await self.activation_service.timeline.facts(session, forum, row)
            rounds = [
                await self.views.meeting_view(session, m, {row.id: row.exercise})
                for m in await activations.rounds(session, row.id)
            ]
            formed = await groups.of_activation(session, row.id)
        entries = compile_timeline(facts.activation, facts.alerts, facts.rounds, facts.host_changes)
        return ActivationDetail(
            activation=self.views.activation_view(row),
            timeline=tuple(
                TimelineItem(e.at, e.kind, dict(e.values), entry_text(self.t, e)) for e in entries
            ),
            alerts=facts.alerts,
            rounds=tuple(rounds),
            groups=tuple(self.views.group_view(g, g.reports) for g in formed),
        )
