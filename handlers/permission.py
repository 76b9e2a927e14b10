"""The actions' side of the one permission question (models/access): ask it, or refuse.

`actor` is the acting user; None is the operator at a terminal (`linli …`), who owns the
database and answers to no role, as the CLI always has.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.types import Refusal
from models import access
from models.users import Role, User

OPERATOR = None


async def require(session: AsyncSession, actor: User | None, role: Role, unit_id: int, sentence: str) -> None:
    """Refuse (`forbidden`, `sentence`) unless the actor holds `role` on the unit or above it."""
    if actor is not None and not await access.holds(session, actor.id, role, unit_id):
        raise Refusal("forbidden", sentence)


async def require_anywhere(session: AsyncSession, actor: User | None, role: Role, sentence: str) -> None:
    """Refuse unless the actor holds `role` somewhere: asked first, so a resident learns the
    command is not for them before anything else is looked up."""
    if actor is not None and not await access.units_of(session, actor.id, role):
        raise Refusal("forbidden", sentence)
