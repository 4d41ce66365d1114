"""Storage rows and config entries as the plain views of `bot.services.views`.

One mapper for every read path of the web, so a forum, actor or issue looks the same on every
page: a forum or actor removed from the config keeps its id as its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig, Settings
from bot.domain.issues import Owner
from bot.domain.picture import ActorRef
from bot.domain.reports import FIELDS
from bot.domain.timeline import as_utc
from bot.services.issues import IssueService
from bot.services.views import (
    ActivationView,
    ActorView,
    ForumRef,
    GroupReportView,
    GroupView,
    IssueEventItem,
    IssueItem,
    MeetingView,
    ReportView,
)
from storage import activations
from storage.models.activations import Activation
from storage.models.groups import GroupReport, WorkingGroup
from storage.models.issues import Issue
from storage.models.meetings import Meeting, MeetingKind, SituationReport


def utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


class ViewMapper:
    def __init__(self, settings: Settings, issues: IssueService) -> None:
        self.settings = settings
        self.issues = issues

    def forum_ref(self, forum: ForumConfig) -> ForumRef:
        return ForumRef(forum.id, forum.name, str(forum.level), str(forum.mode))

    def forum_ref_by_id(self, forum_id: str) -> ForumRef | None:
        forum = self.settings.forum(forum_id)
        return self.forum_ref(forum) if forum else None

    def named_forum(self, forum_id: str) -> ForumRef:
        """The forum's reference; one removed from the config keeps its id as its name."""
        return self.forum_ref_by_id(forum_id) or ForumRef(forum_id, forum_id, "", "")

    def actor_view(self, actor: ActorConfig) -> ActorView:
        return ActorView(actor.id, actor.name, str(actor.category))

    def actor_by_id(self, actor_id: str) -> ActorView | None:
        actor = self.settings.actor(actor_id)
        return self.actor_view(actor) if actor else None

    def ref_view(self, ref: ActorRef) -> ActorView:
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
            forum=self.named_forum(group.forum_id),
            task=group.task,
            standing=group.standing,
            activation_id=group.activation_id,
            closed_at=utc_or_none(group.closed_at),
            members=tuple(members),
            reports=tuple(
                GroupReportView(
                    author=r.author, text=r.text, at=as_utc(r.at), meeting_id=r.meeting_id
                )
                for r in reports
            ),
        )

    async def meeting_view(
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
            forum=self.named_forum(row.forum_id),
            kind=row.kind,
            state=row.state,
            round_number=row.round_number if row.kind == MeetingKind.ACTIVATED else None,
            scheduled_at=utc_or_none(row.scheduled_at),
            call_in_at=utc_or_none(row.call_in_at),
            deadline_at=utc_or_none(row.deadline_at),
            opened_at=utc_or_none(row.opened_at),
            closed_at=utc_or_none(row.closed_at),
            activation_id=row.activation_id,
            exercise=is_exercise,
        )

    def report_view(self, row: SituationReport, raised: set[str]) -> ReportView:
        return ReportView(
            actor=self.actor_by_id(row.actor_id) or ActorView(row.actor_id, row.actor_id, "övrig"),
            author=row.author,
            received_at=as_utc(row.received_at),
            fields={name: getattr(row, name) for name in FIELDS},
            raised=row.actor_id in raised,
            source=getattr(row, "source", None),
        )

    def issue_item(self, issue: Issue) -> IssueItem:
        owner = None
        if issue.owner_kind and issue.owner_ref:
            owner = self.issues.owner_label(Owner(issue.owner_kind, issue.owner_ref))  # type: ignore[arg-type]
        return IssueItem(
            number=issue.number,
            title=issue.title,
            description=issue.description,
            state=issue.state,
            forum=self.forum_ref_by_id(issue.forum_id),
            origin_forum=self.forum_ref_by_id(issue.origin_forum_id),
            raised_by=issue.raised_by,
            actor=self.actor_by_id(issue.actor_id) if issue.actor_id else None,
            owner=owner,
            followup_at=utc_or_none(issue.followup_at),
            created_at=as_utc(issue.created_at),
            updated_at=as_utc(issue.updated_at),
            closed_at=utc_or_none(issue.closed_at),
            meeting_id=issue.meeting_id,
            events=tuple(
                IssueEventItem(
                    at=as_utc(e.at),
                    by=e.by_user,
                    kind=e.kind,
                    forum=self.forum_ref_by_id(e.forum_id) if e.forum_id else None,
                    text=e.text,
                )
                for e in issue.events
            ),
        )

    def activation_view(self, row: Activation) -> ActivationView:
        return ActivationView(
            id=row.id,
            forum=self.named_forum(row.forum_id),
            state=row.state,
            reason=row.reason,
            exercise=row.exercise,
            requested_by=row.requested_by,
            requested_at=as_utc(row.requested_at),
            activated_by=row.activated_by,
            activated_at=utc_or_none(row.activated_at),
            ended_by=row.ended_by,
            ended_at=utc_or_none(row.ended_at),
            host=self.actor_by_id(row.host_actor_id) if row.host_actor_id else None,
        )
