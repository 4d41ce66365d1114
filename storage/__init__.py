"""Storage: SQLAlchemy models, the database handle, named queries and Alembic migrations.

Knows nothing of Matrix or of the config module. ``storage.db.Database`` opens the database and
upgrades its schema; ``storage.models`` holds the tables; one module per concern holds the
queries (``outbox``, ``events``, ``syncstate``, ``audit``, ``directory``), each taking an
``AsyncSession`` first and never committing: the caller owns the transaction.
"""

from storage.db import Database

__all__ = ["Database"]
