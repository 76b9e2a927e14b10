"""People talk to people: 回复 to the resident, 撤回 by the resident, the resident told of 放弃,
the claimer's contact view."""
from __future__ import annotations

from models.tickets import TicketStatus
from models.users import Role
from tests.loop_support import department, liaison, number_of, with_phone
from tests.queue_support import LAMP, events, member, pushes, role, say, ticket

RESIDENT = "o_res_talk"


async def _report(sender, client, text: str = LAMP) -> int:
    return number_of(await say(sender, client.session, RESIDENT, text))


async def test_claimer_sees_contact_and_replies_others_do_not(client, sender, seeded):
    await with_phone(seeded, RESIDENT, "13912345678")
    task = await _report(sender, client)
    await member(seeded, "o_talk_m")
    await member(seeded, "o_talk_m2", name="王五")
    assert "13912345678" not in await say(sender, client.session, "o_talk_m2", "任务")
    claimed = await say(sender, client.session, "o_talk_m", f"认领 {task}")
    assert "13912345678" in claimed and "阳光第一网格·阳光花园·楼3" in claimed
    assert [e.action for e in await events(seeded, task)][-1] == "contact_viewed"
    assert "已把您的回复" in await say(sender, client.session, "o_talk_m", f"回复 {task} 我半小时后到，请留门")
    assert "只有认领的党员" in await say(sender, client.session, "o_talk_m2", f"回复 {task} 我也来")
    assert "回复用法" in await say(sender, client.session, "o_talk_m", f"回复 {task}")
    bodies = [p.body for p in await pushes(seeded, RESIDENT)]
    assert any("认领的党员回复：我半小时后到" in b for b in bodies)
    assert not any("我也来" in b for b in bodies)


async def test_grid_head_staff_and_liaison_may_reply(client, sender, seeded):
    await department(seeded, "城乡建设")
    await liaison(seeded, "o_talk_li", "城乡建设")
    await role(seeded, "o_talk_head", Role.grid_head, "S01-C01-G01")
    await role(seeded, "o_talk_other_head", Role.grid_head, "S01-C02")
    task = await _report(sender, client)
    case = await _report(sender, client, "阳光花园小区停电了")
    assert "已把您的回复" in await say(sender, client.session, "o_talk_head", f"回复 {task} 已通知物业")
    assert "已把您的回复" in await say(sender, client.session, "o_talk_li", f"回复 {case} 抢修队已出发")
    assert "只有认领的党员" in await say(sender, client.session, "o_talk_other_head", f"回复 {task} 你好")
    assert "只有认领的党员" in await say(sender, client.session, "o_talk_li", f"回复 {task} 你好")
    bodies = [p.body for p in await pushes(seeded, RESIDENT)]
    assert any("网格长回复：已通知物业" in b for b in bodies) and any("职能部门回复：抢修队已出发" in b for b in bodies)


async def test_resident_withdraws_and_the_claimer_is_told(client, sender, seeded):
    task = await _report(sender, client)
    await member(seeded, "o_talk_m3")
    await say(sender, client.session, "o_talk_m3", f"认领 {task}")
    assert "只有提交人" in await say(sender, client.session, "o_talk_m3", f"撤回 {task}")
    assert "已撤回" in await say(sender, client.session, RESIDENT, f"撤回 {task} 已经修好了")
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.withdrawn and stored.closed_at is not None
    assert any("已由居民撤回（已经修好了）" in p.body for p in await pushes(seeded, "o_talk_m3"))
    assert "不能撤回" in await say(sender, client.session, RESIDENT, f"撤回 {task}")
    assert "不能这样操作" in await say(sender, client.session, "o_talk_m3", f"完成 {task} 好了")
    assert "撤回用法" in await say(sender, client.session, RESIDENT, "撤回 哪个")
    assert "没有办理中的诉求" in await say(sender, client.session, RESIDENT, "查询")


async def test_resident_is_told_when_a_member_gives_up(client, sender, seeded):
    task = await _report(sender, client)
    await member(seeded, "o_talk_m4")
    await say(sender, client.session, "o_talk_m4", f"认领 {task}")
    await say(sender, client.session, "o_talk_m4", f"放弃 {task} 临时出差")
    assert (await ticket(seeded, task)).status == TicketStatus.queued
    assert "回到网格认领队列" in (await pushes(seeded, RESIDENT))[-1].body
