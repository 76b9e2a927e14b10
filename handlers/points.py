"""积分: a member's points this month with their rank in grid and community; 积分排行: the top ten."""
from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.masking import mask_name
from handlers.texts import tasks as texts
from handlers.types import Context, Incoming, Reply
from models import points
from models.members import MemberProfile
from models.org import OrgUnit

RANKING_SIZE = 10


async def my_points(msg: Incoming, ctx: Context, args: str) -> Reply:
    profile = ctx.member  # the router lets only approved members through
    month = points.month_of(ctx.now)
    in_community = await points.standing(ctx.session, ctx.user.id, month, community_id=profile.community_id)
    in_grid = (await points.standing(ctx.session, ctx.user.id, month, grid_id=profile.grid_id)
               if profile.grid_id else points.Standing(in_community.points, 0, 0))
    return Reply(texts.POINTS.format(
        points=in_community.points, grid_rank=in_grid.rank or "-", grid_of=in_grid.of or "-",
        community_rank=in_community.rank, community_of=in_community.of,
        total=await points.total_of(ctx.session, ctx.user.id),
        per_task=ctx.settings.points_per_task, bonus=ctx.settings.points_good_rating))


async def ranking(msg: Incoming, ctx: Context, args: str) -> Reply:
    profile = ctx.member
    month = points.month_of(ctx.now)
    community = await ctx.session.get(OrgUnit, profile.community_id)
    rows = await points.ranking(ctx.session, month, community_id=profile.community_id, limit=RANKING_SIZE)
    if not rows:
        return Reply(texts.RANKING_NONE.format(community=community.name))
    names = await names_by_user(ctx.session, [user_id for user_id, _ in rows])
    lines = [texts.RANKING_HEADER.format(community=community.name, month=month)]
    lines += [texts.RANKING_LINE.format(rank=i, name=mask_name(names.get(uid, "")) or "党员", points=total)
              for i, (uid, total) in enumerate(rows, start=1)]
    return Reply("\n".join(lines))


async def names_by_user(session: AsyncSession, user_ids: list[int]) -> dict[int, str]:
    """Members' names as registered (callers mask them before showing)."""
    query = select(MemberProfile.user_id, MemberProfile.name).where(MemberProfile.user_id.in_(user_ids))
    return dict((await session.exec(query)).all())
