"""Load an organisation file (see config/sample_org.yaml) into the tree; running it twice changes nothing."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.centres import ServiceCentre
from models.org import OrgLevel, OrgUnit
from models.org_index import forget_org_index

SAMPLE = Path(__file__).resolve().parent.parent / "config" / "sample_org.yaml"


async def seed(session: AsyncSession, path: Path = SAMPLE) -> int:
    """Create the units and centres the file names that do not exist yet; return how many."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    district, made = await _unit(session, data["district"], OrgLevel.district, None)
    created += made
    for street in data.get("streets", []):
        street_unit, made = await _unit(session, street, OrgLevel.street, district.id)
        created += made
        for community in street.get("communities", []):
            community_unit, made = await _unit(session, community, OrgLevel.community, street_unit.id)
            created += made
            for grid in community.get("grids", []):
                grid_unit, made = await _unit(session, grid, OrgLevel.grid, community_unit.id)
                created += made
                for number in grid.get("buildings", []):
                    building = {"code": f"{grid['code']}-B{number:02d}", "name": f"{number}号楼",
                                "aliases": [f"楼{number}"]}
                    created += (await _unit(session, building, OrgLevel.building, grid_unit.id))[1]
    for centre in data.get("centres", []):
        created += await _centre(session, centre)
    forget_org_index()
    return created


async def _unit(session: AsyncSession, spec: dict, level: OrgLevel, parent_id: int | None) -> tuple[OrgUnit, int]:
    unit = (await session.exec(select(OrgUnit).where(OrgUnit.code == spec["code"]))).first()
    if unit is not None:
        return unit, 0
    unit = OrgUnit(code=spec["code"], name=spec["name"], level=level, parent_id=parent_id,
                   aliases=",".join(spec.get("aliases", [])))
    session.add(unit)
    await session.flush()
    return unit, 1


async def _centre(session: AsyncSession, spec: dict) -> int:
    if (await session.exec(select(ServiceCentre).where(ServiceCentre.code == spec["code"]))).first():
        return 0
    unit = (await session.exec(select(OrgUnit).where(OrgUnit.code == spec.get("unit", "")))).first()
    fields = {key: spec[key] for key in ("code", "name", "address", "lat", "lng", "hours", "phone", "services")
              if key in spec}
    session.add(ServiceCentre(**fields, unit_id=unit.id if unit else None))
    return 1
