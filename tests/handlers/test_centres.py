"""The red map in chat: a LOCATION message gets the nearest service centres, with distances."""
from __future__ import annotations

from models.centres import ServiceCentre
from models.db import transaction
from models.tickets import Ticket
from tests.helpers import count

# 阳光路18号 (CTR-C01 in the sample) and a point about 1.1 km north-east of it, near CTR-C02
SUNSHINE = (29.5302, 106.5731)
NEAR_PEACE = (29.5395, 106.5815)


async def test_location_lists_the_nearest_centre_first_with_distance(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.location_xml("o_loc", *NEAR_PEACE, label="和平路"))
    lines = shown.splitlines()
    assert lines[0] == "离您最近的党群服务中心/站："
    assert lines[1].startswith("1. 和平社区党群服务站（约 ") and "米）" in lines[1]
    assert "2. 阳光社区党群服务中心（约 1." in shown and "公里）" in shown
    assert "地址：幸福街道和平路6号" in shown and "电话：023-6288 1002" in shown
    assert shown.index("和平社区") < shown.index("阳光社区")
    assert await count(seeded, Ticket) == 0  # a location is not a request


async def test_standing_at_a_centre_says_a_few_metres(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.location_xml("o_loc2", *SUNSHINE))
    assert "1. 阳光社区党群服务中心（约 10 米）" in shown


async def test_the_words_ask_for_a_location(client, sender):
    for word in ("服务中心", "红色地图"):
        _, shown = await sender.post(client.session, sender.text_xml("o_loc3", word))
        assert "“位置”" in shown and "最近的党群服务中心" in shown


async def test_no_centres_yet_says_whom_to_call(client, sender, seeded):
    async with transaction(seeded.sessions) as session:
        for centre in (await session.exec(ServiceCentre.__table__.select())).all():
            await session.delete(await session.get(ServiceCentre, centre.id))
    _, shown = await sender.post(client.session, sender.location_xml("o_loc4", *SUNSHINE))
    assert "12345" in shown
