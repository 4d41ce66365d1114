"""Hand-offs of rostered functions: at each change of who is on duty (a rotation's hand-off
time, or an override taken, given, released or run out), the incoming person gets a direct
message with what is open, the outgoing one a short notice, and the function's running alerts
move to the incoming person.

Each change is a persistent timer (`duty:<function>:<time>`), armed for the next change of
every roster at start and after each change, so hand-offs happen while nobody types anything
and survive restarts. Dedupe keys name the change, so a step run twice posts nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.config import ForumConfig
from bot.matrix.content import notice
from bot.render.duty import HandoffBrief, render_handoff_in, render_handoff_out
from bot.scheduling.kinds import JobKind
from bot.scheduling.schedules import next_occurrences
from bot.services.alerts import ALERT, AlertService
from bot.services.core import Core, Service
from bot.services.direct import DirectRooms
from bot.services.duty import Change, Duty
from bot.services.outbox import Outbox
from bot.services.ports import TimersPort
from storage import activations, alerts, issues

log = logging.getLogger(__name__)

HANDOFF_JOB = JobKind.DUTY_HANDOFF
#: A hand-off missed while the bot was down is still told this long after (the alerts move
#: either way: `holders` follows the roster, not the timer).
HANDOFF_GRACE = timedelta(hours=12)


class HandoffService(Service):
    def __init__(
        self,
        core: Core,
        duty: Duty,
        alerts: AlertService,
        outbox: Outbox,
        direct: DirectRooms,
        timers: TimersPort,
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.alerts = alerts
        self.outbox = outbox
        self.direct = direct
        self.timers = timers

    async def arm(self, function: str | None = None) -> None:
        """The timer of the next change of each roster (or of `function`'s)."""
        for roster in self.settings.rosters:
            if function is not None and roster.function != function:
                continue
            at = self.duty.next_change(roster.function)
            if at is None:
                continue
            current = self.duty.on_duty(roster.function)
            outgoing = current.user if current else None
            await self.timers.cancel(f"duty:{roster.function}:", keep={_job(roster.function, at)})
            await self.timers.at(
                _job(roster.function, at),
                HANDOFF_JOB,
                at,
                (roster.function, at.isoformat(), outgoing),
                grace=HANDOFF_GRACE,
            )

    async def due(self, function: str, at_iso: str, outgoing: str | None) -> None:
        """The timer: whoever is on duty now takes over from `outgoing`."""
        at = datetime.fromisoformat(at_iso)
        current = self.duty.on_duty(function, at)
        incoming = current.user if current else None
        await self.changed(Change(function, outgoing, incoming, at, f"at:{at_iso}"))

    async def changed(self, change: Change) -> None:
        """After an override or at a hand-off: move the alerts, tell both people, re-arm."""
        if change.incoming and change.outgoing != change.incoming:
            await self._hand_over(change)
        await self.arm(change.function)

    async def _hand_over(self, change: Change) -> None:
        assert change.incoming is not None
        roster = self.duty.roster(change.function)
        actor = self.settings.actor(roster.actor)
        actor_name = actor.name if actor else roster.actor
        moved: list[int] = []
        async with self.db.session() as session:
            if change.outgoing:
                moved = await self.alerts.hand_over(
                    session, change.function, change.outgoing, change.incoming, change.key
                )
            await session.commit()
        if moved:
            await self.alerts.after_commit(moved)
        brief = await self.brief(change.function, change.incoming, actor_name)
        direct = await self.direct.rooms_for(
            [u for u in (change.incoming, change.outgoing) if u is not None]
        )
        rooms = set()
        async with self.db.session() as session:
            incoming_room = direct.get(change.incoming)
            if incoming_room is not None:
                await self.outbox.add(
                    session,
                    incoming_room,
                    notice(*render_handoff_in(self.t, self.settings.zone, brief)),
                    dedupe_key=f"duty:{change.function}:{change.key}:in:{change.incoming}",
                    priority=ALERT,
                )
                rooms.add(incoming_room)
            outgoing_room = direct.get(change.outgoing) if change.outgoing else None
            if outgoing_room is not None:
                text = render_handoff_out(self.t, change.function, actor_name, change.incoming)
                await self.outbox.add(
                    session,
                    outgoing_room,
                    notice(text),
                    dedupe_key=f"duty:{change.function}:{change.key}:out:{change.outgoing}",
                )
                rooms.add(outgoing_room)
            await session.commit()
        self.outbox.wake(rooms)
        log.info(
            "duty %s: %s hands over to %s (%d alerts moved)",
            change.function,
            change.outgoing,
            change.incoming,
            len(moved),
        )

    async def brief(self, function: str, user_id: str, actor_name: str) -> HandoffBrief:
        """What is open for `function` now, as the person coming on duty reads it."""
        roster = self.duty.roster(function)
        current = self.duty.on_duty(function)
        async with self.db.session() as session:
            running = await activations.all_active(session)
            waiting = [
                (a.id, a.message)
                for a in await alerts.running_of_function(session, function)
                if (row := alerts.recipient(a, user_id)) is not None and row.acked_at is None
            ]
            owned = await issues.owned_by(session, "function", [function])
        forums = [
            f
            for f in self.settings.forums
            if roster.actor in {a.id for a in self.directory.participants_of(f)}
        ]
        names = {f.id: f.name for f in self.settings.forums}
        return HandoffBrief(
            function=function,
            actor=actor_name,
            until=current.until if current else None,
            activations=[names.get(a.forum_id, a.forum_id) for a in running],
            alerts=waiting,
            issues=[(i.number, i.title) for i in owned],
            meeting=self._next_meeting(forums),
        )

    def _next_meeting(self, forums: list[ForumConfig]) -> tuple[str, datetime] | None:
        found: list[tuple[datetime, str]] = []
        now = self.duty.clock.now()
        for forum in forums:
            trigger = forum.trigger(self.settings.zone)
            if trigger is not None:
                found += [(at, forum.name) for at in next_occurrences(trigger, now, 1)]
        if not found:
            return None
        at, name = min(found)
        return name, at


def _job(function: str, at: datetime) -> str:
    return f"duty:{function}:{at.isoformat()}"
