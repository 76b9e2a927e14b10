"""The one route table: every way a message can go, read top to bottom.

Commands are matched on the first word of a text (“认领 12”, also “认领12”); events by
their name; other message types by type; any other text becomes a request. A command's
`audience` is a filter applied here, before its handler runs (aiogram-style): members'
commands reach their handler with the approved profile in `ctx.member`, grid heads' and
staff's only when the sender holds that role somewhere. A `Refusal` from a gate or an
action is answered with its sentence.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from handlers import account, centres, requests
from handlers import notices, subscriptions
from handlers import dialogs, feedback, members, points, projects, queue, tasks
from handlers.audience import GATES, Gate, anyone, staff_only
from handlers.departments import chat as departments
from handlers.talk import chat as talk
from handlers.texts import common as texts
from handlers.texts import notices as notice_texts
from handlers.types import Context, Incoming, Refusal, Reply
from models.users import Role, roles_of
from nlp.normalize import simplified

Handler = Callable[[Incoming, Context, str], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    """`audience`: who may use it (and sees it under 帮助); `gate` overrides the audience's filter,
    e.g. to refuse in the area's own words, or `anyone` where the handler's state is the check."""

    words: tuple[str, ...]
    handler: Handler
    usage: str
    meaning: str
    audience: Role = Role.resident
    gate: Gate | None = None

    async def admit(self, ctx: Context) -> None:
        """Raise the audience's Refusal unless the sender may use this command."""
        await (self.gate or GATES[self.audience])(ctx)


COMMANDS: list[Command] = [
    Command(("查询", "进度"), requests.status, "查询 / 查询 12", "查看您的诉求和办理进度"),
    Command(("服务中心", "红色地图"), centres.nearby, "服务中心", "找离您最近的党群服务中心/站"),
    # notices (issue 5): residents' subscriptions, staff broadcasts
    Command(("订阅",), subscriptions.subscribe, "订阅 / 订阅 网格 / 订阅 全区 防汛", "订阅社区通知，可选范围和主题"),
    Command(("退订",), subscriptions.unsubscribe, "退订 / 退订 活动", "退订全部或某一项通知"),
    Command(("我的订阅",), subscriptions.mine, "我的订阅", "查看您订阅的通知"),
    Command(("通知",), notices.compose, "通知 阳光社区 标题|正文", "工作人员：发布通知（先预览）", Role.staff,
            staff_only(notice_texts.NOT_STAFF)),
    # only a staff member can have a draft to send or drop: the draft is the check
    Command(("确认",), notices.confirm, "确认", "工作人员：发送预览中的通知", Role.staff, anyone),
    Command(("取消",), notices.cancel, "取消", "工作人员：放弃预览中的通知", Role.staff, anyone),
    Command(("通知状态",), notices.status, "通知状态 3", "工作人员：查看通知送达情况", Role.staff,
            staff_only(notice_texts.NOT_STAFF)),
    # the claiming queue (issue 4): residents, members, grid heads, staff
    Command(("绑定",), members.bind, "绑定 阳光花园 3号楼", "告诉我们您住哪里，诉求直接进网格"),
    Command(("评价",), feedback.rate, "评价 12 5 很及时", "为办结的诉求打分（1-5分）"),
    Command(("需要帮助",), feedback.ask_for_help, "需要帮助 12", "个人事务也请社区帮忙"),
    Command(("报到",), members.register, "报到 社区 姓名 手机号", "党员到社区报到"),
    Command(("任务",), tasks.list_tasks, "任务", "党员查看可认领的任务", Role.member),
    Command(("更多",), tasks.more_tasks, "更多", "任务列表的下一页", Role.member),
    Command(("认领",), tasks.claim, "认领 12", "党员认领任务", Role.member),
    Command(("进展",), tasks.progress, "进展 12 说明", "报告办理进展", Role.member),
    Command(("完成",), tasks.finish, "完成 12 说明", "报告任务已办结", Role.member),
    Command(("放弃",), tasks.give_up, "放弃 12 原因", "把任务退回队列", Role.member),
    Command(("我的任务",), tasks.my_tasks, "我的任务", "查看您办理中的任务", Role.member),
    Command(("积分",), points.my_points, "积分", "本月积分和排名", Role.member),
    Command(("积分排行",), points.ranking, "积分排行", "社区本月积分排行", Role.member),
    Command(("项目",), projects.list_open, "项目", "正在招募的为民项目"),
    Command(("认领项目",), projects.claim_seat, "认领项目 3", "报名为民项目", Role.member),
    Command(("单位认领",), projects.claim_whole, "单位认领 3", "共建单位认领整个项目", Role.member),
    Command(("待分派",), queue.waiting, "待分派", "网格长：待分派的诉求", Role.grid_head),
    Command(("分派",), queue.assign, "分派 12 网格名", "网格长：把诉求分到网格队列", Role.grid_head),
    Command(("审核",), members.pending, "审核", "工作人员：待审核的报到", Role.staff),
    Command(("通过",), members.approve, "通过 3", "工作人员：通过报到申请", Role.staff),
    Command(("驳回",), members.reject, "驳回 3 原因", "工作人员：驳回报到申请", Role.staff),
    # 大事 and emergencies (issue 11): liaisons, street staff, grid heads; the actions decide who
    # may (a liaison, a grid head over the place, the claimer …), so no audience filter here
    Command(("部门待办",), departments.open_items, "部门待办", "部门联络员：待签收、待答复的诉求", Role.department, anyone),
    Command(("签收",), departments.sign, "签收 12", "联络员签收大事；网格长签收紧急诉求", Role.department, anyone),
    Command(("退回",), departments.send_back, "退回 12 原因", "联络员：不属本部门，退回街道", Role.department, anyone),
    Command(("答复",), departments.answer, "答复 12 内容", "联络员：答复居民", Role.department, anyone),
    Command(("待转派",), departments.waiting, "待转派", "街道工作人员：退回或无部门的大事", Role.staff, anyone),
    Command(("转派",), departments.redispatch, "转派 12 部门名", "街道工作人员：转给职能部门", Role.staff, anyone),
    Command(("回复",), talk.reply, "回复 12 内容", "认领党员、网格长、部门、工作人员：回复居民", Role.member, anyone),
    Command(("撤回",), talk.withdraw, "撤回 12 原因", "撤回不再需要办理的诉求"),
    Command(("发布项目",), projects.publish, "发布项目 标题|说明|社区|人数|截止", "工作人员：发布为民项目", Role.staff),
]

