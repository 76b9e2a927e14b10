"""Following, unfollowing, help, and the message types we cannot turn into a request."""
from __future__ import annotations

from handlers.texts import common as texts
from handlers.types import Context, Incoming, Reply


async def subscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    # unsubscribed_at stays: it is the last unfollow, and mini-program tokens issued before it stay void
    ctx.user.subscribed = True
    ctx.user.subscribed_at = ctx.now
    ctx.session.add(ctx.user)
    return Reply(texts.WELCOME)


async def unsubscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    """Mark the user; keep their tickets and history. WeChat shows no reply to this event."""
    ctx.user.subscribed = False
    ctx.user.unsubscribed_at = ctx.now
    ctx.session.add(ctx.user)
    return Reply("")


def help_text(commands: list[tuple[str, str]]) -> str:
    lines = [texts.HELP_HEADER]
    lines += [f"· {usage}：{meaning}" for usage, meaning in commands]
    lines.append(texts.HELP_FOOTER)
    return "\n".join(lines)


def fixed(sentence: str):
    """A handler that always answers with one sentence (media types, unknown events)."""
    async def answer(msg: Incoming, ctx: Context, args: str) -> Reply:
        return Reply(sentence)
    return answer
