"""Who may act where, the one permission question: a role held on a unit covers that unit and
everything below it, and a stronger role covers a weaker one.

`UserRole(unit_id=None)` covers the whole district. Actions ask `holds` before they change
anything; the console works out a `Scope` (the same answers, for every unit at once) per
request to filter its lists, so chat, console, CLI and API cannot disagree.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import OrgLevel, OrgUnit, ancestors
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


# The roles that may log in to the console; grid_head's cover is exactly these.
CONSOLE_ROLES = _COVERS[Role.grid_head]


@dataclass(frozen=True)
class Scope:
    """`holds` answered for every unit at once, for one person: `reach[role]` is the set of units
    on which `holds(role, unit)` is true. `unit_ids` (what the console shows) is the grid-head
    reach; `sees_unplaced`: a console role at street level or above also sees tickets with no place."""

    reach: Mapping[Role, frozenset[int]]
    sees_unplaced: bool

    @property
    def unit_ids(self) -> frozenset[int]:
        return self.reach[Role.grid_head]

    def holds(self, role: Role, unit_id: int) -> bool:
        return unit_id in self.reach[role]

    def covers(self, unit_id: int | None) -> bool:
        return self.sees_unplaced if unit_id is None else unit_id in self.unit_ids

    @property
    def is_empty(self) -> bool:
        return not self.unit_ids and not self.sees_unplaced


async def scope_of(session: AsyncSession, user_id: int) -> Scope:
    grants = (await session.exec(select(UserRole).where(UserRole.user_id == user_id))).all()
    units = {unit.id: unit for unit in (await session.exec(select(OrgUnit))).all()}
    children: dict[int | None, list[int]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit.id)
    reach = {role: frozenset(_below(children, {g.unit_id for g in grants if g.role in stronger}))
             for role, stronger in _COVERS.items()}
    high = any(grant.role in CONSOLE_ROLES and (grant.unit_id is None or (
        grant.unit_id in units and units[grant.unit_id].level in (OrgLevel.district, OrgLevel.street)))
        for grant in grants)
    return Scope(reach, high)


def _below(children: dict[int | None, list[int]], roots: set[int | None]) -> set[int]:
    """The roots and every unit under them; a district-wide grant (None) starts from the top."""
    covered, stack = set(), [child for root in roots for child in ([root] if root is not None else children.get(None, []))]
    while stack:
        unit_id = stack.pop()
        if unit_id not in covered:
            covered.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return covered
