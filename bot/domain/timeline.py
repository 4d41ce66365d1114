"""What happened during one activation, in order: the material for the activation summary.

After an event the forum needs an account it can follow up on (the model description asks the
activated forum to document and to learn from each event): who asked for the activation and who
confirmed it, when each alert went out and who acknowledged it, whom the unacknowledged were
escalated to, how each reporting round went, who hosted, and when it ended. This module only
gathers those facts from plain data into one time-ordered list; ``bot.render.timeline`` writes
it out. Storage hands back UTC, sometimes naive, so every time is made aware UTC before it is
compared: a naive and an aware ``datetime`` cannot be ordered against each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "SYSTEM",
    "ActivationInfo",
    "AlertInfo",
    "HostChange",
    "RecipientInfo",
    "RoundInfo",
    "TimelineEntry",
    "as_utc",
    "compile_timeline",
    "unacked_at",
]

SYSTEM = "system"
"""Who did it when nobody did: the bot itself (an escalation, an automatic alert)."""


def as_utc(moment: datetime) -> datetime:
    """An aware UTC time; a naive value is taken as UTC, as storage hands it back."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientInfo:
    """One person an alert went to, and whether (and how) they acknowledged it."""

    user_id: str
    actor_name: str | None
    """The person's organisation, if known: a coordinator chases an organisation, not an id."""
    pings: int
    """How many times the person was pinged; 1 means only the first alert, no reminders."""
    acked_at: datetime | None
    acked_via: str | None
    """``"command"`` (``!ack``), ``"reaction"`` (✅ on the alert) or None when not known."""

    @property
    def acked(self) -> bool:
        return self.acked_at is not None


@dataclass(frozen=True)
class AlertInfo:
    """One alert (larm) to a function, with everyone it reached."""

    id: int
    function: str
    message: str
    """Typed by a user or written by the bot: escaped wherever it is shown as HTML."""
    raised_by: str
    """A user id, or ``SYSTEM`` when the bot raised it (e.g. on activation)."""
    created_at: datetime
    exercise: bool
    escalated_at: datetime | None
    escalated_to: tuple[str, ...]
    """Functions told about those who had not acknowledged."""
    cancelled_at: datetime | None
    recipients: tuple[RecipientInfo, ...]

    @property
    def acked(self) -> list[RecipientInfo]:
        return [r for r in self.recipients if r.acked_at is not None]

    @property
    def unacked(self) -> list[RecipientInfo]:
        return [r for r in self.recipients if r.acked_at is None]

    @property
    def complete(self) -> bool:
        """Everyone acknowledged (true for an alert that reached nobody: nothing to repeat)."""
        return all(r.acked_at is not None for r in self.recipients)


@dataclass(frozen=True)
class RoundInfo:
    """One reporting round (rapportrunda) of the activated forum."""

    number: int
    opened_at: datetime
    closed_at: datetime | None
    reported: tuple[tuple[str, datetime], ...]
    """(actor name, received at) for each report in the round."""
    missing: tuple[str, ...]
    """Actors that did not report (or have not yet, while the round is open)."""

    @property
    def reported_count(self) -> int:
        """Actors that reported; a second report from the same actor is not a second actor."""
        return len({name for name, _ in self.reported})

    @property
    def expected(self) -> int:
        return self.reported_count + len(self.missing)


@dataclass(frozen=True)
class HostChange:
    """Hosting (värdskap) moved to an actor, e.g. with ``!host``."""

    at: datetime
    by: str
    host: str


@dataclass(frozen=True)
class ActivationInfo:
    """One activation of a forum, from the request to the deactivation."""

    id: int
    forum_name: str
    reason: str | None
    exercise: bool
    requested_by: str
    requested_at: datetime
    activated_by: str | None
    """None while a request waits for an activator to confirm it."""
    activated_at: datetime | None
    ended_by: str | None
    ended_at: datetime | None
    host: str | None
    """The current (after the end: the last) host."""

    @property
    def was_requested(self) -> bool:
        """Someone without the right to activate asked, and (if it is active) another confirmed.

        An activator who activates directly is recorded as both requester and activator; only a
        real request is worth a line of its own.
        """
        return self.requested_by != self.activated_by

    @property
    def duration(self) -> timedelta | None:
        """From activation to deactivation; None until both have happened."""
        if self.activated_at is None or self.ended_at is None:
            return None
        return as_utc(self.ended_at) - as_utc(self.activated_at)


