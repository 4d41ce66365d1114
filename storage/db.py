"""The database handle: one async engine, its sessions, and the schema upgrade at start.

The bot calls ``await Database.connect(url)`` once at start. That creates the engine and runs the
Alembic migrations to head in-process (no ``alembic.ini`` needed at run time), so a new version of
the bot brings its schema with it. SQLite (aiosqlite) is the embedded default; PostgreSQL (psycopg
3) is the production engine; both get the same migrations.

Transactions belong to the caller: ``async with db.session() as s: …; await s.commit()``. The
query modules of this package never commit on their own (see their docstrings).

SQLite runs in the driver's default transaction mode: a transaction starts at the first write, so
concurrent writers queue on ``busy_timeout`` instead of failing. The price is that a SAVEPOINT
(``session.begin_nested()``) is only safe after the transaction's first write; this package uses
``INSERT … ON CONFLICT`` instead (see ``storage.dialect``).
"""

from __future__ import annotations

from collections.abc import Callable
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
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

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
        """A new session: ``async with db.session() as s:``. Objects stay usable after commit."""
        return self._sessions()

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
