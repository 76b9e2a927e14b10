"""Schema changes through alembic, configured in code so `linli db upgrade` needs no ini file."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the schema to the newest revision; area branches each have their own head."""
    command.upgrade(alembic_config(database_url), revision)


def revision(database_url: str, message: str) -> None:
    """Autogenerate a migration from the models (developers review it before committing)."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


@lru_cache(maxsize=1)
def script_heads() -> frozenset[str]:
    """The newest revision of every area's branch, as the code on disk knows them."""
    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


def _applied(connection: Connection) -> frozenset[str]:
    # read alembic's table directly: a MigrationContext logs two INFO lines per call (healthz polls this)
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


async def schema_is_current(engine: AsyncEngine) -> bool:
    """True when the database holds exactly the code's heads (empty or older schemas are not)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_applied) == script_heads()