# Multi-step conversations by name; their state is in Redis (handlers/dialogs.py).
DIALOGS: dict[str, dialogs.Step] = {
    members.KIND_DIALOG: members.choose_kind,
}

EVENTS: dict[str, Handler] = {
    "subscribe": account.subscribe,
    "subscribe_scan": account.subscribe,
    "unsubscribe": account.unsubscribe,
}


async def voice(msg: Incoming, ctx: Context, args: str) -> Reply:
    """A voice message with WeChat's Recognition text is that text (a command or a request)."""
    spoken = msg.content.strip().rstrip("。！？.!?")
    if not spoken:
        return Reply(texts.VOICE)
    return await route(replace(msg, type="text", content=spoken), ctx)


TYPES: dict[str, Handler] = {
    "image": account.fixed(texts.IMAGE),
    "voice": voice,
    "video": account.fixed(texts.VIDEO),
    "shortvideo": account.fixed(texts.VIDEO),
    "location": centres.nearby,
    "link": account.fixed(texts.LINK),
}

HELP_WORDS = ("帮助", "help", "?", "？", "菜单")

_menu_unknown = account.fixed(texts.MENU_UNKNOWN)
_silent = account.fixed("")  # LOCATION reports, VIEW clicks …: WeChat shows nothing


async def route(msg: Incoming, ctx: Context) -> Reply:
    if msg.type == "event":
        handler = EVENTS.get(msg.event, _menu_unknown if msg.event == "click" else _silent)
        return await handler(msg, ctx, msg.event_key)
    if msg.type != "text":
        return await TYPES.get(msg.type, account.fixed(texts.UNKNOWN))(msg, ctx, "")
    typed = msg.content.strip()
    if not typed:
        return Reply(texts.EMPTY)
    text = simplified(typed).strip()
    if text.lower() in HELP_WORDS:
        return Reply(await help_for(ctx))
    reply = await dialogs.resume(msg, ctx, text, DIALOGS)  # passes what is no answer to it
    if reply is not None:
        return reply
    match = match_command(text)
    if match is None:  # the ticket keeps the text as the resident typed it
        return await requests.create(msg, ctx, typed)
    command, args = match
    try:
        await command.admit(ctx)
        return await command.handler(msg, ctx, args)
    except Refusal as refusal:  # nothing was changed: actions refuse before they write
        return Reply(refusal.sentence)


async def help_for(ctx: Context) -> str:
    """The commands this user can use: residents are not shown staff tools."""
    held = {Role.resident, *(Role(grant.role) for grant in await roles_of(ctx.session, ctx.user.id))}
    if held & {Role.staff, Role.admin}:
        held |= {Role.grid_head, Role.staff}
    return account.help_text([(c.usage, c.meaning) for c in COMMANDS if c.audience in held])


def by_word() -> list[tuple[str, Command]]:
    """Every command word, longest first (认领项目 before 认领): sorted once per table, so a
    table swapped in (tests do) is sorted afresh."""
    global _by_word
    if _by_word[0] is not COMMANDS:
        _by_word = (COMMANDS, sorted(((word, command) for command in COMMANDS for word in command.words),
                                     key=lambda pair: -len(pair[0])))
    return _by_word[1]


_by_word: tuple[list[Command] | None, list[tuple[str, Command]]] = (None, [])


def match_command(text: str) -> tuple[Command, str] | None:
    """The command whose word starts the text, followed by a space, a digit or nothing."""
    for word, command in by_word():
        if text.startswith(word):
            rest = text[len(word):]
            if not rest or rest[0].isspace() or rest[0].isdigit():
                return command, rest.strip()
    return None
