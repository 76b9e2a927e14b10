"""订阅 / 退订 as actions for chat and the mini-program API.

A scope is a word relative to the resident (全区, 街道, 社区, 网格), a unit by name or code
(阳光社区, S01-C01), or nothing (the resident's community); a topic is one of TOPICS or
nothing (every topic). Nothing changing is a `conflict`, whose sentence says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.texts import notices as texts
from handlers.types import Refusal
from models import subscriptions
from models.org import OrgLevel, OrgUnit, ancestors, find_unit
from models.users import User

_LEVEL_NAMES = {"street": "您所在的街道", "grid": "您所在的网格"}


@dataclass(frozen=True)
class Change:
    """What was subscribed to or left (`unit` None with `topic` None: everything), and the
    sentence saying so, the same for chat and the mini program."""

    unit: OrgUnit | None
    topic: str | None
    sentence: str


async def subscribe(session: AsyncSession, user: User, scope: str = "", topic: str = "") -> Change:
    chosen_topic = _topic(topic)
    unit = (await scope_unit(session, user, scope) if scope.strip() else
            await _unit_at(session, user, "community", required=chosen_topic is None))
    unit = unit or await subscriptions.district_unit(session)
    if not await subscriptions.add(session, user, unit, chosen_topic or subscriptions.ALL_TOPICS):
        raise Refusal("conflict", texts.ALREADY.format(what=describe(unit, chosen_topic)) + unfollowed_note(user))
    return Change(unit, chosen_topic, texts.SUBSCRIBED.format(what=describe(unit, chosen_topic)) + unfollowed_note(user))


async def unsubscribe(session: AsyncSession, user: User, scope: str = "", topic: str = "",
                      everything: bool = False) -> Change:
    """Leave one unit and/or topic; with neither (or `everything`), leave every notice."""
    chosen_topic = _topic(topic)
    unit = await scope_unit(session, user, scope) if scope.strip() else None
    if everything or (unit is None and chosen_topic is None):
        had = await subscriptions.subscriptions_of(session, user)
        await subscriptions.remove(session, user)
        if not had:
            raise Refusal("conflict", texts.MINE_NONE + unfollowed_note(user))
        return Change(None, None, texts.UNSUBSCRIBED_ALL)
    if not await subscriptions.remove(session, user, unit, chosen_topic):
        raise Refusal("conflict", texts.NOT_SUBSCRIBED.format(what=describe(unit, chosen_topic)))
    return Change(unit, chosen_topic, texts.UNSUBSCRIBED.format(what=describe(unit, chosen_topic)))


def _topic(topic: str) -> str | None:
    topic = topic.strip()
    if topic and topic not in subscriptions.TOPICS:
        raise unknown_word(topic)
    return topic or None


async def scope_unit(session: AsyncSession, user: User, word: str) -> OrgUnit:
    """The unit a scope word names for this resident; `invalid` when it names none."""
    word = word.strip()
    level = texts.SCOPE_WORDS.get(word)
    if level == "district":
        return await subscriptions.district_unit(session)
    if level:
        return await _unit_at(session, user, level, required=True)
    unit = await find_unit(session, word)
    if unit is None or unit.level == OrgLevel.building:
        raise unknown_word(word)
    return unit


def unknown_word(word: str) -> Refusal:
    return Refusal("invalid", texts.UNKNOWN_WORD.format(word=word, topics="、".join(subscriptions.TOPICS)))


async def _unit_at(session: AsyncSession, user: User, level: str, required: bool) -> OrgUnit | None:
    """The unit at `level` above the resident's grid; refused when unknown and required."""
    if user.grid_id:
        for unit in await ancestors(session, user.grid_id):
            if unit.level == level:
                return unit
    if required:
        raise Refusal("invalid", texts.NO_DEFAULT_UNIT if level == "community"
                      else texts.NEED_GRID.format(level=_LEVEL_NAMES[level]))
    return None


def describe(unit: OrgUnit | None, topic: str | None) -> str:
    where = unit.name if unit else "各范围"
    return f"{where}的“{topic}”通知" if topic else f"{where}的全部通知"


def unfollowed_note(user: User) -> str:
    return "" if user.subscribed else texts.UNFOLLOWED_NOTE
