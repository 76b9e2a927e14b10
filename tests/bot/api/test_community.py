"""Projects, points, subscriptions and received notices over HTTP, through the chat's handlers."""
from __future__ import annotations

from sqlmodel import select

from models.db import transaction
from models.notices import Notice
from models.org import OrgUnit
from models.outbound import OutboundMessage
from models.projects import publish
from models.users import User
from tests.bot.api.conftest import bearer, login
from tests.bot.api.test_tasks import _approve_member, _submit


async def _unit(storage, code: str) -> OrgUnit:
    async with storage.sessions() as session:
        return (await session.exec(select(OrgUnit).where(OrgUnit.code == code))).one()


async def _bind_grid(storage, openid: str, code: str) -> None:
    grid = await _unit(storage, code)
    async with transaction(storage.sessions) as session:
        user = (await session.exec(select(User).where(User.openid == openid))).one()
        user.grid_id = grid.id
        session.add(user)


async def test_subscribe_to_a_topic_then_unsubscribe(client, seeded):
    token = await login(client, "o_sub1")
    await _bind_grid(seeded, "o_sub1", "S01-C01-G01")
    start = await (await client.get("/api/v1/subscriptions", headers=bearer(token))).json()
    assert [(s["unit"], s["topic"]) for s in start["items"]] == [("阳光社区", "")] and "防汛" in start["topics"]
    added = await client.post("/api/v1/subscriptions", headers=bearer(token), json={"scope": "全区", "topic": "防汛"})
    body = await added.json()
    assert added.status == 200 and ("示范区", "防汛") in [(s["unit"], s["topic"]) for s in body["items"]]
    assert body["message"]
    again = await client.post("/api/v1/subscriptions", headers=bearer(token), json={"scope": "全区", "topic": "防汛"})
    assert again.status == 409 and (await again.json())["error"]["message"]
    unknown = await client.post("/api/v1/subscriptions", headers=bearer(token), json={"scope": "火星"})
    assert unknown.status == 422 and "火星" in (await unknown.json())["error"]["message"]
    removed = await client.delete("/api/v1/subscriptions", headers=bearer(token))
    assert removed.status == 200 and (await removed.json())["items"] == []


async def test_member_joins_a_project_once_and_earns_points_for_a_task(client, seeded):
    resident, member = await login(client, "o_pres"), await login(client, "o_pmem")
    await _approve_member(seeded, "o_pmem")
    community = await _unit(seeded, "S01-C01")
    async with transaction(seeded.sessions) as session:
        project = await publish(session, title="楼道清洁日", description="周六上午", unit_id=community.id,
                                community_id=community.id, capacity=2, deadline=None, created_by=None)
    listed = await (await client.get("/api/v1/projects", headers=bearer(member))).json()
    assert [(p["title"], p["joined"]) for p in listed["items"]] == [("楼道清洁日", False)]
    joined = await client.post(f"/api/v1/projects/{project.id}/join", headers=bearer(member))
    assert joined.status == 200 and (await joined.json())["project"]["seats_taken"] == 1
    twice = await client.post(f"/api/v1/projects/{project.id}/join", headers=bearer(member))
    assert twice.status == 200 and (await twice.json())["project"]["seats_taken"] == 1
    missing = await client.post("/api/v1/projects/9999/join", headers=bearer(member))
    assert missing.status == 404

    ticket_id = await _submit(client, resident, "阳光花园5号楼门口路灯坏了")
    await client.post(f"/api/v1/tasks/{ticket_id}/claim", headers=bearer(member))
    await client.post(f"/api/v1/tasks/{ticket_id}/done", headers=bearer(member), json={"note": "已修好"})
    mine = await (await client.get("/api/v1/points", headers=bearer(member))).json()
    assert mine["points"] == mine["total"] == 10 and mine["community_rank"] == 1
    assert (await client.get("/api/v1/points", headers=bearer(resident))).status == 403


async def test_notices_received_newest_first_and_only_mine(client, seeded):
    token = await login(client, "o_note")
    await login(client, "o_other")
    community = await _unit(seeded, "S01-C01")
    async with transaction(seeded.sessions) as session:
        for n, title in enumerate(["停水通知", "防汛提醒", "活动预告"]):
            notice = Notice(unit_id=community.id, title=title, body=f"正文{n}")
            session.add(notice)
            await session.flush()
            for openid in ("o_note", "o_other"):
                session.add(OutboundMessage(idempotency_key=f"n{notice.id}:{openid}", openid=openid, kind="notice",
                                            body=title, notice_id=notice.id))
    first = await (await client.get("/api/v1/notices", headers=bearer(token), params={"limit": "2"})).json()
    assert [n["title"] for n in first["items"]] == ["活动预告", "防汛提醒"]
    rest = await (await client.get("/api/v1/notices", headers=bearer(token),
                                   params={"limit": "2", "cursor": first["next_cursor"]})).json()
    assert [n["title"] for n in rest["items"]] == ["停水通知"] and rest["next_cursor"] is None
