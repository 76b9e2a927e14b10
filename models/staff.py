"""Console logins for staff and grid heads, and the part of the organisation tree each may see.

A `StaffAccount` is a username and an argon2 password hash linked to a `User`; what the
person may do and see comes from that user's `UserRole` rows (staff, grid_head, admin), so
chat and console enforce the same roles. A role over a unit covers everything below it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.org import OrgLevel, OrgUnit
from models.users import Role, User, UserRole

CONSOLE_ROLES = (Role.admin, Role.staff, Role.grid_head)
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


@dataclass(frozen=True)
class Scope:
    """What one staff member may see: `unit_ids` (their units and all below), and whether they
    also see requests with no place yet (`sees_unplaced`: street level and above)."""

    unit_ids: frozenset[int]
    sees_unplaced: bool
    roles: frozenset[str]

    def covers(self, unit_id: int | None) -> bool:
        return self.sees_unplaced if unit_id is None else unit_id in self.unit_ids

    @property
    def is_empty(self) -> bool:
        return not self.unit_ids and not self.sees_unplaced


async def scope_of(session: AsyncSession, user_id: int) -> Scope:
    roles = [role for role in (await session.exec(select(UserRole).where(UserRole.user_id == user_id))).all()
             if role.role in CONSOLE_ROLES]
    units = {unit.id: unit for unit in (await session.exec(select(OrgUnit))).all()}
    roots = {role.unit_id for role in roles}
    if None in roots:  # a district-wide role
        roots = {unit_id for unit_id, unit in units.items() if unit.parent_id is None}
    covered = _below(units, roots)
    high = {unit_id for unit_id in roots
            if unit_id in units and units[unit_id].level in (OrgLevel.district, OrgLevel.street)}
    return Scope(frozenset(covered), bool(high), frozenset(role.role for role in roles))


def _below(units: dict[int, OrgUnit], roots: set[int | None]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit.id)
    covered, stack = set(), [root for root in roots if root in units]
    while stack:
        unit_id = stack.pop()
        if unit_id not in covered:
            covered.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return covered
