"""What timers run, one function per `JobKind`, each reaching only a narrow `JobContext`.

`PersistentTimers.fire` looks the kind up in `JOBS` and calls the function with the context and
the timer's plain arguments (ids and ISO times, as stored in the timer's row).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

from bot.domain.activation import ROUND_STAGES, RoundStage
from bot.domain.calendar import STAGES, Stage
from bot.scheduling.kinds import JobKind
from bot.scheduling.planner import plan_meetings
from storage import events, mail, outbox
from storage.db import Database

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services
    from bot.services.ports import TimersPort

log = logging.getLogger(__name__)

#: Handled event ids and sent outbox rows are kept this long (transaction ids live ~24 h on
#: Synapse, event replays come within a sync or two; a month leaves room for audits).
KEEP_HISTORY = timedelta(days=30)


@dataclass(frozen=True)
class JobContext:
    """What a job may use: the services, the timers (to arm the next step) and the database,
    not the whole app."""

    services: Services
    timers: TimersPort
    db: Database
    settings: Settings


Job = Callable[..., Awaitable[None]]
JOBS: dict[str, Job] = {}
"""The job of each kind (keys are `JobKind` values)."""


def job(kind: JobKind) -> Callable[[Job], Job]:
    def register(func: Job) -> Job:
        JOBS[kind] = func
        return func

    return register


async def prune_history(db: Database) -> None:
    """Daily housekeeping: forget old handled events and delivered outbox rows, and what old
    sent mail said."""
    cutoff = datetime.now(UTC) - KEEP_HISTORY
    async with db.session() as session:
        pruned_events = await events.prune_events(session, cutoff)
        pruned_rows = await outbox.prune_sent(session, cutoff)
        emptied = await mail.forget_sent_bodies(session, cutoff)
        await session.commit()
    log.info(
        "housekeeping: pruned %d handled events, %d sent messages; emptied %d sent mails",
        pruned_events,
        pruned_rows,
        emptied,
    )


@job(JobKind.MEETING_STEP)
async def meeting_step(ctx: JobContext, forum_id: str, stage: str, meeting_at_iso: str) -> None:
    """One step of a scheduled meeting (call-in, reminder, deadline, start, close)."""
    if stage not in STAGES:
        log.error("unknown meeting step %r for %s", stage, forum_id)
        return
    await ctx.services.conference.run_step(
        forum_id, cast(Stage, stage), datetime.fromisoformat(meeting_at_iso)
    )
    if stage == "close":
        await plan_meetings(ctx.timers, ctx.settings, ctx.services.clock.now())


@job(JobKind.ROUND_STEP)
async def round_step(ctx: JobContext, activation_id: int, number: int, stage: str) -> None:
    """One step of an activated forum's reporting round (open, reminder, deadline)."""
    if stage not in ROUND_STAGES:
        log.error("unknown round step %r for activation %s", stage, activation_id)
        return
    await ctx.services.activations.rounds.run_step(activation_id, number, cast(RoundStage, stage))


@job(JobKind.ALERT_STEP)
async def alert_step(ctx: JobContext, alert_id: int) -> None:
    """An alert's acknowledgement timeout: ping the unacknowledged again, or escalate."""
    await ctx.services.alerts.step(alert_id)


@job(JobKind.ALERT_MAIL)
async def alert_mail(ctx: JobContext, alert_id: int) -> None:
    """``[alerts] email_after`` has passed: the unacknowledged get the alert by e-mail."""
    if ctx.services.alert_mail is not None:
        await ctx.services.alert_mail.send(alert_id, "email_after")


@job(JobKind.REQUEST_EXPIRY)
async def request_expiry(ctx: JobContext, activation_id: int) -> None:
    """An activation request nobody answered lapses."""
    await ctx.services.activations.expire_request(activation_id)


@job(JobKind.ISSUE_FOLLOWUP)
async def issue_followup(ctx: JobContext, number: int, at_iso: str) -> None:
    """An issue's follow-up is due: its owner is reminded in the issue's forum."""
    await ctx.services.issues.followup_due(number, at_iso)


@job(JobKind.DUTY_HANDOFF)
async def duty_handoff(ctx: JobContext, function: str, at_iso: str, outgoing: str | None) -> None:
    """A change of who is on duty for a rostered function (a hand-off or an override's end)."""
    await ctx.services.handoff.due(function, at_iso, outgoing)
