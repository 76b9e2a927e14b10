"""What CLI commands share: one transaction per command, actions' refusals as exit status 2,
and finding a person by openid or phone."""
from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.types import Refusal

Job = Callable[[AsyncSession, argparse.Namespace], Awaitable[int]]
REFUSED = 2


def in_session(job: Job) -> Callable[[argparse.Namespace, Settings], int]:
    """Run `job` in one transaction on the configured database; its return is the exit code.

    An action's `Refusal` rolls the transaction back and exits 2 with its sentence on stderr.
    """
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from models.db import make_engine, make_sessionmaker, transaction

        async def go() -> int:
            engine = make_engine(settings.resolved_database_url())
            try:
                async with transaction(make_sessionmaker(engine)) as session:
                    args.settings = settings
                    return await job(session, args)
            except Refusal as refusal:
                print(f"error: {refusal.sentence}", file=sys.stderr)
                return REFUSED
            finally:
                await engine.dispose()
        return asyncio.run(go())
    return run


async def find_user(session: AsyncSession, who: str):
    """A user by openid or by phone number (as stored at 报到)."""
    from models.members import normalise_phone
    from models.users import User
    phone = normalise_phone(who)
    column = User.phone if phone else User.openid
    return (await session.exec(select(User).where(column == (phone or who)))).first()
