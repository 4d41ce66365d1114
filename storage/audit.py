"""The audit log: who changed what, for after-action review (utvärdering) of an event.

Services write an entry in the same transaction as the change, so the log never claims a change
that was rolled back. These functions never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.infra import AuditEntry

SYSTEM = "system"
"""The ``actor`` of entries the bot writes on its own (scheduled call-ins, escalations…)."""


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry: ``actor`` is a user id or :data:`SYSTEM`, ``action`` a short verb such as
    ``"forum.activate"``, ``subject`` what it acted on (``"forum:samordnande"``, ``"issue:12"``).

    ``at`` is the service's clock, not the database's: the journal orders entries by it, and a
    test's (or an exercise's) clock must not mix with the wall clock."""
    entry = AuditEntry(at=at, actor=actor, action=action, subject=subject, details=details)
    session.add(entry)
    await session.flush()
    return entry


async def recent(session: AsyncSession, limit: int = 50) -> list[AuditEntry]:
    """The latest entries, newest first."""
    result = await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return list(result.scalars())


async def entries(
    session: AsyncSession, *, subject: str, action: str | None = None
) -> list[AuditEntry]:
    """What was done to `subject`, oldest first (e.g. an activation's host changes)."""
    query = select(AuditEntry).where(AuditEntry.subject == subject)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    result = await session.execute(query.order_by(AuditEntry.id))
    return list(result.scalars())


async def about(
    session: AsyncSession,
    subjects: Collection[str],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditEntry]:
    """Entries about any of `subjects` (between `since` and `until`, when given), in order."""
    if not subjects:
        return []
    query = select(AuditEntry).where(AuditEntry.subject.in_(list(subjects)))
    return await _in_order(session, query, since, until)


async def actions(
    session: AsyncSession,
    names: Collection[str],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditEntry]:
    """Entries of any of the actions `names` (between `since` and `until`), in order."""
    query = select(AuditEntry).where(AuditEntry.action.in_(list(names)))
    return await _in_order(session, query, since, until)


async def _in_order(
    session: AsyncSession,
    query: Select[AuditEntry],
    since: datetime | None,
    until: datetime | None,
) -> list[AuditEntry]:
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at <= until)
    result = await session.execute(query.order_by(AuditEntry.at, AuditEntry.id))
    return list(result.scalars())
