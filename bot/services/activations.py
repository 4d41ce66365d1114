"""Activated mode (aktiverat läge): `!activate`, requests and their answers, reporting rounds,
host (värdskap), and `!deactivate` with the activation's summary home.

On activation, in one transaction: the activation, its alerts (communicators first, so their
pings lead every room's queue), the announcement that is also round 1's call-in, and the audit
entries. Rounds then follow as persistent timers, each step idempotent like the weekly
conference's (same code: `ConferenceService.call_in`, `remind`, `deadline`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig
from bot.domain.activation import (
    Decision,
    decide,
    default_host,
)
from bot.domain.errors import Refusal
from bot.matrix.content import Content, notice
from bot.render.activation import request_closed_content, request_content
from bot.render.exercise import exercise_marked
from bot.scheduling.kinds import JobKind
from bot.services.activation_timeline import ActivationTimeline
from bot.services.alerts import AlertService
from bot.services.conference import ConferenceService
from bot.services.core import Core, Service
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.outbox import ROUTINE, Outbox
from bot.services.pictures import PictureService
from bot.services.ports import TimersPort
from bot.services.rounds import ReportingRounds, timer_prefix
from bot.services.summaries import SummaryService
from storage import activations, alerts, audit, groups, meetings, outbox
from storage.models.activations import Activation, ActivationState
from storage.models.meetings import MeetingState

log = logging.getLogger(__name__)

ROUND_JOB = JobKind.ROUND_STEP
EXPIRY_JOB = JobKind.REQUEST_EXPIRY


@dataclass(frozen=True)
class ActivateOutcome:
    decision: Decision
    forum: ForumConfig
    activation: Activation
    alerted: int = 0


class ActivationService(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        forums: Forums,
        conference: ConferenceService,
        pictures: PictureService,
        summaries: SummaryService,
        alerts: AlertService,
        timers: TimersPort,
        duty: Duty,
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.outbox = outbox
        self.forums = forums
        self.conference = conference
        self.pictures = pictures
        self.summaries = summaries
        self.alerts = alerts
        self.timers = timers
        self.rounds = ReportingRounds(core, outbox, forums, conference, timers)
        self.timeline = ActivationTimeline(core, alerts, pictures)
        self._locks: dict[str, asyncio.Lock] = {}
        #: Rooms of forums whose activation is an exercise: every answer there is marked.
        self.exercise_rooms: set[str] = set()

    # -- finding forums and people ------------------------------------------------------

    def require_activator(self, user_id: str, forum: ForumConfig) -> None:
        if not self.directory.may_activate(user_id, forum):
            raise Refusal(
                "perm.activator", forum=forum.name, functions=", ".join(forum.activators) or "–"
            )

    # -- activating ---------------------------------------------------------------------

    async def activate(
        self,
        forum: ForumConfig,
        user_id: str,
        *,
        reason: str | None,
        exercise: bool,
        event_id: str | None,
    ) -> ActivateOutcome:
        """`!activate FORUM`: activates, confirms the pending request, or asks the activators."""
        allowed = self.directory.may_activate(user_id, forum)
        if not allowed and not self.directory.actors_of(user_id):
            raise Refusal("perm.member")
        room_id = await self.forums.require_room(forum)
        async with self._locks.setdefault(forum.id, asyncio.Lock()):
            async with self.db.session() as session:
                active = await activations.active(session, forum.id)
                pending = await activations.pending_request(session, forum.id)
                decision = decide(
                    may_activate=allowed, active=active is not None, pending=pending is not None
                )
                if decision == Decision.ALREADY_ACTIVE:
                    assert active is not None
                    return ActivateOutcome(decision, forum, active)
                if decision == Decision.ALREADY_REQUESTED:
                    assert pending is not None
                    return ActivateOutcome(decision, forum, pending)
                if decision == Decision.REQUEST:
                    row = await self._request(
                        session, forum, room_id, user_id, reason, exercise, event_id
                    )
                    await session.commit()
                    await self._arm_expiry(row)
                    self.outbox.wake({room_id})
                    return ActivateOutcome(decision, forum, row)
                if pending is not None:
                    row = pending
                    row.reason = row.reason or reason
                    row.exercise = row.exercise or exercise
                else:
                    row = await activations.request(
                        session,
                        forum_id=forum.id,
                        requested_by=user_id,
                        reason=reason,
                        exercise=exercise,
                        request_event_id=event_id,
                        now=self.clock.now(),
                    )
                alert_ids = await self._start(session, forum, room_id, row, user_id)
                await self.rounds.open(session, forum, room_id, row, 1)
                await session.commit()
        self.outbox.wake({room_id})
        await self.timers.cancel(f"{timer_prefix(row.id)}request")
        await self.rounds.arm(row, 1)
        await self.alerts.after_commit(alert_ids)
        return ActivateOutcome(decision, forum, row, alerted=len(alert_ids))

    async def _request(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        room_id: str,
        user_id: str,
        reason: str | None,
        exercise: bool,
        event_id: str | None,
    ) -> Activation:
        row = await activations.request(
            session,
            forum_id=forum.id,
            requested_by=user_id,
            reason=reason,
            exercise=exercise,
            request_event_id=event_id,
            now=self.clock.now(),
        )
        activators: list[str] = []
        for function in forum.activators:
            activators += [u for u in self.duty.holders(function) if u not in activators]
        activators = activators or list(self.directory.admins)
        content = request_content(
            self.t, forum.name, forum.id, self.directory.labelled(user_id), reason, activators
        )
        await self.outbox.add(
            session,
            room_id,
            self._mark(content, exercise),
            dedupe_key=f"activation-request:{row.id}",
            priority=ROUTINE,
        )
        await audit.record(
            session,
            at=self.clock.now(),
            actor=user_id,
            action="activation.request",
            subject=f"forum:{forum.id}",
            details={"activation": row.id, "reason": reason, "exercise": exercise},
        )
        return row

    async def _start(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        room_id: str,
        row: Activation,
        user_id: str,
    ) -> list[int]:
        """Activates `row`: alerts first, then the announcement with round 1's call-in."""
        now = self.clock.now()
        participants = [a.id for a in self.directory.participants_of(forum)]
        own = [a.id for a in self.directory.actors_of(user_id)]
        host = default_host(own, participants)
        await activations.activate(session, row, activated_by=user_id, host_actor_id=host, now=now)
        await audit.record(
            session,
            at=self.clock.now(),
            actor=user_id,
            action="activation.activate",
            subject=f"forum:{forum.id}",
            details={
                "activation": row.id,
                "requested_by": row.requested_by,
                "reason": row.reason,
                "exercise": row.exercise,
                "host": host,
            },
        )
        if row.exercise:
            self.exercise_rooms.add(room_id)
        alert_ids = []
        message = self.t("activation.alert_message", forum=forum.name, reason=row.reason or "–")
        for function in forum.alert_functions:
            if not self.duty.holders(function):
                log.warning("nobody holds alert function %s of %s", function, forum.id)
                continue
            alert = await self.alerts.raise_in(
                session,
                function=function,
                message=message,
                raised_by=user_id,
                exercise=row.exercise,
                activation_id=row.id,
            )
            alert_ids.append(alert.id)
        return alert_ids

    # -- answering requests -------------------------------------------------------------

    async def answer_reaction(
        self, event_id: str, user_id: str, approve: bool
    ) -> ActivateOutcome | None:
        """A ✅ (confirm) or ❌ (decline) by an activator on a request, or on the requester's
        own command; None when the event is no pending request or the user may not answer."""
        async with self.db.session() as session:
            row = await activations.by_request_event(session, event_id)
            if row is None:
                posted = await self._posted_request(session, event_id)
                row = await activations.get(session, posted) if posted is not None else None
        if row is None or row.state != ActivationState.REQUESTED:
            return None
        forum = self.settings.forum(row.forum_id)
        if forum is None or not self.directory.may_activate(user_id, forum):
            return None
        if approve:
            return await self.activate(
                forum, user_id, reason=None, exercise=row.exercise, event_id=None
            )
        await self.decline(forum, user_id)
        return ActivateOutcome(Decision.REQUEST, forum, row)

    async def _posted_request(self, session: AsyncSession, event_id: str) -> int | None:
        found = await outbox.find_by_event_id(session, event_id)
        key = (found.dedupe_key or "") if found is not None else ""
        prefix = "activation-request:"
        return int(key[len(prefix) :]) if key.startswith(prefix) else None

    async def decline(self, forum: ForumConfig, user_id: str) -> Activation:
        """An activator says no to the pending request; the requester is told."""
        self.require_activator(user_id, forum)
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            row = await activations.pending_request(session, forum.id)
            if row is None:
                raise Refusal("activation.not_active", forum=forum.name, id=forum.id)
            await self._close_request(
                session, forum, room_id, row, ActivationState.DECLINED, user_id
            )
            await session.commit()
        await self.timers.cancel(timer_prefix(row.id))
        self.outbox.wake({room_id})
        return row

    async def expire_request(self, activation_id: int) -> None:
        """The request timer: nobody answered in time; recorded, and the requester told."""
        async with self.db.session() as session:
            row = await activations.get(session, activation_id)
            if row is None or row.state != ActivationState.REQUESTED:
                return
            forum = self.settings.forum(row.forum_id)
            room_id = await self.forums.room_of(forum) if forum else None
            if forum is None or room_id is None:
                return
            await self._close_request(session, forum, room_id, row, ActivationState.EXPIRED, None)
            await session.commit()
        self.outbox.wake({room_id})

    async def _close_request(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        room_id: str,
        row: Activation,
        state: ActivationState,
        by: str | None,
    ) -> None:
        await activations.end(session, row, state=state, by=by, now=self.clock.now())
        requester = row.requested_by
        content = request_closed_content(
            self.t,
            forum.name,
            requester,
            declined_by=self.directory.labelled(by or "–")
            if state == ActivationState.DECLINED
            else None,
            timeout=self.settings.alerts.request_timeout,
        )
        await self.outbox.add(
            session,
            room_id,
            self._mark(content, row.exercise),
            dedupe_key=f"activation-request:{row.id}:{state}",
            priority=ROUTINE,
        )
        await audit.record(
            session,
            at=self.clock.now(),
            actor=by or audit.SYSTEM,
            action=f"activation.{state}",
            subject=f"forum:{forum.id}",
            details={"activation": row.id, "requested_by": requester},
        )

    async def _arm_expiry(self, row: Activation) -> None:
        timeout = self.settings.alerts.request_timeout
        await self.timers.at(
            f"{timer_prefix(row.id)}request",
            EXPIRY_JOB,
            self.clock.now() + timeout,
            (row.id,),
            grace=timeout * 100,
        )

    async def resume(self) -> None:
        """At start: rounds and alert timers of activations that were running go on; a round
        missed while the bot was down opens now, once."""
        async with self.db.session() as session:
            running = await activations.all_active(session)
            open_alerts = [
                a.id
                for row in running
                for a in await alerts.of_activation(session, row.id)
                if a.cancelled_at is None and a.escalated_at is None
            ]
        for row in running:
            forum = self.settings.forum(row.forum_id)
            room_id = await self.forums.room_of(forum) if forum else None
            if forum is None or room_id is None:
                log.error("activation %s of unknown forum %s not resumed", row.id, row.forum_id)
                continue
            if row.exercise:
                self.exercise_rooms.add(room_id)
            number = self.rounds.current(row, self.clock.now())
            await self.rounds.run_step(row.id, number, "open")
            await self.rounds.arm(row, number)
            log.info("resumed activation %s of %s at round %s", row.id, forum.id, number)
        await self.alerts.rearm(open_alerts)

    # -- host ---------------------------------------------------------------------------

    async def set_host(self, forum: ForumConfig, user_id: str, actor_ref: str) -> ActorConfig:
        """`!host ACTOR`: who hosts (värdskap) the activated forum from now on."""
        hosts = self.directory.may_activate(user_id, forum) or (
            forum.host_function is not None
            and forum.host_function in self.directory.functions_of(user_id)
        )
        if not hosts:
            raise Refusal(
                "perm.host_activated",
                forum=forum.name,
                functions=", ".join([*forum.activators, *filter(None, [forum.host_function])]),
            )
        actor = self.directory.find_actor(actor_ref)
        async with self.db.session() as session:
            row = await activations.active(session, forum.id)
            if row is None:
                raise Refusal("activation.not_active", forum=forum.name, id=forum.id)
            row.host_actor_id = actor.id
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="activation.host",
                subject=f"activation:{row.id}",
                details={"host": actor.id},
            )
            await session.commit()
        return actor

    # -- deactivating -------------------------------------------------------------------

    async def deactivate(self, forum: ForumConfig, user_id: str) -> Activation:
        """`!deactivate FORUM`: the last round closes with a final picture, the alerts stop,
        the activation's summary goes to the forum and every participant's home room. On a
        forum with only a pending request, the request is declined."""
        self.require_activator(user_id, forum)
        room_id = await self.forums.require_room(forum)
        async with self.db.session() as session:
            running = await activations.active(session, forum.id)
            pending = await activations.pending_request(session, forum.id)
        if running is None and pending is not None:
            return await self.decline(forum, user_id)
        async with self._locks.setdefault(forum.id, asyncio.Lock()):
            async with self.db.session() as session:
                row = await activations.active(session, forum.id)
                if row is None:
                    raise Refusal("activation.not_active", forum=forum.name, id=forum.id)
                touched = await self._end(session, forum, room_id, row, user_id)
                stopped = await self.alerts.cancel_in(session, row.id)
                await session.commit()
        await self.timers.cancel(timer_prefix(row.id))
        await self.alerts.cancel_timers(stopped)
        self.exercise_rooms.discard(room_id)
        self.outbox.wake(touched | {room_id})
        return row

    async def _end(
        self, session: AsyncSession, forum: ForumConfig, room_id: str, row: Activation, by: str
    ) -> set[str]:
        now = self.clock.now()
        rounds = await activations.rounds(session, row.id)
        if rounds:
            last = rounds[-1]
            if last.state in meetings.ACTIVE_STATES:
                last.state = MeetingState.CLOSED
                last.closed_at = now
            await self.conference.post_picture(
                session, forum, room_id, last, dedupe_key=f"final-picture:{row.id}"
            )
        await activations.end(session, row, state=ActivationState.ENDED, by=by, now=now)
        for group in await groups.of_activation(session, row.id):  # formed for this event
            if group.closed_at is None:
                groups.close(group, now)
        await audit.record(
            session,
            at=self.clock.now(),
            actor=by,
            action="activation.deactivate",
            subject=f"forum:{forum.id}",
            details={"activation": row.id, "rounds": len(rounds)},
        )
        text, formatted = await self.timeline.summary(session, forum, row)
        summary = notice(text, formatted)
        await self.outbox.add(
            session,
            room_id,
            self._mark(summary, row.exercise),
            dedupe_key=f"activation-summary:{row.id}",
            priority=ROUTINE,
        )
        result = await self.summaries.send_home(
            session,
            forum,
            room_id,
            key=f"activation:{row.id}",
            content_for=lambda _actor: summary,
            exercise=row.exercise,
        )
        return result.rooms

    # -- shared ---------------------------------------------------------------------------

    def _mark(self, content: Content, exercise: bool) -> Content:
        return exercise_marked(self.t, content, exercise)

    async def active_in(self, forum: ForumConfig) -> Activation | None:
        async with self.db.session() as session:
            return await activations.active(session, forum.id)
