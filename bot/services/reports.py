"""Situation reports (lägesbilder): who may report for whom, and to which meeting a report goes.

A report belongs to the forum's meeting that is collecting reports (called or open). Before the
call-in it goes to the next meeting; after a meeting closed, to the next one, and the sender is
told so. A newer report from the same actor replaces the earlier one; the history is kept.

A report from a report link's web form (an actor with nobody on Matrix) takes the same path to
storage, but goes to the meeting its link was made for, and only while that meeting collects
reports; it is stored once per form (the form's nonce is its source key) and marked with its
source, so the picture can say where it came from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig, Mode
from bot.domain.errors import Refusal
from bot.domain.reports import SituationReport, parse_report
from bot.scheduling.schedules import next_occurrences
from bot.services.core import Core, Service
from storage import meetings
from storage.models.meetings import Meeting, MeetingState

SOURCE_WEB_LINK = "web-link"
"""`SituationReport.source` of a report sent through a report link's web form."""


@dataclass(frozen=True)
class ReportOutcome:
    actor: ActorConfig
    report: SituationReport
    meeting_id: int
    meeting_at: datetime | None
    replaced: bool
    #: Why the report went to a later meeting than the sender may think ("before_call_in",
    #: "after_close"), or None.
    moved: str | None


#: The source of a report the host sent for another actor (taken by phone, say).
RELAYED = "relayed"


class ReportService(Service):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        #: Called with the forum and meeting after each stored report (the living picture),
        #: set by the wiring.
        self.after_report: Callable[[ForumConfig, int], Awaitable[None]] | None = None

    def relays(self, forum: ForumConfig, user_id: str) -> bool:
        """The forum's host function may send `!status --actor ID` for any participant."""
        host = forum.host_function
        return host is not None and host in self.directory.functions_of(user_id)

    def reporting_actor(
        self, forum: ForumConfig, user_id: str, actor_id: str | None
    ) -> ActorConfig:
        """The participant actor `user_id` reports for; refuses with the reason otherwise."""
        participants = {a.id: a for a in self.directory.participants_of(forum)}
        mine = [a for a in self.directory.actors_of(user_id) if a.id in participants]
        if actor_id is not None:
            chosen = next((a for a in mine if a.id == actor_id), None)
            if chosen is None and self.relays(forum, user_id) and actor_id in participants:
                return participants[actor_id]  # the host relays a report taken by phone
            if chosen is None:
                raise Refusal(
                    "report.not_your_actor",
                    actor=actor_id,
                    yours=", ".join(a.id for a in mine) or "–",
                )
            return chosen
        if not mine:
            if self.directory.actors_of(user_id):
                raise Refusal("report.not_participant", forum=forum.name)
            raise Refusal("report.not_member", forum=forum.name)
        if len(mine) > 1:
            raise Refusal("report.which_actor", actors=", ".join(a.id for a in mine))
        return mine[0]

    async def submit(
        self,
        forum: ForumConfig,
        user_id: str,
        text: str,
        *,
        actor_id: str | None = None,
        event_id: str | None = None,
        now: datetime | None = None,
    ) -> ReportOutcome:
        actor = self.reporting_actor(forum, user_id, actor_id)
        report = parse_report(text, self.settings.reports.readiness_levels)
        now = now or self.clock.now()
        mine = any(a.id == actor.id for a in self.directory.actors_of(user_id))
        source = None if mine else RELAYED
        async with self.db.session() as session:
            meeting, moved = await self._meeting_for_report(session, forum, now)
            replaced = await self._store(session, meeting, actor, report, user_id, event_id, source)
            await session.commit()
        if self.after_report is not None:
            await self.after_report(forum, meeting.id)
        return ReportOutcome(actor, report, meeting.id, meeting.scheduled_at, replaced, moved)

    async def submit_to_meeting(
        self,
        meeting_id: int,
        actor: ActorConfig,
        report: SituationReport,
        *,
        author: str,
        source: str,
        source_key: str,
    ) -> ReportOutcome | None:
        """Stores `actor`'s report for meeting `meeting_id` (a report link's meeting), unless
        one was already stored under `source_key` (then None: "already received").

        Refuses with ``link.error.expired`` once the meeting no longer collects reports."""
        async with self.db.session() as session:
            if await meetings.report_by_source(session, source_key) is not None:
                return None
            meeting = await meetings.get_meeting(session, meeting_id)
            if meeting is None or meeting.state not in meetings.ACTIVE_STATES:
                raise Refusal("link.error.expired.body")
            try:
                replaced = await self._store(
                    session, meeting, actor, report, author, source_key, source
                )
                await session.commit()
            except IntegrityError:  # the same form sent twice at the same moment
                await session.rollback()
                return None
        forum = self.settings.forum(meeting.forum_id)
        if self.after_report is not None and forum is not None:
            await self.after_report(forum, meeting.id)
        return ReportOutcome(actor, report, meeting.id, meeting.scheduled_at, replaced, None)

    async def _store(
        self,
        session: AsyncSession,
        meeting: Meeting,
        actor: ActorConfig,
        report: SituationReport,
        author: str,
        source_key: str | None,
        source: str | None,
    ) -> bool:
        """One way into storage for every report; returns whether it replaced one."""
        _, replaced = await meetings.add_report(
            session,
            meeting_id=meeting.id,
            actor_id=actor.id,
            author=author,
            source_event_id=source_key,
            fields=report.as_dict(),
            at=self.clock.now(),
            source=source,
        )
        return replaced

    async def _meeting_for_report(
        self, session: AsyncSession, forum: ForumConfig, now: datetime
    ) -> tuple[Meeting, str | None]:
        active = await meetings.active_meeting(session, forum.id)
        if active is not None:
            return active, None
        latest = await meetings.latest_meeting(session, forum.id)
        trigger = forum.trigger(self.settings.zone)
        if trigger is None and forum.mode == Mode.AKTIVERAT:
            raise Refusal("activation.not_active", forum=forum.name, id=forum.id)
        if trigger is None:
            raise Refusal("report.no_meeting", forum=forum.name)
        # The next meeting that has not closed yet; one may be running (closed early) today.
        for meeting_at in next_occurrences(trigger, now - forum.meeting_duration, 3):
            meeting = await meetings.scheduled_meeting(session, forum.id, meeting_at)
            if meeting.state == MeetingState.PLANNED:
                closed_recently = latest is not None and latest.state == MeetingState.CLOSED
                return meeting, "after_close" if closed_recently else "before_call_in"
        raise Refusal("report.no_meeting", forum=forum.name)
