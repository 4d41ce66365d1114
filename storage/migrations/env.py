"""Alembic environment for the bot's schema.

At run time the bot does not use this file through the ``alembic`` command: ``Database.connect``
calls ``alembic.command.upgrade`` with an open connection in ``config.attributes["connection"]``,
and the migrations run on it, in the caller's transaction.

For developers, ``alembic.ini`` at the repository root points here. To write a migration after
changing a model, bring a scratch database to head and let Alembic compare it with the models::

    export SAMVERKAN_STORAGE__URL=sqlite+aiosqlite:///data/migrations-dev.db
    alembic upgrade head
    alembic revision --autogenerate --rev-id 0002 -m "what changed"

then review the generated file by hand (autogenerate misses renames and server defaults), run it
on PostgreSQL too (``…=postgresql+psycopg://user@host/db``), and run ``pytest tests/storage``:
the suite fails when models and migrations differ. Revision ids are sequential four-digit numbers.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.base import UTCDateTime
from storage.db import to_async_url
from storage.models import Base

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None:  # the alembic command line, not the bot
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our UTC type as the plain column type it stores, so migrations never import app
    code (a migration must keep working after the code it was generated from has changed)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _url() -> str:
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("SAMVERKAN_STORAGE__URL")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise RuntimeError("no database URL: set SAMVERKAN_STORAGE__URL or pass -x url=…")
    return url


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    url = to_async_url(_url())
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # SQLite cannot ALTER most things: batch mode recreates the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_async_engine(to_async_url(_url()), poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
