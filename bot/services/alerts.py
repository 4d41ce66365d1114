"""Alerts (alertering) to a function, by function and not by person: everyone holding it is
pinged in the alerts room and in a direct message, and must acknowledge (`!ack` or ✅).

The unacknowledged are pinged again every `ack_timeout`, `max_repeats` times, then the
`escalate_to` functions are told who has not answered. Each step is a persistent timer (a job
that survives restarts) and records what it did in the alert's rows in the same transaction as
its outbox rows, whose dedupe keys make a step that runs twice post nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.activation import next_alert_step
from bot.domain.errors import Refusal
from bot.matrix.content import Content, notice, ping
from bot.render.alert import alert_call, escalation_call
from bot.render.exercise import exercise_marked
from bot.scheduling.kinds import JobKind
from bot.services.alert_records import AlertRecords
from bot.services.core import Core, Service
from bot.services.direct import DirectRooms
from bot.services.duty import Duty
from bot.services.outbox import Outbox
from bot.services.ports import RoomsPort, TimersPort
from storage import alerts, audit, outbox
from storage.models.activations import Alert, AlertRecipient

log = logging.getLogger(__name__)

#: Alerts go ahead of everything else queued in a room, even the routine's own posts.
ALERT = 2
STEP_JOB = JobKind.ALERT_STEP


def timer_prefix(alert_id: int) -> str:
    return f"alert:{alert_id}:"


@dataclass
class AckOutcome:
    alerts: list[Alert] = field(default_factory=list)
    #: Alerts every recipient has now acknowledged.
    completed: list[Alert] = field(default_factory=list)

    @property
    def exercise(self) -> bool:
        return any(a.exercise for a in self.alerts)


class AlertService(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        rooms: RoomsPort,
        direct: DirectRooms,
        timers: TimersPort,
        duty: Duty,
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.outbox = outbox
        self.rooms = rooms
        self.direct = direct
        self.timers = timers
        self.records = AlertRecords(core)
        #: Armed with each alert's timer: the next contact method's step (`AlertMail.arm`),
        #: set by the wiring, so alerts know nothing of e-mail.
        self.also_arm: Callable[[Alert], Awaitable[None]] | None = None

    # -- raising ------------------------------------------------------------------------

    def holders(self, function: str) -> list[str]:
        """Everyone `function` reaches now (for a rostered one, the person on duty); refuses
        with the known functions when nobody has it."""
        users = self.duty.holders(function)
        if not users:
            known = ", ".join(sorted(self.directory.functions)) or "–"
            raise Refusal("alert.no_holders", function=function, functions=known)
        return users

    async def raise_in(
        self,
        session: AsyncSession,
        *,
        function: str,
        message: str,
        raised_by: str,
        exercise: bool,
        activation_id: int | None,
    ) -> Alert:
        """Creates the alert and its first ping in the alerts room, in the caller's
        transaction; after the commit, call `after_commit` for the direct messages and timer."""
        alert = await alerts.create(
            session,
            function=function,
            message=message,
            raised_by=raised_by,
            users=self.holders(function),
            exercise=exercise,
            activation_id=activation_id,
            now=self.clock.now(),
        )
        await audit.record(
            session,
            at=self.clock.now(),
            actor=raised_by,
            action="alert.raise",
            subject=f"alert:{alert.id}",
            details={"function": function, "users": [r.user_id for r in alert.recipients]},
        )
        await self._ping(session, alert, alert.recipients, number=1)
        return alert

    async def raise_now(
        self,
        *,
        function: str,
        message: str,
        raised_by: str,
        exercise: bool,
        activation_id: int | None,
    ) -> Alert:
        """`!alert FUNCTION message`: an ad hoc alert, with the same rules as on activation."""
        async with self.db.session() as session:
            alert = await self.raise_in(
                session,
                function=function,
                message=message,
                raised_by=raised_by,
                exercise=exercise,
                activation_id=activation_id,
            )
            await session.commit()
        await self.after_commit([alert.id])
        return alert

    async def after_commit(self, alert_ids: Sequence[int]) -> None:
        """Direct messages to the unacknowledged for their latest ping, and the next timer."""
        rooms: set[str] = set()
        alerts_room = await self._alerts_room()
        if alerts_room:
            self.outbox.wake({alerts_room})  # its ping is committed: out it goes, first
            rooms.add(alerts_room)
        async with self.db.session() as session:
            loaded = [a for a in [await alerts.get(session, i) for i in alert_ids] if a]
        waiting = {r.user_id for a in loaded for r in a.recipients if r.acked_at is None}
        direct = await self.direct.rooms_for(sorted(waiting))
        to_arm: list[Alert] = []
        async with self.db.session() as session:
            for alert_id in alert_ids:
                alert = await alerts.get(session, alert_id)
                if alert is None or alert.cancelled_at is not None:
                    continue
                for row in alert.recipients:
                    room_id = direct.get(row.user_id)
                    if row.acked_at is not None or room_id is None:
                        continue
                    row.dm_room_id = room_id
                    await self.outbox.add(
                        session,
                        room_id,
                        self._content(alert, [row.user_id], row.pings),
                        dedupe_key=f"alert-dm:{alert.id}:{row.user_id}:{row.pings}",
                        priority=ALERT,
                    )
                    rooms.add(room_id)
                if alert.escalated_at is None:
                    to_arm.append(alert)
            await session.commit()
        # The timers join the caller's unit of work, if there is one.
        for alert in to_arm:
            await self._arm(alert)
        self.outbox.wake(rooms)

    async def _arm(self, alert: Alert) -> None:
        """The next step comes `ack_timeout` after the latest ping: a time that follows from
        the alert, so arming again after a restart finds the same job."""
        pings = max((r.pings for r in alert.recipients), default=0)
        last = max((r.last_ping_at for r in alert.recipients if r.last_ping_at), default=None)
        timeout = self.settings.alerts.ack_timeout
        await self.timers.at(
            f"{timer_prefix(alert.id)}{pings}",
            STEP_JOB,
            (last or self.clock.now()) + timeout,
            (alert.id,),
            grace=timeout * 100,
        )
        if self.also_arm is not None:
            await self.also_arm(alert)

    async def rearm(self, alert_ids: Sequence[int]) -> None:
        """At start: the timers of running alerts (a no-op for those still in the job store)."""
        async with self.db.session() as session:
            running = [await alerts.get(session, alert_id) for alert_id in alert_ids]
        for alert in running:
            if alert is not None and any(r.acked_at is None for r in alert.recipients):
                await self._arm(alert)

    # -- the timer ----------------------------------------------------------------------

    async def step(self, alert_id: int) -> None:
        """After `ack_timeout`: ping the unacknowledged again, or escalate."""
        rooms: set[str] = set()
        escalation: tuple[list[str], Content, set[str]] | None = None
        async with self.db.session() as session:
            alert = await alerts.get(session, alert_id)
            if alert is None or alert.cancelled_at is not None or alert.escalated_at is not None:
                return
            unacked = [r for r in alert.recipients if r.acked_at is None]
            pings = max((r.pings for r in unacked), default=0)
            decision = next_alert_step(len(unacked), pings, self.settings.alerts.max_repeats)
            if decision == "done":
                return
            if decision == "repeat":
                unacked += self._next_in_turn(alert, pings)
                rooms |= await self._ping(session, alert, unacked, number=pings + 1)
            else:
                escalation = await self._escalate(session, alert, unacked)
                rooms |= escalation[2]
            await session.commit()
        self.outbox.wake(rooms)
        if escalation is not None:
            await self._direct_to(escalation[0], escalation[1], f"alert:{alert_id}:escalation")
        else:
            await self.after_commit([alert_id])

    def _next_in_turn(self, alert: Alert, pings: int) -> list[AlertRecipient]:
        """After the first ping of a rostered function goes unanswered by the person on duty,
        the next in turn is alerted too: the first step of escalation."""
        if pings != 1:
            return []
        current = self.duty.on_duty(alert.function)
        following = self.duty.next_in_turn(alert.function)
        holder = alerts.recipient(alert, current.user) if current and current.user else None
        if following is None or holder is None or holder.acked_at is not None:
            return []
        if alerts.recipient(alert, following) is not None:
            return []
        log.info(
            "alert %s: %s did not answer; %s is next in turn", alert.id, holder.user_id, following
        )
        return [alerts.add_recipient(alert, following)]

    async def hand_over(
        self, session: AsyncSession, function: str, outgoing: str, incoming: str, key: str
    ) -> list[int]:
        """A hand-off of a rostered function: the outgoing holder's unanswered place in each
        running alert to it goes to the incoming one, who is pinged at once; returns the alerts
        moved, for `after_commit` (their direct messages and timers)."""
        moved = []
        for alert in await alerts.running_of_function(session, function):
            row = alerts.recipient(alert, outgoing)
            if row is None or row.acked_at is not None or alert.escalated_at is not None:
                continue
            alert.recipients.remove(row)
            new = alerts.add_recipient(alert, incoming)
            if new.acked_at is not None:
                continue
            await session.flush()
            await audit.record(
                session,
                at=self.clock.now(),
                actor=audit.SYSTEM,
                action="alert.handoff",
                subject=f"alert:{alert.id}",
                details={"from": outgoing, "to": incoming, "change": key},
            )
            number = max(row.pings, 1)
            new.pings, new.last_ping_at = number, self.clock.now()
            room_id = await self._alerts_room()
            if room_id is not None:
                await self.outbox.add(
                    session,
                    room_id,
                    self._content(alert, [incoming], number),
                    dedupe_key=f"alert:{alert.id}:handoff:{key}",
                    priority=ALERT,
                )
            moved.append(alert.id)
        return moved

    async def _direct_to(self, users: Sequence[str], content: Content, key: str) -> None:
        """`content` to each of `users` in their direct room (dedupe key `<key>:<user>`)."""
        found = await self.direct.rooms_for(users)
        rooms = [found[u] for u in users]
        async with self.db.session() as session:
            for user, room_id in zip(users, rooms, strict=True):
                if room_id is not None:
                    await self.outbox.add(
                        session, room_id, content, dedupe_key=f"{key}:{user}", priority=ALERT
                    )
            await session.commit()
        self.outbox.wake(r for r in rooms if r is not None)

    async def _ping(
        self, session: AsyncSession, alert: Alert, rows: Sequence[AlertRecipient], number: int
    ) -> set[str]:
        now = self.clock.now()
        for row in rows:
            row.pings = number
            row.last_ping_at = now
        room_id = await self._alerts_room()
        if room_id is None:
            return set()
        users = [r.user_id for r in rows]
        await self.outbox.add(
            session,
            room_id,
            self._content(alert, users, number),
            dedupe_key=f"alert:{alert.id}:ping:{number}",
            priority=ALERT,
        )
        return {room_id}

    def _content(self, alert: Alert, users: list[str], number: int) -> Content:
        t = self.t
        if number <= 1:
            text = t("alert.ping", id=alert.id, function=alert.function, message=alert.message)
        else:
            text = t(
                "alert.repeat",
                id=alert.id,
                function=alert.function,
                message=alert.message,
                number=number - 1,
            )
        how = t("alert.how_to_ack")
        return self.mark(ping(*alert_call(text, users, how), users), alert.exercise)

    async def _escalate(
        self, session: AsyncSession, alert: Alert, unacked: Sequence[AlertRecipient]
    ) -> tuple[list[str], Content, set[str]]:
        """Tells the `escalate_to` functions (else whoever raised it) who has not answered;
        returns them and the message, for their direct rooms after the commit."""
        alert.escalated_at = self.clock.now()
        targets: list[str] = []
        for function in self.settings.alerts.escalate_to:
            targets += [u for u in self.duty.holders(function) if u not in targets]
        if not targets:
            targets = [alert.raised_by] if alert.raised_by.startswith("@") else []
        missing = [r.user_id for r in unacked]
        text = self.t(
            "alert.escalation",
            id=alert.id,
            function=alert.function,
            message=alert.message,
            users=", ".join(missing),
            repeats=self.settings.alerts.max_repeats,
        )
        content = self.mark(ping(*escalation_call(text, targets), targets), alert.exercise)
        await audit.record(
            session,
            at=self.clock.now(),
            actor=audit.SYSTEM,
            action="alert.escalate",
            subject=f"alert:{alert.id}",
            details={"unacknowledged": missing, "told": targets},
        )
        rooms: set[str] = set()
        room_id = await self._alerts_room()
        if room_id is not None:
            await self.outbox.add(
                session, room_id, content, dedupe_key=f"alert:{alert.id}:escalation", priority=ALERT
            )
            rooms.add(room_id)
        log.info("alert %s escalated to %s: %s unacknowledged", alert.id, targets, missing)
        return targets, content, rooms

    # -- acknowledging ------------------------------------------------------------------

    async def acknowledge(self, user_id: str, alert_id: int | None, via: str) -> AckOutcome:
        """`!ack [N]`: acknowledges the user's open alerts (or alert N)."""
        outcome = AckOutcome()
        rooms: set[str] = set()
        async with self.db.session() as session:
            rows = await alerts.open_for(session, user_id)
            if alert_id is not None:
                rows = [r for r in rows if r.alert_id == alert_id]
                if not rows:
                    raise Refusal("alert.not_yours", id=alert_id)
            if not rows:
                raise Refusal("alert.nothing_to_ack")
            now = self.clock.now()
            for row in rows:
                alerts.acknowledge(row, via, now)
                await audit.record(
                    session,
                    at=self.clock.now(),
                    actor=user_id,
                    action="alert.ack",
                    subject=f"alert:{row.alert_id}",
                    details={"via": via},
                )
            for alert_id_ in sorted({r.alert_id for r in rows}):
                alert = await alerts.get(session, alert_id_)
                assert alert is not None
                outcome.alerts.append(alert)
                if all(r.acked_at is not None for r in alert.recipients):
                    outcome.completed.append(alert)
                    rooms |= await self._all_acknowledged(session, alert)
            await session.commit()
        for alert in outcome.completed:
            await self.timers.cancel(timer_prefix(alert.id))
        self.outbox.wake(rooms)
        return outcome

    async def acknowledge_reaction(self, event_id: str, user_id: str) -> AckOutcome | None:
        """A ✅ on an alert (in the alerts room or a direct message) by one of its recipients;
        None when the event is no alert of theirs, or they had acknowledged it already."""
        alert_id = await self._alert_of_event(event_id)
        if alert_id is None:
            return None
        try:
            return await self.acknowledge(user_id, alert_id, "reaction")
        except Refusal:
            return None

    async def _alert_of_event(self, event_id: str) -> int | None:
        async with self.db.session() as session:
            row = await outbox.find_by_event_id(session, event_id)
        key = (row.dedupe_key or "") if row is not None else ""
        parts = key.split(":")
        if parts[0] in ("alert", "alert-dm") and len(parts) >= 2 and parts[1].isdigit():
            return int(parts[1])
        return None

    async def _all_acknowledged(self, session: AsyncSession, alert: Alert) -> set[str]:
        room_id = await self._alerts_room()
        if room_id is None:
            return set()
        text = self.t("alert.all_acked", id=alert.id, function=alert.function)
        await self.outbox.add(
            session,
            room_id,
            self.mark(notice(text), alert.exercise),
            dedupe_key=f"alert:{alert.id}:complete",
            priority=ALERT,
        )
        return {room_id}

    # -- ending and showing ---------------------------------------------------------------

    async def cancel_in(self, session: AsyncSession, activation_id: int) -> list[int]:
        """Stops the activation's alerts (deactivation); returns their ids for `cancel_timers`."""
        now = self.clock.now()
        stopped = []
        for alert in await alerts.of_activation(session, activation_id):
            if alert.cancelled_at is None:
                alert.cancelled_at = now
                stopped.append(alert.id)
        return stopped

    async def cancel_timers(self, alert_ids: Sequence[int]) -> None:
        for alert_id in alert_ids:
            await self.timers.cancel(timer_prefix(alert_id))

    def mark(self, content: Content, exercise: bool) -> Content:
        return exercise_marked(self.t, content, exercise)

    async def is_alerts_room(self, room_id: str) -> bool:
        return room_id == await self._alerts_room()

    async def _alerts_room(self) -> str | None:
        room = self.settings.alerts.room
        return await self.rooms.resolve(room) if room else None
