"""The ticket page's 回复 box: the resident gets the staff member's words; who may not write is told."""
from __future__ import annotations

from models.users import Role
from tests.bot.console.conftest import log_in, make_login
from tests.bot.console.tickets import add_ticket
from tests.queue_support import events, pushes


async def test_staff_reply_reaches_the_resident_and_is_audited(admin, seeded):
    ticket = await add_ticket(seeded, "S01-C01-G01", "1号楼路灯不亮", openid="o_console_res")
    page = await (await admin.get(f"/console/tickets/{ticket.id}")).text()
    assert f'action="/console/tickets/{ticket.id}/reply"' in page
    response = await admin.post(f"/console/tickets/{ticket.id}/reply", {"note": "明天上午电工上门"})
    assert response.status == 303
    assert "已把您的回复" in await (await admin.get(f"/console/tickets/{ticket.id}")).text()
    [told] = await pushes(seeded, "o_console_res")
    assert "社区工作人员回复：明天上午电工上门" in told.body
    assert [e.action for e in await events(seeded, ticket.id)] == ["created", "replied"]


async def test_a_grid_head_of_another_grid_is_refused(client, seeded):
    await make_login(seeded, "wangge3", Role.grid_head, "S01-C02-G03")
    ticket = await add_ticket(seeded, "S01-C01-G01", "1号楼路灯不亮", openid="o_console_res2")
    assert (await log_in(client, "wangge3")).status == 303
    page = await (await client.get("/console/queue")).text()
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = await client.post(f"/console/tickets/{ticket.id}/reply", data={"csrf": token, "note": "你好"},
                                 allow_redirects=False)
    assert response.status == 303
    assert await pushes(seeded, "o_console_res2") == []
    assert [e.action for e in await events(seeded, ticket.id)] == ["created"]


