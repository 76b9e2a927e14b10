"""Staff broadcast from chat: `通知 <范围> <标题>|<正文>` → preview → `确认` (or `取消`); `通知状态 N`.

The words become a draft of handlers/notices/actions.py; the checked draft waits in Redis
for a few minutes, so nothing is written until the sender confirms. Confirming sends it
through the same action the console and `linli notice send` use; the right to send is
asked again at 确认.
"""
from __future__ import annotations

import json
from dataclasses import asdict

from handlers.notices import actions
from handlers.parsing import number_only
from handlers.texts import notices as texts
from handlers.types import Context, Incoming, Refusal, Reply
from models.clock import local_text
from models.notices import Notice, NoticeStatus, delivery_counts, parse_quiet_hours, quiet_until


async def compose(msg: Incoming, ctx: Context, args: str) -> Reply:
    head, separator, body = args.replace("｜", "|").partition("|")
    words = head.split()
    try:
        await actions.ensure_sender(ctx.session, ctx.user)
        if not separator or not body.strip() or len(words) < 2:
            return Reply(texts.COMPOSE_USAGE)
        tags = tuple(word[1:] for word in words[1:] if word.startswith(("#", "＃")))
        title = " ".join(word for word in words[1:] if word != texts.URGENT_WORD and not word.startswith(("#", "＃")))
        if not title:
            return Reply(texts.COMPOSE_USAGE)
        preview = await actions.draft(ctx.session, ctx.user, scope=words[0], title=title, body=body, tags=tags,
                                      urgent=texts.URGENT_WORD in words[1:])
    except Refusal as refusal:
        return Reply(refusal.sentence)
    draft = preview.draft
    await ctx.redis.set(_draft_key(ctx), json.dumps(asdict(draft), ensure_ascii=False),
                        ex=ctx.settings.notice_draft_ttl_s)
    return Reply(texts.PREVIEW.format(
        unit=preview.unit.name, title=draft.title, body=draft.body, count=preview.audience, when=_when(ctx, draft),
        tags=texts.PREVIEW_TAGS.format(tags="、".join(draft.tags)) if draft.tags else "",
        urgent=texts.PREVIEW_URGENT if draft.urgent else "", minutes=ctx.settings.notice_draft_ttl_s // 60))


async def confirm(msg: Incoming, ctx: Context, args: str) -> Reply:
    raw = await ctx.redis.getdel(_draft_key(ctx))  # taken once: a second 确认 cannot send twice
    if not raw:
        return Reply(texts.NO_DRAFT)
    stored = json.loads(raw)
    draft = actions.Draft(**{**stored, "tags": tuple(stored["tags"])})
    try:
        sent = await actions.send(ctx.session, ctx.user, draft, send_at=ctx.now,
                                  quiet_hours=parse_quiet_hours(ctx.settings.quiet_hours))
    except Refusal:
        return Reply(texts.NOT_STAFF)
    if sent.notice.send_at > ctx.now:
        return Reply(texts.SCHEDULED.format(id=sent.notice.id, at=local_text(sent.notice.send_at)))
    return Reply(texts.SENT.format(id=sent.notice.id, count=sent.audience))


async def cancel(msg: Incoming, ctx: Context, args: str) -> Reply:
    return Reply(texts.CANCELLED if await ctx.redis.delete(_draft_key(ctx)) else texts.NO_DRAFT)


async def status(msg: Incoming, ctx: Context, args: str) -> Reply:
    try:
        await actions.ensure_sender(ctx.session, ctx.user)
        number = number_only(args)
        if number is None:
            return Reply(texts.STATUS_USAGE)
        notice = await actions.visible_notice(ctx.session, ctx.user, number)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    return Reply(status_text(notice, await delivery_counts(ctx.session, notice.id)))


def status_text(notice: Notice, counts: dict[str, int]) -> str:
    """One notice's progress, for chat and for `linli notice status`."""
    if notice.status == NoticeStatus.scheduled:
        state = texts.STATE_SCHEDULED.format(at=local_text(notice.send_at))
    else:
        state = texts.STATE_SENDING if counts["pending"] else texts.STATE_DONE
    return texts.STATUS.format(id=notice.id, title=notice.title, state=state, **counts)


def _when(ctx: Context, draft: actions.Draft) -> str:
    end = None if draft.urgent else quiet_until(ctx.now, *parse_quiet_hours(ctx.settings.quiet_hours))
    return texts.WHEN_QUIET.format(quiet=ctx.settings.quiet_hours, at=local_text(end)) if end else texts.WHEN_NOW


def _draft_key(ctx: Context) -> str:
    return ctx.keys.notice_draft(ctx.user.openid)
