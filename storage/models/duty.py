"""Overrides of duty rosters: someone put on duty by hand (`!duty take` / `!duty give`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, utcnow


class DutyOverride(Base):
    """`user` holds the rostered `function` from `starts_at` until `ends_at` (or until it was
    released at `released_at`, which then is its end). Rows are never deleted: they are the
    record of who was on duty when."""

    __tablename__ = "duty_overrides"
    __table_args__ = (Index("ix_duty_overrides_function_ends_at", "function", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    function: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]
