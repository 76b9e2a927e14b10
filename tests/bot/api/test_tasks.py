"""The claiming loop through the API: the same handlers as chat, outcomes as status codes."""
from __future__ import annotations

from sqlmodel import select

from models.db import transaction
from models.members import MemberKind, apply, decide
from models.org import OrgUnit
from models.tickets import Ticket, TicketEvent
from models.users import User
from tests.bot.api.conftest import bearer, login


async def _approve_member(storage, openid: str, grid_code: str = "S01-C01-G01") -> None:
    async with transaction(storage.sessions) as session:
        user = (await session.exec(select(User).where(User.openid == openid))).one()
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == grid_code))).one()
        profile = await apply(session, user, grid.parent_id, "李红", "13800138000", MemberKind.resident, grid.id)
        await decide(session, profile, True, None)


async def _submit(client, token: str, text: str) -> int:
    response = await client.post("/api/v1/requests", headers=bearer(token), json={"text": text})
    assert response.status == 201, await response.text()
    return (await response.json())["ticket"]["id"]


async def test_member_claims_reports_and_finishes_and_the_resident_rates(client, seeded):
    resident, member, rival = [await login(client, openid) for openid in ("o_res", "o_mem", "o_mem2")]
    await _approve_member(seeded, "o_mem")
    await _approve_member(seeded, "o_mem2")
    ticket_id = await _submit(client, resident, "阳光花园3号楼楼道灯坏了")

    listed = await (await client.get("/api/v1/tasks", headers=bearer(member))).json()
    assert [task["id"] for task in listed["items"]] == [ticket_id]
    claimed = await client.post(f"/api/v1/tasks/{ticket_id}/claim", headers=bearer(member))
    assert claimed.status == 200 and (await claimed.json())["task"]["status"] == "claimed"
    second = await client.post(f"/api/v1/tasks/{ticket_id}/claim", headers=bearer(rival))
    assert second.status == 409 and "已被" in (await second.json())["error"]["message"]
    not_mine = await client.post(f"/api/v1/tasks/{ticket_id}/done", headers=bearer(rival), json={"note": "好了"})
    assert not_mine.status == 409

    mine = await (await client.get("/api/v1/tasks/mine", headers=bearer(member))).json()
    assert [task["id"] for task in mine["items"]] == [ticket_id]
    progress = await client.post(f"/api/v1/tasks/{ticket_id}/progress", headers=bearer(member),
                                 json={"note": "已联系物业"})
    assert progress.status == 200
    done = await client.post(f"/api/v1/tasks/{ticket_id}/done", headers=bearer(member), json={"note": "灯泡已换"})
    assert done.status == 200 and (await done.json())["task"]["status"] == "done"

    rated = await client.post(f"/api/v1/requests/{ticket_id}/rating", headers=bearer(resident),
                              json={"score": 5, "note": "很及时"})
    assert rated.status == 200 and (await rated.json())["ticket"]["status"] == "closed"
    again = await client.post(f"/api/v1/requests/{ticket_id}/rating", headers=bearer(resident), json={"score": 4})
    assert again.status == 409
    detail = await (await client.get(f"/api/v1/requests/{ticket_id}", headers=bearer(resident))).json()
    assert [event["action"] for event in detail["history"]] == ["created", "claimed", "contact_viewed", "progress",
                                                                "done", "rated"]
    async with seeded.sessions() as session:
        assert (await session.get(Ticket, ticket_id)).rating == 5


async def test_give_up_returns_the_task_to_the_queue(client, seeded):
    resident, member = await login(client, "o_res3"), await login(client, "o_mem3")
    await _approve_member(seeded, "o_mem3")
    ticket_id = await _submit(client, resident, "阳光花园2号楼门口垃圾没人清")
    assert (await client.post(f"/api/v1/tasks/{ticket_id}/claim", headers=bearer(member))).status == 200
    gave_up = await client.post(f"/api/v1/tasks/{ticket_id}/give-up", headers=bearer(member), json={"note": "出差"})
    assert gave_up.status == 200 and (await gave_up.json())["task"]["status"] == "queued"
    no_note = await client.post(f"/api/v1/tasks/{ticket_id}/give-up", headers=bearer(member), json={"note": ""})
    assert no_note.status == 422


async def test_residents_may_not_work_the_queue(client, seeded):
    resident = await login(client, "o_plain")
    ticket_id = await _submit(client, resident, "阳光花园1号楼路灯坏了")
    for method, path in (("GET", "/api/v1/tasks"), ("GET", "/api/v1/tasks/mine"),
                         ("POST", f"/api/v1/tasks/{ticket_id}/claim")):
        response = await client.request(method, path, headers=bearer(resident))
        assert response.status == 403 and "报到" in (await response.json())["error"]["message"]
    async with seeded.sessions() as session:
        events = (await session.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id))).all()
    assert [event.action for event in events] == ["created"]


async def test_unknown_task_is_404(client, seeded):
    member = await login(client, "o_mem4")
    await _approve_member(seeded, "o_mem4")
    response = await client.post("/api/v1/tasks/424242/claim", headers=bearer(member))
    assert response.status == 404
