"""Alerts (alerteringar) and their recipients: who was pinged, how often, who acknowledged.

Transactions: none of these functions commits; the caller does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.base import utcnow
from storage.models.activations import Alert, AlertRecipient


async def create(
    session: AsyncSession,
    *,
    function: str,
    message: str,
    raised_by: str,
    users: Sequence[str],
    exercise: bool,
    activation_id: int | None,
    now: datetime | None = None,
) -> Alert:
    """An alert to `users` (everyone holding `function`), none of them pinged yet."""
    alert = Alert(
        function=function,
        message=message,
        raised_by=raised_by,
        exercise=exercise,
        activation_id=activation_id,
        created_at=now or utcnow(),
        recipients=[AlertRecipient(user_id=user) for user in users],
    )
    session.add(alert)
    await session.flush()
    return alert


async def get(session: AsyncSession, alert_id: int) -> Alert | None:
    result = await session.execute(
        select(Alert).where(Alert.id == alert_id).options(selectinload(Alert.recipients))
    )
    return result.scalars().first()


async def of_activation(session: AsyncSession, activation_id: int) -> list[Alert]:
    result = await session.execute(
        select(Alert)
        .where(Alert.activation_id == activation_id)
        .options(selectinload(Alert.recipients))
        .order_by(Alert.id)
    )
    return list(result.scalars())


async def recent(session: AsyncSession, limit: int = 10) -> list[Alert]:
    """The latest alerts, newest first."""
    result = await session.execute(
        select(Alert).options(selectinload(Alert.recipients)).order_by(Alert.id.desc()).limit(limit)
    )
    return list(result.scalars())


async def running_of_function(session: AsyncSession, function: str) -> list[Alert]:
    """Alerts to `function` still running: not cancelled, and someone has not acknowledged."""
    result = await session.execute(
        select(Alert)
        .where(Alert.function == function, Alert.cancelled_at.is_(None))
        .options(selectinload(Alert.recipients))
        .order_by(Alert.id)
    )
    return [a for a in result.scalars() if any(r.acked_at is None for r in a.recipients)]


def add_recipient(alert: Alert, user_id: str) -> AlertRecipient:
    """`user_id` among the alert's recipients (the row they already have, if any)."""
    found = recipient(alert, user_id)
    if found is None:
        found = AlertRecipient(user_id=user_id)
        alert.recipients.append(found)
    return found


async def open_for(session: AsyncSession, user_id: str) -> list[AlertRecipient]:
    """`user_id`'s unacknowledged places in alerts still running (not cancelled)."""
    result = await session.execute(
        select(AlertRecipient)
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .where(
            AlertRecipient.user_id == user_id,
            AlertRecipient.acked_at.is_(None),
            Alert.cancelled_at.is_(None),
        )
        .order_by(AlertRecipient.alert_id)
    )
    return list(result.scalars())


async def count_unacknowledged(session: AsyncSession) -> int:
    """Recipients' places not yet acknowledged, over every alert not cancelled (for metrics)."""
    result = await session.execute(
        select(func.count())
        .select_from(AlertRecipient)
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .where(AlertRecipient.acked_at.is_(None), Alert.cancelled_at.is_(None))
    )
    return int(result.scalar_one())


def recipient(alert: Alert, user_id: str) -> AlertRecipient | None:
    return next((r for r in alert.recipients if r.user_id == user_id), None)


def acknowledge(row: AlertRecipient, via: str, now: datetime | None = None) -> bool:
    """Marks the acknowledgement; False when it was already acknowledged (the first one counts)."""
    if row.acked_at is not None:
        return False
    row.acked_at = now or utcnow()
    row.acked_via = via
    return True


async def running(session: AsyncSession) -> list[Alert]:
    """Alerts not cancelled in which someone has not acknowledged, oldest first."""
    result = await session.execute(
        select(Alert)
        .where(Alert.cancelled_at.is_(None))
        .options(selectinload(Alert.recipients))
        .order_by(Alert.id)
    )
    return [a for a in result.scalars() if any(r.acked_at is None for r in a.recipients)]


async def recipient_by_id(session: AsyncSession, recipient_id: int) -> AlertRecipient | None:
    return await session.get(AlertRecipient, recipient_id)
