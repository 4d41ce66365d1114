"""When the homeserver cannot be reached, running alerts go by e-mail at once.

The sync loop is the bot's pulse on the homeserver: it records its last error and the time of
its last successful sync. Unreachable means the loop is failing and nothing has succeeded for
``[email] matrix_down_after``; every check while that holds mails the alerts still running
(each person once per alert: `AlertMail.send` never queues a mail twice).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

log = logging.getLogger(__name__)


class Pulse(Protocol):
    """The sync loop, as far as reachability goes."""

    last_error: str | None
    last_sync_at: float | None


def unreachable_for(pulse: Pulse, started_at: float, now: float) -> float:
    """Seconds the homeserver has been unreachable (0 while the sync loop is not failing)."""
    if pulse.last_error is None:
        return 0.0
    return now - (pulse.last_sync_at or started_at)


async def watch_homeserver(
    pulse: Pulse,
    on_down: Callable[[], Awaitable[int]],
    down_after: timedelta,
    *,
    every_s: float = 2.0,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Runs until cancelled; a failing `on_down` is logged and tried at the next check."""
    started_at = monotonic()
    limit = down_after.total_seconds()
    told = False
    while True:
        await asyncio.sleep(every_s)
        down = unreachable_for(pulse, started_at, monotonic())
        if down < limit:
            told = False
            continue
        if not told:
            log.warning("homeserver unreachable for %.0f s: running alerts go by e-mail", down)
            told = True
        try:
            await on_down()
        except Exception:
            log.exception("could not mail the running alerts")
