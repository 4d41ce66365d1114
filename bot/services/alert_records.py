"""Alerts as the plain records that `!alerts`, the timeline and the web read: who was called,
who answered, how and when."""

from __future__ import annotations

from bot.domain.errors import Refusal
from bot.domain.timeline import AlertInfo, RecipientInfo
from bot.services.core import Core, Service
from storage import alerts
from storage.models.activations import Alert


class AlertRecords(Service):
    def __init__(self, core: Core) -> None:
        super().__init__(core)

    def info(self, alert: Alert) -> AlertInfo:
        return AlertInfo(
            id=alert.id,
            function=alert.function,
            message=alert.message,
            raised_by=alert.raised_by,
            created_at=alert.created_at,
            exercise=alert.exercise,
            escalated_at=alert.escalated_at,
            escalated_to=tuple(self.settings.alerts.escalate_to),
            cancelled_at=alert.cancelled_at,
            recipients=tuple(
                RecipientInfo(
                    user_id=r.user_id,
                    actor_name=self._actor_name(r.user_id),
                    pings=r.pings,
                    acked_at=r.acked_at,
                    acked_via=r.acked_via,
                )
                for r in alert.recipients
            ),
        )

    async def recent(self, limit: int = 5) -> list[AlertInfo]:
        async with self.db.session() as session:
            return [self.info(a) for a in await alerts.recent(session, limit)]

    async def one(self, alert_id: int) -> AlertInfo:
        async with self.db.session() as session:
            alert = await alerts.get(session, alert_id)
        if alert is None:
            raise Refusal("alert.unknown", id=alert_id)
        return self.info(alert)

    def _actor_name(self, user_id: str) -> str | None:
        actors = self.directory.actors_of(user_id)
        return actors[0].name if actors else None
