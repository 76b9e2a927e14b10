"""Staff broadcast in chat: 通知 → preview → 确认 → residents' deliveries at the fake WeChat API."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models.clock import to_local, utcnow
from models.notices import Notice
from models.org import find_unit
from models.outbound import OutboundMessage
from models.users import Role, User, UserRole
from tests.bot.outbound.conftest import add_residents, per_user, statuses, wait_until
from tests.bot.outbound.conftest import fake, out_settings, worker  # noqa: F401  (fixtures)
from tests.conftest import make_settings
from tests.helpers import count

COMPOSE = "通知 阳光社区 停水通知|明天9:00-12:00停水，请提前储水。"


def _around_now() -> str:
    """Quiet hours that surely include the present moment (China time)."""
    now = to_local(utcnow())
    return f"{(now - timedelta(hours=1)):%H:%M}-{(now + timedelta(hours=1)):%H:%M}"


@pytest.fixture
def settings(backend, request):
    return make_settings(backend, quiet_hours=getattr(request, "param", "00:00-00:00"))


async def _staff(storage, openid: str, unit_code: str | None, role: Role = Role.staff) -> None:
    async with storage.sessions() as session, session.begin():
        user = User(openid=openid)
        session.add(user)
        await session.flush()
        unit = await find_unit(session, unit_code) if unit_code else None
        session.add(UserRole(user_id=user.id, role=role, unit_id=unit.id if unit else None))


async def _all_sent(storage, number: int) -> bool:
    return await statuses(storage) == {"sent": number}


async def _say(client, sender, openid: str, text: str) -> str:
    return (await sender.post(client.session, sender.text_xml(openid, text)))[1]


async def test_a_resident_cannot_send_a_notice(client, sender, seeded):
    assert "只有社区工作人员" in await _say(client, sender, "o_res", COMPOSE)
    assert "没有待确认" in await _say(client, sender, "o_res", "确认")
    assert await count(seeded, Notice) == 0


async def test_staff_cannot_send_outside_their_unit(client, sender, seeded):
    await _staff(seeded, "o_staff_c2", "S01-C02")
    assert "没有在“阳光社区”发布通知的权限" in await _say(client, sender, "o_staff_c2", COMPOSE)


async def test_preview_confirm_and_every_subscriber_receives_it(client, sender, seeded, fake, worker):
    openids = await add_residents(seeded, 30)
    await add_residents(seeded, 5, grid_code="S01-C02-G03", prefix="o_peace")
    await _staff(seeded, "o_staff", "S01")
    preview = await _say(client, sender, "o_staff", COMPOSE)
    assert "通知预览" in preview and "预计送达：30 人" in preview and "确认" in preview
    assert await count(seeded, Notice) == 0  # nothing is written before 确认
    sent = await _say(client, sender, "o_staff", "确认")
    assert "通知已提交（编号 1）" in sent
    assert "没有待确认" in await _say(client, sender, "o_staff", "确认")  # a second 确认 sends nothing
    await wait_until(lambda: _all_sent(seeded, 30), timeout=30)
    assert set(per_user(fake)) == set(openids)
    body = fake.delivered()[0]["body"]
    assert body["data"]["first"]["value"] == "停水通知" and "储水" in body["data"]["remark"]["value"]
    status = await _say(client, sender, "o_staff", "通知状态 1")
    assert "已送达 30" in status and "已发完" in status


async def test_cancel_and_bad_input_lose_nothing(client, sender, seeded):
    await _staff(seeded, "o_staff2", None, Role.admin)
    assert "通知 范围 标题|正文" in await _say(client, sender, "o_staff2", "通知 阳光社区 只有标题")
    assert "没有找到“火星社区”" in await _say(client, sender, "o_staff2", "通知 火星社区 标题|正文")
    assert "可用主题" in await _say(client, sender, "o_staff2", "通知 全区 #不存在 标题|正文")
    assert "通知预览" in await _say(client, sender, "o_staff2", "通知 全区 紧急 #防汛 暴雨预警|今晚有暴雨")
    assert "已取消" in await _say(client, sender, "o_staff2", "取消")
    assert "没有待确认" in await _say(client, sender, "o_staff2", "确认")
    assert await count(seeded, Notice) == 0


@pytest.mark.parametrize("settings", [_around_now()], indirect=True)
async def test_during_quiet_hours_a_notice_waits_unless_urgent(client, sender, seeded):
    await _staff(seeded, "o_night", "S01-C01")
    assert "免打扰时段" in await _say(client, sender, "o_night", COMPOSE)
    assert "将于" in await _say(client, sender, "o_night", "确认")
    await _say(client, sender, "o_night", "通知 阳光社区 紧急 燃气泄漏|请立即撤离3号楼")
    assert "正在发送" in await _say(client, sender, "o_night", "确认")
    async with seeded.sessions() as session:
        calm, urgent = (await session.exec(select(Notice).order_by(Notice.id))).all()
    assert calm.send_at > utcnow() + timedelta(minutes=30) and urgent.send_at <= utcnow()
    assert await count(seeded, OutboundMessage) == 0  # no subscribers; nothing fanned out early
