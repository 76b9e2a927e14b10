"""Photos residents attach to a request (from the mini program), stored as files under the media root."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow


class TicketPhoto(SQLModel, table=True):
    """`path` is relative to `settings.media_root`; `mime` was decided from the file's magic bytes."""

    __tablename__ = "ticket_photo"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    path: str = Field(max_length=200)
    mime: str = Field(max_length=32)
    size: int
    created_at: datetime = Field(default_factory=utcnow)


async def photos_of(session: AsyncSession, ticket_ids: list[int]) -> dict[int, list[TicketPhoto]]:
    found: dict[int, list[TicketPhoto]] = {ticket_id: [] for ticket_id in ticket_ids}
    if ticket_ids:
        query = select(TicketPhoto).where(TicketPhoto.ticket_id.in_(ticket_ids)).order_by(TicketPhoto.id)
        for photo in (await session.exec(query)).all():
            found[photo.ticket_id].append(photo)
    return found
