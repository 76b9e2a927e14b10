"""People who talk to the account, keyed by their WeChat openid, and the roles they hold per unit."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow


class Role(StrEnum):
    resident = "resident"
    member = "member"
    grid_head = "grid_head"
    staff = "staff"
    admin = "admin"


class User(SQLModel, table=True):
    """A follower. Unfollowing sets `subscribed` False and keeps the row (and its history).

    `grid_id` is the grid the resident is bound to, when known; `phone` and `name` are
    personal data: show and log them only through `bot.masking`.
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
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", name="uq_user_role_unit"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    role: str = Field(max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id")
    granted_at: datetime = Field(default_factory=utcnow)


async def get_or_create_user(session: AsyncSession, openid: str) -> User:
    """The user row for an openid, created on first contact (race-safe via the unique openid)."""
    user = (await session.exec(select(User).where(User.openid == openid))).first()
    if user is not None:
        return user
    user = User(openid=openid, subscribed_at=utcnow())
    try:
        async with session.begin_nested():
            session.add(user)
    except IntegrityError:  # another process created it between our select and insert
        user = (await session.exec(select(User).where(User.openid == openid))).one()
    return user


async def roles_of(session: AsyncSession, user_id: int) -> list[UserRole]:
    return list((await session.exec(select(UserRole).where(UserRole.user_id == user_id))).all())
