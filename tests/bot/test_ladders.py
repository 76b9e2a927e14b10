"""The 督办 ladder for departments and the climb of unacknowledged urgent alerts, on a controlled clock."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.supervise import run_once
from models.tickets import TicketStatus
from models.users import Role
from tests.loop_support import department, liaison, number_of
from tests.queue_support import LAMP, events, member, pushes, role, say, ticket

RESIDENT = "o_res_ladder"
OUTAGE = "阳光花园小区停电了"
GAS = "阳光花园3号楼厨房里闻到很大的煤气味"  # urgent 大事 in S01-C01-G01
LIFT = "阳光花园3号楼电梯困人了"  # urgent 小事 in S01-C01-G01


async def _report(sender, client, text: str) -> int:
    return number_of(await say(sender, client.session, RESIDENT, text))


async def _people(seeded) -> None:
    await department(seeded, "城乡建设")
    await department(seeded, "公共安全")
    await liaison(seeded, "o_lad_li", "城乡建设")
    await liaison(seeded, "o_lad_head", "城乡建设", Role.department_head)
    await role(seeded, "o_lad_street", Role.staff, "S01")


async def test_late_signing_climbs_liaison_head_street_once_each(client, sender, seeded, settings):
    await _people(seeded)
    case = await _report(sender, client, OUTAGE)
    start = (await ticket(seeded, case)).forwarded_at
    limit = timedelta(hours=settings.department_ack_hours)
    assert (await run_once(seeded, settings, start + limit - timedelta(minutes=1))).climbed == 0
    at = start + limit + timedelta(minutes=1)
    first, second = await asyncio.gather(run_once(seeded, settings, at), run_once(seeded, settings, at))
    assert first.climbed + second.climbed == 1
    assert [p.title for p in await pushes(seeded, "o_lad_li")] == ["新诉求待签收", "督办提醒"]
    assert await pushes(seeded, "o_lad_head") == []
    assert (await run_once(seeded, settings, at + limit)).climbed == 1
    assert [p.title for p in await pushes(seeded, "o_lad_head")] == ["督办提醒"]
    assert (await run_once(seeded, settings, at + 2 * limit)).climbed == 1
    [street] = await pushes(seeded, "o_lad_street")
    assert "签收时限" in street.body
    assert (await run_once(seeded, settings, at + 30 * limit)).climbed == 0
    assert [e.note for e in await events(seeded, case) if e.action == "escalated"] == [
        "督办：提醒部门联络员", "督办：转部门负责人", "督办：转街道工作人员"]


async def test_signing_restarts_the_ladder_for_the_answer(client, sender, seeded, settings):
    await _people(seeded)
    case = await _report(sender, client, OUTAGE)
    start = (await ticket(seeded, case)).forwarded_at
    await say(sender, client.session, "o_lad_li", f"签收 {case}")
    days = timedelta(days=settings.department_answer_days)
    assert (await run_once(seeded, settings, start + days - timedelta(hours=1))).climbed == 0
    assert (await run_once(seeded, settings, start + days + timedelta(hours=1))).climbed == 1
    assert "答复时限" in (await pushes(seeded, "o_lad_li"))[-1].body


async def test_urgent_matters_must_be_signed_within_two_hours(client, sender, seeded, settings):
    await department(seeded, "城乡建设")  # DOMAIN.md: a gas smell is 城乡建设
    await liaison(seeded, "o_lad_gas", "城乡建设")
    await role(seeded, "o_lad_grid", Role.grid_head, "S01-C01-G01")
    case = await _report(sender, client, GAS)
    # the grid head signs for the alert; the department's own 签收 is still due
    assert "已签收紧急诉求" in await say(sender, client.session, "o_lad_grid", f"签收 {case}")
    start = (await ticket(seeded, case)).forwarded_at
    hours = timedelta(hours=settings.department_ack_urgent_hours)
    assert (await run_once(seeded, settings, start + hours - timedelta(minutes=5))).climbed == 0
    assert (await run_once(seeded, settings, start + hours + timedelta(minutes=1))).climbed == 1
    assert (await ticket(seeded, case)).status == TicketStatus.forwarded


async def test_an_unacknowledged_alert_climbs_to_the_street_once(client, sender, seeded, settings):
    await role(seeded, "o_lad_grid2", Role.grid_head, "S01-C01-G01")
    await role(seeded, "o_lad_street2", Role.staff, "S01")
    lift = await _report(sender, client, LIFT)
    signed = await _report(sender, client, LIFT + "了两个人")
    claimed = await _report(sender, client, LIFT + "快来")
    assert "已签收紧急诉求" in await say(sender, client.session, "o_lad_grid2", f"签收 {signed}")
    assert "已经有人签收" in await say(sender, client.session, "o_lad_grid2", f"签收 {signed}")
    await member(seeded, "o_lad_member")
    assert "认领成功" in await say(sender, client.session, "o_lad_member", f"认领 {claimed}")
    created = (await ticket(seeded, lift)).created_at
    minutes = timedelta(minutes=settings.alert_ack_minutes)
    assert (await run_once(seeded, settings, created + minutes - timedelta(seconds=30))).climbed == 0
    at = created + minutes + timedelta(seconds=30)
    first, second = await asyncio.gather(run_once(seeded, settings, at), run_once(seeded, settings, at))
    assert first.climbed + second.climbed == 1
    [up] = await pushes(seeded, "o_lad_street2")
    assert f"诉求 {lift}" in up.body and "无人签收" in up.body
    assert (await run_once(seeded, settings, at + minutes)).climbed == 0
    assert (await ticket(seeded, lift)).alert_level == 1
    assert (await ticket(seeded, signed)).alert_level == 0 and (await ticket(seeded, claimed)).alert_level == 0


async def test_lamp_is_no_alert(client, sender, seeded, settings):
    await role(seeded, "o_lad_grid3", Role.grid_head, "S01-C01-G01")
    task = await _report(sender, client, LAMP)
    assert await pushes(seeded, "o_lad_grid3") == []
    assert "不是紧急诉求" in await say(sender, client.session, "o_lad_grid3", f"签收 {task}")
