"""The rules of activated mode: who may activate, what `!activate` does, round times, alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.activation import (
    Decision,
    decide,
    default_host,
    may_activate,
    next_alert_step,
    round_times,
)

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def test_activators_and_admins_may_activate() -> None:
    assert may_activate(["tib"], ["tib", "rsk-koordinator"], admin=False)
    assert not may_activate(["säkerhetschef"], ["tib"], admin=False)
    assert may_activate([], ["tib"], admin=True)
    assert not may_activate(["tib"], [], admin=False)


@pytest.mark.parametrize(
    ("may", "active", "pending", "expected"),
    [
        (True, False, False, Decision.ACTIVATE),
        (True, False, True, Decision.CONFIRM),
        (False, False, False, Decision.REQUEST),
        (False, False, True, Decision.ALREADY_REQUESTED),
        (True, True, False, Decision.ALREADY_ACTIVE),
        (False, True, True, Decision.ALREADY_ACTIVE),
    ],
)
def test_what_activate_does(may: bool, active: bool, pending: bool, expected: Decision) -> None:
    assert decide(may_activate=may, active=active, pending=pending) == expected


def test_round_steps_fall_before_the_next_round_as_for_the_conference() -> None:
    times = round_times(T0, timedelta(hours=2), timedelta(hours=1), timedelta(minutes=15))
    assert times.reminder_at == T0 + timedelta(hours=1)
    assert times.deadline_at == T0 + timedelta(hours=1, minutes=45)
    assert times.next_at == T0 + timedelta(hours=2)


def test_offsets_that_do_not_fit_the_interval_fall_back_to_fractions() -> None:
    # A 30-minute interval with the weekly defaults (reminder 1 h before): picture at 3/4,
    # reminder halfway to it; a deadline longer than the interval too.
    times = round_times(T0, timedelta(minutes=30), timedelta(hours=1), timedelta(minutes=15))
    assert times.deadline_at == T0 + timedelta(minutes=15)
    assert times.reminder_at == T0 + timedelta(minutes=7, seconds=30)
    times = round_times(T0, timedelta(minutes=20), timedelta(hours=3), timedelta(hours=1))
    assert times.deadline_at == T0 + timedelta(minutes=15)
    assert T0 < times.reminder_at < times.deadline_at < times.next_at


def test_alert_repeats_then_escalates() -> None:
    assert next_alert_step(unacknowledged=0, pings=1, max_repeats=3) == "done"
    assert next_alert_step(unacknowledged=2, pings=1, max_repeats=3) == "repeat"
    assert next_alert_step(unacknowledged=2, pings=3, max_repeats=3) == "repeat"
    assert next_alert_step(unacknowledged=2, pings=4, max_repeats=3) == "escalate"
    assert next_alert_step(unacknowledged=1, pings=1, max_repeats=0) == "escalate"


def test_host_is_the_activators_participating_organisation() -> None:
    assert default_host(["lst"], ["lst", "polisen"]) == "lst"
    assert default_host(["msb", "lst"], ["lst", "polisen"]) == "lst"
    assert default_host(["msb"], ["lst"]) == "msb"
    assert default_host([], ["lst"]) is None
