"""订阅 / 退订 / 我的订阅: residents choose which notices reach them.

Words after the command name a scope relative to the resident (全区, 街道, 社区, 网格), a
unit by name or code (阳光社区, S01-C01), a topic (防汛), or 全部. Without a scope the
resident's community is meant. Following the account needs no command: the community of a
known grid is the default (models/subscriptions.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from handlers.texts import notices as texts
from handlers.types import Context, Incoming, Reply
from models import subscriptions
from models.org import OrgLevel, OrgUnit, ancestors, find_unit


@dataclass
class Choice:
    unit: OrgUnit | None = None
    topic: str | None = None
    everything: bool = False


class BadWord(Exception):
    """A word of the command we cannot use; `reply` says what to write instead."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


async def subscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    try:
        choice = await _parse(ctx, args)
        unit = choice.unit or await _unit_at(ctx, "community", required=choice.topic is None)
    except BadWord as bad:
        return Reply(bad.reply)
    unit = unit or await _district(ctx)
    topic = choice.topic or subscriptions.ALL_TOPICS
    added = await subscriptions.add(ctx.session, ctx.user, unit, topic)
    what = _describe(unit, choice.topic)
    return Reply((texts.SUBSCRIBED if added else texts.ALREADY).format(what=what) + _unfollowed_note(ctx))


async def unsubscribe(msg: Incoming, ctx: Context, args: str) -> Reply:
    try:
        choice = await _parse(ctx, args)
    except BadWord as bad:
        return Reply(bad.reply)
    if choice.everything or (choice.unit is None and choice.topic is None):
        await subscriptions.remove(ctx.session, ctx.user)
        return Reply(texts.UNSUBSCRIBED_ALL)
    removed = await subscriptions.remove(ctx.session, ctx.user, choice.unit, choice.topic)
    what = _describe(choice.unit, choice.topic)
    return Reply((texts.UNSUBSCRIBED if removed else texts.NOT_SUBSCRIBED).format(what=what))


async def mine(msg: Incoming, ctx: Context, args: str) -> Reply:
    pairs = await subscriptions.subscriptions_of(ctx.session, ctx.user)
    if not pairs:
        return Reply(texts.MINE_NONE + _unfollowed_note(ctx))
    implicit = not await subscriptions.has_chosen(ctx.session, ctx.user.id)
    lines = [texts.MINE_HEADER]
    for unit, topic in pairs:
        marker = texts.MINE_TOPIC.format(topic=topic) if topic else texts.MINE_ALL_TOPICS
        lines.append(texts.MINE_LINE.format(unit=unit.name, topic=marker + (texts.MINE_DEFAULT if implicit else "")))
    lines.append(texts.MINE_FOOTER)
    return Reply("\n".join(lines) + _unfollowed_note(ctx))


async def _parse(ctx: Context, args: str) -> Choice:
    choice = Choice()
    for word in args.split():
        if word in texts.ALL_WORDS:
            choice.everything = True
        elif word in subscriptions.TOPICS:
            choice.topic = word
        elif word in texts.SCOPE_WORDS:
            level = texts.SCOPE_WORDS[word]
            choice.unit = await _district(ctx) if level == "district" else await _unit_at(ctx, level, required=True)
        else:
            unit = await find_unit(ctx.session, word)
            if unit is None or unit.level == OrgLevel.building:
                raise BadWord(texts.UNKNOWN_WORD.format(word=word, topics="、".join(subscriptions.TOPICS)))
            choice.unit = unit
    return choice


async def _unit_at(ctx: Context, level: str, required: bool) -> OrgUnit | None:
    """The unit at `level` above the resident's grid; BadWord when unknown and required."""
    if ctx.user.grid_id:
        for unit in await ancestors(ctx.session, ctx.user.grid_id):
            if unit.level == level:
                return unit
    if required:
        raise BadWord(texts.NO_DEFAULT_UNIT if level == "community"
                      else texts.NEED_GRID.format(level=_LEVEL_NAMES[level]))
    return None


async def _district(ctx: Context) -> OrgUnit:
    return await subscriptions.district_unit(ctx.session)


def _describe(unit: OrgUnit | None, topic: str | None) -> str:
    where = unit.name if unit else "各范围"
    return f"{where}的“{topic}”通知" if topic else f"{where}的全部通知"


def _unfollowed_note(ctx: Context) -> str:
    return "" if ctx.user.subscribed else texts.UNFOLLOWED_NOTE


_LEVEL_NAMES = {"street": "您所在的街道", "grid": "您所在的网格"}
