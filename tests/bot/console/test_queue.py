"""The queue pages over HTTP: filters, scope, history, reassign / escalate / close, CSV."""
from __future__ import annotations

from sqlmodel import select

from models import members
from models.db import transaction
from models.outbound import OutboundMessage
from models.tickets import Ticket, TicketEvent, history_of
from models.users import Role, User
from tests.bot.console.conftest import Console, log_in, make_login
from tests.bot.console.tickets import add_ticket, unit_id


async def _ticket(storage, ticket_id: int) -> Ticket:
    async with storage.sessions() as session:
        return await session.get(Ticket, ticket_id)


async def _events(storage, ticket_id: int) -> list[TicketEvent]:
    async with storage.sessions() as session:
        return await history_of(session, ticket_id)


async def test_filters_narrow_the_queue(admin, seeded):
    lamp = await add_ticket(seeded, "S01-C01-G01", "1号楼路灯不亮")
    parking = await add_ticket(seeded, "S01-C02-G03", "小区门口乱停车", department="城管", topic="停车", urgent=True)
    g3 = await unit_id(seeded, "S01-C02-G03")
    shown = await (await admin.get(f"/console/queue?grid={g3}")).text()
    assert "小区门口乱停车" in shown and "1号楼路灯不亮" not in shown
    shown = await (await admin.get("/console/queue?category=物业&urgent=0&status=queued")).text()
    assert "1号楼路灯不亮" in shown and "乱停车" not in shown
    shown = await (await admin.get("/console/queue?urgent=1")).text()
    assert f'href="/console/tickets/{parking.id}"' in shown and f'href="/console/tickets/{lamp.id}"' not in shown


async def test_grid_head_sees_only_their_grid(client, seeded):
    await make_login(seeded, "wangge1", Role.grid_head, "S01-C01-G01")
    mine = await add_ticket(seeded, "S01-C01-G01", "1号楼路灯不亮")
    other = await add_ticket(seeded, "S01-C02-G03", "和平里垃圾没人收")
    unplaced = await add_ticket(seeded, None, "不知道哪里的噪音")
    assert (await log_in(client, "wangge1")).status == 303
    shown = await (await client.get("/console/queue")).text()
    assert "1号楼路灯不亮" in shown and "和平里" not in shown and "噪音" not in shown
    assert (await client.get(f"/console/tickets/{mine.id}")).status == 200
    for hidden in (other, unplaced):
        assert (await client.get(f"/console/tickets/{hidden.id}")).status == 404
    csv_text = await (await client.get("/console/queue?format=csv")).text()
    assert "1号楼路灯不亮" in csv_text and "和平里" not in csv_text


async def test_reassign_to_another_grid_writes_history(admin, seeded):
    ticket = await add_ticket(seeded, "S01-C01-G01", "翠竹苑8号楼水管漏水")
    g2 = await unit_id(seeded, "S01-C01-G02")
    await admin.get(f"/console/tickets/{ticket.id}")
    response = await admin.post(f"/console/tickets/{ticket.id}/reassign", {"grid": g2, "note": "位置在8号楼"})
    assert response.status == 303
    stored = await _ticket(seeded, ticket.id)
    assert stored.grid_id == g2 and stored.status == "queued"
    last = (await _events(seeded, ticket.id))[-1]
    assert (last.action, last.actor_id, last.from_status, last.to_status) == ("reassigned", admin.user.id,
                                                                             "queued", "queued")
    assert "阳光第二网格" in last.note and "位置在8号楼" in last.note
    page = await (await admin.get(f"/console/tickets/{ticket.id}")).text()
    assert "诉求" in page and "已改派" in page and "重新分派" in page


