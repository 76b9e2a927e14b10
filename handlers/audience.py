"""Who a command is for, asked once per message by the router (and by the API per request).

Each gate returns what it found (the approved member's profile) or raises the Refusal every
door shows; actions then take that profile as their acting member.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.texts import tasks as texts
from handlers.types import Refusal, Reply
from models import access
from models.members import MemberProfile, MemberStatus, profile_of
from models.users import Role


async def approved_member(session: AsyncSession, user_id: int) -> MemberProfile:
    """The user's approved membership, or the one sentence saying why they may not act as a member."""
    profile = await profile_of(session, user_id)
    if profile is None:
        raise Refusal("forbidden", texts.NOT_MEMBER)
    if profile.status == MemberStatus.approved:
        return profile
    raise Refusal("forbidden", texts.PENDING_MEMBER if profile.status == MemberStatus.pending
                  else texts.REJECTED_MEMBER)


async def grid_head(session: AsyncSession, user_id: int) -> list[int | None]:
    """The units the user heads (staff and admins count); Refusal when none."""
    units = await access.units_of(session, user_id, Role.grid_head)
    if not units:
        raise Refusal("forbidden", texts.GRID_HEAD_ONLY)
    return units


async def member_or_refusal(ctx) -> MemberProfile | Reply:
    """The older shape of `approved_member` for handlers not yet on `ctx.member` (handlers/projects.py)."""
    try:
        return await approved_member(ctx.session, ctx.user.id)
    except Refusal as refusal:
        return Reply(refusal.sentence)
