"""Staff notices as actions for chat, the console and `linli notice send`: one check of a
draft (scope, title and body lengths, topics, the sender's right) and one send.

Sending stores a scheduled notice; the storage's after-commit hook wakes the outbound
worker (bot/storage.py), so nothing here knows about the worker.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.permission import require, require_anywhere
from handlers.texts import notices as texts
from handlers.types import Refusal
from models import access
from models.notices import Notice, create_notice, related_unit_ids
from models.org import OrgLevel, OrgUnit, find_unit
from models.subscriptions import TOPICS, district_unit, recipients
from models.users import Role, User

TITLE_MAX, BODY_MAX = 40, 600
ScopeRef = int | str  # a unit by id (console form), or a name, code or 全区 (chat, CLI)


@dataclass(frozen=True)
class Draft:
    unit_id: int
    title: str
    body: str
    tags: tuple[str, ...]
    urgent: bool


@dataclass(frozen=True)
class Preview:
    draft: Draft
    unit: OrgUnit
    audience: int


@dataclass(frozen=True)
class Sent:
    notice: Notice
    unit: OrgUnit
    audience: int


async def ensure_sender(session: AsyncSession, actor: User | None) -> None:
    """Refuse anyone who may send notices nowhere."""
    await require_anywhere(session, actor, Role.staff, texts.NOT_STAFF)


async def draft(session: AsyncSession, actor: User | None, *, scope: ScopeRef, title: str, body: str,
                tags: tuple[str, ...] = (), urgent: bool = False) -> Preview:
    """A checked draft and how many people it reaches; nothing is stored."""
    await ensure_sender(session, actor)
    title, body = title.strip(), body.strip()
    if scope in ("", 0) or not title or not body:
        raise Refusal("invalid", texts.INCOMPLETE)
    unit = await _scope(session, scope)
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise Refusal("invalid", texts.TOO_LONG.format(title=TITLE_MAX, body=BODY_MAX))
    if any(tag not in TOPICS for tag in tags):
        raise Refusal("invalid", texts.BAD_TOPIC.format(topics="、".join(TOPICS)))
    await require(session, actor, Role.staff, unit.id, texts.NOT_STAFF_HERE.format(unit=unit.name))
    checked = Draft(unit.id, title, body, tuple(tags), urgent)
    return Preview(checked, unit, await _audience(session, checked))


async def send(session: AsyncSession, actor: User | None, checked: Draft, *, send_at: datetime,
               quiet_hours: tuple[time, time]) -> Sent:
    """Store the notice for sending at `send_at` (after the quiet hours unless urgent); the
    sender's right is asked again, since it may have changed since the draft."""
    unit = await session.get(OrgUnit, checked.unit_id)
    if unit is None:
        raise Refusal("not_found", texts.UNKNOWN_SCOPE.format(scope=checked.unit_id))
    await require(session, actor, Role.staff, unit.id, texts.NOT_STAFF_HERE.format(unit=unit.name))
    notice = await create_notice(session, unit=unit, title=checked.title, body=checked.body, tags=list(checked.tags),
                                 urgent=checked.urgent, send_at=send_at, created_by=actor.id if actor else None,
                                 quiet_hours=quiet_hours)
    return Sent(notice, unit, await _audience(session, checked))


async def visible_notice(session: AsyncSession, actor: User | None, notice_id: int) -> Notice:
    """A notice its reader may follow: staff of its unit or above (the operator: any)."""
    await ensure_sender(session, actor)
    notice = await session.get(Notice, notice_id)
    # another unit's notice is not shown to exist
    if notice is None or (actor is not None and not await access.holds(session, actor.id, Role.staff, notice.unit_id)):
        raise Refusal("not_found", texts.STATUS_UNKNOWN.format(id=notice_id))
    return notice


async def _scope(session: AsyncSession, scope: ScopeRef) -> OrgUnit:
    if isinstance(scope, int):
        unit = await session.get(OrgUnit, scope)
    elif texts.SCOPE_WORDS.get(scope.strip()) == "district" or scope.strip() == "district":
        unit = await district_unit(session)
    else:
        unit = await find_unit(session, scope)
    if unit is None or unit.level == OrgLevel.building:
        raise Refusal("not_found", texts.UNKNOWN_SCOPE.format(scope=scope))
    return unit


async def _audience(session: AsyncSession, checked: Draft) -> int:
    return len(await recipients(session, await related_unit_ids(session, checked.unit_id), list(checked.tags)))
