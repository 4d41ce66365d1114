"""The kinds of job a timer can run, by name: what a timer row stores, so renaming or moving a
job's code never strands the timers armed before (see `bot.scheduling.jobs` for the code)."""

from __future__ import annotations

from enum import StrEnum


class JobKind(StrEnum):
    MEETING_STEP = "meeting_step"
    ROUND_STEP = "round_step"
    ALERT_STEP = "alert_step"
    ALERT_MAIL = "alert_mail"
    REQUEST_EXPIRY = "request_expiry"
    ISSUE_FOLLOWUP = "issue_followup"
    DUTY_HANDOFF = "duty_handoff"

    @classmethod
    def of(cls, stored: str) -> JobKind:
        """The kind a timer row names (see `stored_kind`). Raises ValueError if unknown."""
        return cls(stored_kind(stored))


def stored_kind(stored: str) -> str:
    """The kind named in a timer row; rows armed before kinds name the job's function
    (``"bot.jobs:alert_step"``), which is read as its kind."""
    return stored.rpartition(":")[2]
