"""The routine of a scheduled forum (the Thursday samverkanskonferens): call-in, reminder,
combined picture at the deadline, start, close with minutes and summaries home.

Each step records when it was done in the meeting row, in the same transaction as the outbox rows
it posts (with a dedupe key), so a step that runs twice (restart, misfire) posts nothing twice,
and a crash loses nothing: either the step and its messages were committed, or neither was.
"""

from __future__ import annotations

import logging
from datetime import datetime

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig
from bot.domain.calendar import Stage, next_meeting
from bot.domain.errors import Refusal
from bot.matrix.content import in_reply_to, notice, ping
from bot.render.chat_html import pills, with_pings
from bot.render.exercise import exercise_marked
from bot.render.picture import render_report_format
from bot.render.times import clock, when
from bot.services.core import Core, Service
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.issues import IssueService
from bot.services.outbox import ROUTINE, Outbox
from bot.services.pictures import PicturePost, PictureService
from bot.services.report_links import ReportLinks
from bot.services.reserve_mail import ReserveMail
from bot.services.summaries import SummaryService
from storage import meetings, outbox
from storage.models.meetings import Meeting, MeetingKind, MeetingState

log = logging.getLogger(__name__)


class ConferenceService(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        forums: Forums,
        pictures: PictureService,
        summaries: SummaryService,
        issues: IssueService,
        duty: Duty,
        report_links: ReportLinks | None = None,
        *,
        reserve: ReserveMail | None = None,
    ) -> None:
        super().__init__(core)
        #: The picture by e-mail to each forum's ``email_to`` at the deadline.
        self.reserve = reserve
        self.duty = duty
        self.outbox = outbox
        self.forums = forums
        self.pictures = pictures
        self.summaries = summaries
        self.issues = issues
        #: Adds a report link per participant without Matrix to every call-in.
        self.report_links = report_links

    # -- scheduled steps ---------------------------------------------------------------

    async def run_step(self, forum_id: str, stage: Stage, meeting_at: datetime) -> None:
        forum = self.settings.forum(forum_id)
        if forum is None:
            log.warning("step %s for unknown forum %s ignored", stage, forum_id)
            return
        room_id = await self.forums.room_of(forum)
        if room_id is None:
            log.error(
                "forum room %s of %s cannot be resolved; step %s skipped",
                forum.room,
                forum.id,
                stage,
            )
            return
        touched: set[str] = {room_id}
        async with self.db.session() as session:
            meeting = await meetings.scheduled_meeting(session, forum.id, meeting_at)
            if stage == "call_in":
                await self._call_in(session, forum, room_id, meeting)
            elif stage == "reminder":
                await self.remind(session, forum, room_id, meeting)
            elif stage == "deadline":
                await self.deadline(session, forum, room_id, meeting)
            elif stage == "start":
                await self._start(session, forum, room_id, meeting)
            elif stage == "close":
                touched |= await self._close(session, forum, room_id, meeting)
            await session.commit()
        self.outbox.wake(touched)

    async def _call_in(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        if meeting.call_in_at is not None or meeting.state != MeetingState.PLANNED:
            return
        assert meeting.scheduled_at is not None
        deadline = meeting.scheduled_at - forum.report_deadline_before
        agenda = await self.issues.agenda(session, forum, meeting.scheduled_at)
        content = self.call_in_content(forum, meeting.scheduled_at, deadline, agenda=agenda)
        await self.call_in(session, room_id, meeting, deadline, content)
        log.info(
            "call-in for %s %s", forum.id, when(self.t, meeting.scheduled_at, self.settings.zone)
        )

    async def call_in(
        self,
        session: AsyncSession,
        room_id: str,
        meeting: Meeting,
        deadline: datetime,
        content: dict[str, object],
    ) -> None:
        """Starts collecting reports for `meeting` with the call-in `content`; a reply in the
        call-in's thread is a report (`forum_of_call_in` finds it by its dedupe key)."""
        meeting.deadline_at = deadline
        meeting.call_in_at = self.clock.now()
        meeting.state = MeetingState.CALLED
        content = self._with_links(content, meeting)
        await self._post(session, meeting, room_id, content, f"call-in:{meeting.id}")

    def call_in_content(
        self,
        forum: ForumConfig,
        meeting_at: datetime,
        deadline: datetime | None,
        headline: str | None = None,
        agenda: tuple[str, str] | None = None,
    ) -> dict[str, object]:
        """A ping to every member of every participating actor, with the agenda (a scheduled
        meeting's standing items and issues) and the report format."""
        t, zone = self.t, self.settings.zone
        users = self._members_of(self.directory.participants_of(forum))
        headline = headline or t(
            "conf.call_in",
            forum=forum.name,
            when=when(t, meeting_at, zone),
            deadline=clock(deadline, zone) if deadline else "–",
        )
        format_text, format_html = render_report_format(t, self.settings.reports.readiness_levels)
        agenda_text, agenda_html = agenda or ("", "")
        parts = [headline, t("conf.called", users=", ".join(users)), ""]
        parts += [agenda_text, ""] if agenda_text else []
        body = "\n".join([*parts, format_text])
        formatted = Markup("<p><b>{}</b></p><p>{}{}</p>{}{}").format(
            headline,
            t("conf.called", users=""),
            pills(users),
            Markup(agenda_html),
            Markup(format_html),
        )
        return ping(body, formatted, users)

    async def remind(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        """Pings the members of the actors that have not reported yet (once per meeting)."""
        if meeting.reminded_at is not None or meeting.state != MeetingState.CALLED:
            return
        meeting.reminded_at = self.clock.now()
        absent = await self.pictures.missing(session, forum, meeting)
        if not absent:
            return
        t, zone = self.t, self.settings.zone
        users = self._members_of(absent)
        names = ", ".join(a.name for a in absent)
        body = t(
            "conf.reminder",
            forum=forum.name,
            when=self._label(meeting),
            actors=names,
            deadline=clock(meeting.deadline_at, zone) if meeting.deadline_at else "–",
        )
        content = ping(*with_pings(body, users), users)
        await self._post(session, meeting, room_id, content, f"reminder:{meeting.id}")

    async def deadline(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        """The combined picture at the report deadline (once per meeting)."""
        if meeting.picture_at is not None or meeting.state == MeetingState.CLOSED:
            return
        meeting.picture_at = self.clock.now()
        key = f"picture:{meeting.id}"
        await self.post_picture(session, forum, room_id, meeting, dedupe_key=key)
        if self.reserve is not None and forum.email_to:
            rendered = await self.pictures.render(session, forum, meeting)
            exercise = await self.pictures.is_exercise(session, meeting)
            content = notice(rendered.text, rendered.html)
            link = f"/meetings/{meeting.id}"
            await self.reserve.picture(
                session, forum, content, str(meeting.id), exercise=exercise, link=link
            )
            self.reserve.wake()

    async def _start(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        if meeting.opened_at is not None or meeting.state == MeetingState.CLOSED:
            return
        meeting.opened_at = self.clock.now()
        meeting.state = MeetingState.OPEN
        reports = await self.pictures.entries(session, meeting)
        expected = len(self.directory.participants_of(forum))
        text = self.t("conf.start", forum=forum.name, reported=len(reports), expected=expected)
        await self._post(session, meeting, room_id, notice(text), f"start:{meeting.id}")

    async def _close(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> set[str]:
        if meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED):
            return set()
        return await self.close_meeting(session, forum, room_id, meeting)

    # -- by hand -------------------------------------------------------------------------

    async def open_by_hand(self, forum: ForumConfig) -> tuple[Meeting, bool]:
        """`!meeting start`: opens the forum's meeting now (a call-in if none was sent)."""
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            meeting = await meetings.active_meeting(session, forum.id)
            if meeting is not None and meeting.state == MeetingState.OPEN:
                return meeting, False
            now = self.clock.now()
            if meeting is None:
                meeting = await meetings.manual_meeting(session, forum.id, now)
                await self.outbox.add(
                    session,
                    room_id,
                    self._with_links(self.call_in_content(forum, now, None), meeting),
                    dedupe_key=f"call-in:{meeting.id}",
                    priority=ROUTINE,
                )
                meeting.call_in_at = now
            meeting.state = MeetingState.OPEN
            meeting.opened_at = meeting.opened_at or now
            await session.commit()
        self.outbox.wake({room_id})
        return meeting, True

    async def close_by_hand(self, forum: ForumConfig) -> Meeting:
        """`!meeting close`: closes the meeting that is collecting reports or sitting."""
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            meeting = await meetings.active_meeting(session, forum.id)
            if meeting is None:
                raise Refusal("conf.nothing_to_close", forum=forum.name)
            touched = await self.close_meeting(session, forum, room_id, meeting)
            await session.commit()
        self.outbox.wake(touched | {room_id})
        return meeting

    async def picture_now(self, forum: ForumConfig, reply_to: str | None = None) -> None:
        """`!picture`: the combined picture of the current (or latest) meeting, now."""
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            meeting = await self._current_or_latest(session, forum)
            await self.post_picture(
                session, forum, room_id, meeting, dedupe_key=None, reply_to=reply_to
            )
            await session.commit()
        self.outbox.wake({room_id})

    async def missing_now(self, forum: ForumConfig) -> tuple[Meeting, list[ActorConfig]]:
        async with self.db.session() as session:
            meeting = await self._current_or_latest(session, forum)
            return meeting, await self.pictures.missing(session, forum, meeting)

    async def summaries_now(self, forum: ForumConfig) -> tuple[int, int]:
        """`!summary`: summaries home for the latest meeting; (newly queued, already sent)."""
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            meeting = await self._current_or_latest(session, forum)
            following = self._next(forum, meeting)
            result = await self.summaries.send(session, forum, room_id, meeting, following)
            await session.commit()
        self.outbox.wake(result.rooms | {room_id})
        return result.queued, result.already

    async def forum_of_call_in(self, event_id: str) -> ForumConfig | None:
        """The forum whose call-in is the Matrix event `event_id` (a thread root)."""
        async with self.db.session() as session:
            row = await outbox.find_by_event_id(session, event_id)
            key = row.dedupe_key if row is not None else None
            if key is None or not key.startswith("call-in:"):
                return None
            meeting = await meetings.get_meeting(session, int(key.split(":")[1]))
        return self.settings.forum(meeting.forum_id) if meeting is not None else None

    # -- shared ------------------------------------------------------------------------

    async def post_picture(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        room_id: str,
        meeting: Meeting,
        dedupe_key: str | None,
        reply_to: str | None = None,
    ) -> None:
        rendered = await self.pictures.render(session, forum, meeting)
        await meetings.add_minutes(
            session,
            meeting_id=meeting.id,
            kind="picture",
            room_id=room_id,
            html=rendered.html,
            text=rendered.text,
        )
        post = PicturePost([(self.t("conf.picture.unencrypted", forum=forum.name), "")])
        if not await self.forums.withholds(room_id):
            post = self.pictures.post(rendered.picture, meeting.id)
        parts = [notice(text, formatted or None) for text, formatted in post.messages]
        if reply_to is not None:
            parts[0] = in_reply_to(parts[0], reply_to)
        if await self.pictures.is_exercise(session, meeting):
            parts[0] = exercise_marked(self.t, parts[0])
        head = await self.outbox.add_parts(
            session, room_id, parts, dedupe_key=dedupe_key, priority=ROUTINE
        )
        if post.document is not None:
            await self.outbox.add_file(
                session,
                room_id,
                post.document,
                thread_of=head,
                dedupe_key=f"{dedupe_key}:file" if dedupe_key else None,
                priority=ROUTINE,
            )

    async def close_meeting(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> set[str]:
        """Roll call, minutes in the forum room, summaries home; returns the rooms posted to."""
        meeting.state = MeetingState.CLOSED
        meeting.closed_at = self.clock.now()
        await self.summaries.roll_call(session, forum, room_id, meeting)
        await self.summaries.post_minutes(session, forum, room_id, meeting)
        following = self._next(forum, meeting)
        result = await self.summaries.send(session, forum, room_id, meeting, following)
        return result.rooms

    async def _post(
        self,
        session: AsyncSession,
        meeting: Meeting,
        room_id: str,
        content: dict[str, object],
        dedupe_key: str | None,
    ) -> None:
        """Queues routine output for `meeting`, marked when it belongs to an exercise."""
        if await self.pictures.is_exercise(session, meeting):
            content = exercise_marked(self.t, content)
        await self.outbox.add(session, room_id, content, dedupe_key=dedupe_key, priority=ROUTINE)

    def _with_links(self, content: dict[str, object], meeting: Meeting) -> dict[str, object]:
        forum = self.settings.forum(meeting.forum_id)
        if self.report_links is None or forum is None:
            return content
        return self.report_links.with_links(content, forum, meeting)

    def _label(self, meeting: Meeting) -> str:
        """How a meeting is named in messages: its time, or the activation's round."""
        if meeting.kind == MeetingKind.ACTIVATED:
            return self.t("picture.round", number=meeting.round_number)
        moment = meeting.scheduled_at or meeting.opened_at or self.clock.now()
        return when(self.t, moment, self.settings.zone)

    def _next(self, forum: ForumConfig, meeting: Meeting) -> datetime | None:
        """The meeting after `meeting` (or after now, if that is later)."""
        trigger = forum.trigger(self.settings.zone)
        if trigger is None:
            return None
        after = max(self.clock.now(), meeting.scheduled_at or self.clock.now())
        return next_meeting(forum, trigger, after + forum.meeting_duration)

    async def _current_or_latest(self, session: AsyncSession, forum: ForumConfig) -> Meeting:
        """The meeting now taking reports, else the last one held; refuses if there is none."""
        meeting = await meetings.active_meeting(session, forum.id) or (
            await meetings.latest_meeting(session, forum.id)
        )
        if meeting is None:
            raise Refusal("conf.no_meeting_yet", forum=forum.name)
        return meeting

    def _members_of(self, actors: list[ActorConfig]) -> list[str]:
        users: list[str] = []
        for actor in actors:
            users += [u for u in self.duty.members_reached(actor.id) if u not in users]
        return users
