"""Member approvals, projects and broadcasts over HTTP, through their areas' own functions."""
from __future__ import annotations

from sqlmodel import select

from models import members
from models.access import grant
from models.db import transaction
from models.notices import Notice
from models.outbound import OutboundMessage
from models.projects import Project
from models.users import Role, User
from tests.bot.console.conftest import Console, log_in, make_login
from tests.bot.console.tickets import unit_id


async def _applicant(storage, community_code: str, openid: str = "o_applicant") -> members.MemberProfile:
    community = await unit_id(storage, community_code)
    async with transaction(storage.sessions) as session:
        user = User(openid=openid)
        session.add(user)
        await session.flush()
        return await members.apply(session, user, community, "刘志强", "13912345678",
                                   members.MemberKind.in_service, None)


async def _profile(storage, profile_id: int) -> members.MemberProfile:
    async with storage.sessions() as session:
        return await session.get(members.MemberProfile, profile_id)


async def test_staff_approve_an_application_with_a_grid(admin, seeded):
    profile = await _applicant(seeded, "S01-C01")
    page = await (await admin.get("/console/members")).text()
    assert "刘志强" in page and "139****5678" in page and "13912345678" not in page
    grid = await unit_id(seeded, "S01-C01-G02")
    response = await admin.post(f"/console/members/{profile.id}/approve", {"grid": grid})
    assert response.status == 303
    stored = await _profile(seeded, profile.id)
    assert stored.status == "approved" and stored.grid_id == grid and stored.decided_by == admin.user.id
    async with seeded.sessions() as session:
        [push] = (await session.exec(select(OutboundMessage).where(OutboundMessage.openid == "o_applicant"))).all()
    assert "阳光社区" in push.body
    again = await admin.post(f"/console/members/{profile.id}/reject", {"note": "重复"})
    assert again.status == 303 and (await _profile(seeded, profile.id)).status == "approved"


async def test_reject_with_a_reason_and_csv(admin, seeded):
    profile = await _applicant(seeded, "S01-C02")
    await admin.get("/console/members")
    await admin.post(f"/console/members/{profile.id}/reject", {"note": "不在本社区居住"})
    stored = await _profile(seeded, profile.id)
    assert stored.status == "rejected" and stored.note == "不在本社区居住"
    body = (await (await admin.client.get("/console/members?status=rejected&format=csv")).read()).decode()
    assert "刘志强,139****5678" in body and "不在本社区居住" in body


async def test_grid_head_cannot_decide_and_other_communities_are_hidden(client, seeded):
    mine = await _applicant(seeded, "S01-C01", "o_one")
    other = await _applicant(seeded, "S01-C02", "o_two")
    await make_login(seeded, "wangge1", Role.grid_head, "S01-C01-G01")
    await log_in(client, "wangge1")
    console = Console(client, None)
    page = await (await console.get("/console/members")).text()
    assert "/approve" not in page
    await console.post(f"/console/members/{mine.id}/approve", {})
    assert (await _profile(seeded, mine.id)).status == "pending"
    await make_login(seeded, "zhou", Role.staff, "S01-C01")
    await log_in(client, "zhou")
    await console.get("/console/members")
    assert (await console.post(f"/console/members/{other.id}/approve", {})).status == 404
    assert (await _profile(seeded, other.id)).status == "pending"


async def test_publish_a_project(admin, seeded):
    grid = await unit_id(seeded, "S01-C01-G01")
    await admin.get("/console/projects")
    await admin.post("/console/projects", {"title": "助老理发日", "description": "每月一次", "unit": grid,
                                           "capacity": "0"})
    assert "名额" in await (await admin.get("/console/projects")).text()  # refused: shown, nothing stored
    await admin.post("/console/projects", {"title": "助老理发日", "description": "每月一次", "unit": grid,
                                           "capacity": "5", "deadline": "2099-12-31"})
    async with seeded.sessions() as session:
        [project] = (await session.exec(select(Project))).all()
    assert (project.title, project.capacity, project.unit_id, project.created_by) == ("助老理发日", 5, grid,
                                                                                       admin.user.id)
    page = await (await admin.get("/console/projects")).text()
    assert "已发布" in page and "助老理发日" in page and "0/5" in page


async def _residents(storage, grid_code: str, count: int) -> None:
    grid = await unit_id(storage, grid_code)
    async with transaction(storage.sessions) as session:
        session.add_all([User(openid=f"o_{grid_code}_{i}", grid_id=grid) for i in range(count)])


async def test_broadcast_preview_send_and_progress(admin, seeded):
    await _residents(seeded, "S01-C01-G01", 3)
    await _residents(seeded, "S01-C02-G03", 2)
    community = await unit_id(seeded, "S01-C01")
    await admin.get("/console/broadcasts")
    form = {"unit": community, "title": "停水通知", "body": "明天 9 点到 12 点停水", "urgent": "1"}
    preview = await admin.post("/console/broadcasts/preview", form)
    assert 'id="recipient-count">3<' in await preview.text()
    async with seeded.sessions() as session:
        assert (await session.exec(select(Notice))).all() == []  # a preview stores nothing
    sent = await admin.post("/console/broadcasts", form)
    assert sent.status == 303
    async with seeded.sessions() as session:
        [notice] = (await session.exec(select(Notice))).all()
    assert sent.headers["Location"] == f"/console/broadcasts/{notice.id}"
    assert notice.unit_id == community and notice.created_by == admin.user.id
    progress = await (await admin.client.get(f"/console/broadcasts/{notice.id}/progress")).json()
    assert progress["status"] == "scheduled" and progress["pending"] >= 1  # no worker in this test
    page = await (await admin.get(f"/console/broadcasts/{notice.id}")).text()
    assert "停水通知" in page and "data-progress" in page


async def test_broadcast_bad_input_keeps_the_draft(admin, seeded):
    await admin.get("/console/broadcasts")
    community = await unit_id(seeded, "S01-C01")
    response = await admin.post("/console/broadcasts/preview", {"unit": community, "title": "长" * 50, "body": "x"})
    page = await response.text()
    assert "标题请不超过40个字" in page and "长" * 50 in page  # the sentence chat and the CLI give
    response = await admin.post("/console/broadcasts", {"unit": community, "title": "t", "body": "b",
                                                        "tags": "不存在的主题"})
    assert "主题只能从列表中选择" in await response.text()
    async with seeded.sessions() as session:
        assert (await session.exec(select(Notice))).all() == []


async def test_publishing_needs_staff_on_that_very_unit(client, seeded):
    """Staff in 和平社区 and grid head in 阳光社区: sees both, but publishes only in 和平社区."""
    user = await make_login(seeded, "mixed", Role.staff, "S01-C02")
    async with transaction(seeded.sessions) as session:
        await grant(session, user.id, Role.grid_head, await unit_id(seeded, "S01-C01"))
    assert (await log_in(client, "mixed")).status == 303
    console = Console(client, user)
    await console.get("/console/projects")
    for code in ("S01-C01-G01", "S01-C02-G03"):
        await console.post("/console/projects", {"title": f"项目{code}", "unit": await unit_id(seeded, code),
                                                 "capacity": "5"})
    async with seeded.sessions() as session:
        published = [p.unit_id for p in (await session.exec(select(Project))).all()]
    assert published == [await unit_id(seeded, "S01-C02-G03")]
