"""Exponential backoff, as mautrix's syncer does it: 5 s doubling up to a few minutes."""

from __future__ import annotations

import asyncio


class Backoff:
    """Delays that double after each failure and start over after a success."""

    def __init__(self, first: float = 5.0, factor: float = 2.0, maximum: float = 300.0) -> None:
        self.first = first
        self.factor = factor
        self.maximum = maximum
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.first * self.factor**self.failures, self.maximum)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0

    async def wait(self) -> float:
        delay = self.next_delay()
        await asyncio.sleep(delay)
        return delay
