"""Which grid a request belongs to: the resident's bound grid, else the place named in the text.

An estate name (阳光花园) decides alone; a building number (楼3) decides only when exactly
one grid has such a building. Otherwise the request waits for triage by the grid head.
"""
from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import OrgLevel, OrgUnit, community_of


async def grid_for(session: AsyncSession, bound_grid_id: int | None, places: tuple) -> int | None:
    if bound_grid_id:
        return bound_grid_id
    names = {place.value for place in places}
    if not names:
        return None
    units = (await session.exec(select(OrgUnit).where(
        OrgUnit.level.in_((OrgLevel.grid, OrgLevel.building))))).all()
    estates = {unit.id for unit in units if unit.level == OrgLevel.grid and names & _names_of(unit)}
    if len(estates) == 1:
        return estates.pop()
    buildings = {unit.parent_id for unit in units if unit.level == OrgLevel.building and names & _names_of(unit)}
    if estates:
        buildings &= estates
    return buildings.pop() if len(buildings) == 1 else None


def _names_of(unit: OrgUnit) -> set[str]:
    return {unit.name, *(alias for alias in unit.aliases.split(",") if alias)}


async def community_id_for(session: AsyncSession, grid_id: int | None) -> int | None:
    if grid_id is None:
        return None
    community = await community_of(session, grid_id)
    return community.id if community else None
