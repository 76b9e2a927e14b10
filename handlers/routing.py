"""Which grid a request belongs to: the resident's bound grid, else the place named in the text.

An estate name (阳光花园) decides alone; a building number (楼3) decides only when exactly
one grid has such a building. Otherwise the request waits for triage by the grid head.

The tree changes rarely and every request needs it, so each process keeps an index of it,
rebuilt when a unit is added or after `MAX_AGE_S` (alias edits show up within that).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import OrgLevel, OrgUnit

MAX_AGE_S = 60.0


@dataclass
class OrgIndex:
    """Names → grid ids, and each grid's community, from one read of the tree."""

    version: tuple[int, int | None]
    built_at: float
    estates: dict[str, set[int]] = field(default_factory=dict)
    buildings: dict[str, set[int]] = field(default_factory=dict)
    community_of_grid: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(cls, units: list[OrgUnit], version: tuple[int, int | None]) -> OrgIndex:
        index = cls(version, time.monotonic())
        parent = {unit.id: unit.parent_id for unit in units}
        level = {unit.id: unit.level for unit in units}
        for unit in units:
            if unit.level == OrgLevel.grid:
                _add(index.estates, unit, unit.id)
                community = parent.get(unit.id)
                if community is not None and level.get(community) == OrgLevel.community:
                    index.community_of_grid[unit.id] = community
            elif unit.level == OrgLevel.building and unit.parent_id is not None:
                _add(index.buildings, unit, unit.parent_id)
        return index

    def grid_for(self, names: set[str]) -> int | None:
        estates = set().union(*(self.estates.get(name, set()) for name in names))
        if len(estates) == 1:
            return next(iter(estates))
        buildings = set().union(*(self.buildings.get(name, set()) for name in names))
        if estates:
            buildings &= estates
        return next(iter(buildings)) if len(buildings) == 1 else None


def _add(table: dict[str, set[int]], unit: OrgUnit, grid_id: int) -> None:
    for name in {unit.name, *(alias for alias in unit.aliases.split(",") if alias)}:
        table.setdefault(name, set()).add(grid_id)


_cache: dict[str, OrgIndex] = {}  # per database URL: one process may talk to several (tests)


async def org_index(session: AsyncSession) -> OrgIndex:
    database = str(session.bind.url)
    version = tuple((await session.exec(select(func.count(OrgUnit.id), func.max(OrgUnit.id)))).one())
    index = _cache.get(database)
    if index is None or index.version != version or time.monotonic() - index.built_at > MAX_AGE_S:
        index = _cache[database] = OrgIndex.build(list((await session.exec(select(OrgUnit))).all()), version)
    return index


async def grid_for(session: AsyncSession, bound_grid_id: int | None, places: tuple) -> int | None:
    if bound_grid_id:
        return bound_grid_id
    names = {place.value for place in places}
    return (await org_index(session)).grid_for(names) if names else None


async def community_id_for(session: AsyncSession, grid_id: int | None) -> int | None:
    if grid_id is None:
        return None
    return (await org_index(session)).community_of_grid.get(grid_id)