async def test_reassign_to_a_member_claims_it_for_them_and_tells_them(admin, seeded):
    ticket = await add_ticket(seeded, "S01-C01-G01")
    community = await unit_id(seeded, "S01-C01")
    async with transaction(seeded.sessions) as session:
        member = User(openid="o_member_li")
        session.add(member)
        await session.flush()
        profile = await members.apply(session, member, community, "李党员", "13800001111",
                                      members.MemberKind.in_service, None)
        await members.decide(session, profile, True, None)
    await admin.get(f"/console/tickets/{ticket.id}")
    await admin.post(f"/console/tickets/{ticket.id}/reassign",
                     {"grid": await unit_id(seeded, "S01-C01-G01"), "member": member.id})
    stored = await _ticket(seeded, ticket.id)
    assert stored.status == "claimed" and stored.claimed_by == member.id
    async with seeded.sessions() as session:
        [push] = (await session.exec(select(OutboundMessage).where(OutboundMessage.openid == "o_member_li"))).all()
    assert f"完成 {ticket.id}" in push.body


async def test_grid_head_cannot_reassign_outside_their_grid(client, seeded):
    await make_login(seeded, "wangge1", Role.grid_head, "S01-C01-G01")
    ticket = await add_ticket(seeded, "S01-C01-G01")
    await log_in(client, "wangge1")
    console = Console(client, None)
    await console.get(f"/console/tickets/{ticket.id}")
    await console.post(f"/console/tickets/{ticket.id}/reassign", {"grid": await unit_id(seeded, "S01-C02-G03")})
    assert (await _ticket(seeded, ticket.id)).grid_id == await unit_id(seeded, "S01-C01-G01")
    assert "只能分派到您负责范围内的网格" in await (await console.get(f"/console/tickets/{ticket.id}")).text()
    assert [e.action for e in await _events(seeded, ticket.id)] == ["created"]


async def test_escalate_raises_the_level(admin, seeded):
    ticket = await add_ticket(seeded, "S01-C01-G01")
    await admin.get(f"/console/tickets/{ticket.id}")
    for _ in range(2):
        await admin.post(f"/console/tickets/{ticket.id}/escalate", {"note": "今天内处理"})
    assert (await _ticket(seeded, ticket.id)).escalation_level == 2
    notes = [e.note for e in await _events(seeded, ticket.id) if e.action == "escalated"]
    assert notes == ["督办（第 1 级）：今天内处理", "督办（第 2 级）：今天内处理"]


async def test_close_needs_a_note_and_tells_the_resident(admin, seeded):
    ticket = await add_ticket(seeded, "S01-C01-G01")
    await admin.get(f"/console/tickets/{ticket.id}")
    await admin.post(f"/console/tickets/{ticket.id}/close", {"note": "  "})
    assert (await _ticket(seeded, ticket.id)).status == "queued"
    assert "请写明处理结果" in await (await admin.get(f"/console/tickets/{ticket.id}")).text()
    await admin.post(f"/console/tickets/{ticket.id}/close", {"note": "已更换灯泡"})
    stored = await _ticket(seeded, ticket.id)
    assert stored.status == "closed" and stored.closed_at is not None
    async with seeded.sessions() as session:
        [push] = (await session.exec(select(OutboundMessage).where(OutboundMessage.openid == "o_resident"))).all()
    assert "已更换灯泡" in push.body and push.ticket_id == ticket.id
    await admin.post(f"/console/tickets/{ticket.id}/close", {"note": "再关一次"})
    assert len(await _events(seeded, ticket.id)) == 2  # created, closed: closing twice changes nothing


async def test_queue_csv_is_excel_friendly_and_defuses_formulas(admin, seeded):
    await add_ticket(seeded, "S01-C01-G01", "=HYPERLINK(\"http://x\")灯坏了")
    response = await admin.client.get("/console/queue?format=csv")
    assert response.content_type == "text/csv"
    body = (await response.read()).decode("utf-8")
    assert body.startswith("\ufeff编号,状态")
    assert "'=HYPERLINK" in body


async def test_a_big_matter_cannot_be_reassigned_into_a_grid_queue(admin, seeded):
    big = await add_ticket(seeded, "S01-C01-G01", "小区停电了", kind="大事", status="forwarded")
    await admin.get(f"/console/tickets/{big.id}")
    await admin.post(f"/console/tickets/{big.id}/reassign", {"grid": await unit_id(seeded, "S01-C01-G01")})
    assert "是大事" in await (await admin.get(f"/console/tickets/{big.id}")).text()
    assert (await _ticket(seeded, big.id)).status == "forwarded"
