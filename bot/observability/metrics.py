"""The bot's Prometheus metrics, in a registry of their own.

Counters and histograms are updated where things happen (dispatcher, command router, sender,
sync loop) through the small functions below, so those modules need not know prometheus-client.
Figures that live in the database (outbox depth, unacknowledged alerts, reports per meeting) are
read when `/metrics` is scraped, through `bot.services.status`, and set with `set_figures`.

A registry of our own instead of prometheus-client's global one: several apps in one test process
then share one set of metrics without "duplicated timeseries" errors, and nothing a library
registers globally ends up in our output.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

#: How a command ended, as the router reports it.
Outcome = Literal[
    "ok", "rejected", "refused", "usage", "unknown", "failed", "rate_limited", "too_long"
]
#: ok: done; rejected: answered with why not on the facts (e.g. "not active"); refused: not
#: allowed; usage: malformed; unknown: no such command; failed: a bug, logged; rate_limited and
#: too_long: not looked at.
OUTCOMES: tuple[Outcome, ...] = (
    "ok",
    "rejected",
    "refused",
    "usage",
    "unknown",
    "failed",
    "rate_limited",
    "too_long",
)

EVENTS_HANDLED = Counter(
    "samverkan_events_handled",
    "Matrix events the dispatcher accepted and queued for handling, by kind",
    ["kind"],
    registry=REGISTRY,
)
COMMANDS = Counter(
    "samverkan_commands",
    "Chat commands finished, by canonical command name and outcome",
    ["command", "outcome"],
    registry=REGISTRY,
)
SEND_LATENCY = Histogram(
    "samverkan_outbox_send_latency_seconds",
    "From a message's outbox row being created to the homeserver accepting it",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
    registry=REGISTRY,
)
SYNC_DURATION = Gauge(
    "samverkan_sync_duration_seconds",
    "Duration of the last successful /sync round (long-poll wait, event handling, token save)",
    registry=REGISTRY,
)
SYNC_LAST_SUCCESS = Gauge(
    "samverkan_sync_last_success_timestamp_seconds",
    "Unix time of the last successful /sync (0 before the first)",
    registry=REGISTRY,
)
SYNC_LAG = Gauge(
    "samverkan_sync_lag_seconds",
    "Seconds since the last successful /sync (NaN before the first)",
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "samverkan_outbox_depth",
    "Messages in the outbox waiting to be sent",
    registry=REGISTRY,
)
OUTBOX_FAILED = Gauge(
    "samverkan_outbox_failed_messages",
    "Messages the sender gave up on (reported in the alerts room), still kept in the outbox",
    registry=REGISTRY,
)
ALERTS_UNACKNOWLEDGED = Gauge(
    "samverkan_alerts_unacknowledged",
    "Alert pings to a person not yet acknowledged, in alerts that were not cancelled",
    registry=REGISTRY,
)
MEETING_REPORTS = Gauge(
    "samverkan_meeting_reports",
    "Current situation reports in each forum's latest meeting that has begun",
    ["forum"],
    registry=REGISTRY,
)

_last_sync: float | None = None


def _sync_lag() -> float:
    return math.nan if _last_sync is None else max(0.0, time.time() - _last_sync)


SYNC_LAG.set_function(_sync_lag)


def event_handled(kind: str) -> None:
    """The dispatcher accepted an event (recorded as new and queued for its room)."""
    EVENTS_HANDLED.labels(kind=kind).inc()


def command_finished(name: str, outcome: str) -> None:
    """A chat command finished; `name` is the canonical (English) command name and `outcome`
    one of `OUTCOMES`. An outcome outside that list is a programming error."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown command outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    COMMANDS.labels(command=name, outcome=outcome).inc()


def message_sent(created_at: datetime, sent_at: datetime) -> None:
    """An outbox row was accepted by the homeserver: its time in the outbox."""
    SEND_LATENCY.observe(max(0.0, (sent_at - created_at).total_seconds()))


def sync_finished(duration_s: float, at: float | None = None) -> None:
    """A /sync round completed; `at` is its Unix time (now by default)."""
    global _last_sync
    _last_sync = time.time() if at is None else at
    SYNC_DURATION.set(duration_s)
    SYNC_LAST_SUCCESS.set(_last_sync)


@dataclass(frozen=True)
class Figures:
    """What the database says at scrape time (see `bot.services.status`)."""

    outbox_pending: int
    outbox_failed: int
    alerts_unacknowledged: int
    meeting_reports: Mapping[str, int] = field(default_factory=dict)


def set_figures(figures: Figures) -> None:
    OUTBOX_DEPTH.set(figures.outbox_pending)
    OUTBOX_FAILED.set(figures.outbox_failed)
    ALERTS_UNACKNOWLEDGED.set(figures.alerts_unacknowledged)
    MEETING_REPORTS.clear()  # a forum removed from the config disappears
    for forum, count in figures.meeting_reports.items():
        MEETING_REPORTS.labels(forum=forum).set(count)


def clear_figures() -> None:
    """The database could not be read: its figures are unknown (NaN), not stale."""
    for gauge in (OUTBOX_DEPTH, OUTBOX_FAILED, ALERTS_UNACKNOWLEDGED):
        gauge.set(math.nan)
    MEETING_REPORTS.clear()


def exposition() -> bytes:
    """The registry in Prometheus text format."""
    return generate_latest(REGISTRY)
