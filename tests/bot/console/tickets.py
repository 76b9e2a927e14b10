"""Tickets for console tests, written to the real tables as the request handler would store them."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.storage import Storage
from models.clock import utcnow
from models.db import transaction
from models.org import OrgUnit
from models.tickets import Ticket, TicketEvent
from models.users import User


async def add_ticket(storage: Storage, grid_code: str | None, text: str = "3号楼楼道灯坏了", *,
                     openid: str = "o_resident", at: datetime | None = None, **fields) -> Ticket:
    at = at or utcnow()
    async with transaction(storage.sessions) as session:
        user = (await session.exec(select(User).where(User.openid == openid))).first()
        if user is None:
            user = User(openid=openid, name="王小明")
            session.add(user)
            await session.flush()
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == grid_code))).first() if grid_code else None
        values = {"department": "物业", "topic": "照明", "kind": "小事", "status": "queued", **fields}
        ticket = Ticket(user_id=user.id, text=text, grid_id=grid.id if grid else None,
                        community_id=grid.parent_id if grid else None, created_at=at, updated_at=at, **values)
        session.add(ticket)
        await session.flush()
        session.add(TicketEvent(ticket_id=ticket.id, actor_id=user.id, action="created",
                                to_status=ticket.status, at=at))
    return ticket


async def unit_id(storage: Storage, code: str) -> int:
    async with storage.sessions() as session:
        return (await session.exec(select(OrgUnit.id).where(OrgUnit.code == code))).one()
