"""The time services act on, injected so that a test can set it and step it.

Every service that stamps a row or compares against "now" asks its `Clock`; the app wires the
system clock, tests wire `bot.testing.FakeClock`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


SYSTEM_CLOCK: Clock = SystemClock()
