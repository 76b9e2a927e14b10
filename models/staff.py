"""Console logins for staff and grid heads, and the part of the organisation tree each may see.

A `StaffAccount` is a username and an argon2 password hash linked to a `User`; what the
person may do and see comes from that user's `UserRole` rows through models/access (the one
permission question), so chat and console enforce the same roles.
"""
from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.users import User

_hasher = PasswordHasher()
# Verifying against this when the username is unknown keeps both answers equally slow.
_DUMMY_HASH = _hasher.hash("linli-no-such-account")


class StaffAccount(SQLModel, table=True):
    """`username` is what staff type (lower-case); `password_hash` is argon2id with its parameters."""

    __tablename__ = "staff_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    password_hash: str = Field(max_length=200)
    user_id: int = Field(foreign_key="app_user.id", unique=True)
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def account_by_username(session: AsyncSession, username: str) -> StaffAccount | None:
    query = select(StaffAccount).where(StaffAccount.username == normalise_username(username))
    return (await session.exec(query)).first()


async def authenticate(session: AsyncSession, username: str, password: str) -> StaffAccount | None:
    """The enabled account whose password matches; upgrades the hash when parameters changed."""
    account = await account_by_username(session, username)
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account.disabled:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.last_login_at = utcnow()
    session.add(account)
    return account


async def set_login(session: AsyncSession, user: User, username: str, password: str) -> StaffAccount:
    """Create the user's login, or reset its username and password (enabling it again)."""
    account = (await session.exec(select(StaffAccount).where(StaffAccount.user_id == user.id))).first()
    account = account or StaffAccount(username="", password_hash="", user_id=user.id)
    account.username, account.password_hash = normalise_username(username), hash_password(password)
    account.disabled = False
    session.add(account)
    await session.flush()
    return account
