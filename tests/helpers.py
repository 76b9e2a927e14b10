"""Small queries tests use to check what was (or was not) stored."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from bot.storage import Storage
from models.tickets import Ticket, TicketEvent
from models.users import User


async def count(storage: Storage, model) -> int:
    async with storage.sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def tickets(storage: Storage) -> list[Ticket]:
    async with storage.sessions() as session:
        return list((await session.exec(select(Ticket).order_by(Ticket.id))).all())


async def stored_rows(storage: Storage) -> tuple[int, int, int]:
    return (await count(storage, Ticket), await count(storage, TicketEvent), await count(storage, User))
