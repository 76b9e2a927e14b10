"""The queue's actions with a real session: the same permission for chat (分派) and console
(reassign, escalate, close), asked of models.access; Refusal codes, rows and pushes."""
from __future__ import annotations

from handlers.queue import actions
from models.clock import utcnow
from models.tickets import TicketStatus
from models.users import Role
from tests.queue_support import (act, backdate, events, member, pushes, refusal_code, role, submitted, ticket,
                                 unit_id, user)

RESIDENT = "o_res_queue_actions"


async def test_reassign_needs_the_grid_in_reach_and_hands_to_a_member(seeded):
    await role(seeded, "o_q_head", Role.grid_head, "S01-C01-G01")
    head = await user(seeded, "o_q_head")
    task = await submitted(seeded, RESIDENT)
    far_grid, near_grid = await unit_id(seeded, "S01-C02-G03"), await unit_id(seeded, "S01-C01-G01")
    assert await refusal_code(seeded, actions.reassign, head, task, far_grid, None, "", utcnow()) == "forbidden"
    await member(seeded, "o_q_far_member", community="S01-C02", grid="S01-C02-G03")
    far_member = (await user(seeded, "o_q_far_member")).id
    assert await refusal_code(seeded, actions.reassign, head, task, near_grid, far_member, "", utcnow()) == "forbidden"
    assert [e.action for e in await events(seeded, task)] == ["created"]
    member_id = await member(seeded, "o_q_member")  # registered with the community: its staff may hand it over
    assert await refusal_code(seeded, actions.reassign, head, task, near_grid, member_id, "", utcnow()) == "forbidden"
    await role(seeded, "o_q_staff_c1", Role.staff, "S01-C01")
    staff = await user(seeded, "o_q_staff_c1")
    await act(seeded, actions.reassign, staff, task, near_grid, member_id, "就在楼下", utcnow())
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.claimed and stored.claimed_by == member_id
    [told] = await pushes(seeded, "o_q_member")
    assert f"完成 {task}" in told.body


async def test_a_ticket_outside_ones_reach_does_not_exist(seeded):
    await role(seeded, "o_q_far_head", Role.grid_head, "S01-C02-G03")
    far_head = await user(seeded, "o_q_far_head")
    task = await submitted(seeded, RESIDENT)
    for action, args in ((actions.escalate, ("看看",)), (actions.close, ("办好了",))):
        assert await refusal_code(seeded, action, far_head, task, *args, utcnow()) == "not_found"
    assert await refusal_code(seeded, actions.escalate, far_head, 424242, "", utcnow()) == "not_found"
    assert [e.action for e in await events(seeded, task)] == ["created"]


async def test_escalate_and_close_once(seeded):
    await role(seeded, "o_q_staff", Role.staff, "S01-C01")
    staff = await user(seeded, "o_q_staff")
    task = await submitted(seeded, RESIDENT)
    assert await act(seeded, actions.escalate, staff, task, "今天内", utcnow()) == 1
    assert await refusal_code(seeded, actions.close, staff, task, "  ", utcnow()) == "invalid"
    await act(seeded, actions.close, staff, task, "已更换灯泡", utcnow())
    assert await refusal_code(seeded, actions.close, staff, task, "再关", utcnow()) == "conflict"
    assert [e.action for e in await events(seeded, task)] == ["created", "escalated", "closed"]
    [told] = await pushes(seeded, RESIDENT)
    assert "已更换灯泡" in told.body


async def test_assign_from_triage_into_a_grid_the_head_heads(seeded):
    await role(seeded, "o_q_triager", Role.grid_head, "S01-C01-G01")
    head = await user(seeded, "o_q_triager")
    task = await submitted(seeded, RESIDENT, "门口的路灯坏了")  # no place: triage
    assert (await ticket(seeded, task)).status == TicketStatus.triage
    assert task in [t.id for t in await act(seeded, actions.waiting, head)]
    assert await refusal_code(seeded, actions.assign, head, task, "阳光第二网格", utcnow()) == "forbidden"
    assert await refusal_code(seeded, actions.assign, head, task, "没有这个网格", utcnow()) == "forbidden"
    assigned = await act(seeded, actions.assign, head, task, "阳光第一网格", utcnow())
    assert assigned.grid == "阳光第一网格"
    assert await refusal_code(seeded, actions.assign, head, task, "阳光第一网格", utcnow()) == "conflict"
    resident = await user(seeded, RESIDENT)
    assert await refusal_code(seeded, actions.waiting, resident) == "forbidden"


async def test_a_stale_read_changes_nothing(seeded):
    """The console read the ticket, then the scheduler moved it: the conditional UPDATE matches no row."""
    await role(seeded, "o_q_slow", Role.staff, "S01-C01")
    staff = await user(seeded, "o_q_slow")
    task = await submitted(seeded, RESIDENT)
    await backdate(seeded, task, escalation_level=1)
    assert await act(seeded, actions.escalate, staff, task, "", utcnow()) == 2
    assert (await ticket(seeded, task)).escalation_level == 2
