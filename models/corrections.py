"""Staff corrections of how a request was sorted (department, 三事 kind, urgency).

Each correction is also a `ticket_event` row (the one audit trail); this table keeps the
labels before and after as fields, so corrected requests can be exported as labelled data
for `linli nlp learn` without reading them back out of sentences.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.tickets import Ticket


class TicketCorrection(SQLModel, table=True):
    __tablename__ = "ticket_correction"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    actor_id: int = Field(foreign_key="app_user.id")
    department_before: str = Field(max_length=32)
    department: str = Field(max_length=32)
    kind_before: str = Field(max_length=8)
    kind: str = Field(max_length=8)
    urgent_before: bool
    urgent: bool
    at: datetime = Field(default_factory=utcnow, index=True)


async def corrected_tickets(session: AsyncSession, where=None) -> list[tuple[Ticket, str]]:
    """Every corrected ticket (matching `where`), oldest first, with the department the classifier first gave it."""
    query = select(TicketCorrection, Ticket).join(Ticket, Ticket.id == TicketCorrection.ticket_id)
    if where is not None:
        query = query.where(where)
    rows = (await session.exec(query.order_by(TicketCorrection.ticket_id, TicketCorrection.id))).all()
    first: dict[int, tuple[Ticket, str]] = {}
    for correction, ticket in rows:
        first.setdefault(ticket.id, (ticket, correction.department_before))
    return list(first.values())
