"""Door-neutral actions for urgent requests: the alert at intake, and 签收 of an alert.

The alert is queued in the intake's own transaction (outbound rows, sent by the commit
hook within seconds), to the grid's grid heads and the community's staff; its keys are
per ticket and person, so a retried message never alerts twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.alerts.hazard import emergency_call
from handlers.masking import mask_phone, mask_text
from handlers.pushes import push_to
from handlers.texts import alerts as texts
from handlers.types import Refusal
from models import access
from models.org import OrgUnit
from models.tasks import move, ticket_for_update
from models.tickets import Ticket
from models.users import Role, User, UserRole


@dataclass(frozen=True)
class Alerted:
    """Who was told (as the resident reads it) and the emergency call the hazard needs."""

    told: tuple[str, ...]
    call: str

    def sentence(self) -> str:
        if not self.told:
            return texts.TOLD_NOBODY.format(call=self.call)
        return texts.TOLD.format(who=texts.AND.join(self.told), call=self.call)


async def alert_at_intake(session: AsyncSession, ticket: Ticket) -> Alerted:
    """Queue the alert to everyone on duty for the ticket's place; the same answer on a retry."""
    grid = await session.get(OrgUnit, ticket.grid_id) if ticket.grid_id else None
    community = await session.get(OrgUnit, ticket.community_id) if ticket.community_id else None
    told: list[str] = []
    if community is None:  # no place known: the district's own duty people
        people = [*await access.holders(session, Role.grid_head, None),
                  *await access.holders(session, Role.staff, None)]
        told += [texts.DISTRICT_DUTY] if people else []
    else:
        heads = await access.holders(session, Role.grid_head, (grid or community).id)
        staff = await _staff_on(session, community.id)
        told += [texts.GRID_HEADS.format(grid=(grid or community).name)] if heads else []
        told += [texts.COMMUNITY_STAFF.format(community=community.name)] if staff else []
        people = [*heads, *staff]
    body = await alert_body(session, ticket, texts.PUSH_ALERT)
    for person in {person.id: person for person in people}.values():
        await push_to(session, person.id, f"alert:{ticket.id}:0:{person.id}", body, ticket.id, title="紧急诉求")
    return Alerted(tuple(told), emergency_call(ticket.text))


async def alert_body(session: AsyncSession, ticket: Ticket, template: str, **extra: object) -> str:
    """The alert's text: the request, the place, the resident's masked phone and the command to act."""
    resident = await session.get(User, ticket.user_id)
    unit = await session.get(OrgUnit, ticket.grid_id or ticket.community_id) if (
        ticket.grid_id or ticket.community_id) else None
    where = "·".join(part for part in (unit.name if unit else texts.WHERE_UNKNOWN, *ticket.places.split(",")) if part)
    phone = mask_phone(resident.phone) if resident and resident.phone else texts.NO_PHONE
    return template.format(id=ticket.id, where=where, text=mask_text(ticket.text[:80]), phone=phone, **extra)


async def _staff_on(session: AsyncSession, unit_id: int) -> list[User]:
    """Staff granted on this very unit (the community's own, not the street's above it)."""
    query = (select(User).join(UserRole, UserRole.user_id == User.id)
             .where(UserRole.role == Role.staff, UserRole.unit_id == unit_id).order_by(User.id))
    return list((await session.exec(query)).all())


async def may_sign(session: AsyncSession, actor: User, ticket: Ticket) -> bool:
    """Grid heads and staff over the ticket's place (anywhere, for a ticket not yet placed)."""
    unit = ticket.grid_id or ticket.community_id
    if unit is None:
        return bool(await access.units_of(session, actor.id, Role.grid_head))
    return await access.holds(session, actor.id, Role.grid_head, unit)


async def acknowledge_alert(session: AsyncSession, actor: User, ticket_id: int, now: datetime) -> int:
    """签收 of an urgent request by a grid head or staff over its place: the alert stops climbing.
    Returns the audit row's id."""
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NOT_FOUND.format(id=ticket_id))
    if not await may_sign(session, actor, ticket):
        raise Refusal("forbidden", texts.SIGN_FORBIDDEN)
    if not ticket.urgent:
        raise Refusal("invalid", texts.NOT_URGENT.format(id=ticket.id))
    if ticket.acknowledged_at is not None or ticket.claimed_by is not None:
        raise Refusal("conflict", texts.ALREADY.format(id=ticket.id))
    moved = await move(session, ticket.id, "alert_acknowledged", actor.id, from_status=ticket.status, at=now,
                       expect={"acknowledged_at": None, "claimed_by": None}, values={"acknowledged_at": now})
    if moved is None:
        raise Refusal("conflict", texts.ALREADY.format(id=ticket.id))
    await push_to(session, ticket.user_id, f"ticket:{ticket.id}:event:{moved.event_id}",
                  texts.PUSH_SIGNED.format(id=ticket.id, who=texts.SIGNER_GRID_HEAD), ticket.id, title="紧急诉求")
    return moved.event_id
