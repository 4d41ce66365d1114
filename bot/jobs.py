"""Scheduler job functions: importable, module-level, taking plain arguments."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import cast

from bot import runtime
from bot.domain.activation import ROUND_STAGES, RoundStage
from bot.domain.calendar import STAGES, Stage
from bot.planner import plan_meetings
from storage import events, outbox

log = logging.getLogger(__name__)

#: Handled event ids and sent outbox rows are kept this long (transaction ids live ~24 h on
#: Synapse, event replays come within a sync or two; a month leaves room for audits).
KEEP_HISTORY = timedelta(days=30)


async def run_timer(job_id: str) -> None:
    """Every timer rings through here: `PersistentTimers.fire` runs it once."""
    await runtime.current().timers.fire(job_id)


async def prune_history() -> None:
    """Daily housekeeping: forget old handled events and delivered outbox rows."""
    app = runtime.current()
    cutoff = datetime.now(UTC) - KEEP_HISTORY
    async with app.db.session() as session:
        pruned_events = await events.prune_events(session, cutoff)
        pruned_rows = await outbox.prune_sent(session, cutoff)
        await session.commit()
    log.info("housekeeping: pruned %d handled events, %d sent messages", pruned_events, pruned_rows)


async def meeting_step(forum_id: str, stage: str, meeting_at_iso: str) -> None:
    """One step of a scheduled meeting (call-in, reminder, deadline, start, close)."""
    app = runtime.current()
    if stage not in STAGES:
        log.error("unknown meeting step %r for %s", stage, forum_id)
        return
    await app.services.conference.run_step(
        forum_id,
        cast(Stage, stage),
        datetime.fromisoformat(meeting_at_iso),
    )
    if stage == "close":
        await plan_meetings(app.timers, app.settings)


async def round_step(activation_id: int, number: int, stage: str) -> None:
    """One step of an activated forum's reporting round (open, reminder, deadline)."""
    if stage not in ROUND_STAGES:
        log.error("unknown round step %r for activation %s", stage, activation_id)
        return
    await runtime.current().services.activations.run_round_step(
        activation_id, number, cast(RoundStage, stage)
    )


async def alert_step(alert_id: int) -> None:
    """An alert's acknowledgement timeout: ping the unacknowledged again, or escalate."""
    await runtime.current().services.alerts.step(alert_id)


async def request_expiry(activation_id: int) -> None:
    """An activation request nobody answered lapses."""
    await runtime.current().services.activations.expire_request(activation_id)


async def issue_followup(number: int, at_iso: str) -> None:
    """An issue's follow-up is due: its owner is reminded in the issue's forum."""
    await runtime.current().services.issues.followup_due(number, at_iso)


async def duty_handoff(function: str, at_iso: str, outgoing: str | None) -> None:
    """A change of who is on duty for a rostered function (a hand-off or an override's end)."""
    await runtime.current().services.handoff.due(function, at_iso, outgoing)
