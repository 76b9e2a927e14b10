"""督办: escalation and claim expiry, and that repeated or concurrent runs act once."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta

from bot.storage import open_storage
from bot.supervise import run_once
from models.clock import utcnow
from models.tickets import TicketStatus
from models.users import Role
from tests.queue_support import LAMP, backdate, events, member, pushes, role, say, ticket

RESIDENT = "o_res_sup"


async def _report(client, sender, text: str = LAMP) -> int:
    shown = await say(sender, client.session, RESIDENT, text)
    return int(shown.split("编号 ")[1].split("（")[0])


async def test_unclaimed_task_goes_to_grid_head_then_staff_once_each(client, sender, seeded, settings):
    await role(seeded, "o_head_sup", Role.grid_head, "S01-C01-G01")
    await role(seeded, "o_staff_sup", Role.staff, "S01-C01")
    task = await _report(client, sender)
    now = utcnow()
    assert (await run_once(seeded, settings, now)).escalated == 0
    late = now + timedelta(minutes=settings.escalate_normal_minutes + 1)
    assert (await run_once(seeded, settings, late)).escalated == 1
    assert (await run_once(seeded, settings, late)).escalated == 0
    assert (await ticket(seeded, task)).escalation_level == 1
    [alert] = await pushes(seeded, "o_head_sup")
    assert "【督办】" in alert.body and f"诉求 {task}" in alert.body
    assert await pushes(seeded, "o_staff_sup") == []
    later = late + timedelta(minutes=settings.escalate_normal_minutes + 1)
    assert (await run_once(seeded, settings, later)).escalated == 1
    assert len(await pushes(seeded, "o_staff_sup")) == 1
    assert (await run_once(seeded, settings, later + timedelta(days=30))).escalated == 0
    assert [e.action for e in await events(seeded, task)] == ["created", "escalated", "escalated"]


async def test_urgent_tasks_escalate_sooner(client, sender, seeded, settings):
    urgent = await _report(client, sender, "阳光花园6号楼电梯坏了有老人被困")
    normal = await _report(client, sender)
    soon = utcnow() + timedelta(minutes=settings.escalate_urgent_minutes + 1)
    assert (await run_once(seeded, settings, soon)).escalated == 1
    assert (await ticket(seeded, urgent)).escalation_level == 1
    assert (await ticket(seeded, normal)).escalation_level == 0


async def test_stale_claim_returns_to_queue_and_member_is_told(client, sender, seeded, settings):
    task = await _report(client, sender)
    await member(seeded, "o_slow")
    await say(sender, client.session, "o_slow", f"认领 {task}")
    late = utcnow() + timedelta(minutes=settings.claim_normal_minutes + 1)
    first, second = await asyncio.gather(run_once(seeded, settings, late), run_once(seeded, settings, late))
    assert first.expired + second.expired == 1
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.queued and stored.claimed_by is None
    [told] = await pushes(seeded, "o_slow")
    assert "已退回队列" in told.body
    assert [e.action for e in await events(seeded, task)] == ["created", "claimed", "contact_viewed", "expired"]
    assert "不能这样操作" in await say(sender, client.session, "o_slow", f"完成 {task} 好了")


async def test_progress_keeps_a_claim_alive(client, sender, seeded, settings):
    task = await _report(client, sender)
    await member(seeded, "o_busy")
    await say(sender, client.session, "o_busy", f"认领 {task}")
    limit = timedelta(minutes=settings.claim_normal_minutes)
    await backdate(seeded, task, claimed_at=utcnow() - limit * 2, last_progress_at=utcnow() - limit * 2)
    await say(sender, client.session, "o_busy", f"进展 {task} 零件在路上")
    assert (await run_once(seeded, settings)).expired == 0
    assert (await ticket(seeded, task)).status == TicketStatus.claimed


async def test_two_processes_at_once_act_as_one(client, sender, seeded, settings, backend):
    await role(seeded, "o_head_two", Role.grid_head, "S01-C01-G01")
    tasks = [await _report(client, sender) for _ in range(20)]
    hours_ago = utcnow() - timedelta(minutes=settings.escalate_normal_minutes + 5)
    for task in tasks:
        await backdate(seeded, task, updated_at=hours_ago)
    env = {**backend.env(), "PATH": ""}
    runs = [subprocess.Popen([sys.executable, "-m", "bot.cli.main", "supervise"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert [len(await events(seeded, t)) for t in tasks] == [2] * 20
    assert len(await pushes(seeded, "o_head_two")) == 20
    assert {(await ticket(seeded, t)).escalation_level for t in tasks} == {1}
    store = open_storage(settings)
    try:
        assert (await run_once(store, settings)).escalated == 0
    finally:
        await store.close()
