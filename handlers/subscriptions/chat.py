"""订阅 / 退订 / 我的订阅 in chat: words become the scope and topic of handlers/subscriptions/actions.py.

Words after the command name a scope relative to the resident (全区, 街道, 社区, 网格), a
unit by name or code (阳光社区, S01-C01), a topic (防汛), or 全部. Without a scope the
resident's community is meant. Following the account needs no command: the community of a
known grid is the default (models/subscriptions.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from handlers.subscriptions import actions
from handlers.texts import notices as texts
from handlers.types import Context, Incoming, Refusal, Reply
from models import subscriptions


@dataclass
class Words:
    scope: str = ""
    topic: str = ""
    everything: bool = False


def _words(args: str) -> Words:
    """The last scope word and the last topic win, as they always have."""
    words = Words()
    for word in args.split():
        if word in texts.ALL_WORDS:
            words.everything = True
        elif word in subscriptions.TOPICS:
            words.topic = word
        else:
            words.scope = word
    return words


async def subscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    words = _words(args)
    try:
        await _check_scopes(ctx, args)
        change = await actions.subscribe(ctx.session, ctx.user, words.scope, words.topic)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    return Reply(change.sentence)


async def unsubscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    words = _words(args)
    try:
        await _check_scopes(ctx, args)
        change = await actions.unsubscribe(ctx.session, ctx.user, words.scope, words.topic, words.everything)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    return Reply(change.sentence)


async def _check_scopes(ctx: Context, args: str) -> None:
    """Every scope word must mean something, not only the last one."""
    for word in args.split():
        if word not in texts.ALL_WORDS and word not in subscriptions.TOPICS:
            await actions.scope_unit(ctx.session, ctx.user, word)


async def mine(msg: Incoming, ctx: Context, args: str) -> Reply:
    pairs = await subscriptions.subscriptions_of(ctx.session, ctx.user)
    if not pairs:
        return Reply(texts.MINE_NONE + actions.unfollowed_note(ctx.user))
    implicit = not await subscriptions.has_chosen(ctx.session, ctx.user.id)
    lines = [texts.MINE_HEADER]
    for unit, topic in pairs:
        marker = texts.MINE_TOPIC.format(topic=topic) if topic else texts.MINE_ALL_TOPICS
        lines.append(texts.MINE_LINE.format(unit=unit.name, topic=marker + (texts.MINE_DEFAULT if implicit else "")))
    lines.append(texts.MINE_FOOTER)
    return Reply("\n".join(lines) + actions.unfollowed_note(ctx.user))
