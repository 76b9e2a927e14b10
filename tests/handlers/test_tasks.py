"""Members and the claiming queue over HTTP: 任务/更多, 认领, 进展, 完成, 放弃, 我的任务; who may do what."""
from __future__ import annotations

import asyncio

from models.members import MemberStatus
from models.tickets import TicketStatus
from tests.queue_support import LAMP, events, member, pushes, say, ticket

RESIDENT = "o_res_tasks"


async def _report(sender, client, text: str = LAMP, openid: str = RESIDENT) -> int:
    shown = await say(sender, client.session, openid, text)
    return int(shown.split("编号 ")[1].split("（")[0])


async def test_claim_progress_finish_tells_resident_and_audits_every_step(client, sender, seeded):
    task = await _report(sender, client)
    await member(seeded, "o_m1")
    listing = await say(sender, client.session, "o_m1", "任务")
    assert f"{task}号" in listing and "阳光第一网格" in listing
    assert "认领成功" in await say(sender, client.session, "o_m1", f"认领{task}")
    assert "已记录" in await say(sender, client.session, "o_m1", f"进展 {task} 已联系物业")
    mine = await say(sender, client.session, "o_m1", "我的任务")
    assert f"{task}号" in mine
    assert "已办结" in await say(sender, client.session, "o_m1", f"完成 {task} 灯已换好")
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.done and stored.claimed_by is not None
    trail = [(e.action, e.from_status, e.to_status) for e in await events(seeded, task)]
    assert trail == [("created", None, "queued"), ("claimed", "queued", "claimed"),
                     ("contact_viewed", "claimed", "claimed"),
                     ("progress", "claimed", "claimed"), ("done", "claimed", "done")]
    bodies = [p.body for p in await pushes(seeded, RESIDENT)]
    assert len(bodies) == 3 and "已由党员李*认领" in bodies[0] and "已联系物业" in bodies[1]
    assert "评价" in bodies[2]
    history = await say(sender, client.session, RESIDENT, f"查询 {task}")
    assert "党员已认领" in history and "办理进展：已联系物业" in history and "已办结：灯已换好" in history


async def test_who_may_not_claim_is_told_why(client, sender, seeded):
    task = await _report(sender, client)
    await member(seeded, "o_pending", status=MemberStatus.pending)
    await member(seeded, "o_rejected", status=MemberStatus.rejected)
    await member(seeded, "o_other", community="S01-C02", grid="S01-C02-G03")
    assert "先报到" in await say(sender, client.session, "o_nobody", f"认领 {task}")
    assert "审核中" in await say(sender, client.session, "o_pending", f"认领 {task}")
    assert "未通过审核" in await say(sender, client.session, "o_rejected", f"认领 {task}")
    assert "阳光社区" in await say(sender, client.session, "o_other", f"认领 {task}")
    assert (await ticket(seeded, task)).status == TicketStatus.queued
    assert [e.action for e in await events(seeded, task)] == ["created"]


async def test_only_the_claimer_may_report_and_give_up(client, sender, seeded):
    task = await _report(sender, client)
    await member(seeded, "o_owner")
    await member(seeded, "o_intruder", name="王五")
    await say(sender, client.session, "o_owner", f"认领 {task}")
    assert "已被其他党员认领" in await say(sender, client.session, "o_intruder", f"认领 {task}")
    for command in (f"完成 {task} 好了", f"进展 {task} 在办", f"放弃 {task} 没空"):
        assert "不是您认领的" in await say(sender, client.session, "o_intruder", command)
    assert "退回队列" in await say(sender, client.session, "o_owner", f"放弃 {task} 临时出差")
    assert (await ticket(seeded, task)).claimed_by is None
    assert "认领成功" in await say(sender, client.session, "o_intruder", f"认领 {task}")


async def test_unknown_numbers_and_malformed_arguments_get_usage(client, sender, seeded):
    await member(seeded, "o_m2")
    assert "没有找到任务 999" in await say(sender, client.session, "o_m2", "认领 999")
    assert "认领用法" in await say(sender, client.session, "o_m2", "认领 十二")
    assert "完成用法" in await say(sender, client.session, "o_m2", "完成 12")
    assert "进展用法" in await say(sender, client.session, "o_m2", "进展")
    assert "放弃用法" in await say(sender, client.session, "o_m2", "放弃 abc")
    assert "没有找到任务 999" in await say(sender, client.session, "o_m2", "完成 999 好了")


async def test_list_is_grid_first_urgent_first_and_paged(client, sender, seeded, settings):
    texts = ["翠竹苑7号楼路灯不亮"] + [f"阳光花园{n}号楼门口垃圾没人清" for n in (1, 2, 3, 4, 5)]
    ids = [await _report(sender, client, text, f"o_r{i}") for i, text in enumerate(texts)]
    urgent = await _report(sender, client, "阳光花园6号楼电梯坏了有老人被困", "o_r_urgent")
    await member(seeded, "o_pager")
    first = await say(sender, client.session, "o_pager", "任务")
    lines = first.splitlines()[1:-1]
    assert len(lines) == settings.task_page_size and "回复“更多”" in first
    order = [int(line.split("号")[0]) for line in lines]
    assert order == [urgent, *ids[1:5]] and "【急】" in lines[0]
    second = await say(sender, client.session, "o_pager", "更多")
    assert [int(line.split("号")[0]) for line in second.splitlines()[1:-1]] == [ids[5], ids[0]]
    assert "没有更多" in await say(sender, client.session, "o_pager", "更多")
    assert all(len(line) <= 40 for line in first.splitlines())


async def test_two_hundred_concurrent_claims_have_one_winner(client, sender, seeded):
    task = await _report(sender, client)
    openids = [f"o_racer{i:03d}" for i in range(200)]
    for openid in openids:
        await member(seeded, openid)
    replies = await asyncio.gather(*(say(sender, client.session, o, f"认领 {task}") for o in openids))
    winners = [r for r in replies if "认领成功" in r]
    losers = [r for r in replies if "已被其他党员认领" in r]
    assert len(winners) == 1 and len(losers) == 199, {r[:20] for r in replies}
    assert [e.action for e in await events(seeded, task)] == ["created", "claimed", "contact_viewed"]
    assert len(await pushes(seeded, RESIDENT)) == 1
