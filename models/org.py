"""The organisation tree: district → street → community → grid → building.

One table with a parent link; `code` is the stable identifier staff and files use
(e.g. "S01-C02-G03"), `name` is what people read.
"""
from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession


class OrgLevel(StrEnum):
    district = "district"
    street = "street"
    community = "community"
    grid = "grid"
    building = "building"


class OrgUnit(SQLModel, table=True):
    """A node of the tree. `aliases` holds other names residents use (小区名, 楼栋), comma-separated."""

    __tablename__ = "org_unit"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16, index=True)
    parent_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    aliases: str = Field(default="", max_length=500)


async def ancestors(session: AsyncSession, unit_id: int) -> list[OrgUnit]:
    """The unit itself and every unit above it, nearest first."""
    chain: list[OrgUnit] = []
    current = await session.get(OrgUnit, unit_id)
    while current is not None:
        chain.append(current)
        current = await session.get(OrgUnit, current.parent_id) if current.parent_id else None
    return chain


async def community_of(session: AsyncSession, unit_id: int) -> OrgUnit | None:
    for unit in await ancestors(session, unit_id):
        if unit.level == OrgLevel.community:
            return unit
    return None


async def find_unit(session: AsyncSession, text: str, level: str | None = None) -> OrgUnit | None:
    """A unit by code, id, exact name or alias; the first match, None when nothing fits."""
    query = select(OrgUnit)
    if level:
        query = query.where(OrgUnit.level == level)
    units = (await session.exec(query)).all()
    text = text.strip()
    for unit in units:
        if text in (unit.code, str(unit.id), unit.name):
            return unit
    for unit in units:
        if text and text in [a for a in unit.aliases.split(",") if a]:
            return unit
    return None
