"""The claiming queue in chat: 任务 (paged with 更多), 认领 12, 进展/完成/放弃 12 说明, 我的任务.

The words become arguments for `handlers.tasks.actions`, the result (or Refusal) a sentence.
The router has already checked the sender is an approved member (`ctx.member`), and it
answers a Refusal with its sentence.
"""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.tasks import actions
from handlers.texts import tasks as texts
from handlers.ticket_text import short
from handlers.types import Context, Incoming, Refusal, Reply
from models.clock import local_text


async def list_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _page(ctx, 0)


async def more_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    stored = await ctx.redis.get(_page_key(ctx))
    return await _page(ctx, int(stored) if stored else 0)


def _page_key(ctx: Context) -> str:
    return ctx.keys.tasks_page(ctx.user.openid)


async def _page(ctx: Context, page: int) -> Reply:
    size = ctx.settings.task_page_size
    tasks = await actions.list_tasks(ctx.session, ctx.member, page * size, size + 1)
    if not tasks:
        return Reply(texts.NO_MORE if page else texts.NO_TASKS)
    await ctx.redis.set(_page_key(ctx), page + 1, ex=ctx.settings.dialog_ttl_s)
    lines = [texts.TASKS_HEADER.format(page=page + 1)]
    lines += [texts.TASK_LINE.format(id=task.id, urgent=texts.URGENT_MARK if task.urgent else "",
                                     where=task.where, text=short(task.text)) for task in tasks[:size]]
    lines.append(texts.TASKS_FOOTER if len(tasks) > size else texts.TASKS_LAST_FOOTER)
    return Reply("\n".join(lines))


async def claim(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["认领"])
    return Reply(claimed_text(await actions.claim(ctx.session, ctx.member, parsed[0], ctx.now)))


def claimed_text(claimed: actions.Claimed) -> str:
    """What the member reads after a claim, in chat and as the mini program's message."""
    return texts.CLAIMED.format(id=claimed.id, text=short(claimed.text, 40), where=claimed.where) + "\n" + claimed.contact


async def progress(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, note = _numbered_note(args, "进展")
    reported = await actions.progress(ctx.session, ctx.member, ticket_id, note, ctx.now)
    return Reply(texts.PROGRESS_SAVED.format(id=reported.id))


async def finish(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, note = _numbered_note(args, "完成")
    done = await actions.finish(ctx.session, ctx.member, ticket_id, note, ctx.now, ctx.settings)
    return Reply(texts.DONE_SAVED.format(id=done.id, points=done.points))


async def give_up(msg: Incoming, ctx: Context, args: str) -> Reply:
    ticket_id, note = _numbered_note(args, "放弃")
    released = await actions.give_up(ctx.session, ctx.member, ticket_id, note, ctx.now)
    return Reply(texts.RELEASED.format(id=released.id))


def _numbered_note(args: str, word: str) -> tuple[int, str]:
    """`12 说明`: the number and the note; the command's usage line when there is no number."""
    parsed = numbered(args)
    if parsed is None:
        raise Refusal("invalid", texts.USAGE[word])
    return parsed


async def my_tasks(msg: Incoming, ctx: Context, args: str) -> Reply:
    tickets = await actions.my_tasks(ctx.session, ctx.member)
    if not tickets:
        return Reply(texts.MY_NONE)
    lines = [texts.MY_HEADER]
    lines += [texts.MY_LINE.format(id=t.id, since=local_text(t.claimed_at), text=short(t.text)) for t in tickets]
    lines.append(texts.MY_FOOTER)
    return Reply("\n".join(lines))
