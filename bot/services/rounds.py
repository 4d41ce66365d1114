"""An activated forum's reporting rounds: every `report_interval` a round opens (its call-in),
is reminded, and ends in a combined picture.

Each step is a persistent timer whose time follows from the activation time, and each is done
once whatever runs it twice; the steps are the weekly conference's own
(`ConferenceService.call_in`, `remind`, `deadline`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.domain.activation import RoundStage, RoundTimes, round_times
from bot.render.times import clock, when
from bot.scheduling.kinds import JobKind
from bot.services.conference import ConferenceService
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import Outbox
from bot.services.ports import TimersPort
from storage import activations, meetings
from storage.models.activations import Activation, ActivationState
from storage.models.meetings import Meeting, MeetingState

log = logging.getLogger(__name__)

ROUND_JOB = JobKind.ROUND_STEP


def timer_prefix(activation_id: int) -> str:
    """Every timer of an activation (its request's expiry, its rounds) starts with this."""
    return f"activation:{activation_id}:"


class ReportingRounds(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        forums: Forums,
        conference: ConferenceService,
        timers: TimersPort,
    ) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.forums = forums
        self.conference = conference
        self.timers = timers

    async def run_step(self, activation_id: int, number: int, stage: RoundStage) -> None:
        """One step of reporting round `number`: open it (closing the one before), remind, or
        post the combined picture. Each is done once, whatever runs it twice."""
        async with self.db.session() as session:
            row = await activations.get(session, activation_id)
            if row is None or row.state != ActivationState.ACTIVE:
                return
            forum = self.settings.forum(row.forum_id)
            room_id = await self.forums.room_of(forum) if forum else None
            if forum is None or room_id is None:
                log.error("activation %s: forum %s has no room; step skipped", row.id, row.forum_id)
                return
            if stage == "open":
                opened = await self.open(session, forum, room_id, row, number)
            else:
                meeting = await activations.round_meeting(session, row, number, self.clock.now())
                if meeting.state == MeetingState.CALLED:
                    if stage == "reminder":
                        await self.conference.remind(session, forum, room_id, meeting)
                    else:
                        await self.conference.deadline(session, forum, room_id, meeting)
                opened = False
            await session.commit()
        if opened:
            await self.arm(row, number)
        self.outbox.wake({room_id})

    async def open(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, row: Activation, number: int
    ) -> bool:
        """Opens round `number` (round 1's call-in is also the activation's announcement) and
        closes the rounds before it; False when it was open already."""
        meeting = await activations.round_meeting(session, row, number, self.clock.now())
        if meeting.call_in_at is not None:
            return False
        for earlier in await activations.rounds(session, row.id):
            if earlier.round_number < number and earlier.state in meetings.ACTIVE_STATES:
                earlier.state = MeetingState.CLOSED
                earlier.closed_at = self.clock.now()
        times = self._times(meeting)
        headline = self.t(
            "activation.round",
            number=number,
            forum=forum.name,
            deadline=clock(times.deadline_at, self.settings.zone),
        )
        if number == 1:
            headline = f"{self._announcement(forum, row)}\n{headline}"
        assert meeting.scheduled_at is not None
        content = self.conference.call_in_content(
            forum, meeting.scheduled_at, times.deadline_at, headline=headline
        )
        await self.conference.call_in(session, room_id, meeting, times.deadline_at, content)
        return True

    async def arm(self, row: Activation, number: int) -> None:
        """Timers for round `number`'s reminder and picture, and for opening the next round.

        Times follow from the activation time, so arming again (after a restart) finds the same
        jobs and changes nothing."""
        forum = self.settings.forum(row.forum_id)
        assert forum is not None and row.activated_at is not None
        interval = forum.report_interval
        opened_at = row.activated_at + interval * (number - 1)
        times = round_times(
            opened_at, interval, forum.reminder_before, forum.report_deadline_before
        )
        steps: list[tuple[int, RoundStage, datetime]] = [
            (number, "reminder", times.reminder_at),
            (number, "deadline", times.deadline_at),
            (number + 1, "open", times.next_at),
        ]
        for round_number, stage, at in steps:
            await self.timers.at(
                f"{timer_prefix(row.id)}round:{round_number}:{stage}",
                ROUND_JOB,
                at,
                (row.id, round_number, stage),
                grace=interval,
            )

    def current(self, row: Activation, now: datetime) -> int:
        """The round that should be running at `now` (rounds follow `report_interval`)."""
        forum = self.settings.forum(row.forum_id)
        assert forum is not None and row.activated_at is not None
        return int((now - row.activated_at) / forum.report_interval) + 1

    def _times(self, meeting: Meeting) -> RoundTimes:
        forum = self.settings.forum(meeting.forum_id)
        assert forum is not None and meeting.scheduled_at is not None
        return round_times(
            meeting.scheduled_at,
            forum.report_interval,
            forum.reminder_before,
            forum.report_deadline_before,
        )

    def _announcement(self, forum: ForumConfig, row: Activation) -> str:
        host = self.settings.actor(row.host_actor_id) if row.host_actor_id else None
        assert row.activated_at is not None and row.activated_by is not None
        return self.t(
            "activation.announce",
            forum=forum.name,
            reason=row.reason or "–",
            by=self.directory.labelled(row.activated_by),
            time=when(self.t, row.activated_at, self.settings.zone),
            host=host.name if host else "–",
        )
