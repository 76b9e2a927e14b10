"""大事 handled by departments, over HTTP and as actions: intake, 签收, 退回, 转派, 答复, 评价, who may."""
from __future__ import annotations

import pytest

from handlers.departments import actions
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.tickets import TicketStatus
from models.users import Role, User
from tests.loop_support import department, liaison, number_of
from tests.queue_support import LAMP, events, member, pushes, role, say, ticket

RESIDENT = "o_res_dept"
OUTAGE = "阳光花园小区停电了"  # 城乡建设·供电·大事 in S01-C01-G01


async def _report(sender, client, text: str = OUTAGE) -> int:
    return number_of(await say(sender, client.session, RESIDENT, text))


async def test_a_big_matter_reaches_its_department_and_the_answer_reaches_the_resident(client, sender, seeded):
    await department(seeded, "城乡建设")  # district-wide: serves streets without their own
    street_id = await department(seeded, "城乡建设", "幸福街道")
    await liaison(seeded, "o_liaison", "城乡建设/幸福街道")
    case = await _report(sender, client)
    stored = await ticket(seeded, case)
    assert stored.status == TicketStatus.forwarded and stored.department_id == street_id
    [new] = await pushes(seeded, "o_liaison")
    assert f"签收 {case}" in new.body and "城乡建设（幸福街道）" in new.body
    assert f"{case}号" in await say(sender, client.session, "o_liaison", "部门待办")

    signed = await say(sender, client.session, "o_liaison", f"签收 {case}")
    assert "已签收" in signed and f"答复 {case}" in signed
    answered = await say(sender, client.session, "o_liaison", f"答复 {case} 已安排抢修，今晚恢复供电")
    assert "已答复" in answered
    assert (await ticket(seeded, case)).status == TicketStatus.done
    told = [p.body for p in await pushes(seeded, RESIDENT)]
    assert len(told) == 2 and "已由城乡建设（幸福街道）签收" in told[0]
    assert "今晚恢复供电" in told[1] and f"评价 {case}" in told[1]
    assert "谢谢您的评价" in await say(sender, client.session, RESIDENT, f"评价 {case} 5 很快")
    assert [e.action for e in await events(seeded, case)] == ["created", "acknowledged", "answered", "rated"]
    assert "没有待办" in await say(sender, client.session, "o_liaison", "部门待办")


async def test_sent_back_then_redispatched_by_street_staff(client, sender, seeded):
    await department(seeded, "城乡建设", "幸福街道")
    await department(seeded, "环境保护", "幸福街道")
    await liaison(seeded, "o_li_build", "城乡建设")
    await liaison(seeded, "o_li_env", "环境保护")
    await role(seeded, "o_street", Role.staff, "S01")
    await role(seeded, "o_community", Role.staff, "S01-C01")
    case = await _report(sender, client)
    assert "退回用法" in await say(sender, client.session, "o_li_build", f"退回 {case}")
    assert "已退回街道" in await say(sender, client.session, "o_li_build", f"退回 {case} 不属于本部门")
    assert (await ticket(seeded, case)).status == TicketStatus.returned
    [back] = await pushes(seeded, "o_street")
    assert f"转派 {case}" in back.body and "不属于本部门" in back.body
    assert f"{case}号" in await say(sender, client.session, "o_street", "待转派")
    assert "只有街道工作人员" in await say(sender, client.session, "o_community", f"转派 {case} 环境保护")
    assert "没有找到部门" in await say(sender, client.session, "o_street", f"转派 {case} 园林")
    assert "已转派给环境保护" in await say(sender, client.session, "o_street", f"转派 {case} 环境保护")
    stored = await ticket(seeded, case)
    assert stored.status == TicketStatus.forwarded and stored.department == "环境保护"
    assert any(f"签收 {case}" in p.body for p in await pushes(seeded, "o_li_env"))
    assert "不在您所在部门" in await say(sender, client.session, "o_li_build", f"签收 {case}")


async def test_usage_and_refusals_in_chat(client, sender, seeded):
    await department(seeded, "城乡建设")
    await liaison(seeded, "o_li", "城乡建设")
    case = await _report(sender, client, "小区停电了")
    assert "签收用法" in await say(sender, client.session, "o_li", "签收 十二")
    assert "答复用法" in await say(sender, client.session, "o_li", f"答复 {case}")
    assert "转派用法" in await say(sender, client.session, "o_li", "转派")
    assert "只对职能部门联络员开放" in await say(sender, client.session, RESIDENT, f"答复 {case} 好了")
    assert "只对职能部门联络员开放" in await say(sender, client.session, RESIDENT, "部门待办")
    assert "签收只对" in await say(sender, client.session, RESIDENT, f"签收 {case}")
    assert "没有找到诉求 99999" in await say(sender, client.session, "o_li", "答复 99999 好了")
    assert (await ticket(seeded, case)).status == TicketStatus.forwarded


