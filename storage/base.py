"""Declarative base, naming convention and the UTC timestamp type shared by every model.

Two choices here keep the schema identical on SQLite and PostgreSQL:

* every constraint and index gets a deterministic name from ``NAMING_CONVENTION``, so Alembic
  migrations can refer to constraints by name (SQLite batch mode needs this to alter tables, and
  PostgreSQL otherwise invents its own names that a later migration cannot guess);
* timestamps go through :class:`UTCDateTime`, because SQLite stores datetimes as text without an
  offset and hands back naive values. The bot compares timestamps with "now" all the time
  (deadlines, retries, pruning), and a naive/aware mix raises ``TypeError`` or silently shifts by
  the local offset, so storage accepts only aware datetimes and always returns aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time as an aware UTC datetime: the default of every timestamp column."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A ``TIMESTAMP WITH TIME ZONE`` that only takes and gives aware UTC datetimes.

    Naive datetimes are refused rather than guessed: a naive value is almost always local
    Stockholm time by mistake, and storing it as UTC would move a meeting by one or two hours.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs an aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite keeps text; dropping the (always UTC) offset keeps values comparable as text.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(AsyncAttrs, DeclarativeBase):
    """Base of all models.

    ``AsyncAttrs`` gives ``await obj.awaitable_attrs.children`` for lazy relationships, since plain
    lazy loading is not possible under asyncio; prefer ``selectinload`` in queries.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}
