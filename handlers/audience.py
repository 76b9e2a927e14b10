"""Who a command is for, asked once per message by the router (and by the API per request).

`approved_member` / `grid_head` return what they found or raise the Refusal every door shows;
the gates are the router's filters over them: the members' gate puts the approved profile in
`ctx.member`, which actions then take as their acting member.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.texts import members as member_texts
from handlers.texts import tasks as texts
from handlers.permission import require_anywhere
from handlers.types import Context, Refusal
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


Gate = Callable[[Context], Awaitable[None]]


async def anyone(ctx: Context) -> None:
    return None


async def members_only(ctx: Context) -> None:
    ctx.member = await approved_member(ctx.session, ctx.user.id)


async def grid_heads_only(ctx: Context) -> None:
    await grid_head(ctx.session, ctx.user.id)


def staff_only(sentence: str) -> Gate:
    """Staff (or admins) of some unit; refused in `sentence`, the area's own words."""
    async def gate(ctx: Context) -> None:
        await require_anywhere(ctx.session, ctx.user, Role.staff, sentence)
    return gate


GATES: dict[Role, Gate] = {Role.resident: anyone, Role.member: members_only, Role.grid_head: grid_heads_only,
                           Role.staff: staff_only(member_texts.STAFF_ONLY)}
