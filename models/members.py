"""Party members' registration (报到) with a community, and staff's decision on it.

A member applies in chat; staff approve or reject. Approval grants the `member` role on
the community, and only approved members may claim. One profile per user: applying
again after a rejection reuses the row and starts over as pending.
"""
from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.access import grant, revoke
from models.clock import utcnow
from models.users import Role, User


class MemberKind(StrEnum):
    """党员分类管理 (seed 001 §12): 双管 in-service, 直管 resident, 共管 floating, 协管 retired."""

    in_service = "在职"
    resident = "居民"
    floating = "流动"
    retired = "离退休"


class MemberStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


_MOBILE = re.compile(r"1[3-9]\d{9}")


class MemberProfile(SQLModel, table=True):
    """A member's registration. `grid_id` is the grid whose queue they see first (None:
    the whole community); `name` and `phone` are personal data, shown masked."""

    __tablename__ = "member_profile"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", unique=True)
    community_id: int = Field(foreign_key="org_unit.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="org_unit.id")
    kind: str = Field(max_length=8)
    status: str = Field(default=MemberStatus.pending, max_length=16, index=True)
    name: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    applied_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    note: str = Field(default="", max_length=200)


def normalise_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number (spaces, dashes and +86 tolerated), else None."""
    digits = re.sub(r"[\s\-]", "", text)
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if _MOBILE.fullmatch(digits) else None


def parse_kind(text: str) -> MemberKind | None:
    """'1'..'4' as offered in the dialog, or the kind's name."""
    text = text.strip()
    kinds = list(MemberKind)
    if text.isdigit() and 1 <= int(text) <= len(kinds):
        return kinds[int(text) - 1]
    return next((kind for kind in kinds if text in (kind.value, kind.value + "党员")), None)


async def profile_of(session: AsyncSession, user_id: int) -> MemberProfile | None:
    return (await session.exec(select(MemberProfile).where(MemberProfile.user_id == user_id))).first()


async def apply(session: AsyncSession, user: User, community_id: int, name: str, phone: str,
                kind: MemberKind, grid_id: int | None) -> MemberProfile:
    """Record an application (pending); also stores name and phone on the user."""
    profile = await profile_of(session, user.id) or MemberProfile(user_id=user.id, community_id=community_id,
                                                                 kind=kind, name=name, phone=phone)
    if profile.status == MemberStatus.approved:  # applying again: no rights until decided again
        await revoke(session, user.id, Role.member, profile.community_id)
    profile.community_id, profile.kind, profile.name, profile.phone = community_id, kind, name, phone
    profile.status, profile.applied_at, profile.decided_at, profile.note = MemberStatus.pending, utcnow(), None, ""
    profile.grid_id = grid_id
    user.name, user.phone = name, phone
    session.add_all([profile, user])
    await session.flush()
    return profile


async def decide(session: AsyncSession, profile: MemberProfile, approve: bool, by: int | None,
                 note: str = "", grid_id: int | None = None) -> bool:
    """Approve (grant the member role on the community) or reject (take it away), only while the
    application is pending: a conditional UPDATE, so of two staff deciding at once one wins.
    False when it had been decided already."""
    values = dict(status=MemberStatus.approved if approve else MemberStatus.rejected, decided_at=utcnow(),
                  decided_by=by, note=note[:200], **({"grid_id": grid_id} if grid_id is not None else {}))
    result = await session.exec(update(MemberProfile).where(MemberProfile.id == profile.id,
                                                            MemberProfile.status == MemberStatus.pending)
                                .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    await session.refresh(profile)
    if approve:
        await grant(session, profile.user_id, Role.member, profile.community_id)
    else:
        await revoke(session, profile.user_id, Role.member, profile.community_id)
    await session.flush()
    return True


async def listing(session: AsyncSession, status: str | None, community_ids: list[int | None] | None,
                  limit: int = 50) -> list[MemberProfile]:
    """Profiles by status, within the given communities (None in the list: all of them)."""
    query = select(MemberProfile).order_by(MemberProfile.applied_at, MemberProfile.id).limit(limit)
    if status:
        query = query.where(MemberProfile.status == status)
    if community_ids is not None and None not in community_ids:
        query = query.where(MemberProfile.community_id.in_(community_ids))
    return list((await session.exec(query)).all())


async def approved_member(session: AsyncSession, user_id: int) -> MemberProfile | None:
    profile = await profile_of(session, user_id)
    return profile if profile and profile.status == MemberStatus.approved else None
