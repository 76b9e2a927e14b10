"""The resident's side: 评价 closes or reopens for the grid head, 需要帮助 queues a 私事, 积分 counts."""
from __future__ import annotations

from models.tickets import TicketStatus
from models.users import Role
from tests.queue_support import LAMP, events, member, pushes, role, say, ticket

RESIDENT = "o_res_fb"


async def _done_task(client, sender, seeded, member_openid: str = "o_doer") -> int:
    shown = await say(sender, client.session, RESIDENT, LAMP)
    task = int(shown.split("编号 ")[1].split("（")[0])
    await member(seeded, member_openid)
    await say(sender, client.session, member_openid, f"认领 {task}")
    await say(sender, client.session, member_openid, f"完成 {task} 灯已换好")
    return task


async def test_good_rating_closes_and_pays_a_bonus(client, sender, seeded, settings):
    task = await _done_task(client, sender, seeded)
    assert "没有找到您的诉求" in await say(sender, client.session, "o_doer", f"评价 {task} 5")
    assert "评价用法" in await say(sender, client.session, RESIDENT, f"评价 {task} 9")
    assert "已完结" in await say(sender, client.session, RESIDENT, f"评价 {task} 5 很及时")
    assert "已经评价过" in await say(sender, client.session, RESIDENT, f"评价 {task} 1")
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.closed and stored.rating == 5 and stored.rating_note == "很及时"
    shown = await say(sender, client.session, "o_doer", "积分")
    expected = settings.points_per_task + settings.points_good_rating
    assert f"本月积分 {expected} 分" in shown and "网格内第 1/1 名" in shown


async def test_poor_rating_reopens_for_the_grid_head(client, sender, seeded):
    await role(seeded, "o_gridhead", Role.grid_head, "S01-C01-G01")
    task = await _done_task(client, sender, seeded)
    assert "退回网格长" in await say(sender, client.session, RESIDENT, f"评价 {task} 2 灯还是不亮")
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.triage and stored.claimed_by is None and stored.rating == 2
    [alert] = await pushes(seeded, "o_gridhead")
    assert "评价 2 分" in alert.body and "灯还是不亮" in alert.body
    assert f"{task}号" in await say(sender, client.session, "o_gridhead", "待分派")
    await role(seeded, "o_far_head", Role.grid_head, "S01-C02-G03")  # 和平社区: not this ticket's community
    assert "没有找到" in await say(sender, client.session, "o_far_head", f"分派 {task} 和平第一网格")
    assert "不在您负责的范围" in await say(sender, client.session, "o_gridhead", f"分派 {task} 阳光第二网格")
    assert "已分派到阳光第一网格" in await say(sender, client.session, "o_gridhead", f"分派 {task} 阳光第一网格")
    assert [e.action for e in await events(seeded, task)][-2:] == ["reopened", "reassigned"]


async def test_a_private_matter_can_still_ask_for_help(client, sender, seeded):
    shown = await say(sender, client.session, RESIDENT, "绑定 阳光花园")
    shown = await say(sender, client.session, RESIDENT, "我家水管漏水了")
    assert "需要帮助" in shown
    task = int(shown.split("编号 ")[1].split("（")[0])
    assert (await ticket(seeded, task)).status == TicketStatus.advised
    assert "没有找到您的诉求" in await say(sender, client.session, "o_stranger", f"需要帮助 {task}")
    assert "转入网格认领队列" in await say(sender, client.session, RESIDENT, f"需要帮助{task}")
    assert "不需要再申请" in await say(sender, client.session, RESIDENT, f"需要帮助 {task}")
    await member(seeded, "o_helper")
    assert f"{task}号" in await say(sender, client.session, "o_helper", "任务")


async def test_points_rank_members_within_the_month(client, sender, seeded):
    await _done_task(client, sender, seeded, "o_first")
    await member(seeded, "o_second", name="周七")
    assert "本月积分 0 分" in await say(sender, client.session, "o_second", "积分")
    ranking = await say(sender, client.session, "o_second", "积分排行")
    assert "1. 李* 10分" in ranking


async def test_a_score_of_ten_is_refused_not_stored_as_one(client, sender, seeded):
    task = await _done_task(client, sender, seeded)
    for wrong in (f"评价 {task} 10", f"评价 {task} 0", f"评价 {task} 很好"):
        assert "评价用法" in await say(sender, client.session, RESIDENT, wrong)
    stored = await ticket(seeded, task)
    assert stored.rating is None and stored.status == TicketStatus.done
    assert "已完结" in await say(sender, client.session, RESIDENT, f"评价 {task} 4很及时")
    assert (await ticket(seeded, task)).rating_note == "很及时"
