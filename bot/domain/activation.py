"""The rules of activated mode as plain functions: who may activate, what `!activate` does in
each state, when a reporting round's steps fall, and what an unacknowledged alert needs next.

Model description, section 3.3: activation may be initiated by any actor, but Länsstyrelsen
convenes; so the forum's `activators` activate at once and everyone else asks them. Kept apart
from I/O so the decisions are tested without a homeserver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

RoundStage = Literal["open", "reminder", "deadline"]
ROUND_STAGES: tuple[RoundStage, ...] = ("open", "reminder", "deadline")

APPROVE_KEYS = frozenset({"✅", "✔️", "✔", "☑️", "👍"})
"""Reactions that acknowledge an alert or confirm an activation request."""
DECLINE_KEYS = frozenset({"❌", "✖️", "👎"})
"""Reactions with which an activator declines a request."""


class Decision(StrEnum):
    """What `!activate FORUM` does, given who asks and what the forum's state is."""

    ACTIVATE = "activate"
    """An activator, nothing pending: active at once."""
    CONFIRM = "confirm"
    """An activator confirms the pending request."""
    REQUEST = "request"
    """Someone else: a request that pings the activators."""
    ALREADY_ACTIVE = "already_active"
    ALREADY_REQUESTED = "already_requested"


def may_activate(functions: Iterable[str], activators: Sequence[str], admin: bool) -> bool:
    return admin or any(f in activators for f in functions)


def decide(*, may_activate: bool, active: bool, pending: bool) -> Decision:
    if active:
        return Decision.ALREADY_ACTIVE
    if may_activate:
        return Decision.CONFIRM if pending else Decision.ACTIVATE
    return Decision.ALREADY_REQUESTED if pending else Decision.REQUEST


@dataclass(frozen=True)
class RoundTimes:
    """When one reporting round's steps fall: reminder and picture before the next round."""

    opened_at: datetime
    reminder_at: datetime
    deadline_at: datetime
    next_at: datetime


def round_times(
    opened_at: datetime,
    interval: timedelta,
    reminder_before: timedelta,
    deadline_before: timedelta,
) -> RoundTimes:
    """A round runs from `opened_at` to the next round; the reminder and the combined picture
    come `reminder_before` and `deadline_before` before its end, as for the weekly conference.

    Those offsets are set for a weekly meeting (1 h, 15 min); when one does not fit inside the
    interval, the picture falls at three quarters and the reminder halfway to the picture.
    """
    ends = opened_at + interval
    if not timedelta(0) < deadline_before < interval:
        deadline_before = interval / 4
    if not deadline_before < reminder_before < interval:
        reminder_before = deadline_before + (interval - deadline_before) / 2
    return RoundTimes(opened_at, ends - reminder_before, ends - deadline_before, ends)


AlertStep = Literal["repeat", "escalate", "done"]


def next_alert_step(unacknowledged: int, pings: int, max_repeats: int) -> AlertStep:
    """After `pings` pings (the first alert counts as one), `max_repeats` more are sent to the
    unacknowledged, then the escalation functions are told."""
    if unacknowledged == 0:
        return "done"
    return "repeat" if pings <= max_repeats else "escalate"


def default_host(activator_actors: Sequence[str], participants: Sequence[str]) -> str | None:
    """Länsstyrelsen is normally the host (section 3.3): the activator's own organisation, the
    one that participates in the forum if it has several."""
    for actor in activator_actors:
        if actor in participants:
            return actor
    return activator_actors[0] if activator_actors else None
