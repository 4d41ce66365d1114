"""What the database says about the bot's work, for `/metrics`: outbox depth, alerts awaiting
acknowledgement, reports in each forum's latest meeting.

Read at scrape time in one short session, so the figures are as fresh as the scrape and cost
nothing between scrapes.
"""

from __future__ import annotations

from bot.observability.metrics import Figures
from bot.services.core import Core, Service
from storage import alerts, meetings, outbox
from storage.models.infra import OUTBOX_FAILED, OUTBOX_PENDING


class StatusService(Service):
    def __init__(self, core: Core) -> None:
        super().__init__(core)

    async def figures(self) -> Figures:
        async with self.db.session() as session:
            states = await outbox.count_by_state(session)
            unacknowledged = await alerts.count_unacknowledged(session)
            reports: dict[str, int] = {}
            for forum in self.settings.forums:
                meeting = await meetings.latest_meeting(session, forum.id)
                reports[forum.id] = (
                    0
                    if meeting is None
                    else await meetings.count_current_reports(session, meeting.id)
                )
        return Figures(
            outbox_pending=states[OUTBOX_PENDING],
            outbox_failed=states[OUTBOX_FAILED],
            alerts_unacknowledged=unacknowledged,
            meeting_reports=reports,
        )
