"""The audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage import audit
from storage.db import Database
from storage.models import AuditEntry

THURSDAY = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


async def test_record_and_recent(database: Database) -> None:
    async with database.session() as s:
        entry = await audit.record(
            s,
            at=THURSDAY,
            actor="@tib:example.se",
            action="forum.activate",
            subject="forum:samordnande",
            details={"exercise": True, "reason": "storm Ävja", "functions": ["kommunikatör"]},
        )
        assert entry.id is not None and entry.at.tzinfo is not None
        await audit.record(s, at=THURSDAY, actor=audit.SYSTEM, action="meeting.call_in")
        await s.commit()
    async with database.session() as s:
        latest = await audit.recent(s)
        assert [e.action for e in latest] == ["meeting.call_in", "forum.activate"]
        assert latest[1].details == {
            "exercise": True,
            "reason": "storm Ävja",
            "functions": ["kommunikatör"],
        }
        assert latest[0].details is None and latest[0].subject is None
        assert latest[1].at == THURSDAY  # the caller's clock, not the database's
        assert [e.action for e in await audit.recent(s, limit=1)] == ["meeting.call_in"]
        # No details is SQL NULL, not the JSON value null.
        nulls = await s.execute(select(AuditEntry.id).where(AuditEntry.details.is_(None)))
        assert list(nulls.scalars()) == [latest[0].id]
