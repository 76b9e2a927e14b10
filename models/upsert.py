"""INSERT … ON CONFLICT for the dialect in use: SQLite and PostgreSQL spell it the same way in SQLAlchemy."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def insert_for(session: AsyncSession, table):
    """`insert(table)` with `.on_conflict_do_nothing/do_update` for the session's database."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")
