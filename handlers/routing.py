"""Which grid a request belongs to: the resident's bound grid, else the place named in the text.

An estate name (阳光花园) decides alone; a building number (楼3) decides only when exactly
one grid has such a building. Otherwise the request waits for triage by the grid head.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from models.org_index import org_index


async def grid_for(session: AsyncSession, bound_grid_id: int | None, places: tuple) -> int | None:
    if bound_grid_id:
        return bound_grid_id
    names = {place.value for place in places}
    return (await org_index(session)).grid_for(names) if names else None


async def community_id_for(session: AsyncSession, grid_id: int | None) -> int | None:
    if grid_id is None:
        return None
    return (await org_index(session)).community_of_grid.get(grid_id)
