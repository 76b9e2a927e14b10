"""People who talk to the account, keyed by their WeChat openid, and the roles they hold per unit."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.upsert import insert_for_dialect


class Role(StrEnum):
    resident = "resident"
    member = "member"
    grid_head = "grid_head"
    staff = "staff"
    admin = "admin"
    department = "department"  # a department's liaison (联络员): 签收, 退回, 答复 its 大事
    department_head = "department_head"  # second rung of the department's 督办 ladder


class User(SQLModel, table=True):
    """A follower. Unfollowing sets `subscribed` False and keeps the row (and its history).

    `grid_id` is the grid the resident is bound to, when known; `phone` and `name` are
    personal data: show and log them only through `handlers.masking`. `unsubscribed_at` is the
    last unfollow (kept when they follow again): mini-program tokens issued before it are void.
    """

    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    openid: str = Field(unique=True, index=True, max_length=64)
    name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    grid_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    subscribed: bool = True
    subscribed_at: datetime | None = None
    unsubscribed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_message_at: datetime | None = None  # opens WeChat's 48-hour customer-service window


class UserRole(SQLModel, table=True):
    """`role` held over `unit_id` and everything below it (None: the whole district)."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", "department_id", name="uq_user_role_unit"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    role: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")  # department roles only
    granted_at: datetime = Field(default_factory=utcnow)


async def get_or_create_user(session: AsyncSession, openid: str, now: datetime | None = None) -> User:
    """The user row for an openid, created on first contact, with `last_message_at` set to now.

    One upsert statement, built once per dialect: safe when two processes see a new user at
    once, and one round trip on the hot path of every message.
    """
    now = now or utcnow()
    values = dict(openid=openid, subscribed=True, subscribed_at=now, created_at=now, last_message_at=now)
    result = await session.exec(_upsert_user(session.bind.dialect.name), params=values)
    return result.scalar_one()


@lru_cache(maxsize=4)
def _upsert_user(dialect: str):
    statement = insert_for_dialect(dialect, User.__table__)
    statement = (statement.on_conflict_do_update(index_elements=["openid"],
                                                  set_={"last_message_at": statement.excluded.last_message_at})
                 .returning(*User.__table__.c))
    return select(User).from_statement(statement).execution_options(populate_existing=True)


async def roles_of(session: AsyncSession, user_id: int) -> list[UserRole]:
    return list((await session.exec(select(UserRole).where(UserRole.user_id == user_id))).all())
