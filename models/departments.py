"""Government departments that handle 大事 (seed 002), and the liaisons who act for them.

A department is one department category (the classifier's `department`: 城乡建设, 公共安全 …),
for one street (`unit_id`) or for the whole district (None). A 大事 is forwarded at intake
to the department of its category on its street, else the district-wide one. Liaisons hold
`Role.department` and heads `Role.department_head` through a `UserRole` naming the
department (`UserRole.department_id`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.access import holders
from models.clock import utcnow
from models.org import OrgLevel, OrgUnit, ancestors
from models.users import Role, User, UserRole

DEPARTMENT_ROLES = (Role.department, Role.department_head)  # granted on a department, not a unit


class Department(SQLModel, table=True):
    """`name` is the department category as the classifier names it; `unit_id` its street or None."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("name", "unit_id", name="uq_department_name_unit"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32, index=True)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id")
    created_at: datetime = Field(default_factory=utcnow)


async def departments_named(session: AsyncSession, name: str) -> list[Department]:
    return list((await session.exec(select(Department).where(Department.name == name)
                                    .order_by(Department.id))).all())


async def street_of(session: AsyncSession, unit_id: int | None) -> int | None:
    """The street above (or at) a unit; None when the unit is unknown or above streets."""
    if unit_id is None:
        return None
    return next((unit.id for unit in await ancestors(session, unit_id) if unit.level == OrgLevel.street), None)


async def street_of_ticket(session: AsyncSession, ticket) -> int | None:
    """The street whose staff dispatch the ticket's 大事: its community's, else its department's."""
    street = await street_of(session, ticket.community_id)
    if street is None and ticket.department_id is not None:
        street = (await session.get(Department, ticket.department_id)).unit_id
    return street


async def street_staff(session: AsyncSession, ticket) -> list[User]:
    """Staff of the ticket's street and above (not its community's): they dispatch 大事."""
    return await holders(session, Role.staff, await street_of_ticket(session, ticket))


async def department_for(session: AsyncSession, name: str, unit_id: int | None) -> Department | None:
    """The department of category `name` for the street of `unit_id`, else the district-wide one."""
    street_id = await street_of(session, unit_id)
    found = {department.unit_id: department for department in await departments_named(session, name)}
    return found.get(street_id) if street_id in found else found.get(None)


async def department_label(session: AsyncSession, department: Department) -> str:
    unit = await session.get(OrgUnit, department.unit_id) if department.unit_id else None
    return f"{department.name}（{unit.name}）" if unit else department.name


async def people_of(session: AsyncSession, department_id: int, role: Role) -> list[User]:
    rows = await session.exec(select(User).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == role, UserRole.department_id == department_id).order_by(User.id))
    return list(rows.all())


async def departments_of(session: AsyncSession, user_id: int, role: Role = Role.department) -> list[int]:
    """The departments where the user is a liaison (heads count as liaisons of their own)."""
    roles = (Role.department, Role.department_head) if role == Role.department else (role,)
    rows = await session.exec(select(UserRole.department_id).where(
        UserRole.user_id == user_id, UserRole.role.in_(roles), UserRole.department_id.is_not(None)))
    return [row for row in rows.all() if row is not None]
