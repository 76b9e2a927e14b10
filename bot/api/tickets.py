"""How a ticket looks in the API, for the resident who wrote it and for the member who works it."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.masking import mask_text
from handlers.texts import requests as request_texts
from handlers.ticket_text import status_name
from models.media import photos_of
from models.tickets import Ticket, TicketEvent


class TicketOut(BaseModel):
    id: int
    text: str
    status: str
    status_name: str
    department: str
    topic: str
    kind: str
    urgent: bool
    grid_id: int | None
    rating: int | None
    created_at: datetime
    updated_at: datetime
    photos: list[str]


class EventOut(BaseModel):
    at: datetime
    action: str
    action_name: str
    to_status: str | None
    note: str


class TicketDetail(TicketOut):
    history: list[EventOut]


async def tickets_out(session: AsyncSession, tickets: list[Ticket], viewer_id: int) -> list[TicketOut]:
    """Tickets as JSON; phone numbers in a resident's text are masked for everyone but its writer."""
    photos = await photos_of(session, [ticket.id for ticket in tickets])
    return [TicketOut(id=t.id, text=t.text if t.user_id == viewer_id else mask_text(t.text), status=t.status, status_name=status_name(t.status),
                      department=t.department, topic=t.topic, kind=t.kind, urgent=t.urgent, grid_id=t.grid_id,
                      rating=t.rating, created_at=t.created_at, updated_at=t.updated_at,
                      photos=[f"/api/v1/photos/{photo.id}" for photo in photos[t.id]])
            for t in tickets]


async def ticket_out(session: AsyncSession, ticket: Ticket, viewer_id: int) -> TicketOut:
    return (await tickets_out(session, [ticket], viewer_id))[0]


def events_out(events: list[TicketEvent]) -> list[EventOut]:
    return [EventOut(at=e.at, action=e.action, action_name=request_texts.ACTION_NAMES.get(e.action, e.action),
                     to_status=e.to_status, note="" if e.action == "created" else e.note) for e in events]
