"""Signed plaintext callback URLs already used: the replay guard's second line, in SQL.

In plaintext mode WeChat's signature covers the URL (timestamp, nonce) but not the body.
Redis refuses the same URL with another body; this table refuses it again in the message's
own transaction, so a forged body cannot commit even when Redis has forgotten the URL.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.upsert import insert_for_dialect

PURGE_ONE_IN = 200  # old rows are deleted now and then, by whichever message comes along


class CallbackUrl(SQLModel, table=True):
    """`url_key`: a digest of timestamp, nonce and signature; `body_digest`: of the body it came with."""

    __tablename__ = "callback_url"
    url_key: str = Field(primary_key=True, max_length=64)
    body_digest: str = Field(max_length=64)
    seen_at: datetime = Field(index=True)


async def first_use(session: AsyncSession, url_key: str, body_digest: str, now: datetime,
                    window: timedelta) -> bool:
    """Record the URL; False when it was used before with a different body."""
    inserted = (await session.exec(_insert(session.bind.dialect.name),
                                   params=dict(url_key=url_key, body_digest=body_digest, seen_at=now))).scalar()
    if random.randrange(PURGE_ONE_IN) == 0:
        await session.exec(delete(CallbackUrl).where(CallbackUrl.seen_at < now - window))
    if inserted is not None:
        return True
    stored = (await session.exec(select(CallbackUrl.body_digest).where(CallbackUrl.url_key == url_key))).first()
    return stored == body_digest


@lru_cache(maxsize=4)
def _insert(dialect: str):
    table = CallbackUrl.__table__
    return (insert_for_dialect(dialect, table).on_conflict_do_nothing(index_elements=["url_key"])
            .returning(table.c.url_key))
