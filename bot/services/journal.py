"""The stabsjournal of a meeting or an activation, read from the audit log and the reports
(`bot.domain.journal`), and ``!log`` notes written into the audit log.

Which entries belong: those about the meeting or activation itself, its alerts and its working
groups, whenever they were written; and those about its forum, the forum's issues and groups,
the joint direction and duty hand-offs while it ran (from call-in, or the request, to its close
or end; until now while it runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.domain.errors import Refusal
from bot.domain.journal import (
    LOG,
    REPLACED_REPORT,
    REPORT,
    JournalEntry,
    JournalRecord,
    PictureCopy,
    ordered,
    shown_values,
)
from bot.domain.reports import FIELDS
from bot.domain.timeline import as_utc
from bot.matrix.content import Attachment
from bot.render.direction import direction_rows
from bot.render.journal import PDF_MIMETYPE, file_stem, journal_archive, journal_html, journal_pdf
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import Outbox
from bot.services.pictures import PictureService
from storage import activations, alerts, audit, directions, groups, listings, meetings
from storage.models.groups import GroupReport, WorkingGroup
from storage.models.infra import AuditEntry
from storage.models.meetings import Meeting, MeetingState, SituationReport

#: Longest `!log` note, in characters.
MAX_NOTE = 4000
#: The joint regional direction is on top of every picture: its steps are in every journal.
DIRECTION_ACTIONS = ("direction.draft", "direction.adopt")
#: A group report's audit row says only that it came; the journal reads the report's own row.
GROUP_REPORT = "group.report"


@dataclass(frozen=True)
class Window:
    """From `since` to `until` (open-ended while the meeting or activation runs)."""

    since: datetime
    until: datetime | None

    def holds(self, moment: datetime) -> bool:
        at = as_utc(moment)
        return as_utc(self.since) <= at and (self.until is None or at <= as_utc(self.until))


@dataclass(frozen=True)
class LogScope:
    forum: ForumConfig
    scope: str
    ref: int | None


class JournalService(Service):
    def __init__(
        self, core: Core, forums: Forums, pictures: PictureService, outbox: Outbox
    ) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.forums = forums
        self.pictures = pictures

    # -- writing ------------------------------------------------------------------------

    async def log(self, user_id: str, room_id: str, text: str) -> LogScope:
        """`!log text` in a forum's room: into the running activation's journal, else the
        current meeting's, else the forum's."""
        text = text.strip()
        if not text:
            raise Refusal("journal.empty")
        if len(text) > MAX_NOTE:
            raise Refusal("journal.too_long", length=len(text), max=MAX_NOTE)
        forum = await self.forums.of_room(room_id)
        if forum is None:
            raise Refusal("journal.not_forum")
        async with self.db.session() as session:
            scope = await self._scope(session, forum)
            subject = f"{scope.scope}:{scope.ref}" if scope.ref is not None else f"forum:{forum.id}"
            actors = self.directory.actor_ids_of(user_id)
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action=LOG,
                subject=subject,
                details={"text": text, "forum": forum.id, "actor": actors[0] if actors else None},
            )
            await session.commit()
        return scope

    async def _scope(self, session: AsyncSession, forum: ForumConfig) -> LogScope:
        running = await activations.active(session, forum.id)
        if running is not None:
            return LogScope(forum, "activation", running.id)
        latest = await meetings.latest_meeting(session, forum.id)
        if latest is not None and latest.state != MeetingState.CLOSED:
            return LogScope(forum, "meeting", latest.id)
        return LogScope(forum, "forum", None)

    async def scope_of_room(self, room_id: str, wanted: str | None) -> tuple[str, int]:
        """What `!export [meeting|activation]` in this room means: the running or latest
        activation or meeting of the room's forum."""
        forum = await self.forums.of_room(room_id)
        if forum is None:
            raise Refusal("journal.not_forum")
        async with self.db.session() as session:
            if wanted in (None, "activation"):
                found = await listings.activations(session, [forum.id], limit=1)
                if found:
                    return "activation", found[0].id
                if wanted == "activation":
                    raise Refusal("journal.no_activation", forum=forum.name)
            latest = await meetings.latest_meeting(session, forum.id)
            if latest is None or latest.activation_id is not None:
                raise Refusal("journal.no_meeting", forum=forum.name)
            return "meeting", latest.id

    async def export(self, room_id: str, wanted: str | None) -> JournalRecord:
        """`!export`: the journal and pictures as a PDF posted into the room (uploaded
        encrypted where the room is, by the outbox sender)."""
        scope, ref = await self.scope_of_room(room_id, wanted)
        record = await (self.of_activation(ref) if scope == "activation" else self.of_meeting(ref))
        if record is None:
            raise Refusal("journal.not_forum")
        data = await self.pdf(record)
        document = Attachment(f"{file_stem(record)}.pdf", PDF_MIMETYPE, data)
        async with self.db.session() as session:
            await self.outbox.add_file(session, room_id, document)
            await session.commit()
        self.outbox.wake([room_id])
        return record

    async def pdf(self, record: JournalRecord) -> bytes:
        """The record as PDF, made off the event loop (a day's journal takes a while)."""
        html = journal_html(self.t, self.settings.zone, record, self.clock.now())
        return await asyncio.to_thread(journal_pdf, html)

    def archive(self, record: JournalRecord) -> bytes:
        return journal_archive(self.t, self.settings.zone, record, self.clock.now())

    # -- reading ------------------------------------------------------------------------

    async def of_meeting(self, meeting_id: int) -> JournalRecord | None:
        async with self.db.session() as session:
            meeting = await meetings.get_meeting(session, meeting_id)
            forum = self.settings.forum(meeting.forum_id) if meeting else None
            if meeting is None or forum is None:
                return None
            if meeting.activation_id is not None:
                return await self._of_activation(session, meeting.activation_id)
            start = meeting.call_in_at or meeting.scheduled_at or self.clock.now()
            own = {f"meeting:{meeting.id}"}
            entries = await self._entries(session, forum, own, start, meeting.closed_at, None)
            entries += self._reports(await meetings.all_reports(session, meeting.id))
            picture = await self.pictures.render(session, forum, meeting)
            return JournalRecord(
                forum.id,
                forum.name,
                "meeting",
                meeting.id,
                start,
                meeting.closed_at,
                False,
                None,
                tuple(ordered(entries)),
                (self._copy(meeting, picture.text, picture.html),),
            )

    async def of_activation(self, activation_id: int) -> JournalRecord | None:
        async with self.db.session() as session:
            return await self._of_activation(session, activation_id)

    async def _of_activation(
        self, session: AsyncSession, activation_id: int
    ) -> JournalRecord | None:
        row = await activations.get(session, activation_id)
        forum = self.settings.forum(row.forum_id) if row else None
        if row is None or forum is None or row.activated_at is None:
            return None
        rounds = await activations.rounds(session, row.id)
        own = {f"activation:{row.id}"}
        own |= {f"alert:{a.id}" for a in await alerts.of_activation(session, row.id)}
        own |= {f"group:{g.id}" for g in await groups.of_activation(session, row.id)}
        own |= {f"meeting:{m.id}" for m in rounds}
        entries = await self._entries(session, forum, own, row.requested_at, row.ended_at, row.id)
        pictures = []
        for meeting in rounds:
            entries += self._reports(await meetings.all_reports(session, meeting.id))
            if meeting.call_in_at is not None:
                rendered = await self.pictures.render(session, forum, meeting)
                pictures.append(self._copy(meeting, rendered.text, rendered.html))
        return JournalRecord(
            forum.id,
            forum.name,
            "activation",
            row.id,
            row.requested_at,
            row.ended_at,
            row.exercise,
            row.reason,
            tuple(ordered(entries)),
            tuple(pictures),
        )

    async def _entries(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        own: set[str],
        since: datetime,
        until: datetime | None,
        activation_id: int | None,
    ) -> list[JournalEntry]:
        issues = await listings.issues(session, forum_ids=[forum.id], include_closed=True)
        forum_groups = await listings.groups_of_forums(
            session, [forum.id], activation_id=activation_id
        )
        around = {f"forum:{forum.id}", *(f"issue:{i.number}" for i in issues)}
        around |= {f"group:{g.id}" for g in forum_groups}
        around |= {f"duty:{r.function}" for r in self.settings.rosters}
        found = await audit.about(session, own)
        found += [
            e
            for e in await audit.about(session, around, since=since, until=until)
            if e.subject not in own
        ]
        directions = await audit.actions(session, DIRECTION_ACTIONS, since, until)
        found += [e for e in directions if e.subject not in own]
        found.sort(key=lambda e: (as_utc(e.at), e.id))  # as written, whatever their subject
        texts = await self._direction_texts(session, found)
        entries = [
            self._from_audit(forum, e, texts.get(e.subject or ""))
            for e in found
            if not e.action.startswith("command.") and e.action != GROUP_REPORT
        ]
        window = Window(since, until)
        for group in forum_groups:
            mine = f"group:{group.id}" in own
            entries += [
                self._group_report(group, r) for r in group.reports if mine or window.holds(r.at)
            ]
        return entries

    def _from_audit(
        self, forum: ForumConfig, entry: AuditEntry, text: str | None = None
    ) -> JournalEntry:
        details = entry.details or {}
        actor_id = details.get("actor") if isinstance(details.get("actor"), str) else None
        values = shown_values(details)
        if values.get("forum") == forum.id:  # the journal's own forum goes without saying
            del values["forum"]
        host = self.settings.actor(values.get("host", ""))
        if host is not None:
            values["host"] = host.name
        return JournalEntry(
            entry.at,
            entry.action,
            entry.actor,
            self._actor_name(entry.actor, actor_id),
            {"text": text, **values} if text else values,
        )

    async def _direction_texts(
        self, session: AsyncSession, found: Sequence[AuditEntry]
    ) -> dict[str, str]:
        """What each direction in `found` says, by subject: the audit row names it, the
        direction's own row holds its parts."""
        texts = {}
        for subject in {e.subject for e in found if e.action in DIRECTION_ACTIONS}:
            number = int(subject.split(":", 1)[1]) if subject else 0
            direction = await directions.get(session, number)
            if direction is None:
                continue
            parts = "; ".join(f"{k}: {v}" for k, v in direction_rows(self.t, direction))
            texts[f"direction:{number}"] = f"#{number} {parts}"
        return texts

    def _group_report(self, group: WorkingGroup, report: GroupReport) -> JournalEntry:
        """A group's report, from the group's own row (the audit row says only that it came)."""
        return JournalEntry(
            report.at,
            GROUP_REPORT,
            report.author,
            self._actor_name(report.author, None),
            {"group": group.name, "text": report.text},
        )

    def _reports(self, rows: Sequence[SituationReport]) -> list[JournalEntry]:
        entries = []
        for row in rows:
            actor = self.settings.actor(row.actor_id)
            text = "; ".join(
                f"{self.t(f'report.field.{name}')}: {getattr(row, name)}"
                for name in FIELDS
                if getattr(row, name)
            )
            entries.append(
                JournalEntry(
                    row.received_at,
                    REPORT if row.current else REPLACED_REPORT,
                    row.author,
                    actor.name if actor else row.actor_id,
                    {"text": text},
                )
            )
        return entries

    def _actor_name(self, user_id: str, actor_id: str | None) -> str | None:
        if actor_id:
            actor = self.settings.actor(actor_id)
            return actor.name if actor else actor_id
        actors = self.directory.actors_of(user_id)
        return actors[0].name if actors else None

    @staticmethod
    def _copy(meeting: Meeting, text: str, html: str) -> PictureCopy:
        moment = meeting.scheduled_at or meeting.call_in_at
        return PictureCopy(meeting.kind, meeting.round_number, moment, text, html)
