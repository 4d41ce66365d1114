"""The domain tables work together on both backends: relationships, cascades, state values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from storage.db import Database
from storage.models import (
    Activation,
    ActivationState,
    Alert,
    AlertRecipient,
    Attendance,
    Direction,
    GroupMember,
    GroupReport,
    Issue,
    IssueEvent,
    IssueState,
    Meeting,
    MeetingKind,
    MeetingMinutes,
    MeetingState,
    SituationReport,
    WorkingGroup,
)

THURSDAY = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)  # 16:00 in Stockholm


async def test_meeting_with_roll_call_reports_and_minutes(database: Database) -> None:
    async with database.session() as s:
        meeting = Meeting(
            forum_id="konferens",
            kind=MeetingKind.SCHEDULED,
            scheduled_at=THURSDAY,
            call_in_at=THURSDAY - timedelta(hours=3),
            deadline_at=THURSDAY - timedelta(minutes=15),
        )
        first = SituationReport(
            actor_id="lst", author="@tib:x", situation="Storm", readiness="stab"
        )
        meeting.reports.append(first)
        meeting.attendance.append(Attendance(actor_id="lst", user_id="@tib:x", reported=True))
        s.add(meeting)
        await s.flush()
        # A newer report replaces the first; history is kept.
        second = SituationReport(
            meeting_id=meeting.id, actor_id="lst", author="@tib:x", situation="Storm, avtagande"
        )
        s.add(second)
        await s.flush()
        first.current = False
        first.superseded_by_id = second.id
        s.add(MeetingMinutes(meeting_id=meeting.id, html="<p>x</p>", text="x", room_id="!k:x"))
        await s.commit()
        meeting_id = meeting.id

    async with database.session() as s:
        loaded = (
            await s.execute(
                select(Meeting)
                .where(Meeting.id == meeting_id)
                .options(selectinload(Meeting.reports), selectinload(Meeting.attendance))
            )
        ).scalar_one()
        assert loaded.state == MeetingState.PLANNED == "planned"
        assert loaded.kind == "scheduled" and loaded.round_number == 1
        assert loaded.scheduled_at == THURSDAY
        assert [r.current for r in loaded.reports] == [False, True]
        assert loaded.reports[0].superseded_by_id == loaded.reports[1].id
        assert loaded.attendance[0].reported and not loaded.attendance[0].present
        current = await s.execute(
            select(SituationReport.situation).where(
                SituationReport.meeting_id == meeting_id,
                SituationReport.actor_id == "lst",
                SituationReport.current.is_(True),
            )
        )
        assert list(current.scalars()) == ["Storm, avtagande"]

        await s.delete(loaded)
        await s.commit()
        for model in (SituationReport, Attendance, MeetingMinutes):
            assert list((await s.execute(select(model))).scalars()) == []


async def test_the_same_scheduled_meeting_cannot_be_created_twice(database: Database) -> None:
    async with database.session() as s:
        s.add(Meeting(forum_id="konferens", scheduled_at=THURSDAY))
        s.add(Meeting(forum_id="konferens", scheduled_at=THURSDAY))
        with pytest.raises(IntegrityError):
            await s.flush()


async def test_activation_with_alerts_rounds_and_groups(database: Database) -> None:
    async with database.session() as s:
        activation = Activation(
            forum_id="samordnande",
            state=ActivationState.ACTIVE,
            requested_by="@polis:x",
            activated_by="@tib:x",
            reason="Storm",
            exercise=True,
            activated_at=THURSDAY,
        )
        s.add(activation)
        await s.flush()
        alert = Alert(
            activation_id=activation.id,
            function="kommunikatör",
            message="Samordnande forum aktiverat",
            raised_by="@tib:x",
            exercise=True,
        )
        alert.recipients.append(AlertRecipient(user_id="@kom:x", ping_event_id="$ping"))
        s.add(alert)
        for n in (1, 2):
            s.add(
                Meeting(
                    forum_id="samordnande",
                    kind=MeetingKind.ACTIVATED,
                    round_number=n,
                    activation_id=activation.id,
                    scheduled_at=THURSDAY + timedelta(hours=2 * n),
                )
            )
        group = WorkingGroup(
            slug="analys",
            name="Analys",
            forum_id="samordnande",
            created_by="@tib:x",
            activation_id=activation.id,
        )
        group.members.append(GroupMember(kind="actor", ref="lst"))
        group.reports.append(GroupReport(author="@tib:x", text="Läget stabilt"))
        s.add(group)
        await s.commit()
        activation_id = activation.id

    async with database.session() as s:
        recipient = (
            await s.execute(select(AlertRecipient).where(AlertRecipient.ping_event_id == "$ping"))
        ).scalar_one()
        recipient.acked_at = THURSDAY + timedelta(minutes=3)
        recipient.acked_via = "reaction"
        await s.commit()

        # Deleting an activation keeps what it led to, unlinked.
        activation = await s.get(Activation, activation_id)
        assert activation is not None and activation.exercise
        await s.delete(activation)
        await s.commit()
        alert_row = (await s.execute(select(Alert))).scalar_one()
        assert alert_row.activation_id is None
        meetings = (await s.execute(select(Meeting.activation_id))).scalars().all()
        assert meetings == [None, None]
        group_row = (
            await s.execute(select(WorkingGroup).options(selectinload(WorkingGroup.members)))
        ).scalar_one()
        assert group_row.activation_id is None and group_row.members[0].ref == "lst"


async def test_issue_with_history_and_direction(database: Database) -> None:
    async with database.session() as s:
        issue = Issue(
            title="Brist på reservkraft",
            forum_id="konferens",
            origin_forum_id="konferens",
            raised_by="@kommun:x",
            actor_id="kommun",
        )
        issue.events.append(IssueEvent(by_user="@kommun:x", kind="raised", forum_id="konferens"))
        s.add(issue)
        await s.flush()
        issue.forum_id = "samordningsgrupp"
        issue.state = IssueState.ACCEPTED
        issue.events.append(
            IssueEvent(by_user="@tib:x", kind="escalated", forum_id="samordningsgrupp")
        )
        other = Issue(
            title="Samband",
            forum_id="konferens",
            origin_forum_id="konferens",
            raised_by="@tib:x",
        )
        s.add(other)
        s.add(Direction(forum_id="samordnande", goal="Skydda liv", drafted_by="@rsk:x"))
        await s.commit()
        assert other.number == issue.number + 1

    async with database.session() as s:
        loaded = (
            await s.execute(
                select(Issue)
                .where(Issue.number == issue.number)
                .options(selectinload(Issue.events))
            )
        ).scalar_one()
        assert loaded.state == "accepted"
        assert [e.kind for e in loaded.events] == ["raised", "escalated"]
        direction = (await s.execute(select(Direction))).scalar_one()
        assert direction.state == "draft" and direction.adopted_at is None
