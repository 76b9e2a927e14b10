"""The claiming queue's actions called directly with a real session (no XML, no HTTP): results and Refusal codes."""
from __future__ import annotations

import asyncio

import pytest

from handlers.audience import approved_member
from handlers.tasks import actions
from handlers.types import Refusal
from models.clock import utcnow
from models.members import MemberStatus
from models.tickets import TicketStatus
from models.users import get_or_create_user
from tests.queue_support import act, refusal_code, events, member, profile, pushes, submitted, ticket

RESIDENT = "o_res_actions"


async def test_claim_returns_what_the_reply_needs_and_queues_one_push(seeded):
    task = await submitted(seeded, RESIDENT)
    await member(seeded, "o_act_m1")
    claimed = await act(seeded, actions.claim, await profile(seeded, "o_act_m1"), task, utcnow())
    assert (claimed.id, claimed.where) == (task, "阳光第一网格") and "楼道灯" in claimed.text
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.claimed and stored.claimed_by is not None
    assert [(e.action, e.from_status, e.to_status) for e in await events(seeded, task)][-2:] == \
        [("claimed", "queued", "claimed"), ("contact_viewed", "claimed", "claimed")]  # the claimer saw the contact
    assert "居民联系方式" in claimed.contact
    [push] = await pushes(seeded, RESIDENT)
    assert "认领" in push.body and push.ticket_id == task


async def test_claim_refusals_carry_codes(seeded):
    task = await submitted(seeded, RESIDENT)
    await member(seeded, "o_act_own")
    await member(seeded, "o_act_rival", name="王五")
    await member(seeded, "o_act_far", community="S01-C02", grid="S01-C02-G03")
    own, rival, far = [await profile(seeded, o) for o in ("o_act_own", "o_act_rival", "o_act_far")]
    assert await refusal_code(seeded, actions.claim, own, 424242, utcnow()) == "not_found"
    assert await refusal_code(seeded, actions.claim, far, task, utcnow()) == "forbidden"
    await act(seeded, actions.claim, own, task, utcnow())
    assert await refusal_code(seeded, actions.claim, rival, task, utcnow()) == "conflict"
    assert await refusal_code(seeded, actions.claim, own, task, utcnow()) == "conflict"
    assert [e.action for e in await events(seeded, task)] == ["created", "claimed", "contact_viewed"]


async def test_only_the_claimer_reports_and_a_note_is_required(seeded, settings):
    task = await submitted(seeded, RESIDENT)
    await member(seeded, "o_act_doer")
    await member(seeded, "o_act_other", name="王五")
    doer, other = await profile(seeded, "o_act_doer"), await profile(seeded, "o_act_other")
    await act(seeded, actions.claim, doer, task, utcnow())
    assert await refusal_code(seeded, actions.progress, other, task, "在办", utcnow()) == "conflict"
    assert await refusal_code(seeded, actions.progress, doer, task, "   ", utcnow()) == "invalid"
    assert await refusal_code(seeded, actions.give_up, doer, 424242, "没空", utcnow()) == "not_found"
    reported = await act(seeded, actions.progress, doer, task, "已联系\n物业", utcnow())
    assert reported.note == "已联系 物业"
    done = await act(seeded, actions.finish, doer, task, "灯已换好", utcnow(), settings)
    assert done.points == settings.points_per_task
    assert await refusal_code(seeded, actions.give_up, doer, task, "晚了", utcnow()) == "conflict"
    assert (await ticket(seeded, task)).status == TicketStatus.done
    assert [e.action for e in await events(seeded, task)] == ["created", "claimed", "contact_viewed", "progress", "done"]


async def test_give_up_returns_the_task_and_my_tasks_follow(seeded):
    task = await submitted(seeded, RESIDENT)
    await member(seeded, "o_act_quit")
    quitter = await profile(seeded, "o_act_quit")
    await act(seeded, actions.claim, quitter, task, utcnow())
    assert [t.id for t in await act(seeded, actions.my_tasks, quitter)] == [task]
    await act(seeded, actions.give_up, quitter, task, "临时出差", utcnow())
    stored = await ticket(seeded, task)
    assert stored.status == TicketStatus.queued and stored.claimed_by is None
    assert await act(seeded, actions.my_tasks, quitter) == []
    assert [line.id for line in await act(seeded, actions.list_tasks, quitter, 0, 5)] == [task]


async def test_list_names_grids_from_the_index_and_pages(seeded):
    ids = [await submitted(seeded, f"o_act_r{n}", f"阳光花园{n}号楼门口垃圾没人清") for n in range(1, 4)]
    other_grid = await submitted(seeded, "o_act_r9", "翠竹苑7号楼路灯不亮")
    await member(seeded, "o_act_pager")
    pager = await profile(seeded, "o_act_pager")
    first = await act(seeded, actions.list_tasks, pager, 0, 3)
    assert [line.id for line in first] == ids and {line.where for line in first} == {"阳光第一网格"}
    [rest] = await act(seeded, actions.list_tasks, pager, 3, 3)
    assert rest.id == other_grid and rest.where == "阳光第二网格"


async def test_concurrent_claims_by_action_have_one_winner(seeded):
    task = await submitted(seeded, RESIDENT)
    racers = [f"o_act_race{i:02d}" for i in range(20)]
    for openid in racers:
        await member(seeded, openid)
    profiles = [await profile(seeded, openid) for openid in racers]

    async def attempt(racer) -> str:
        try:
            await act(seeded, actions.claim, racer, task, utcnow())
            return "won"
        except Refusal as refusal:
            return refusal.code

    outcomes = await asyncio.gather(*(attempt(racer) for racer in profiles))
    assert sorted(outcomes) == ["conflict"] * 19 + ["won"]
    assert [e.action for e in await events(seeded, task)] == ["created", "claimed", "contact_viewed"]
    assert len(await pushes(seeded, RESIDENT)) == 1


async def test_the_member_gate_refuses_the_unapproved(seeded):
    await member(seeded, "o_act_wait", status=MemberStatus.pending)
    for openid in ("o_act_wait", "o_act_nobody"):
        async with seeded.sessions() as session:
            user = await get_or_create_user(session, openid)
            with pytest.raises(Refusal) as refused:
                await approved_member(session, user.id)
        assert refused.value.code == "forbidden"
