"""Who may act where: a role held on a unit covers that unit and everything below it.

`UserRole(unit_id=None)` covers the whole district. Handlers ask these questions before
every queue command, so the rule lives in one place.
"""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import ancestors
from models.users import Role, User, UserRole

# Staff and admins can do what grid heads can; admins what staff can.
_COVERS = {Role.grid_head: (Role.grid_head, Role.staff, Role.admin),
           Role.staff: (Role.staff, Role.admin), Role.admin: (Role.admin,),
           Role.member: (Role.member,), Role.resident: (Role.resident,)}


async def unit_chain(session: AsyncSession, unit_id: int | None) -> list[int | None]:
    """The unit, every unit above it, and None (the district-wide grant)."""
    chain: list[int | None] = [unit.id for unit in await ancestors(session, unit_id)] if unit_id else []
    return [*chain, None]


async def holds(session: AsyncSession, user_id: int, role: Role, unit_id: int | None) -> bool:
    """True when the user holds `role` (or a stronger one) on `unit_id` or above it."""
    chain = await unit_chain(session, unit_id)
    grants = await session.exec(select(UserRole).where(
        UserRole.user_id == user_id, UserRole.role.in_(_COVERS[role])))
    return any(grant.unit_id in chain for grant in grants.all())


async def units_of(session: AsyncSession, user_id: int, role: Role) -> list[int | None]:
    """The units on which the user holds `role` or a stronger one (None: everywhere)."""
    grants = await session.exec(select(UserRole).where(
        UserRole.user_id == user_id, UserRole.role.in_(_COVERS[role])))
    return [grant.unit_id for grant in grants.all()]


async def holders(session: AsyncSession, role: Role, unit_id: int | None) -> list[User]:
    """Everyone holding exactly `role` on the unit or above it, nearest unit first."""
    chain = await unit_chain(session, unit_id)
    rows = (await session.exec(select(UserRole, User).join(User, User.id == UserRole.user_id)
                               .where(UserRole.role == role))).all()
    found = [(chain.index(grant.unit_id), user) for grant, user in rows if grant.unit_id in chain]
    return [user for _, user in sorted(found, key=lambda pair: pair[0])]


async def grant(session: AsyncSession, user_id: int, role: Role, unit_id: int | None) -> bool:
    """Give a role; False when the user already held it there."""
    if (await session.exec(select(UserRole).where(UserRole.user_id == user_id, UserRole.role == role,
                                                  UserRole.unit_id == unit_id))).first():
        return False
    try:
        async with session.begin_nested():
            session.add(UserRole(user_id=user_id, role=role, unit_id=unit_id))
    except IntegrityError:
        return False
    return True


async def revoke(session: AsyncSession, user_id: int, role: Role, unit_id: int | None) -> bool:
    rows = (await session.exec(select(UserRole).where(UserRole.user_id == user_id, UserRole.role == role,
                                                      UserRole.unit_id == unit_id))).all()
    for row in rows:
        await session.delete(row)
    return bool(rows)



async def may_read_ticket(session: AsyncSession, user_id: int, ticket) -> bool:
    """The resident who wrote it, and members, grid heads and staff over its place.

    One rule for chat (`查询 12`), the mini-program API and photos; a ticket not yet placed
    is visible to grid heads (and staff) anywhere, who must triage it.
    """
    if ticket.user_id == user_id:
        return True
    unit = ticket.grid_id or ticket.community_id
    if unit is None:
        return bool(await units_of(session, user_id, Role.grid_head))
    return await holds(session, user_id, Role.member, unit) or await holds(session, user_id, Role.grid_head, unit)
