"""Loading service centres (and their rooms) from a CSV file: every row checked, then all or nothing.

Columns: code,name,address,lat,lng,hours,phone,services,unit,rooms — code, name, address,
lat and lng required; `unit` is an org unit code; `rooms` is "名称:人数;名称:人数".
A centre whose code exists is updated; rooms are added by name and never removed (their
bookings stay valid). Any bad row means nothing is written and every bad row is reported.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.centres import ServiceCentre
from models.org import OrgUnit
from models.rooms import Room

REQUIRED = ("code", "name", "address", "lat", "lng")
TEXT_LIMITS = {"code": 64, "name": 100, "address": 200, "hours": 100, "phone": 30, "services": 300}


@dataclass
class CentreRow:
    line: int
    values: dict[str, object]
    unit: str = ""
    rooms: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    rooms_added: int


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def parse(text: str) -> list[CentreRow]:
    """Every row checked; ImportRefused listing all bad rows (line numbers as in the file)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused([RowError(1, f"缺少列：{'、'.join(missing)}")])
    rows, errors, codes = [], [], set()
    for line, raw in enumerate(reader, start=2):
        row, problems = _row(line, {k: (v or "").strip() for k, v in raw.items() if k})
        if row and row.values["code"] in codes:
            problems.append(f"编号 {row.values['code']} 在文件中重复")
        errors += [RowError(line, problem) for problem in problems]
        if row and not problems:
            codes.add(row.values["code"])
            rows.append(row)
    if errors:
        raise ImportRefused(errors)
    return rows


def _row(line: int, raw: dict[str, str]) -> tuple[CentreRow | None, list[str]]:
    problems = [f"{name} 不能为空" for name in REQUIRED if not raw.get(name)]
    problems += [f"{name} 超过 {limit} 字" for name, limit in TEXT_LIMITS.items() if len(raw.get(name, "")) > limit]
    coordinates = {}
    for name, bound in (("lat", 90), ("lng", 180)):
        try:
            coordinates[name] = float(raw.get(name, ""))
            if not -bound <= coordinates[name] <= bound:
                problems.append(f"{name} 超出范围（±{bound}）")
        except ValueError:
            if raw.get(name):
                problems.append(f"{name} 不是数字：{raw[name]}")
    rooms, room_problems = _rooms(raw.get("rooms", ""))
    problems += room_problems
    if problems:
        return None, problems
    values = {name: raw.get(name, "") for name in TEXT_LIMITS} | coordinates
    return CentreRow(line, values, raw.get("unit", ""), rooms), []


def _rooms(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    rooms, problems = [], []
    for item in filter(None, (part.strip() for part in text.replace("；", ";").split(";"))):
        name, _, size = item.replace("：", ":").partition(":")
        if not name.strip() or len(name.strip()) > 50 or not size.strip().isdigit():
            problems.append(f"活动室格式应为 名称:人数，而不是 {item}")
        else:
            rooms.append((name.strip(), int(size)))
    return rooms, problems


async def load(session: AsyncSession, rows: list[CentreRow]) -> ImportResult:
    """Write the parsed rows in the caller's transaction; unknown unit codes refuse everything."""
    units = {unit.code: unit.id for unit in (await session.exec(select(OrgUnit))).all()}
    unknown = [RowError(row.line, f"没有编号为 {row.unit} 的组织单位") for row in rows if row.unit and row.unit not in units]
    if unknown:
        raise ImportRefused(unknown)
    created = updated = rooms_added = 0
    for row in rows:
        centre = (await session.exec(select(ServiceCentre).where(ServiceCentre.code == row.values["code"]))).first()
        created, updated = (created + 1, updated) if centre is None else (created, updated + 1)
        centre = centre or ServiceCentre(**row.values)
        for name, value in row.values.items():
            setattr(centre, name, value)
        centre.unit_id = units.get(row.unit) if row.unit else centre.unit_id
        session.add(centre)
        await session.flush()
        rooms_added += await _add_rooms(session, centre.id, row.rooms)
    return ImportResult(created, updated, rooms_added)


async def _add_rooms(session: AsyncSession, centre_id: int, rooms: list[tuple[str, int]]) -> int:
    existing = {room.name for room in (await session.exec(select(Room).where(Room.centre_id == centre_id))).all()}
    fresh = [Room(centre_id=centre_id, name=name, capacity=size) for name, size in rooms if name not in existing]
    session.add_all(fresh)
    return len(fresh)
