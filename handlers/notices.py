"""Staff broadcast from chat: `通知 <范围> <标题>|<正文>` → preview → `确认` (or `取消`); `通知状态 N`.

The preview is kept in Redis for a few minutes, so nothing is written until the sender
confirms. Confirming stores a scheduled notice and wakes a worker after the commit; the
worker fans it out and delivers it (bot/outbound). Only staff (or admins) of the unit or
of a unit above it may send there; the check runs again at 确认.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.outbound.stream import OutboundStream
from handlers.texts import notices as texts
from handlers.types import Context, Incoming, Reply
from models.clock import local_text
from models.notices import (Notice, NoticeStatus, create_notice, delivery_counts, is_sender, may_send,
                            parse_quiet_hours, quiet_until, related_unit_ids)
from models.org import OrgLevel, OrgUnit, find_unit
from models.subscriptions import TOPICS, district_unit, recipients

TITLE_MAX, BODY_MAX = 40, 600


@dataclass(frozen=True)
class Draft:
    unit_id: int
    title: str
    body: str
    tags: list[str]
    urgent: bool


class BadInput(Exception):
    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


async def compose(msg: Incoming, ctx: Context, args: str) -> Reply:
    if not await is_sender(ctx.session, ctx.user.id):
        return Reply(texts.NOT_STAFF)
    try:
        draft, unit = await _parse(ctx, args)
    except BadInput as bad:
        return Reply(bad.reply)
    if not await may_send(ctx.session, ctx.user.id, unit.id):
        return Reply(texts.NOT_STAFF_HERE.format(unit=unit.name))
    audience = await recipients(ctx.session, await related_unit_ids(ctx.session, unit.id), draft.tags)
    await ctx.redis.set(_draft_key(ctx), json.dumps(asdict(draft), ensure_ascii=False),
                        ex=ctx.settings.notice_draft_ttl_s)
    return Reply(texts.PREVIEW.format(
        unit=unit.name, title=draft.title, body=draft.body, count=len(audience), when=_when(ctx, draft),
        tags=texts.PREVIEW_TAGS.format(tags="、".join(draft.tags)) if draft.tags else "",
        urgent=texts.PREVIEW_URGENT if draft.urgent else "", minutes=ctx.settings.notice_draft_ttl_s // 60))


async def confirm(msg: Incoming, ctx: Context, args: str) -> Reply:
    raw = await ctx.redis.getdel(_draft_key(ctx))  # taken once: a second 确认 cannot send twice
    if not raw:
        return Reply(texts.NO_DRAFT)
    draft = Draft(**json.loads(raw))
    unit = await ctx.session.get(OrgUnit, draft.unit_id)
    if unit is None or not await may_send(ctx.session, ctx.user.id, unit.id):
        return Reply(texts.NOT_STAFF)
    notice = await create_notice(ctx.session, unit=unit, title=draft.title, body=draft.body, tags=draft.tags,
                                 urgent=draft.urgent, send_at=ctx.now, created_by=ctx.user.id,
                                 quiet_hours=parse_quiet_hours(ctx.settings.quiet_hours))
    ctx.after_reply.append(OutboundStream(ctx.redis, ctx.keys).wake)
    if notice.send_at > ctx.now:
        return Reply(texts.SCHEDULED.format(id=notice.id, at=local_text(notice.send_at)))
    audience = await recipients(ctx.session, await related_unit_ids(ctx.session, unit.id), draft.tags)
    return Reply(texts.SENT.format(id=notice.id, count=len(audience)))


async def cancel(msg: Incoming, ctx: Context, args: str) -> Reply:
    return Reply(texts.CANCELLED if await ctx.redis.delete(_draft_key(ctx)) else texts.NO_DRAFT)


async def status(msg: Incoming, ctx: Context, args: str) -> Reply:
    if not await is_sender(ctx.session, ctx.user.id):
        return Reply(texts.NOT_STAFF)
    if not args.strip().isdigit():
        return Reply(texts.STATUS_USAGE)
    notice = await ctx.session.get(Notice, int(args.strip()))
    if notice is None or not await may_send(ctx.session, ctx.user.id, notice.unit_id):
        return Reply(texts.STATUS_UNKNOWN.format(id=args.strip()))
    return Reply(status_text(notice, await delivery_counts(ctx.session, notice.id)))


def status_text(notice: Notice, counts: dict[str, int]) -> str:
    """One notice's progress, for chat and for `linli notice status`."""
    if notice.status == NoticeStatus.scheduled:
        state = texts.STATE_SCHEDULED.format(at=local_text(notice.send_at))
    else:
        state = texts.STATE_SENDING if counts["pending"] else texts.STATE_DONE
    return texts.STATUS.format(id=notice.id, title=notice.title, state=state, **counts)


async def _parse(ctx: Context, args: str) -> tuple[Draft, OrgUnit]:
    head, separator, body = args.replace("｜", "|").partition("|")
    words, body = head.split(), body.strip()
    if not separator or not body or len(words) < 2:
        raise BadInput(texts.COMPOSE_USAGE)
    unit = await _scope(ctx, words[0])
    urgent = texts.URGENT_WORD in words[1:]
    tags = [word[1:] for word in words[1:] if word.startswith(("#", "＃"))]
    title = " ".join(word for word in words[1:] if word != texts.URGENT_WORD and not word.startswith(("#", "＃")))
    unknown = [tag for tag in tags if tag not in TOPICS]
    if unknown or not title:
        raise BadInput(texts.COMPOSE_USAGE + "\n可用主题：" + "、".join(TOPICS))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise BadInput(texts.TOO_LONG.format(title=TITLE_MAX, body=BODY_MAX))
    return Draft(unit.id, title, body, tags, urgent), unit


async def _scope(ctx: Context, word: str) -> OrgUnit:
    if texts.SCOPE_WORDS.get(word) == "district":
        unit = await district_unit(ctx.session)
    else:
        unit = await find_unit(ctx.session, word)
    if unit is None or unit.level == OrgLevel.building:
        raise BadInput(texts.UNKNOWN_SCOPE.format(scope=word))
    return unit


def _when(ctx: Context, draft: Draft) -> str:
    end = None if draft.urgent else quiet_until(ctx.now, *parse_quiet_hours(ctx.settings.quiet_hours))
    return texts.WHEN_QUIET.format(quiet=ctx.settings.quiet_hours, at=local_text(end)) if end else texts.WHEN_NOW


def _draft_key(ctx: Context) -> str:
    return ctx.keys("notice", "draft", ctx.user.openid)
