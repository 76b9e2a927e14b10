"""Urgent requests alert the grid at once: who is told, what they read, what the resident reads."""
from __future__ import annotations

from models.users import Role
from tests.loop_support import number_of, with_phone
from tests.queue_support import events, pushes, role, say, ticket

RESIDENT = "o_res_alert"
GAS = "阳光花园3号楼厨房里闻到很大的煤气味"


async def test_gas_smell_alerts_grid_heads_and_community_staff_with_masked_phone(client, sender, seeded):
    await role(seeded, "o_al_grid", Role.grid_head, "S01-C01-G01")
    await role(seeded, "o_al_staff", Role.staff, "S01-C01")
    await role(seeded, "o_al_street", Role.staff, "S01")  # above the community: told only when it climbs
    await role(seeded, "o_al_other", Role.grid_head, "S01-C01-G02")
    await with_phone(seeded, RESIDENT, "13912345678")
    reply = await say(sender, client.session, RESIDENT, GAS)
    case = number_of(reply)
    assert "119" in reply and "阳光第一网格网格长" in reply and "阳光社区工作人员" in reply
    for openid in ("o_al_grid", "o_al_staff"):
        [alert] = await pushes(seeded, openid)
        assert f"签收 {case}" in alert.body and "139****5678" in alert.body and "13912345678" not in alert.body
        assert "阳光第一网格" in alert.body and "煤气味" in alert.body
    assert await pushes(seeded, "o_al_street") == [] and await pushes(seeded, "o_al_other") == []


async def test_hazards_name_their_number(client, sender, seeded):
    assert "120" in await say(sender, client.session, RESIDENT, "阳光花园5号楼有个老人摔倒了不省人事")
    assert "110" in await say(sender, client.session, RESIDENT, "阳光花园有人正在撬门偷东西")
    told = await say(sender, client.session, RESIDENT, "着火了冒烟了")
    assert "119" in told and "正在联系值班人员" in told  # nobody on duty for an unknown place


async def test_signing_tells_the_resident_once(client, sender, seeded):
    await role(seeded, "o_al_grid2", Role.grid_head, "S01-C01-G01")
    case = number_of(await say(sender, client.session, RESIDENT, GAS))
    assert "已签收紧急诉求" in await say(sender, client.session, "o_al_grid2", f"签收 {case}")
    assert (await ticket(seeded, case)).acknowledged_at is not None
    [signed] = await pushes(seeded, RESIDENT)
    assert "网格长签收" in signed.body
    assert [e.action for e in await events(seeded, case)] == ["created", "alert_acknowledged"]
    assert "签收只对" in await say(sender, client.session, "o_al_nobody", f"签收 {case}")


async def test_a_retried_urgent_message_alerts_once_and_answers_the_same(client, sender, seeded):
    await role(seeded, "o_al_grid3", Role.grid_head, "S01-C01-G01")
    xml = sender.text_xml(RESIDENT, GAS, msg_id=515151)
    first = await sender.post(client.session, xml)
    assert await seeded.redis.delete(seeded.keys.dedup(f"msg:{RESIDENT}:515151")) == 1  # Redis forgets: SQL answers
    second = await sender.post(client.session, xml)
    assert first == second and "119" in first[1]
    assert len(await pushes(seeded, "o_al_grid3")) == 1
