"""Activations of forums and the alerts (alerteringar) that must be acknowledged."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, utcnow


class ActivationState(StrEnum):
    """requested (by someone who may not activate) → active → ended; or declined / expired."""

    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    EXPIRED = "expired"
    ENDED = "ended"


class Activation(Base):
    """Aktivering: a forum switched to activated mode, from request to deactivation.

    ``request_event_id`` is the Matrix event of the request, so an activator's confirmation (the
    same command, or a reply) can be tied to it. Exercises (övning) are flagged everywhere they
    lead to: the alerts and the meetings of the activation.
    """

    __tablename__ = "activations"
    __table_args__ = (Index("ix_activations_forum_id_state", "forum_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forum_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=ActivationState.REQUESTED)
    requested_by: Mapped[str] = mapped_column(String(255))
    activated_by: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    exercise: Mapped[bool] = mapped_column(default=False)
    host_actor_id: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    #: Who deactivated it, or declined the request; None when a request expired unanswered.
    ended_by: Mapped[str | None] = mapped_column(String(255))
    request_event_id: Mapped[str | None] = mapped_column(String(255))


class Alert(Base):
    """Alertering: a ping to everyone holding one function, each of whom must acknowledge it.

    Unacknowledged recipients are pinged again and, after the configured repeats, the alert is
    escalated (``escalated_at``). ``activation_id`` is set when the alert came from an activation.
    """

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    activation_id: Mapped[int | None] = mapped_column(
        ForeignKey("activations.id", ondelete="SET NULL"), index=True
    )
    function: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(255))
    exercise: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    escalated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    recipients: Mapped[list[AlertRecipient]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AlertRecipient.id"
    )


class AlertRecipient(Base):
    """One person alerted: where they were pinged, how often, and when and how they acknowledged.

    The event ids are indexed because a ✅ reaction names only the event it reacts to.
    """

    __tablename__ = "alert_recipients"
    __table_args__ = (UniqueConstraint("alert_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255), index=True)
    ping_event_id: Mapped[str | None] = mapped_column(String(255), index=True)
    dm_room_id: Mapped[str | None] = mapped_column(String(255))
    dm_event_id: Mapped[str | None] = mapped_column(String(255), index=True)
    pings: Mapped[int] = mapped_column(default=0)
    last_ping_at: Mapped[datetime | None]
    acked_at: Mapped[datetime | None]
    acked_via: Mapped[str | None] = mapped_column(String(32))
