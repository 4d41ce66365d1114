"""The combined picture (samlad lägesbild) of one meeting: read the reports, compile, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig, Settings
from bot.domain.picture import (
    ActorRef,
    CombinedPicture,
    MeetingInfo,
    ReportEntry,
    compile_picture,
    missing,
)
from bot.domain.reports import FIELDS, SituationReport
from bot.render.catalogue import Catalogue
from bot.render.picture import render_picture
from storage import meetings
from storage.models.meetings import Meeting


@dataclass(frozen=True)
class RenderedPicture:
    picture: CombinedPicture
    text: str
    html: str


class PictureService:
    def __init__(self, settings: Settings, catalogue: Catalogue) -> None:
        self.settings = settings
        self.catalogue = catalogue

    def participants(self, forum: ForumConfig) -> list[ActorRef]:
        return [ActorRef.of(a) for a in self.settings.participants_of(forum)]

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
            entries.append(
                ReportEntry(ref, row.author, row.received_at, SituationReport.from_dict(fields))
            )
        return entries

    async def missing(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> list[ActorConfig]:
        gone = missing(self.participants(forum), await self.entries(session, meeting))
        return [a for a in self.settings.participants_of(forum) if a.id in {g.id for g in gone}]

    async def render(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> RenderedPicture:
        info = MeetingInfo(
            forum_name=forum.name,
            starts_at=meeting.scheduled_at or meeting.opened_at or datetime.now(UTC),
            deadline_at=meeting.deadline_at,
        )
        picture = compile_picture(
            info,
            self.participants(forum),
            await self.entries(session, meeting),
            self.settings.reports.readiness_levels,
        )
        text, html = render_picture(picture, self.catalogue, self.settings.zone)
        return RenderedPicture(picture, text, html)
