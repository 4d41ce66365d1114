"""Scheduler job functions: importable, module-level, taking plain arguments."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot import runtime
from storage import events, outbox

log = logging.getLogger(__name__)

#: Handled event ids and sent outbox rows are kept this long (transaction ids live ~24 h on
#: Synapse, event replays come within a sync or two; a month leaves room for audits).
KEEP_HISTORY = timedelta(days=30)


async def prune_history() -> None:
    """Daily housekeeping: forget old handled events and delivered outbox rows."""
    app = runtime.current()
    cutoff = datetime.now(UTC) - KEEP_HISTORY
    async with app.db.session() as session:
        pruned_events = await events.prune_events(session, cutoff)
        pruned_rows = await outbox.prune_sent(session, cutoff)
        await session.commit()
    log.info("housekeeping: pruned %d handled events, %d sent messages", pruned_events, pruned_rows)
