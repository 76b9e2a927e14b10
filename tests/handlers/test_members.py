"""报到 across processes, staff's decision in chat and by CLI, roles per unit, 绑定."""
from __future__ import annotations

import subprocess
import sys

import aiohttp

from bot.wechat.simulator import WeChatSender
from models.members import MemberProfile, MemberStatus
from models.users import Role
from tests.conftest import AES_KEY, APPID, TOKEN
from tests.queue_support import LAMP, member, pushes, role, say, ticket, unit_id


async def _profile(storage, profile_id: int) -> MemberProfile:
    async with storage.sessions() as session:
        return await session.get(MemberProfile, profile_id)


async def test_registration_dialog_continues_in_another_process(client, sender, seeded, server_process):
    asked = await say(sender, client.session, "o_applicant", "报到 阳光社区 张三 13812345678")
    assert "党员类型" in asked and "138****5678" in asked and "13812345678" not in asked
    other = WeChatSender(f"{server_process.url}/wechat", TOKEN, APPID, AES_KEY)
    async with aiohttp.ClientSession() as http:
        assert "1 到 4" in await say(other, http, "o_applicant", "5")
        applied = await say(other, http, "o_applicant", "1")
    assert "申请编号 1" in applied and "在职" in applied
    profile = await _profile(seeded, 1)
    assert profile.status == MemberStatus.pending and profile.phone == "13812345678"
    assert "审核中" in await say(sender, client.session, "o_applicant", "任务")


async def test_staff_approve_in_chat_and_member_is_told(client, sender, seeded):
    await say(sender, client.session, "o_app2", "报到 S01-C01 王芳 138-1234-0000 居民")
    await role(seeded, "o_staff_c2", Role.staff, "S01-C02")
    assert "只对社区工作人员开放" in await say(sender, client.session, "o_app2", "通过 1")
    assert "不在您负责的社区" in await say(sender, client.session, "o_staff_c2", "通过 1")
    await role(seeded, "o_staff_c1", Role.staff, "S01-C01")
    listing = await say(sender, client.session, "o_staff_c1", "审核")
    assert "王* 138****0000 居民党员" in listing
    assert "已通过 王*" in await say(sender, client.session, "o_staff_c1", "通过 1 阳光第一网格")
    assert "已经处理过" in await say(sender, client.session, "o_staff_c1", "驳回 1")
    [told] = await pushes(seeded, "o_app2")
    assert "审核通过" in told.body
    assert (await _profile(seeded, 1)).grid_id == await unit_id(seeded, "S01-C01-G01")
    assert "没有待认领" in await say(sender, client.session, "o_app2", "任务")


async def test_cli_decides_and_a_rejected_member_cannot_claim(client, sender, seeded, backend):
    shown = await say(sender, client.session, "o_res_m", LAMP)
    task = int(shown.split("编号 ")[1].split("（")[0])
    await say(sender, client.session, "o_app3", "报到 阳光社区 赵六 13900001111 4")
    env = {**backend.env(), "PATH": ""}
    listed = _linli(env, "members", "list")
    assert "赵*" in listed and "139****1111" in listed and "13900001111" not in listed
    assert "已驳回" in _linli(env, "members", "reject", "1", "--reason", "信息不符")
    [told] = await pushes(seeded, "o_app3")
    assert "未通过审核（信息不符）" in told.body
    assert "未通过审核" in await say(sender, client.session, "o_app3", f"认领 {task}")
    assert (await ticket(seeded, task)).claimed_by is None


def _linli(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot.cli.main", *args], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_bad_registration_input_gets_usage_and_stores_nothing(client, sender, seeded):
    assert "报到用法" in await say(sender, client.session, "o_bad", "报到 阳光社区")
    assert "没有找到社区“幸福里”" in await say(sender, client.session, "o_bad", "报到 幸福里 张三 13812345678")
    wrong = await say(sender, client.session, "o_bad", "报到 阳光社区 张三 1381234")
    assert "手机号“*******”格式不对" in wrong
    assert "取消" in await say(sender, client.session, "o_bad", "报到 阳光社区 张三 13812345678") and \
        "已取消" in await say(sender, client.session, "o_bad", "取消")
    async with seeded.sessions() as session:
        assert await session.get(MemberProfile, 1) is None


async def test_request_typed_mid_dialog_is_not_lost(client, sender, seeded):
    await say(sender, client.session, "o_mid", "报到 阳光社区 张三 13812345678")
    assert "编号" in await say(sender, client.session, "o_mid", LAMP)
    assert "报到申请已提交" in await say(sender, client.session, "o_mid", "2")


async def test_bind_sends_later_requests_to_that_grid(client, sender, seeded):
    assert "绑定用法" in await say(sender, client.session, "o_binder", "绑定")
    assert "没有找到" in await say(sender, client.session, "o_binder", "绑定 火星小区")
    assert "和平第二网格" in await say(sender, client.session, "o_binder", "绑定 锦绣家园 20号楼")
    shown = await say(sender, client.session, "o_binder", "路灯不亮了")
    stored = await ticket(seeded, int(shown.split("编号 ")[1].split("（")[0]))
    assert stored.grid_id == await unit_id(seeded, "S01-C02-G04") and stored.status == "queued"


async def test_users_grant_gives_a_role_on_a_unit(seeded, backend, client, sender):
    env = {**backend.env(), "PATH": ""}
    assert "已授予 grid_head" in _linli(env, "users", "grant", "o_head", "grid_head", "S01-C01-G01")
    await member(seeded, "o_nohead")
    assert "只对网格长" in await say(sender, client.session, "o_nohead", "待分派")
    assert "没有待分派" in await say(sender, client.session, "o_head", "待分派")
