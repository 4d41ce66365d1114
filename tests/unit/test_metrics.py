"""The metrics registry: what the recording functions add shows in the exposition, read back
with prometheus-client's own parser."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.observability import metrics


def scrape() -> dict[str, list[tuple[dict[str, str], float]]]:
    """Sample name → [(labels, value)] of the whole registry, as a scraper reads it."""
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def value(name: str, **labels: str) -> float:
    for found_labels, found in scrape().get(name, []):
        if all(found_labels.get(k) == v for k, v in labels.items()):
            return found
    return 0.0


def test_commands_are_counted_by_name_and_outcome() -> None:
    before = value("samverkan_commands_total", command="status", outcome="ok")
    refused = value("samverkan_commands_total", command="activate", outcome="refused")
    metrics.command_finished("status", "ok")
    metrics.command_finished("status", "ok")
    metrics.command_finished("activate", "refused")
    assert value("samverkan_commands_total", command="status", outcome="ok") == before + 2
    assert value("samverkan_commands_total", command="activate", outcome="refused") == refused + 1


def test_an_unknown_outcome_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(
        ValueError, match="ok, rejected, refused, usage, unknown, failed, rate_limited, too_long"
    ):
        metrics.command_finished("status", "fine")


def test_events_are_counted_by_kind() -> None:
    before = value("samverkan_events_handled_total", kind="reaction")
    metrics.event_handled("reaction")
    assert value("samverkan_events_handled_total", kind="reaction") == before + 1


def test_send_latency_is_observed_from_creation_to_sending() -> None:
    count = value("samverkan_outbox_send_latency_seconds_count")
    total = value("samverkan_outbox_send_latency_seconds_sum")
    created = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    metrics.message_sent(created, created + timedelta(seconds=1.5))
    assert value("samverkan_outbox_send_latency_seconds_count") == count + 1
    assert value("samverkan_outbox_send_latency_seconds_sum") == pytest.approx(total + 1.5)
    assert value("samverkan_outbox_send_latency_seconds_bucket", le="2.5") >= 1


def test_sync_lag_counts_from_the_last_successful_sync() -> None:
    metrics.sync_finished(0.25, at=time.time() - 42)
    assert value("samverkan_sync_lag_seconds") == pytest.approx(42, abs=2)
    assert value("samverkan_sync_duration_seconds") == 0.25
    metrics.sync_finished(0.5)
    assert value("samverkan_sync_lag_seconds") < 2
    assert value("samverkan_sync_last_success_timestamp_seconds") == pytest.approx(
        time.time(), abs=2
    )


def test_database_figures_replace_the_previous_scrape() -> None:
    metrics.set_figures(
        metrics.Figures(
            outbox_pending=3,
            outbox_failed=1,
            alerts_unacknowledged=5,
            meeting_reports={"konferens": 12, "chefsgrupp": 0},
        )
    )
    assert value("samverkan_outbox_depth") == 3
    assert value("samverkan_outbox_failed_messages") == 1
    assert value("samverkan_alerts_unacknowledged") == 5
    assert value("samverkan_meeting_reports", forum="konferens") == 12
    metrics.set_figures(metrics.Figures(0, 0, 0, {"konferens": 2}))
    reports = scrape()["samverkan_meeting_reports"]
    assert reports == [({"forum": "konferens"}, 2.0)]  # a forum gone from the config is gone
    metrics.clear_figures()
    assert math.isnan(value("samverkan_outbox_depth"))
    assert "samverkan_meeting_reports" not in scrape()
