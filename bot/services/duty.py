"""Who holds a function now: [[members]] for fixed functions, the duty roster and its
overrides for rostered ones.

Every part of the bot that reaches people by function (call-ins, alerts, escalations, host
pings, issue owners) asks `holders`, so a rostered function reaches only the person on duty,
plus anyone holding it under [[members]] outside the roster. Overrides are kept in memory as
well as in the database: `holders` is asked on hot paths and must not wait for a query; the
database is read at start (`load`) and the cache changes with the rows (`take`, `give`,
`release`), at once for the rest of the command, and back again if its unit of work rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import RosterConfig
from bot.domain.dates import parse_date
from bot.domain.errors import Refusal
from bot.domain.rosters import OnDuty, Override, Rotation
from bot.render.duty import OnDutyLine
from bot.services.core import Core, Service
from storage import audit, duty
from storage.models.duty import DutyOverride


@dataclass(frozen=True)
class DutyView:
    """One rostered function as `!duty` and the dashboard show it."""

    function: str
    actor_id: str
    now: OnDuty
    next_user: str | None
    next_at: datetime | None


@dataclass(frozen=True)
class Change:
    """Who held `function` before and who holds it now, after an override or a hand-off."""

    function: str
    outgoing: str | None
    incoming: str | None
    at: datetime
    key: str
    """Names the change in dedupe keys (notices and moved alerts are posted once)."""


class Duty(Service):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.rotations: dict[str, Rotation] = {
            r.function: r.rotation_for(core.settings.zone) for r in core.settings.rosters
        }
        self.overrides: list[Override] = []

    async def load(self) -> None:
        """The overrides in force or still to come, from the database (at start)."""
        async with self.db.session() as session:
            rows = await duty.current_and_future(session, self.clock.now())
        self.overrides = [_override(row) for row in rows]

    # -- who ------------------------------------------------------------------------------

    def roster(self, function: str) -> RosterConfig:
        """The roster of `function`; refuses, naming the rostered functions, when it has none."""
        found = self.settings.roster(function.casefold())
        if found is None:
            known = ", ".join(sorted(self.rotations)) or "–"
            raise Refusal("duty.unknown_function", function=function, functions=known)
        return found

    def on_duty(self, function: str, at: datetime | None = None) -> OnDuty | None:
        """Who is on duty for a rostered `function` (None for a function without a roster)."""
        rotation = self.rotations.get(function)
        if rotation is None:
            return None
        return rotation.on_duty(at or self.clock.now(), self.overrides)

    def holders(self, function: str, at: datetime | None = None) -> list[str]:
        """Everyone `function` reaches at `at` (now): the person on duty and whoever holds the
        function under [[members]] outside its roster, each once."""
        listed = self.directory.holders_of(function)
        rotation = self.rotations.get(function)
        if rotation is None:
            return listed
        current = rotation.on_duty(at or self.clock.now(), self.overrides).user
        found = [current] if current else []
        return found + [u for u in listed if u not in rotation.members and u not in found]

    def members_reached(self, actor_id: str) -> list[str]:
        """The actor's people a call-in pings: everyone under [[members]], except a roster
        member whose only part in the actor is its rosters, while off duty in all of them."""
        now = self.clock.now()
        found = []
        for member in self.directory.members_of(actor_id):
            rostered = {
                r.function
                for r in self.settings.rosters
                if r.actor == actor_id and member.user in r.members
            }
            off_duty = all(
                self.rotations[f].on_duty(now, self.overrides).user != member.user for f in rostered
            )
            if rostered and not set(member.functions) - rostered and off_duty:
                continue
            found.append(member.user)
        return list(dict.fromkeys(found))

    def next_in_turn(self, function: str, at: datetime | None = None) -> str | None:
        """Who follows the person on duty in the roster: the first escalation step when the
        person on duty does not answer (None without a roster or with one member)."""
        rotation = self.rotations.get(function)
        if rotation is None:
            return None
        current = rotation.on_duty(at or self.clock.now(), self.overrides).user
        return rotation.next_in_turn(current) if current else None

    def views(self) -> list[DutyView]:
        now = self.clock.now()
        found = []
        for roster in self.settings.rosters:
            rotation = self.rotations[roster.function]
            current = rotation.on_duty(now, self.overrides)
            change = rotation.changes_after(now, self.overrides)
            following = rotation.on_duty(change, self.overrides) if change else None
            found.append(
                DutyView(
                    roster.function,
                    roster.actor,
                    current,
                    following.user if following else None,
                    change,
                )
            )
        return found

    def lines(self) -> list[OnDutyLine]:
        """Each rostered function as `!duty` and the dashboard list it."""
        found = []
        for view in self.views():
            actor = self.settings.actor(view.actor_id)
            found.append(
                OnDutyLine(
                    function=view.function,
                    actor=actor.name if actor else view.actor_id,
                    holder=view.now.user,
                    until=view.now.until,
                    override=view.now.override is not None,
                    next_holder=view.next_user,
                )
            )
        return found

    def next_change(self, function: str) -> datetime | None:
        return self.rotations[function].changes_after(self.clock.now(), self.overrides)

    # -- overrides --------------------------------------------------------------------------

    async def take(self, user_id: str, function: str, until: str | None) -> Change:
        """`!duty take FUNCTION [until TIME]`: a roster member goes on duty now."""
        roster = self.roster(function)
        _require_on_roster(roster, user_id)
        return await self._override(roster, user_id, until, by=user_id, action="duty.take")

    async def give(
        self, by: str, function: str, user_id: str, until: str | None, *, admin: bool
    ) -> Change:
        """`!duty give FUNCTION @user [until TIME]`: by the person on duty, or an admin."""
        roster = self.roster(function)
        current = self.on_duty(roster.function)
        if not admin and (current is None or current.user != by):
            holder = current.user if current and current.user else "–"
            raise Refusal("duty.not_on_duty", function=roster.function, holder=holder)
        _require_on_roster(roster, user_id)
        return await self._override(roster, user_id, until, by=by, action="duty.give")

    async def release(self, user_id: str, function: str) -> Change:
        """`!duty release FUNCTION`: ends the sender's override; the roster takes over again."""
        roster = self.roster(function)
        now = self.clock.now()
        mine = [o for o in self.overrides if o.function == roster.function and o.user == user_id]
        mine = [o for o in mine if o.ends_at > now]
        if not mine:
            raise Refusal("duty.no_override", function=roster.function)
        before = self.on_duty(roster.function, now)
        async with self.db.session() as session:
            for override in mine:
                await duty.release(session, override.id, now)
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="duty.release",
                subject=f"duty:{roster.function}",
                details={"overrides": [o.id for o in mine]},
            )
            await session.commit()
        kept = self.overrides
        self.overrides = [o for o in kept if o not in mine]
        self.db.after_rollback(lambda: setattr(self, "overrides", kept))
        after = self.on_duty(roster.function, now)
        return Change(
            roster.function,
            before.user if before else None,
            after.user if after else None,
            now,
            f"release:{mine[-1].id}",
        )

    async def _override(
        self, roster: RosterConfig, user_id: str, until: str | None, *, by: str, action: str
    ) -> Change:
        now = self.clock.now()
        rotation = self.rotations[roster.function]
        before = rotation.on_duty(now, self.overrides)
        if until:
            ends_at = parse_date(until, now, self.settings.zone)
        else:  # until the next hand-off of the rotation
            shift = rotation.shift_at(now)
            handoff = shift.ends_at if shift else rotation.first_handoff()
            if handoff is None or handoff <= now:
                raise Refusal("duty.no_handoff", function=roster.function)
            ends_at = handoff
        async with self.db.session() as session:
            row = await duty.add_override(
                session,
                function=roster.function,
                user_id=user_id,
                starts_at=now,
                ends_at=ends_at,
                created_by=by,
            )
            await audit.record(
                session,
                at=self.clock.now(),
                actor=by,
                action=action,
                subject=f"duty:{roster.function}",
                details={"user": user_id, "until": ends_at.isoformat(), "override": row.id},
            )
            await session.commit()
            override = _override(row)
        self.overrides.append(override)
        self.db.after_rollback(lambda: self.overrides.remove(override))
        return Change(roster.function, before.user, user_id, now, f"override:{override.id}")


def _require_on_roster(roster: RosterConfig, user_id: str) -> None:
    if user_id not in roster.members:
        raise Refusal(
            "duty.not_in_roster",
            user=user_id,
            function=roster.function,
            members=", ".join(roster.members),
        )


def _override(row: DutyOverride) -> Override:
    return Override(row.id, row.function, row.user_id, row.starts_at, row.ends_at, row.created_by)
