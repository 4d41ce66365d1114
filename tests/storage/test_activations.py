"""Activations, their rounds, alerts and direct rooms, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import activations, alerts, direct_rooms
from storage.db import Database
from storage.models import ActivationState, MeetingKind

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


async def test_request_then_activation_then_rounds(database: Database) -> None:
    async with database.session() as s:
        row = await activations.request(
            s,
            forum_id="samordnande",
            requested_by="@sak:x",
            reason="snö",
            exercise=True,
            request_event_id="$cmd",
            now=NOW,
        )
        await s.commit()
        assert (await activations.pending_request(s, "samordnande")) is row
        assert await activations.active(s, "samordnande") is None
        assert (await activations.by_request_event(s, "$cmd")) is row

        await activations.activate(s, row, activated_by="@tib:x", host_actor_id="lst", now=NOW)
        first = await activations.round_meeting(s, row, 1, NOW)
        again = await activations.round_meeting(s, row, 1, NOW + timedelta(minutes=5))
        second = await activations.round_meeting(s, row, 2, NOW + timedelta(hours=2))
        await s.commit()
        assert first.id == again.id and first.scheduled_at == NOW  # a second run finds it
        assert first.kind == MeetingKind.ACTIVATED and second.round_number == 2
        assert [m.id for m in await activations.rounds(s, row.id)] == [first.id, second.id]
        assert [a.id for a in await activations.all_active(s)] == [row.id]

        await activations.end(s, row, state=ActivationState.ENDED, by="@tib:x", now=NOW)
        await s.commit()
        assert await activations.active(s, "samordnande") is None
        assert row.ended_by == "@tib:x" and row.ended_at is not None


async def test_alert_recipients_acknowledge_once(database: Database) -> None:
    async with database.session() as s:
        alert = await alerts.create(
            s,
            function="kommunikatör",
            message="Forumet är aktiverat",
            raised_by="@tib:x",
            users=["@a:x", "@b:x"],
            exercise=False,
            activation_id=None,
        )
        await s.commit()
        open_a = await alerts.open_for(s, "@a:x")
        assert [r.alert_id for r in open_a] == [alert.id]
        assert alerts.acknowledge(open_a[0], "reaction", NOW)
        assert not alerts.acknowledge(open_a[0], "command", NOW + timedelta(minutes=1))
        await s.commit()
        assert open_a[0].acked_via == "reaction"
        assert await alerts.open_for(s, "@a:x") == []
        alert.cancelled_at = NOW
        await s.commit()
        assert await alerts.open_for(s, "@b:x") == []  # a cancelled alert waits for no one
        loaded = await alerts.get(s, alert.id)
        assert loaded is not None and {r.user_id for r in loaded.recipients} == {"@a:x", "@b:x"}


async def test_direct_rooms_first_one_wins(database: Database) -> None:
    async with database.session() as s:
        assert await direct_rooms.room_of(s, "@a:x") is None
        assert await direct_rooms.remember(s, "@a:x", "!one") == "!one"
        assert await direct_rooms.remember(s, "@a:x", "!two") == "!one"
        await s.commit()
        assert await direct_rooms.all_rooms(s) == {"@a:x": "!one"}
