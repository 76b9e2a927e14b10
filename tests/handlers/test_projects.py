"""为民项目: staff publish (chat and CLI), members claim seats up to capacity, a unit claims one whole."""
from __future__ import annotations

import asyncio
import subprocess
import sys

from sqlmodel import select

from models.db import transaction
from models.projects import CoopUnit, Project, ProjectClaim
from models.users import Role
from tests.queue_support import member, role, say, unit_id

PUBLISH = "发布项目 关爱独居老人|每周上门探访一次|阳光社区|{capacity}|2099-12-31"


async def _project(storage, project_id: int) -> tuple[Project, list[ProjectClaim]]:
    async with storage.sessions() as session:
        claims = (await session.exec(select(ProjectClaim).where(ProjectClaim.project_id == project_id))).all()
        return await session.get(Project, project_id), list(claims)


async def test_staff_publish_in_chat_checks_role_and_input(client, sender, seeded):
    await member(seeded, "o_plain")
    assert "只对社区工作人员开放" in await say(sender, client.session, "o_plain", PUBLISH.format(capacity=5))
    await role(seeded, "o_pstaff", Role.staff, "S01-C01")
    assert "发布用法" in await say(sender, client.session, "o_pstaff", "发布项目 只有标题")
    assert "人数请写" in await say(sender, client.session, "o_pstaff", PUBLISH.format(capacity="五"))
    assert "不在您负责的范围" in await say(sender, client.session, "o_pstaff",
                                    "发布项目 清理楼道|周末|和平社区|3|2099-01-01")
    shown = await say(sender, client.session, "o_pstaff", PUBLISH.format(capacity=5))
    assert "已发布项目 1" in shown and "5人" in shown
    assert "1号 关爱独居老人（0/5人" in await say(sender, client.session, "o_plain", "项目")


async def test_capacity_five_gets_exactly_five_of_forty_concurrent(client, sender, seeded):
    await role(seeded, "o_pstaff2", Role.staff, "S01-C01")
    await say(sender, client.session, "o_pstaff2", PUBLISH.format(capacity=5))
    openids = [f"o_vol{i:02d}" for i in range(40)]
    for openid in openids:
        await member(seeded, openid)
    replies = await asyncio.gather(*(say(sender, client.session, o, "认领项目 1") for o in openids))
    assert sum("报名成功" in r for r in replies) == 5
    assert sum("名额已满" in r for r in replies) == 35
    project, claims = await _project(seeded, 1)
    assert project.seats_taken == 5 and len(claims) == 5 and project.status == "full"
    winner = openids[next(i for i, r in enumerate(replies) if "报名成功" in r)]
    assert "已认领过" in await say(sender, client.session, winner, "认领项目 1")


async def test_same_member_twice_and_other_community(client, sender, seeded):
    await role(seeded, "o_pstaff3", Role.staff, "S01-C01")
    await say(sender, client.session, "o_pstaff3", PUBLISH.format(capacity=3))
    await member(seeded, "o_twice")
    await member(seeded, "o_far", community="S01-C02", grid=None)
    assert "报名成功" in await say(sender, client.session, "o_twice", "认领项目 1")
    assert "已认领过" in await say(sender, client.session, "o_twice", "认领项目1")
    assert "只有该社区报到的党员" in await say(sender, client.session, "o_far", "认领项目 1")
    assert "没有找到项目 9" in await say(sender, client.session, "o_twice", "认领项目 9")
    project, claims = await _project(seeded, 1)
    assert project.seats_taken == 1 and len(claims) == 1


async def test_unit_claims_a_whole_project_through_its_contact(client, sender, seeded, backend):
    env = {**backend.env(), "PATH": ""}
    contact = await member(seeded, "o_contact", name="单位联系人")
    async with transaction(seeded.sessions) as session:
        session.add(CoopUnit(name="幸福银行支行", community_id=await unit_id(seeded, "S01-C01"),
                             contact_user_id=contact))
    published = _linli(env, "projects", "publish", "--title", "社区义诊", "--unit", "阳光第一网格",
                       "--capacity", "4", "--deadline", "2099-06-30")
    assert "已发布项目 1" in published
    await member(seeded, "o_solo")
    assert "只有共建单位的联系人" in await say(sender, client.session, "o_solo", "单位认领 1")
    assert "全部 4 个名额" in await say(sender, client.session, "o_contact", "单位认领 1")
    assert "名额已满" in await say(sender, client.session, "o_solo", "认领项目 1")
    project, claims = await _project(seeded, 1)
    assert project.coop_unit_id is not None and project.seats_taken == 4 and len(claims) == 1


def _linli(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot.cli.main", *args], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout
