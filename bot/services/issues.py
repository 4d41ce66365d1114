"""Issues (ärenden): raised in a forum, lifted between forums, assigned, decided, followed up and
closed (examples 1 and 2 of the model description). The rules are `bot.domain.issues`; this
service applies them to the stored issue, posts what other forums must know, and keeps the
history. Every change is in the audit log, in the same transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.domain.dates import parse_date
from bot.domain.errors import Refusal
from bot.domain.issues import (
    IssueAction,
    IssueEventView,
    IssueState,
    IssueView,
    Owner,
    assign,
    check_decide,
    escalate,
    followup_event_text,
    next_state,
    parse_owner,
    split_raise,
)
from bot.matrix.content import notice, ping
from bot.render.chat_html import with_pings
from bot.render.issue import render_agenda
from bot.render.times import when
from bot.scheduling.kinds import JobKind
from bot.services.core import Core, Service
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.outbox import ROUTINE, Outbox
from bot.services.ports import TimersPort
from storage import audit, issues, meetings
from storage.models.issues import Issue

log = logging.getLogger(__name__)

FOLLOWUP_JOB = JobKind.ISSUE_FOLLOWUP


class IssueService(Service):
    def __init__(
        self, core: Core, outbox: Outbox, forums: Forums, timers: TimersPort, duty: Duty
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.outbox = outbox
        self.forums = forums
        self.timers = timers

    # -- acting on issues ---------------------------------------------------------------

    async def raise_issue(
        self, forum: ForumConfig, user_id: str, text: str, event_id: str | None
    ) -> Issue:
        """`!raise title | description` in a forum room: issue #N, linked to the meeting that
        is open or collecting reports, if any."""
        self.directory.require_participant(user_id, forum)
        title, description = split_raise(text)
        participants = {a.id for a in self.directory.participants_of(forum)}
        mine = [a.id for a in self.directory.actors_of(user_id)]
        actor = next((a for a in mine if a in participants), mine[0] if mine else None)
        async with self.db.session() as session:
            meeting = await meetings.active_meeting(session, forum.id)
            issue = await issues.create(
                session,
                title=title,
                description=description,
                forum_id=forum.id,
                raised_by=user_id,
                actor_id=actor,
                meeting_id=meeting.id if meeting else None,
                at=self.clock.now(),
            )
            await self._audit(session, user_id, "issue.raise", issue, {"forum": forum.id})
            await session.commit()
        return issue

    async def escalate(self, number: int, target_name: str, user_id: str) -> tuple[str, str]:
        """`!escalate N FORUM`: lifts the issue; the receiving forum's room is told. Returns the
        names of the forums it went from and to."""
        target = self.forums.find(target_name)
        if target is None:
            known = ", ".join(f.id for f in self.settings.forums)
            raise Refusal("issue.unknown_forum", name=target_name, forums=known)
        room_id = await self.forums.room_of(target)
        async with self.db.session() as session:
            issue, source = await self._issue_in_forum(session, number, user_id)
            issue.state = escalate(
                issue.state,
                number=number,
                from_forum_id=source.id,
                to_forum_id=target.id,
                to_forum_name=target.name,
            )
            issue.forum_id = target.id
            await self._step(
                session,
                issue,
                user_id,
                IssueAction.ESCALATE,
                target.id,
                action="issue.escalate",
                details={"from": source.id, "to": target.id},
            )
            if room_id is not None:
                text = self.t(
                    "issue.escalated_here",
                    number=number,
                    source=source.name,
                    user=user_id,
                    title=issue.title,
                )
                await self.outbox.add(session, room_id, notice(text), priority=ROUTINE)
            await session.commit()
        if room_id is not None:
            self.outbox.wake({room_id})
        return source.name, target.name

    async def assign(self, number: int, owner_text: str, user_id: str) -> str:
        """`!assign N ACTOR|@user|FUNCTION`: returns the owner as shown."""
        owner = parse_owner(
            owner_text, [a.id for a in self.settings.actors], sorted(self.directory.functions)
        )
        label = self.owner_label(owner)
        async with self.db.session() as session:
            issue, _ = await self._issue_in_forum(session, number, user_id)
            current = Owner(issue.owner_kind, issue.owner_ref) if issue.owner_ref else None  # type: ignore[arg-type]
            issue.state = assign(
                issue.state, number=number, current=current, new=owner, new_label=label
            )
            issue.owner_kind, issue.owner_ref = owner.kind, owner.ref
            await self._step(
                session,
                issue,
                user_id,
                IssueAction.ASSIGN,
                issue.forum_id,
                text=label,
                action="issue.assign",
                details={"kind": owner.kind, "ref": owner.ref},
            )
            await session.commit()
        return label

    async def decide(self, number: int, text: str, user_id: str) -> None:
        """`!decide N text`: only the host function of the forum the issue sits in, or admins."""
        async with self.db.session() as session:
            issue, forum = await self._issue_in_forum(session, number, user_id)
            check_decide(
                self.directory.functions_of(user_id),
                forum.host_function,
                self._admin(user_id),
                forum_name=forum.name,
            )
            issue.state = next_state(issue.state, IssueAction.DECIDE, number=number)
            await self._step(
                session,
                issue,
                user_id,
                IssueAction.DECIDE,
                forum.id,
                text=text,
                action="issue.decide",
                details={"decision": text},
            )
            await session.commit()

    async def schedule_followup(self, number: int, date_text: str, user_id: str) -> datetime:
        """`!followup N DATE`: a reminder to the owner in the issue's forum at that time."""
        at = parse_date(date_text, self.clock.now(), self.settings.zone)
        async with self.db.session() as session:
            issue, forum = await self._issue_in_forum(session, number, user_id)
            issue.state = next_state(issue.state, IssueAction.SCHEDULE_FOLLOWUP, number=number)
            issue.followup_at = at
            await self._step(
                session,
                issue,
                user_id,
                IssueAction.SCHEDULE_FOLLOWUP,
                forum.id,
                text=followup_event_text(at),
                action="issue.followup",
                details={"at": at.isoformat()},
            )
            await session.commit()
        await self.timers.at(
            f"issue:{number}:followup",
            FOLLOWUP_JOB,
            at,
            (number, at.isoformat()),
            grace=timedelta(days=7),
        )
        return at

    async def followup_due(self, number: int, at_iso: str) -> None:
        """The follow-up timer: the owner is pinged in the issue's forum room (once)."""
        rooms: set[str] = set()
        async with self.db.session() as session:
            issue = await issues.get(session, number)
            if issue is None or issue.state == IssueState.CLOSED:
                return
            if issue.followup_at is None or issue.followup_at != datetime.fromisoformat(at_iso):
                return  # moved to another time since; that timer will do it
            forum = self.settings.forum(issue.forum_id)
            room_id = await self.forums.room_of(forum) if forum else None
            if forum is None or room_id is None:
                log.error("follow-up of issue %s: forum %s has no room", number, issue.forum_id)
                return
            users = self.owner_users(issue) or [issue.raised_by]
            text = self.t("issue.followup_due", number=number, title=issue.title, forum=forum.name)
            await self.outbox.add(
                session,
                room_id,
                ping(*with_pings(text, users, block=True), users),
                dedupe_key=f"issue-followup:{number}:{at_iso}",
                priority=ROUTINE,
            )
            issue.state = next_state(issue.state, IssueAction.FOLLOW_UP, number=number)
            await self._step(
                session,
                issue,
                audit.SYSTEM,
                IssueAction.FOLLOW_UP,
                forum.id,
                action="issue.followup_due",
                details=None,
            )
            await session.commit()
            rooms.add(room_id)
        self.outbox.wake(rooms)

    async def close(self, number: int, text: str | None, user_id: str) -> None:
        async with self.db.session() as session:
            issue, forum = await self._issue_in_forum(session, number, user_id)
            issue.state = next_state(issue.state, IssueAction.CLOSE, number=number)
            issue.closed_at = self.clock.now()
            await self._step(
                session,
                issue,
                user_id,
                IssueAction.CLOSE,
                forum.id,
                text=text,
                action="issue.close",
                details={"note": text},
            )
            await session.commit()
        await self.timers.cancel(f"issue:{number}:")

    # -- reading ------------------------------------------------------------------------

    async def view(self, number: int) -> IssueView:
        async with self.db.session() as session:
            issue = await issues.get(session, number)
            if issue is None:
                raise Refusal("issue.not_found", number=number)
            return self.to_view(issue)

    async def open_issues(self, forum: ForumConfig | None) -> list[IssueView]:
        async with self.db.session() as session:
            found = await issues.open_in(session, [forum.id] if forum else None)
            return [self.to_view(i) for i in found]

    async def agenda(
        self, session: AsyncSession, forum: ForumConfig, meeting_at: datetime
    ) -> tuple[str, str]:
        """The meeting's agenda: the standing items, and the issues lifted to the forum or due
        for follow-up there by the meeting."""
        listed = [self.to_view(i) for i in await issues.for_agenda(session, forum.id, meeting_at)]
        lifted = [i for i in listed if i.origin_forum_name != forum.name]
        due = [i for i in listed if i not in lifted]
        return render_agenda(self.t, self.settings.zone, forum.name, meeting_at, lifted, due)

    async def owned_by_actor(self, session: AsyncSession, actor_id: str) -> list[IssueView]:
        """Open issues an actor owns, directly or through one of its members."""
        people = [m.user for m in self.directory.members_of(actor_id)]
        owned = await issues.owned_by(session, "actor", [actor_id])
        owned += await issues.owned_by(session, "user", people)
        return [self.to_view(i) for i in sorted(owned, key=lambda i: i.number)]

    def to_view(self, issue: Issue) -> IssueView:
        actor = self.settings.actor(issue.actor_id) if issue.actor_id else None
        owner = (
            self.owner_label(Owner(issue.owner_kind, issue.owner_ref))  # type: ignore[arg-type]
            if issue.owner_ref
            else None
        )
        return IssueView(
            number=issue.number,
            title=issue.title,
            description=issue.description,
            state=IssueState(issue.state),
            forum_name=self._forum_name(issue.forum_id),
            origin_forum_name=self._forum_name(issue.origin_forum_id),
            raised_by=issue.raised_by,
            actor_name=actor.name if actor else None,
            owner=owner,
            followup_at=issue.followup_at,
            created_at=issue.created_at,
            closed_at=issue.closed_at,
            events=tuple(
                IssueEventView(
                    at=e.at,
                    by=e.by_user,
                    kind=e.kind,
                    forum_name=self._forum_name(e.forum_id) if e.forum_id else None,
                    text=e.text,
                )
                for e in issue.events
            ),
        )

    def owner_label(self, owner: Owner) -> str:
        if owner.kind == "actor":
            actor = self.settings.actor(owner.ref)
            return actor.name if actor else owner.ref
        if owner.kind == "function":
            return self.t("issue.owner.function_label", function=owner.ref)
        return owner.ref

    def owner_users(self, issue: Issue) -> list[str]:
        if issue.owner_kind == "actor" and issue.owner_ref:
            return [m.user for m in self.directory.members_of(issue.owner_ref)]
        if issue.owner_kind == "function" and issue.owner_ref:
            return self.duty.holders(issue.owner_ref)
        return [issue.owner_ref] if issue.owner_ref else []

    # -- shared ---------------------------------------------------------------------------

    async def _issue_in_forum(
        self, session: AsyncSession, number: int, user_id: str
    ) -> tuple[Issue, ForumConfig]:
        """The issue and the forum it sits in; refuses unknown numbers and people who are not
        members of that forum's participant actors."""
        issue = await issues.get(session, number)
        if issue is None:
            raise Refusal("issue.not_found", number=number)
        forum = self.settings.forum(issue.forum_id)
        if forum is None:
            raise Refusal("issue.not_found", number=number)
        self.directory.require_participant(user_id, forum)
        return issue, forum

    def _admin(self, user_id: str) -> bool:
        return self.directory.is_admin(user_id)

    def _forum_name(self, forum_id: str) -> str:
        forum = self.settings.forum(forum_id)
        return forum.name if forum else forum_id

    async def _step(
        self,
        session: AsyncSession,
        issue: Issue,
        user_id: str,
        kind: IssueAction,
        forum_id: str | None,
        *,
        text: str | None = None,
        action: str,
        details: dict[str, object] | None,
    ) -> None:
        """One step of an issue: the line in its own history and the audit log's entry, at one
        moment, in the caller's unit of work."""
        issues.record(
            issue, at=self.clock.now(), by=user_id, kind=kind, forum_id=forum_id, text=text
        )
        await self._audit(session, user_id, action, issue, details)

    async def _audit(
        self,
        session: AsyncSession,
        user_id: str,
        action: str,
        issue: Issue,
        details: dict[str, object] | None,
    ) -> None:
        await audit.record(
            session,
            at=self.clock.now(),
            actor=user_id,
            action=action,
            subject=f"issue:{issue.number}",
            details=details,
        )

    def when(self, moment: datetime) -> str:
        return when(self.t, moment, self.settings.zone)
