"""Joint regional directions (gemensam regional inriktning), example 4 of the model."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, utcnow


class DirectionState(StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"


class Direction(Base):
    """A direction drafted at samordnande level and adopted at inriktande level.

    ``forum_id`` is where it was drafted, ``adopted_forum_id`` where it was adopted. Once adopted
    it is sent to every home organisation, so the four parts are kept as separate texts to render.
    """

    __tablename__ = "directions"
    __table_args__ = (Index("ix_directions_forum_id_state", "forum_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    forum_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=DirectionState.DRAFT)
    goal: Mapped[str | None] = mapped_column(Text)
    priorities: Mapped[str | None] = mapped_column(Text)
    guidelines: Mapped[str | None] = mapped_column(Text)
    joint_messages: Mapped[str | None] = mapped_column(Text)
    drafted_by: Mapped[str] = mapped_column(String(255))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    adopted_by: Mapped[str | None] = mapped_column(String(255))
    adopted_forum_id: Mapped[str | None] = mapped_column(String(64))
    adopted_at: Mapped[datetime | None]
    activation_id: Mapped[int | None] = mapped_column(
        ForeignKey("activations.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
