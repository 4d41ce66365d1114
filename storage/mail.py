"""The e-mail outbox's queries: queue a mail in the caller's unit of work, and the sender's
due rows and outcomes. Nothing here commits."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.dialect import insert
from storage.models.mail import MailMessage, MailState


def new_message_id(domain: str) -> str:
    return f"<{secrets.token_hex(16)}@{domain}>"


async def enqueue(
    session: AsyncSession,
    *,
    to_address: str,
    subject: str,
    text_body: str,
    html_body: str,
    message_id: str,
    dedupe_key: str,
) -> MailMessage:
    """Queue a mail; with a `dedupe_key` already used, the row that has it (also when two
    sessions queue the same key at once)."""
    await session.execute(
        insert(session, MailMessage)
        .values(
            dedupe_key=dedupe_key,
            message_id=message_id,
            to_address=to_address,
            subject=subject[:255],
            text_body=text_body,
            html_body=html_body,
            state=MailState.PENDING,
            attempts=0,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[MailMessage.dedupe_key])
    )
    found = await session.execute(select(MailMessage).where(MailMessage.dedupe_key == dedupe_key))
    return found.scalar_one()


async def due(session: AsyncSession, now: datetime, limit: int = 20) -> list[MailMessage]:
    """Pending mail whose time has come, oldest first."""
    result = await session.execute(
        select(MailMessage)
        .where(
            MailMessage.state == MailState.PENDING,
            (MailMessage.next_attempt_at.is_(None)) | (MailMessage.next_attempt_at <= now),
        )
        .order_by(MailMessage.id)
        .limit(limit)
    )
    return list(result.scalars())


async def earliest_retry(session: AsyncSession) -> datetime | None:
    result = await session.execute(
        select(func.min(MailMessage.next_attempt_at)).where(MailMessage.state == MailState.PENDING)
    )
    return result.scalar_one_or_none()


async def by_key(session: AsyncSession, dedupe_key: str) -> MailMessage | None:
    result = await session.execute(select(MailMessage).where(MailMessage.dedupe_key == dedupe_key))
    return result.scalar_one_or_none()


async def all_for(session: AsyncSession, to_address: str) -> list[MailMessage]:
    result = await session.execute(
        select(MailMessage).where(MailMessage.to_address == to_address).order_by(MailMessage.id)
    )
    return list(result.scalars())


def mark_sent(row: MailMessage, now: datetime) -> None:
    row.state = MailState.SENT
    row.sent_at = now
    row.attempts += 1
    row.last_error = None


def mark_retry(row: MailMessage, error: str, at: datetime) -> None:
    row.attempts += 1
    row.last_error = error
    row.next_attempt_at = at


def mark_failed(row: MailMessage, error: str) -> None:
    row.state = MailState.FAILED
    row.attempts += 1
    row.last_error = error


async def forget_sent_bodies(session: AsyncSession, older_than: datetime) -> int:
    """Empties what mail sent before `older_than` said; returns how many rows. The row stays:
    its dedupe key keeps the same alert or summary from being mailed twice, and its Message-ID,
    address and subject say what went to whom. What it said is in the journal, not in a copy
    of every mail kept for ever."""
    result = await session.execute(
        update(MailMessage)
        .where(
            MailMessage.state == MailState.SENT,
            MailMessage.sent_at < older_than,
            (MailMessage.text_body != "") | (MailMessage.html_body != ""),
        )
        .values(text_body="", html_body="")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
