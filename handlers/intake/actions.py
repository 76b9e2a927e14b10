"""Door-neutral action for staff intake: a resident found (or created) by phone, the request
classified and placed exactly like a chat request, the channel recorded, the resident told.

A resident known only by phone gets a user row that is not a follower (`subscribed` False,
`openid` "phone:…"), so pushes wait for nothing and nobody is messaged who never followed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.masking import mask_text
from handlers.permission import require_anywhere
from handlers.pushes import push_to
from handlers.requests.actions import MAX_TEXT, submit
from handlers.texts import intake as texts
from handlers.types import Refusal
from models.members import normalise_phone
from models.tickets import Ticket
from models.users import Role, User

CHANNELS = tuple(texts.CHANNELS)


@dataclass(frozen=True)
class Logged:
    ticket: Ticket
    resident: User
    new_resident: bool


async def log_request(session: AsyncSession, actor: User | None, phone: str, text: str, channel: str,
                      settings: Settings, now: datetime) -> Logged:
    """`actor` None: an operator at the terminal (trusted like the rest of the CLI)."""
    await require_anywhere(session, actor, Role.staff, texts.STAFF_ONLY)
    if channel not in CHANNELS:
        raise Refusal("invalid", texts.BAD_CHANNEL)
    number = normalise_phone(phone or "")
    if number is None:
        raise Refusal("invalid", texts.BAD_PHONE)
    text = " ".join(text.split())
    if not 1 <= len(text) <= MAX_TEXT:
        raise Refusal("invalid", texts.BAD_TEXT)
    resident, new = await _resident(session, number, now)
    ticket = (await submit(session, settings, resident, text, None, now,
                           actor_id=actor.id if actor else None, channel=channel)).ticket
    await push_to(session, resident.id, f"ticket:{ticket.id}:logged", texts.PUSH_LOGGED.format(
        channel=texts.CHANNELS[channel], id=ticket.id, text=mask_text(text[:60])), ticket.id, title="诉求已登记")
    return Logged(ticket, resident, new)


async def _resident(session: AsyncSession, phone: str, now: datetime) -> tuple[User, bool]:
    found = (await session.exec(select(User).where(User.phone == phone).order_by(User.id))).first()
    if found is not None:
        return found, False
    resident = User(openid=f"phone:{phone}", phone=phone, subscribed=False, created_at=now)
    session.add(resident)
    await session.flush()
    return resident, True
