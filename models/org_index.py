"""An in-memory index of the organisation tree: names → grid ids, grid → community.

The tree changes rarely and every request needs it, so each process keeps the index for
`MAX_AGE_S`; code that changes the tree calls `forget_org_index()` so its own process
sees the change at once (other processes within `MAX_AGE_S`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import OrgLevel, OrgUnit

MAX_AGE_S = 60.0


@dataclass
class OrgIndex:
    """Names → grid ids, each grid's community and every unit's name, from one read of the tree."""

    built_at: float
    estates: dict[str, set[int]] = field(default_factory=dict)
    buildings: dict[str, set[int]] = field(default_factory=dict)
    community_of_grid: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # every unit's name, for replies

    @classmethod
    def build(cls, units: list[OrgUnit]) -> OrgIndex:
        index = cls(time.monotonic())
        parent = {unit.id: unit.parent_id for unit in units}
        level = {unit.id: unit.level for unit in units}
        for unit in units:
            index.names[unit.id] = unit.name
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
    index = _cache.get(database)
    if index is None or time.monotonic() - index.built_at > MAX_AGE_S:
        index = _cache[database] = OrgIndex.build(list((await session.exec(select(OrgUnit))).all()))
    return index


def forget_org_index() -> None:
    """Call after changing the tree, so this process's next request reads it afresh."""
    _cache.clear()