# --- output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One event: ``kind`` names the catalogue text (``timeline.entry.<kind>``), ``values`` are
    its placeholders, already strings, so rendering is one lookup per line.

    Kinds and their values: ``requested``/``activated``/``ended`` (user), ``withdrawn`` (user:
    a request closed without being confirmed); ``host`` (user, host);
    ``alert`` (id, function, user, message, recipients); ``ack`` (id, function, user, who, via);
    ``escalated`` (id, function, to, users) and ``escalated_no_target`` (id, function, users);
    ``cancelled`` (id, function); ``round_opened`` (number); ``report`` (number, actor);
    ``round_closed`` (number, reported, expected) and ``round_closed_missing`` (the same and
    missing). ``user`` may be ``SYSTEM``; ``via`` is ``"command"``, ``"reaction"`` or empty.
    """

    at: datetime
    kind: str
    values: dict[str, str]


def unacked_at(alert: AlertInfo, moment: datetime) -> list[RecipientInfo]:
    """Recipients who had not acknowledged at ``moment`` (an ack at that very time counts)."""
    limit = as_utc(moment)
    return [r for r in alert.recipients if r.acked_at is None or as_utc(r.acked_at) > limit]


def _who(recipient: RecipientInfo) -> str:
    if recipient.actor_name:
        return f"{recipient.user_id} ({recipient.actor_name})"
    return recipient.user_id


def _alert_entries(alert: AlertInfo) -> list[TimelineEntry]:
    ident = {"id": str(alert.id), "function": alert.function}
    entries = [
        TimelineEntry(
            as_utc(alert.created_at),
            "alert",
            {
                **ident,
                "user": alert.raised_by,
                "message": alert.message,
                "recipients": str(len(alert.recipients)),
            },
        )
    ]
    for recipient in alert.recipients:
        if recipient.acked_at is not None:
            entries.append(
                TimelineEntry(
                    as_utc(recipient.acked_at),
                    "ack",
                    {
                        **ident,
                        "user": recipient.user_id,
                        "who": _who(recipient),
                        "via": recipient.acked_via or "",
                    },
                )
            )
    if alert.escalated_at is not None:
        users = ", ".join(r.user_id for r in unacked_at(alert, alert.escalated_at)) or "—"
        if alert.escalated_to:
            kind, values = "escalated", {**ident, "to": ", ".join(alert.escalated_to)}
        else:
            kind, values = "escalated_no_target", dict(ident)
        entries.append(TimelineEntry(as_utc(alert.escalated_at), kind, {**values, "users": users}))
    if alert.cancelled_at is not None:
        entries.append(TimelineEntry(as_utc(alert.cancelled_at), "cancelled", dict(ident)))
    return entries


def _round_entries(round_info: RoundInfo) -> list[TimelineEntry]:
    number = str(round_info.number)
    entries = [TimelineEntry(as_utc(round_info.opened_at), "round_opened", {"number": number})]
    entries += [
        TimelineEntry(as_utc(at), "report", {"number": number, "actor": actor})
        for actor, at in round_info.reported
    ]
    if round_info.closed_at is not None:
        values = {
            "number": number,
            "reported": str(round_info.reported_count),
            "expected": str(round_info.expected),
        }
        if round_info.missing:
            kind, values = (
                "round_closed_missing",
                {**values, "missing": ", ".join(round_info.missing)},
            )
        else:
            kind = "round_closed"
        entries.append(TimelineEntry(as_utc(round_info.closed_at), kind, values))
    return entries


def compile_timeline(
    activation: ActivationInfo,
    alerts: Sequence[AlertInfo],
    rounds: Sequence[RoundInfo],
    host_changes: Sequence[HostChange],
) -> tuple[TimelineEntry, ...]:
    """Every event of the activation, oldest first, with times in aware UTC.

    Events at the same moment keep a fixed order, so a summary reads the same each time and
    causes come before effects: the request and the activation first; then each alert with its
    acknowledgements, escalation and cancellation; then each round's opening, reports and
    closing; then the host changes; the deactivation last (rounds closed by it share its time).
    """
    entries: list[TimelineEntry] = []
    if activation.was_requested:
        entries.append(
            TimelineEntry(
                as_utc(activation.requested_at), "requested", {"user": activation.requested_by}
            )
        )
    if activation.activated_at is not None:
        entries.append(
            TimelineEntry(
                as_utc(activation.activated_at),
                "activated",
                {"user": activation.activated_by or SYSTEM},
            )
        )
    for alert in alerts:
        entries += _alert_entries(alert)
    for round_info in rounds:
        entries += _round_entries(round_info)
    entries += [
        TimelineEntry(as_utc(change.at), "host", {"user": change.by, "host": change.host})
        for change in host_changes
    ]
    if activation.ended_at is not None:
        # A request closed before anyone confirmed it (declined, withdrawn) ended no activation.
        kind = "ended" if activation.activated_at is not None else "withdrawn"
        entries.append(
            TimelineEntry(
                as_utc(activation.ended_at), kind, {"user": activation.ended_by or SYSTEM}
            )
        )
    return tuple(sorted(entries, key=lambda entry: entry.at))  # sorted() is stable
