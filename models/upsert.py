"""INSERT … ON CONFLICT for the dialect in use: SQLite and PostgreSQL spell it the same way in SQLAlchemy."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_for_dialect(dialect: str, table):
    """`insert(table)` with `.on_conflict_do_nothing/do_update` for the named database."""
    try:
        return _INSERTS[dialect](table)
    except KeyError:
        raise NotImplementedError(f"no upsert for {dialect}") from None
