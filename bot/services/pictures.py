"""The combined picture (samlad lägesbild) of one meeting: read the reports, compile, render."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig
from bot.domain.changes import compare
from bot.domain.picture import (
    ActorRef,
    CombinedPicture,
    DirectionInfo,
    GroupReportEntry,
    MeetingInfo,
    ReportEntry,
    compile_picture,
    missing,
)
from bot.domain.reports import FIELDS, SituationReport
from bot.matrix.content import Attachment
from bot.render.picture import render_picture, render_picture_head, render_picture_parts
from bot.render.picture_document import render_picture_document
from bot.services.core import Core, Service
from storage import activations, directions, groups, meetings
from storage.models.activations import Activation
from storage.models.meetings import Meeting


@dataclass(frozen=True)
class PicturePost:
    """What goes into the forum room for one picture: the messages (the head first, the rest
    for its thread) and, at national scale, the whole picture as a file in the thread."""

    messages: list[tuple[str, str]]
    document: Attachment | None = None


@dataclass(frozen=True)
class RenderedPicture:
    picture: CombinedPicture
    text: str
    html: str


class PictureService(Service):
    def __init__(self, core: Core) -> None:
        super().__init__(core)

    def participants(self, forum: ForumConfig) -> list[ActorRef]:
        return [ActorRef.of(a) for a in self.directory.participants_of(forum)]

    async def entries(self, session: AsyncSession, meeting: Meeting) -> list[ReportEntry]:
        entries = []
        for row in await meetings.current_reports(session, meeting.id):
            actor = self.settings.actor(row.actor_id)
            ref = (
                ActorRef.of(actor)
                if actor is not None
                else ActorRef(row.actor_id, row.actor_id, "övrig")
            )
            fields = {name: getattr(row, name) for name in FIELDS}
            report = SituationReport.from_dict(fields)
            entries.append(ReportEntry(ref, row.author, row.received_at, report, row.source))
        return entries

    async def missing(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> list[ActorConfig]:
        gone = missing(self.participants(forum), await self.entries(session, meeting))
        return [a for a in self.directory.participants_of(forum) if a.id in {g.id for g in gone}]

    async def direction(self, session: AsyncSession) -> DirectionInfo | None:
        """The joint regional direction in force, shown on top of every picture meanwhile."""
        found = await directions.in_force(session)
        if found is None:
            return None
        return DirectionInfo(
            number=found.id,
            goal=found.goal,
            priorities=found.priorities,
            guidelines=found.guidelines,
            messages=found.joint_messages,
        )

    async def is_exercise(self, session: AsyncSession, meeting: Meeting) -> bool:
        activation = await self._activation(session, meeting)
        return activation is not None and activation.exercise

    async def meeting_info(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> MeetingInfo:
        """What the picture says about the sitting; a reporting round also names its round,
        host (värdskap), reason and whether it is an exercise."""
        starts_at = meeting.scheduled_at or meeting.opened_at or self.clock.now()
        activation = await self._activation(session, meeting)
        if activation is None:
            return MeetingInfo(forum.name, starts_at, meeting.deadline_at)
        host = self.settings.actor(activation.host_actor_id) if activation.host_actor_id else None
        return MeetingInfo(
            forum.name,
            starts_at,
            meeting.deadline_at,
            round_number=meeting.round_number,
            host=host.name if host else activation.host_actor_id,
            exercise=activation.exercise,
            reason=activation.reason,
        )

    async def _activation(self, session: AsyncSession, meeting: Meeting) -> Activation | None:
        if meeting.activation_id is None:
            return None
        return await activations.get(session, meeting.activation_id)

    async def render(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> RenderedPicture:
        picture = await self.compile(session, forum, meeting)
        text, html = render_picture(picture, self.t, self.settings.zone)
        return RenderedPicture(picture, text, html)

    def post(self, picture: CombinedPicture, meeting_id: int) -> PicturePost:
        """The picture as messages that each fit in one event: one, or a head (linking to the
        meeting's web page when `[web] public_url` is set) and parts for its thread; past
        `[reports] picture_thread_parts` parts, the head and the whole picture as a file."""
        public = self.settings.web.public_url
        link = f"{public.rstrip('/')}/meetings/{meeting_id}" if public else None
        zone, t = self.settings.zone, self.t
        messages = render_picture_parts(picture, t, zone, link=link)
        if len(messages) - 1 <= self.settings.reports.picture_thread_parts:
            return PicturePost(messages)
        note = t("picture.attached", actors=picture.reported + picture.extras)
        head = render_picture_head(picture, t, zone, note, link=link)
        return PicturePost([head], render_picture_document(picture, t, zone))

    async def compile(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> CombinedPicture:
        """The meeting's combined picture as the reports stand now (not rendered), with what
        changed since the previous meeting or round."""
        picture = await self._compile(session, forum, meeting)
        previous = await meetings.previous_meeting(session, meeting)
        if previous is None:
            return picture
        before = await self._compile(session, forum, previous)
        return replace(picture, changes=compare(before, picture))

    async def _compile(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> CombinedPicture:
        info = await self.meeting_info(session, forum, meeting)
        return compile_picture(
            info,
            self.participants(forum),
            await self.entries(session, meeting),
            self.settings.reports.readiness_levels,
            group_reports=[
                GroupReportEntry(group.name, report.author, report.text, report.at)
                for group, report in await groups.reports_for_meeting(session, meeting.id)
            ],
            direction=await self.direction(session),
        )
