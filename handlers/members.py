"""报到 (a party member registers with a community), staff's decision, and 绑定 (a resident's home grid).

`报到 社区 姓名 手机号` opens a short dialog for the member kind (state in Redis, see
handlers.dialogs); the kind may also be given at once as a fifth word. Staff list, approve
and reject applications in chat (`审核`, `通过 3`, `驳回 3 原因`) or with `linli members`.
"""
from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from handlers.masking import mask_name, mask_phone
from handlers import dialogs
from handlers.parsing import numbered
from handlers.pushes import push_to
from handlers.routing import grid_for
from handlers.texts import members as texts
from handlers.types import Context, Incoming, Reply
from models import access, members
from models.members import MemberProfile, MemberStatus
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.users import Role

KIND_DIALOG = "member_kind"
CANCEL_WORDS = ("取消", "算了", "退出")


async def register(msg: Incoming, ctx: Context, args: str) -> Reply:
    parts = args.split()
    if len(parts) not in (3, 4):
        return Reply(texts.REGISTER_USAGE)
    community = await find_unit(ctx.session, parts[0], OrgLevel.community)
    if community is None:
        return Reply(texts.UNKNOWN_COMMUNITY.format(name=parts[0]))
    name, phone = parts[1], members.normalise_phone(parts[2])
    if not 2 <= len(name) <= 20 or any(ch.isdigit() for ch in name):
        return Reply(texts.BAD_NAME)
    if phone is None:
        return Reply(texts.BAD_PHONE.format(phone=mask_phone(parts[2])))
    existing = await members.approved_member(ctx.session, ctx.user.id)
    if existing and existing.community_id == community.id:
        return Reply(texts.ALREADY_MEMBER.format(community=community.name))
    data = {"community_id": community.id, "name": name, "phone": phone}
    if len(parts) == 4 and members.parse_kind(parts[3]):
        return await _apply(ctx, data, members.parse_kind(parts[3]))
    await dialogs.start(ctx, KIND_DIALOG, data)
    return Reply(texts.CHOOSE_KIND.format(name=name, community=community.name, phone=mask_phone(phone)))


async def choose_kind(msg: Incoming, ctx: Context, text: str, data: dict[str, Any]) -> Reply | None:
    """The dialog's one step: the member kind, or 取消."""
    if text.strip() in CANCEL_WORDS:
        await dialogs.finish(ctx)
        return Reply(texts.CANCELLED)
    kind = members.parse_kind(text)
    if kind is None and text.strip().isdigit():
        return Reply(texts.KIND_AGAIN)
    if kind is None:
        return None  # a command or a request typed mid-dialog: handled as such, dialog kept open
    return await _apply(ctx, data, kind)


async def _apply(ctx: Context, data: dict[str, Any], kind: members.MemberKind) -> Reply:
    community = await ctx.session.get(OrgUnit, data["community_id"])
    grid_id = ctx.user.grid_id if ctx.user.grid_id and await _in_community(ctx, ctx.user.grid_id, community.id) else None
    profile = await members.apply(ctx.session, ctx.user, community.id, data["name"], data["phone"], kind, grid_id)
    await dialogs.finish(ctx)
    return Reply(texts.APPLIED.format(id=profile.id, kind=kind.value, community=community.name))


async def _in_community(ctx: Context, grid_id: int, community_id: int) -> bool:
    community = await community_of(ctx.session, grid_id)
    return community is not None and community.id == community_id


async def pending(msg: Incoming, ctx: Context, args: str) -> Reply:
    """Staff: the applications waiting in the communities they look after."""
    if not await access.units_of(ctx.session, ctx.user.id, Role.staff):
        return Reply(texts.STAFF_ONLY)
    waiting = [p for p in await members.listing(ctx.session, MemberStatus.pending, None, limit=200)
               if await access.holds(ctx.session, ctx.user.id, Role.staff, p.community_id)][:20]
    if not waiting:
        return Reply(texts.NO_PENDING)
    lines = [texts.PENDING_HEADER]
    for profile in waiting:
        community = await ctx.session.get(OrgUnit, profile.community_id)
        lines.append(texts.PENDING_LINE.format(id=profile.id, name=mask_name(profile.name),
                                               phone=mask_phone(profile.phone), kind=profile.kind,
                                               community=community.name))
    return Reply("\n".join(lines))


async def approve(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _decide(ctx, args, approve=True)


async def reject(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _decide(ctx, args, approve=False)


async def _decide(ctx: Context, args: str, approve: bool) -> Reply:
    if not await access.units_of(ctx.session, ctx.user.id, Role.staff):
        return Reply(texts.STAFF_ONLY)
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.DECIDE_USAGE)
    profile = await ctx.session.get(MemberProfile, parsed[0])
    if profile is None:
        return Reply(texts.NO_APPLICATION.format(id=parsed[0]))
    if not await access.holds(ctx.session, ctx.user.id, Role.staff, profile.community_id):
        return Reply(texts.NOT_YOUR_UNIT.format(id=profile.id))
    if profile.status != MemberStatus.pending:
        return Reply(texts.ALREADY_DECIDED.format(id=profile.id, status=texts.STATUS_NAMES[profile.status]))
    grid = None
    if approve and parsed[1]:
        grid = await find_unit(ctx.session, parsed[1], OrgLevel.grid)
        if grid is None or not await _in_community(ctx, grid.id, profile.community_id):
            return Reply(texts.UNKNOWN_GRID.format(name=parsed[1]))
    note = "" if approve else parsed[1]
    outcome = await decide_and_tell(ctx.session, profile, approve, ctx.user.id, note, grid.id if grid else None)
    return Reply(outcome)


async def decide_and_tell(session: AsyncSession, profile: MemberProfile, approve: bool, by: int | None, note: str = "",
                          grid_id: int | None = None) -> str:
    """Record the decision and queue the push to the applicant; the sentence for whoever decided.

    Shared by the chat commands and `linli members approve|reject`.
    """
    await members.decide(session, profile, approve, by, note, grid_id)
    community = await session.get(OrgUnit, profile.community_id)
    grid = await session.get(OrgUnit, profile.grid_id) if profile.grid_id else None
    body = (texts.APPROVED_PUSH.format(community=community.name) if approve else
            texts.REJECTED_PUSH.format(community=community.name, reason=f"（{note}）" if note else ""))
    await push_to(session, profile.user_id, f"member:{profile.id}:{profile.status}:{profile.decided_at.isoformat()}",
                  body, title="报到审核结果")
    if approve:
        return texts.APPROVED_DONE.format(name=mask_name(profile.name), community=community.name,
                                          grid=f"·{grid.name}" if grid else "")
    return texts.REJECTED_DONE.format(name=mask_name(profile.name))


async def bind(msg: Incoming, ctx: Context, args: str) -> Reply:
    """绑定 小区/楼栋: the resident's grid, so later requests go straight to its queue."""
    place = args.strip()
    if not place:
        return Reply(texts.BIND_USAGE)
    grid = await find_unit(ctx.session, place, OrgLevel.grid)
    grid_id = grid.id if grid else await grid_for(ctx.session, None, nlp.classify(place).places)
    if grid_id is None:
        return Reply(texts.BIND_UNKNOWN.format(place=place))
    ctx.user.grid_id = grid_id
    ctx.session.add(ctx.user)
    grid = await ctx.session.get(OrgUnit, grid_id)
    community = await community_of(ctx.session, grid_id)
    return Reply(texts.BOUND.format(community=community.name if community else "", grid=grid.name))
