"""After a meeting: the roll call, the minutes in the forum room, and återföring, one summary to
each participating actor's home room with what is asked of it and when the next meeting is.

Every home room gets exactly one summary per meeting: the outbox row's dedupe key is
`summary:<meeting>:<actor>`, so closing twice or `!summary` after closing queues nothing new.
A room the bot cannot post to is reported to the admins in the forum room, never skipped quietly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig
from bot.domain.issues import IssueView
from bot.domain.picture import CombinedPicture, Contribution
from bot.matrix.content import Content, notice, ping
from bot.render.changes import change_lines, changes_title
from bot.render.chat_html import facts, outline, with_pings
from bot.render.exercise import exercise_marked
from bot.render.times import when
from bot.services.core import Core, Service
from bot.services.issues import IssueService
from bot.services.outbox import ROUTINE, Outbox
from bot.services.pictures import PictureService
from bot.services.ports import RoomsPort
from bot.services.reserve_mail import ReserveMail
from storage import meetings, outbox
from storage.models.meetings import Meeting


@dataclass
class SummaryResult:
    rooms: set[str] = field(default_factory=set)
    queued: int = 0
    already: int = 0
    mailed: int = 0


def addressed_to(actor: ActorConfig, needs: tuple[Contribution, ...]) -> list[Contribution]:
    """Needs that name the actor (by id or name) are asked of it."""
    keys = {actor.id.casefold(), actor.name.casefold()}
    return [
        need
        for need in needs
        if need.actor.id != actor.id and any(key in need.text.casefold() for key in keys)
    ]


#: Up to this many unreachable home rooms get a notice each; more get one notice together.
SEPARATE_NOTICES = 3
#: A home summary names up to this many actors per list (missing, raised readiness, needs);
#: past it, a count and where the picture is: at national scale a summary in each of 300 home
#: rooms listing 130 needs is read by no one and slows the fan-out.
SUMMARY_LIST_MAX = 10


def _listed(items: list[str], see: str) -> list[str]:
    """`items`, or when they are too many to read at home, their count and where they are."""
    return items if len(items) <= SUMMARY_LIST_MAX else [f"{len(items)} – {see}"]


class SummaryService(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        pictures: PictureService,
        rooms: RoomsPort,
        issues: IssueService,
        *,
        reserve: ReserveMail | None = None,
    ) -> None:
        super().__init__(core)
        #: Summaries by e-mail for home organisations chat does not reach.
        self.reserve = reserve
        self.outbox = outbox
        self.pictures = pictures
        self.rooms = rooms
        self.issues = issues

    async def roll_call(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        """Who was present: members of each participant that are in the forum room now."""
        in_room = self.rooms.members(room_id)
        for actor in self.directory.participants_of(forum):
            present = [m.user for m in self.directory.members_of(actor.id) if m.user in in_room]
            if present:
                await meetings.mark_attendance(
                    session, meeting.id, actor.id, user_id=present[0], present=True
                )

    async def post_minutes(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, meeting: Meeting
    ) -> None:
        t = self.t
        rows = {a.actor_id: a for a in await meetings.attendance(session, meeting.id)}
        participants = self.directory.participants_of(forum)
        reported = [a.name for a in participants if rows.get(a.id) and rows[a.id].reported]
        present = [a.name for a in participants if rows.get(a.id) and rows[a.id].present]
        absent = [a.name for a in participants if not (rows.get(a.id) and rows[a.id].reported)]
        picture = (await self.pictures.render(session, forum, meeting)).picture
        title = t("conf.minutes.title", forum=forum.name, when=self._when(meeting))
        lines = [
            (t("conf.minutes.reported"), ", ".join(reported) or "–"),
            (t("conf.minutes.present"), ", ".join(present) or "–"),
            (t("conf.minutes.missing"), ", ".join(absent) or "–"),
            (t("conf.minutes.needs"), str(len(picture.needs))),
        ]
        text, formatted = facts(title, lines)
        await meetings.add_minutes(
            session,
            meeting_id=meeting.id,
            kind="minutes",
            room_id=room_id,
            html=formatted,
            text=text,
        )
        await self.outbox.add(
            session,
            room_id,
            notice(text, formatted),
            dedupe_key=f"minutes:{meeting.id}",
            priority=ROUTINE,
        )

    async def send(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        forum_room: str,
        meeting: Meeting,
        next_meeting: datetime | None,
    ) -> SummaryResult:
        picture = (await self.pictures.render(session, forum, meeting)).picture
        exercise = await self.pictures.is_exercise(session, meeting)
        owned = {
            actor.id: await self.issues.owned_by_actor(session, actor.id)
            for actor in self.directory.participants_of(forum)
        }
        return await self.send_home(
            session,
            forum,
            forum_room,
            key=f"{meeting.id}",
            content_for=lambda actor: self.summary_content(
                forum, meeting, picture, actor, next_meeting, owned.get(actor.id, [])
            ),
            exercise=exercise,
        )

    async def send_home(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        forum_room: str,
        *,
        key: str,
        content_for: Callable[[ActorConfig], Content],
        exercise: bool = False,
    ) -> SummaryResult:
        """One message to each participant's home room (dedupe key `summary:<key>:<actor>`);
        a home room the bot cannot post to is reported to the admins in the forum room."""
        result = SummaryResult()
        unreachable: list[ActorConfig] = []
        for actor in self.directory.participants_of(forum):
            dedupe = f"summary:{key}:{actor.id}"
            if await outbox.find_by_dedupe_key(session, dedupe) is not None:
                result.already += 1
                continue
            home = await self.rooms.resolve(actor.home_room) if actor.home_room else None
            reachable = home is not None and self.rooms.joined(home)
            if self.reserve is not None and self.reserve.wants_summary(actor, reachable):
                mailed = await self.reserve.summary(
                    session, actor, forum, content_for(actor), key, exercise=exercise
                )
                result.mailed += mailed
            if home is None or not reachable:
                unreachable.append(actor)
                continue
            if self.settings.bot.require_encryption and not await self.rooms.encrypted(home):
                content = notice(self.t("conf.summary.unencrypted", forum=forum.name))
            else:
                content = content_for(actor)
            if exercise:
                content = exercise_marked(self.t, content)
            await self.outbox.add(session, home, content, dedupe_key=dedupe, priority=ROUTINE)
            result.rooms.add(home)
            result.queued += 1
        await self._undeliverable(session, forum_room, key, unreachable)
        if result.mailed and self.reserve is not None:
            self.reserve.wake()
        return result

    def summary_content(
        self,
        forum: ForumConfig,
        meeting: Meeting,
        picture: CombinedPicture,
        actor: ActorConfig,
        next_meeting: datetime | None,
        owned: Sequence[IssueView] = (),
    ) -> dict[str, object]:
        t = self.t
        title = t("conf.summary.title", forum=forum.name, when=self._when(meeting))
        parts: list[tuple[str, list[str]]] = []
        counts = t("conf.summary.counts", reported=picture.reported, expected=picture.expected)
        if len(picture.missing) > SUMMARY_LIST_MAX:
            counts += " " + t("conf.summary.missing_many", count=len(picture.missing))
        elif picture.missing:
            counts += " " + t(
                "conf.summary.missing", actors=", ".join(a.name for a in picture.missing)
            )
        parts.append(("", [counts]))
        if picture.changes is not None:
            zone = self.settings.zone
            parts.append(
                (changes_title(t, picture.changes, zone), change_lines(t, picture.changes))
            )
        see = t("conf.summary.see_picture", forum=forum.name, link=self._link(meeting))
        if picture.raised:
            raised = [f"{row.actor.name}: {row.level}" for row in picture.raised]
            parts.append((t("conf.summary.raised"), _listed(raised, see)))
        if picture.needs:
            needs = [f"{n.actor.name}: {n.text}" for n in picture.needs]
            parts.append((t("conf.summary.needs"), _listed(needs, see)))
        asked = addressed_to(actor, picture.needs)
        parts.append(
            (
                t("conf.summary.asked", actor=actor.name),
                [f"{n.actor.name}: {n.text}" for n in asked] or [t("conf.summary.nothing_asked")],
            )
        )
        if owned:
            parts.append(
                (
                    t("conf.summary.issues", actor=actor.name),
                    [f"#{i.number} {i.title} ({t(f'issue.state.{i.state}')})" for i in owned],
                )
            )
        if next_meeting is not None:
            zone = self.settings.zone
            parts.append(("", [t("conf.summary.next", when=when(t, next_meeting, zone))]))
        return notice(*outline(title, parts))

    def _link(self, meeting: Meeting) -> str:
        public = self.settings.web.public_url
        return f" {public.rstrip('/')}/meetings/{meeting.id}" if public else ""

    async def _undeliverable(
        self, session: AsyncSession, forum_room: str, key: str, actors: Sequence[ActorConfig]
    ) -> None:
        """The admins are told which home rooms the bot could not post to: a notice each for a
        few, one notice naming them all for more (a national forum must not get a thousand)."""
        if not actors:
            return
        if len(actors) <= SEPARATE_NOTICES:
            for actor in actors:
                room = actor.home_room or "–"
                body = self.t("conf.summary.undeliverable", actor=actor.name, room=room)
                await self._tell_admins(
                    session, forum_room, body, f"undeliverable:{key}:{actor.id}"
                )
            return
        names = ", ".join(a.name for a in actors)
        body = self.t("conf.summary.undeliverable_many", count=len(actors), actors=names)
        await self._tell_admins(session, forum_room, body, f"undeliverable:{key}:all")

    async def _tell_admins(
        self, session: AsyncSession, forum_room: str, body: str, dedupe_key: str
    ) -> None:
        admins = list(self.directory.admins)
        await self.outbox.add(
            session,
            forum_room,
            ping(*with_pings(body, admins), admins),
            dedupe_key=dedupe_key,
            priority=ROUTINE,
        )

    def _when(self, meeting: Meeting) -> str:
        moment = meeting.scheduled_at or meeting.opened_at
        return when(self.t, moment, self.settings.zone) if moment else "–"
