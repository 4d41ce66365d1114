"""The database handle: one async engine, its sessions, and the schema upgrade at start.

The bot calls ``await Database.connect(url)`` once at start. That creates the engine and runs the
Alembic migrations to head in-process (no ``alembic.ini`` needed at run time), so a new version of
the bot brings its schema with it. SQLite (aiosqlite) is the embedded default; PostgreSQL (psycopg
3) is the production engine; both get the same migrations.

Transactions belong to the caller: ``async with db.session() as s: …; await s.commit()``. The
query modules of this package never commit on their own (see their docstrings).

A *unit of work* (``async with db.unit():``) makes everything one task does in it one transaction:
every session the task opens inside joins the unit's connection, their ``commit()`` only flushes,
and the unit commits once at the end (or rolls back on an exception). The dispatcher runs each
event's handler in a unit together with the inbox's *handled* mark, and each timer's job together
with deleting the timer, so a crash leaves either all of it or none. Work that must only follow
the commit (waking the outbox sender, arming an in-memory timer) goes through
``db.after_commit``. Inside a unit, the task must not wait for another task's database work: on
SQLite the unit holds the only connection.

SQLite runs in the driver's default transaction mode: a transaction starts at the first write, so
concurrent writers queue on ``busy_timeout`` instead of failing. The price is that a SAVEPOINT
(``session.begin_nested()``) is only safe after the transaction's first write; this package uses
``INSERT … ON CONFLICT`` instead (see ``storage.dialect``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    AsyncTransaction,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Key of the PostgreSQL advisory lock held while migrating ("samverkn" in ASCII).
MIGRATION_LOCK_ID = 0x73616D7665726B6E

#: Applied to every SQLite connection: WAL lets readers work while the sender writes; foreign
#: keys are off by default in SQLite; a short busy wait instead of "database is locked" when two
#: sessions write at once; NORMAL sync is safe with WAL and much faster than FULL.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
)


def to_async_url(url: str | URL) -> URL:
    """The URL with an asyncio driver: ``sqlite`` → ``sqlite+aiosqlite``, ``postgresql`` →
    ``postgresql+psycopg``; URLs that already name a driver are kept."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def to_sync_url(url: str | URL) -> URL:
    """The same database for a synchronous driver (APScheduler's job store cannot use asyncio).

    psycopg 3 is both sync and async, so ``postgresql+psycopg`` stays as it is.
    """
    parsed = make_url(url)
    if parsed.drivername == "sqlite+aiosqlite":
        return parsed.set(drivername="sqlite")
    if parsed.drivername in ("postgresql", "postgres", "postgresql+asyncpg"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def render_url(url: URL) -> str:
    """The URL as a string with its password, readable for SQLite paths.

    SQLAlchemy percent-escapes ``:`` in the database part (``sqlite:///%3Amemory%3A``); that parses
    back fine but surprises people and string comparisons, so SQLite paths are kept as written.
    """
    if url.get_backend_name() != "sqlite":
        return url.render_as_string(hide_password=False)
    text = f"{url.drivername}:///{url.database or ''}"
    if url.query:
        text += "?" + urlencode(url.query, doseq=True)
    return text


def is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing into this package, optionally bound to an open connection.

    ``env.py`` uses ``config.attributes["connection"]`` when present instead of opening its own.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _migrate_sqlite(conn: Connection, run: Callable[[Config], None]) -> None:
    """Run a migration the way SQLite's manual prescribes for schema changes.

    Foreign keys off (a batch migration rebuilds a table by drop-and-rename, and with foreign keys
    on, dropping a parent table would cascade-delete its children), everything inside one
    ``BEGIN IMMEDIATE`` (pysqlite would otherwise autocommit each DDL statement), and
    ``PRAGMA foreign_key_check`` before committing.
    """
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        run(alembic_config(conn))
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _create_engine(url: URL, echo: bool) -> AsyncEngine:
    """Build the engine; for SQLite also create the file's directory and hook the pragmas."""
    kwargs: dict[str, Any] = {"echo": echo}
    if url.get_backend_name() == "sqlite":
        if is_sqlite_memory(url):
            # One shared connection, or every session would see its own empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            assert url.database is not None
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            # One connection, shared in turn: SQLite has one writer at a time anyway, and
            # concurrent writers would sleep in SQLite's busy handler (up to 100 ms a try)
            # or fail to upgrade a read transaction. Sessions queue for it instead.
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
    else:
        # A connection dropped by a PostgreSQL restart is replaced instead of failing a request.
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
    return engine


class CommitCounter:
    """Counts the commits of this process's database work, after each has happened.

    The web's overview (every forum's state and latest picture) costs a score of queries; a
    wall screen and a dozen browsers ask for it every few seconds while nothing changes.
    Whatever it shows is written by some commit, so an overview read at count N is still right
    while the count is N. Counting after the commit means a reader can never cache data older
    than the count it saw. A session inside a unit of work does not count (its ``commit()`` only
    flushes); the unit counts once it has committed.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, session: Session) -> None:
        if not session.info.get(IN_UNIT):
            self.count += 1


#: Marks the sessions that join a unit of work (``Session.info``).
IN_UNIT = "samverkan.in_unit"
COMMITS = CommitCounter()
event.listen(Session, "after_commit", COMMITS)


@dataclass(eq=False)
class Unit:
    """One unit of work: a connection in a transaction, owned by the task that opened it."""

    db: Database
    connection: AsyncConnection
    transaction: AsyncTransaction
    owner: asyncio.Task[Any] | None
    after_commit: list[Callable[[], object]] = field(default_factory=list)
    after_rollback: list[Callable[[], object]] = field(default_factory=list)
    closed: bool = False

    def rolled_back(self) -> None:
        """What was done in memory for this unit's writes is undone with them."""
        self.after_commit.clear()
        hooks, self.after_rollback = self.after_rollback, []
        for hook in reversed(hooks):
            try:
                hook()
            except Exception:
                log.exception("an after-rollback step failed")


#: The unit the current task is in. Tasks started inside a unit inherit the variable, which is
#: why a unit also checks its owner: only the task that opened it joins it.
_current_unit: ContextVar[Unit | None] = ContextVar("samverkan_unit", default=None)


class Database:
    """An async engine plus a session factory, with the schema at the code's head revision."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    async def connect(cls, url: str, *, echo: bool = False, migrate: bool = True) -> Database:
        """Open the database at ``url`` and upgrade its schema to head.

        ``sqlite:///…`` and ``postgresql://…`` are accepted and given their asyncio driver.
        ``migrate=False`` skips the upgrade (tools that only read).
        """
        db = cls(_create_engine(to_async_url(url), echo))
        if migrate:
            try:
                await db.upgrade()
            except BaseException:
                await db.dispose()
                raise
        return db

    @property
    def url(self) -> str:
        """The async URL, password included (use ``repr`` for logs)."""
        return render_url(self.engine.url)

    @property
    def sync_url(self) -> str:
        """The same database for a synchronous driver (APScheduler's SQLAlchemyJobStore).

        For ``sqlite+aiosqlite:///:memory:`` this is a separate, empty in-memory database.
        """
        return render_url(to_sync_url(self.engine.url))

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def session(self) -> AsyncSession:
        """A new session: ``async with db.session() as s:``. Objects stay usable after commit.

        Inside a unit of work the session joins the unit's transaction: its ``commit()`` only
        flushes, and the unit commits."""
        unit = self._active_unit()
        if unit is None:
            return self._sessions()
        return AsyncSession(
            bind=unit.connection,
            join_transaction_mode="rollback_only",
            expire_on_commit=False,
            info={IN_UNIT: True},
        )

    def _active_unit(self) -> Unit | None:
        unit = _current_unit.get()
        if unit is None or unit.closed or unit.db is not self:
            return None
        return unit if unit.owner is asyncio.current_task() else None

    @property
    def in_unit(self) -> bool:
        """Whether the current task is inside a unit of work of this database."""
        return self._active_unit() is not None

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """A unit of work; inside one already, the same unit (units do not nest)."""
        active = self._active_unit()
        if active is not None:
            yield active
            return
        async with self.engine.connect() as connection:
            unit = Unit(self, connection, await connection.begin(), asyncio.current_task())
            token = _current_unit.set(unit)
            try:
                yield unit
                await unit.transaction.commit()
            except BaseException:
                with suppress(Exception):  # a broken connection cannot roll back; it is gone
                    await unit.transaction.rollback()
                unit.rolled_back()
                raise
            finally:
                unit.closed = True
                _current_unit.reset(token)
        COMMITS.count += 1
        for hook in unit.after_commit:
            try:
                hook()
            except Exception:
                log.exception("an after-commit step failed")

    async def discard_unit_work(self) -> None:
        """Rolls back what the current unit did so far and starts it afresh (a refused command
        leaves nothing but its answer); outside a unit, nothing to do."""
        unit = self._active_unit()
        if unit is None:
            return
        await unit.transaction.rollback()
        unit.rolled_back()
        unit.transaction = await unit.connection.begin()

    def after_rollback(self, hook: Callable[[], object]) -> None:
        """Runs ``hook`` if the current unit rolls back (an in-memory copy of what it wrote is
        undone); outside a unit the write is already committed, so never."""
        unit = self._active_unit()
        if unit is not None:
            unit.after_rollback.append(hook)

    def after_commit(self, hook: Callable[[], object]) -> None:
        """Runs ``hook`` once the current unit has committed; at once outside a unit. Skipped
        when the unit rolls back."""
        unit = self._active_unit()
        if unit is None:
            hook()
        else:
            unit.after_commit.append(hook)

    async def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision``, all in one transaction."""
        await self._migrate(lambda config: command.upgrade(config, revision))

    async def downgrade(self, revision: str) -> None:
        """Run migrations down to ``revision`` (``"base"`` drops everything); for tests and ops."""
        await self._migrate(lambda config: command.downgrade(config, revision))

    async def _migrate(self, run: Callable[[Config], None]) -> None:
        async with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                await conn.run_sync(_migrate_sqlite, run)
                return
            async with conn.begin():
                if self.dialect == "postgresql":
                    # Two processes starting at once must not both create the tables.
                    await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                await conn.run_sync(lambda c: run(alembic_config(c)))

    async def current_revision(self) -> str | None:
        """The revision the database is at, or None before the first migration."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )

    async def dispose(self) -> None:
        """Close all pooled connections; the object must not be used afterwards."""
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"<Database {self.engine.url.render_as_string(hide_password=True)}>"
