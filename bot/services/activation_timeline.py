"""What happened in one activation, read back from storage: the facts of its timeline
(activation, alerts and acknowledgements, rounds and reports, host changes, end), for the
summary sent home at `!deactivate` and for the web's activation page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.domain.timeline import ActivationInfo, AlertInfo, HostChange, RoundInfo
from bot.render.timeline import render_activation_summary
from bot.services.alerts import AlertService
from bot.services.core import Core, Service
from bot.services.pictures import PictureService
from storage import activations, alerts, audit
from storage.models.activations import Activation


@dataclass(frozen=True)
class TimelineFacts:
    """What `bot.domain.timeline.compile_timeline` needs about one activation, read from
    storage; the summary and the web's activation page are both made from it."""

    activation: ActivationInfo
    alerts: tuple[AlertInfo, ...]
    rounds: tuple[RoundInfo, ...]
    host_changes: tuple[HostChange, ...]


class ActivationTimeline(Service):
    def __init__(self, core: Core, alerts: AlertService, pictures: PictureService) -> None:
        super().__init__(core)
        self.alerts = alerts
        self.pictures = pictures

    async def summary(
        self, session: AsyncSession, forum: ForumConfig, row: Activation
    ) -> tuple[str, str]:
        """The activation's timeline: activation, alerts and acknowledgements, rounds and
        reports, host changes, deactivation."""
        facts = await self.facts(session, forum, row)
        return render_activation_summary(
            self.t,
            self.settings.zone,
            facts.activation,
            facts.alerts,
            facts.rounds,
            facts.host_changes,
        )

    async def facts(
        self, session: AsyncSession, forum: ForumConfig, row: Activation
    ) -> TimelineFacts:
        """The facts of the activation's timeline, as stored now (also while it runs)."""
        host = self.settings.actor(row.host_actor_id) if row.host_actor_id else None
        info = ActivationInfo(
            id=row.id,
            forum_name=forum.name,
            reason=row.reason,
            exercise=row.exercise,
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            activated_by=row.activated_by,
            activated_at=row.activated_at,
            ended_by=row.ended_by,
            ended_at=row.ended_at,
            host=host.name if host else None,
        )
        alert_infos = [
            self.alerts.records.info(a) for a in await alerts.of_activation(session, row.id)
        ]
        rounds = []
        for meeting in await activations.rounds(session, row.id):
            if meeting.call_in_at is None:
                continue
            entries = await self.pictures.entries(session, meeting)
            absent = await self.pictures.missing(session, forum, meeting)
            rounds.append(
                RoundInfo(
                    number=meeting.round_number,
                    opened_at=meeting.call_in_at,
                    closed_at=meeting.closed_at,
                    reported=tuple((e.actor.name, e.received_at) for e in entries),
                    missing=tuple(a.name for a in absent),
                )
            )
        changes = []
        for entry in await audit.entries(
            session, subject=f"activation:{row.id}", action="activation.host"
        ):
            actor = self.settings.actor(str((entry.details or {}).get("host")))
            changes.append(HostChange(entry.at, entry.actor, actor.name if actor else "–"))
        return TimelineFacts(info, tuple(alert_infos), tuple(rounds), tuple(changes))
