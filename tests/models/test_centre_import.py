"""CSV import of service centres: row-level errors, nothing half-loaded, idempotent updates."""
from __future__ import annotations

import pytest
from sqlmodel import select

from models.centre_import import ImportRefused, load, parse
from models.centres import ServiceCentre, distance_m
from models.db import transaction
from models.rooms import Room
from models.seed import SAMPLE
from tests.helpers import count

SAMPLE_CSV = SAMPLE.parent / "centres_sample.csv"
HEADER = "code,name,address,lat,lng,hours,phone,services,unit,rooms\n"


async def test_sample_file_loads_and_puts_a_centre_within_1km_of_every_grid_corner(seeded):
    async with transaction(seeded.sessions) as session:
        result = await load(session, parse(SAMPLE_CSV.read_text(encoding="utf-8")))
    assert (result.created, result.updated) == (6, 2)  # the sample org already had two centres
    async with seeded.sessions() as session:
        centres = (await session.exec(select(ServiceCentre))).all()
    # the sample area, sampled every ~200 m: some centre is always within 1 km (seed 000's aim)
    points = [(29.524 + i * 0.002, 106.566 + j * 0.002) for i in range(11) for j in range(12)]
    assert max(min(distance_m(lat, lng, c.lat, c.lng) for c in centres) for lat, lng in points) < 1000
    assert await count(seeded, Room) == 10


async def test_loading_twice_updates_and_adds_no_duplicate_rooms(seeded):
    text = SAMPLE_CSV.read_text(encoding="utf-8")
    for _ in range(2):
        async with transaction(seeded.sessions) as session:
            result = await load(session, parse(text))
    assert (result.created, result.updated, result.rooms_added) == (0, 8, 0)
    assert await count(seeded, ServiceCentre) == 8 and await count(seeded, Room) == 10


def test_every_bad_row_is_reported_with_its_line():
    text = HEADER + "\n".join([
        "X1,好中心,某路1号,29.5,106.5,,,,,",
        ",无编号,某路2号,29.5,106.5,,,,,",
        "X3,坏纬度,某路3号,95,106.5,,,,,",
        "X4,坏经度,某路4号,29.5,abc,,,,,",
        "X1,重复,某路5号,29.5,106.5,,,,,",
        "X6,坏活动室,某路6号,29.5,106.5,,,,,大厅-30",
    ])
    with pytest.raises(ImportRefused) as refused:
        parse(text)
    assert [(e.line, e.message) for e in refused.value.errors] == [
        (3, "code 不能为空"), (4, "lat 超出范围（±90）"), (5, "lng 不是数字：abc"),
        (6, "编号 X1 在文件中重复"), (7, "活动室格式应为 名称:人数，而不是 大厅-30")]


def test_a_missing_column_is_reported_on_line_1():
    with pytest.raises(ImportRefused) as refused:
        parse("code,name,address,lat\nX,名,址,1\n")
    assert refused.value.errors[0].line == 1 and "lng" in refused.value.errors[0].message


async def test_an_unknown_unit_refuses_the_whole_file(seeded):
    text = HEADER + "N1,新中心,某路1号,29.5,106.5,,,,S01-C01,活动室:10\nN2,另一个,某路2号,29.5,106.5,,,,NOPE,\n"
    with pytest.raises(ImportRefused) as refused:
        async with transaction(seeded.sessions) as session:
            await load(session, parse(text))
    assert [(e.line, e.message) for e in refused.value.errors] == [(3, "没有编号为 NOPE 的组织单位")]
    assert await count(seeded, ServiceCentre) == 2 and await count(seeded, Room) == 0