async def test_a_big_matter_is_no_task_and_a_task_no_department_case(client, sender, seeded):
    await department(seeded, "城乡建设")
    await liaison(seeded, "o_li2", "城乡建设")
    await member(seeded, "o_m_dept")
    big = await _report(sender, client)
    small = await _report(sender, client, LAMP)
    assert "不能认领" in await say(sender, client.session, "o_m_dept", f"认领 {big}")
    assert "不能这样操作" in await say(sender, client.session, "o_m_dept", f"完成 {big} 好了")
    assert "不由职能部门办理" in await say(sender, client.session, "o_li2", f"答复 {small} 好了")
    assert "不由职能部门办理" in await say(sender, client.session, "o_li2", f"退回 {small} 不归我们")
    assert (await ticket(seeded, big)).status == TicketStatus.forwarded
    assert (await ticket(seeded, small)).status == TicketStatus.queued


async def test_a_retried_message_tells_the_liaison_once(client, sender, seeded):
    await department(seeded, "城乡建设")
    await liaison(seeded, "o_li3", "城乡建设")
    xml = sender.text_xml(RESIDENT, OUTAGE, msg_id=424242)
    first = await sender.post(client.session, xml)
    second = await sender.post(client.session, xml)
    assert first == second
    assert len(await pushes(seeded, "o_li3")) == 1


async def test_actions_refuse_with_codes(client, sender, seeded, settings):
    await department(seeded, "城乡建设")
    await department(seeded, "公共安全")
    other = await liaison(seeded, "o_li_police", "公共安全")
    mine = await liaison(seeded, "o_li_build2", "城乡建设")
    case = await _report(sender, client)
    now = utcnow()
    async with transaction(seeded.sessions) as session:
        police, builder = await session.get(User, other), await session.get(User, mine)
        resident = await session.get(User, (await ticket(seeded, case)).user_id)
        for call in (actions.acknowledge(session, police, case, False, settings, now),
                     actions.answer(session, resident, case, "好了", now),
                     actions.redispatch(session, builder, case, "公共安全", settings, now)):
            with pytest.raises(Refusal) as refused:
                await call
            assert refused.value.code == "forbidden"
        with pytest.raises(Refusal) as refused:
            await actions.acknowledge(session, builder, 99999, False, settings, now)
        assert refused.value.code == "not_found"
        done = await actions.acknowledge(session, builder, case, True, settings, now)
        assert done.ticket.complex and (done.due - done.ticket.forwarded_at).days == 15
        with pytest.raises(Refusal) as refused:
            await actions.acknowledge(session, builder, case, False, settings, now)
        assert refused.value.code == "conflict"


async def test_adding_departments_refuses_duplicates_and_unknown_streets(seeded):
    await department(seeded, "城乡建设", "幸福街道")
    async with transaction(seeded.sessions) as session:
        for name, street, code in (("城乡建设", "幸福街道", "conflict"), ("城乡建设", "无名街道", "not_found"),
                                   ("城", None, "invalid")):
            with pytest.raises(Refusal) as refused:
                await actions.add_department(session, name, street)
            assert refused.value.code == code


async def test_an_unhappy_rating_goes_back_to_the_street_not_the_member_queue(client, sender, seeded):
    await department(seeded, "城乡建设")
    await liaison(seeded, "o_li_bad", "城乡建设")
    await role(seeded, "o_street_bad", Role.staff, "S01")
    await role(seeded, "o_head_bad", Role.grid_head, "S01-C01-G01")
    case = await _report(sender, client)
    await say(sender, client.session, "o_li_bad", f"答复 {case} 已报修")
    assert "退回街道重新转派" in await say(sender, client.session, RESIDENT, f"评价 {case} 1 还是没电")
    assert (await ticket(seeded, case)).status == TicketStatus.returned
    assert any("转派" in p.body and "还是没电" in p.body for p in await pushes(seeded, "o_street_bad"))
    assert await pushes(seeded, "o_head_bad") == []
    assert "不需要分派" in await say(sender, client.session, "o_head_bad", f"分派 {case} 阳光第一网格")
