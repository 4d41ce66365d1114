"""Per-person command rate limit (pure; the clock is passed in).

A sliding window: at most `limit` commands per `window` seconds. The first command over the limit
is answered once with how long to wait; the rest of the flood is ignored without an answer, so a
flood cannot make the bot flood the room back.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOWED = "allowed"
    TELL = "tell"
    """Over the limit, and not yet told in this window: answer once."""
    QUIET = "quiet"
    """Over the limit and already told: ignore."""


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    retry_after: float = 0.0


class CommandRateLimit:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._told: dict[str, float] = {}

    def take(self, user_id: str, now: float) -> Decision:
        if self.limit <= 0:
            return Decision(Verdict.ALLOWED)
        seen = self._seen.setdefault(user_id, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) < self.limit:
            seen.append(now)
            self._told.pop(user_id, None)
            return Decision(Verdict.ALLOWED)
        retry_after = max(0.0, seen[0] + self.window - now)
        if user_id in self._told:
            return Decision(Verdict.QUIET, retry_after)
        self._told[user_id] = now
        return Decision(Verdict.TELL, retry_after)

    def forget_idle(self, now: float) -> None:
        """Drops people with nothing in the window, so the table does not grow forever."""
        for user_id in [
            u for u, seen in self._seen.items() if not seen or seen[-1] <= now - self.window
        ]:
            del self._seen[user_id]
            self._told.pop(user_id, None)
