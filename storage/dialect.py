"""Dialect-specific ``INSERT … ON CONFLICT`` for the two backends we support.

SQLite and PostgreSQL both have ``ON CONFLICT DO NOTHING / DO UPDATE`` with the same SQLAlchemy
API, which lets "record once" and "upsert" happen in one statement instead of a racy
select-then-insert.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """The name of the dialect the session talks to (``"sqlite"``, ``"postgresql"``)."""
    return session.get_bind().dialect.name


def insert(session: AsyncSession, model: Any) -> sqlite.Insert | postgresql.Insert:
    """An ``INSERT`` for ``model`` that supports ``on_conflict_do_nothing/do_update``.

    Raises ``ValueError`` on other backends, which the project does not support.
    """
    name = dialect_name(session)
    if name == "sqlite":
        return sqlite.insert(model)
    if name == "postgresql":
        return postgresql.insert(model)
    raise ValueError(f"no INSERT … ON CONFLICT for dialect {name!r}")
