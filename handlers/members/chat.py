"""报到, 审核, 通过, 驳回 and 绑定 in chat: the words parsed into arguments of the members' actions.

`报到 社区 姓名 手机号` opens a short dialog for the member kind (state in Redis, see
handlers.dialogs); the kind may also be given at once as a fifth word. Staff list, approve
and reject applications in chat (`审核`, `通过 3 [网格]`, `驳回 3 原因`), in the console or
with `linli members`: the same actions decide.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handlers import dialogs
from handlers.masking import mask_name, mask_phone
from handlers.members import actions
from handlers.parsing import numbered
from handlers.texts import members as texts
from handlers.types import Context, Incoming, Refusal, Reply
from models import members
from models.members import MemberKind
from models.org import OrgUnit

KIND_DIALOG = "member_kind"
CANCEL_WORDS = ("取消", "算了", "退出")


async def register(msg: Incoming, ctx: Context, args: str) -> Reply:
    parts = args.split()
    if len(parts) not in (3, 4):
        return Reply(texts.REGISTER_USAGE)
    try:
        application = await actions.check_application(ctx.session, ctx.user, parts[0], parts[1], parts[2])
    except Refusal as refusal:
        return Reply(refusal.sentence)
    kind = members.parse_kind(parts[3]) if len(parts) == 4 else None
    if kind:
        return await _apply(ctx, application, kind)
    data = {"community_id": application.community.id, "name": application.name, "phone": application.phone}
    await dialogs.start(ctx, KIND_DIALOG, data)
    return Reply(texts.CHOOSE_KIND.format(name=application.name, community=application.community.name,
                                          phone=mask_phone(application.phone)))


async def choose_kind(msg: Incoming, ctx: Context, text: str, data: dict[str, Any]) -> Reply | None:
    """The dialog's one step: the member kind, or 取消."""
    if text.strip() in CANCEL_WORDS:
        await dialogs.finish(ctx)
        return Reply(texts.CANCELLED)
    kind = members.parse_kind(text)
    if kind is None and text.strip().isdecimal():
        return Reply(texts.KIND_AGAIN)
    if kind is None:
        return None  # a command or a request typed mid-dialog: handled as such, dialog kept open
    community = await ctx.session.get(OrgUnit, data["community_id"])
    return await _apply(ctx, actions.Application(community, data["name"], data["phone"]), kind)


async def _apply(ctx: Context, application: actions.Application, kind: MemberKind) -> Reply:
    profile = await actions.apply(ctx.session, ctx.user, application, kind)
    await dialogs.finish(ctx)
    return Reply(texts.APPLIED.format(id=profile.id, kind=kind.value, community=application.community.name))


async def pending(msg: Incoming, ctx: Context, args: str) -> Reply:
    """Staff: the applications waiting in the communities they look after."""
    try:
        waiting = await actions.pending(ctx.session, ctx.user)
    except Refusal as refusal:
        return Reply(refusal.sentence)
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
    """通过 3 [网格]"""
    return await _decide(ctx, args, lambda profile_id, rest: actions.approve(ctx.session, ctx.user, profile_id,
                                                                            rest or None))


async def reject(msg: Incoming, ctx: Context, args: str) -> Reply:
    """驳回 3 [原因]"""
    return await _decide(ctx, args, lambda profile_id, rest: actions.reject(ctx.session, ctx.user, profile_id, rest))


async def _decide(ctx: Context, args: str, decide: Callable[[int, str], Awaitable[actions.Decision]]) -> Reply:
    parsed = numbered(args)
    try:
        if parsed is None:
            await actions.ensure_staff(ctx.session, ctx.user)  # a resident hears "staff only" first
            return Reply(texts.DECIDE_USAGE)
        return Reply(decided_text(await decide(*parsed)))
    except Refusal as refusal:
        return Reply(refusal.sentence)


def decided_text(decision: actions.Decision) -> str:
    """What whoever decided reads, at every door."""
    name = mask_name(decision.profile.name)
    if decision.approved:
        return texts.APPROVED_DONE.format(name=name, community=decision.community.name,
                                          grid=f"·{decision.grid.name}" if decision.grid else "")
    return texts.REJECTED_DONE.format(name=name)


async def bind(msg: Incoming, ctx: Context, args: str) -> Reply:
    """绑定 小区/楼栋: the resident's grid, so later requests go straight to its queue."""
    try:
        binding = await actions.bind(ctx.session, ctx.user, args)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    return Reply(texts.BOUND.format(community=binding.community.name if binding.community else "",
                                    grid=binding.grid.name))
