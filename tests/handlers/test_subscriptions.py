"""订阅 / 退订 / 我的订阅 in chat, through the real gateway."""
from __future__ import annotations

from sqlmodel import select

from models.org import find_unit
from models.subscriptions import Subscription
from models.users import User
from tests.helpers import count


async def _bind(storage, openid: str, grid: str) -> None:
    async with storage.sessions() as session, session.begin():
        unit = await find_unit(session, grid)
        user = (await session.exec(select(User).where(User.openid == openid))).first() or User(openid=openid)
        user.grid_id = unit.id
        session.add(user)


async def _say(client, sender, openid: str, text: str) -> str:
    return (await sender.post(client.session, sender.text_xml(openid, text)))[1]


async def test_following_with_a_known_grid_lists_the_community(client, sender, seeded):
    await sender.post(client.session, sender.event_xml("o_s1", "subscribe"))
    await _bind(seeded, "o_s1", "S01-C01-G01")
    shown = await _say(client, sender, "o_s1", "我的订阅")
    assert "阳光社区" in shown and "默认" in shown and "退订" in shown


async def test_subscribe_grid_and_topic_then_unsubscribe(client, sender, seeded):
    await _bind(seeded, "o_s2", "S01-C01-G02")
    assert "已订阅：阳光第二网格的全部通知" in await _say(client, sender, "o_s2", "订阅 网格")
    assert "无需重复" in await _say(client, sender, "o_s2", "订阅 网格")
    assert "示范区的“防汛”通知" in await _say(client, sender, "o_s2", "订阅 全区 防汛")
    mine = await _say(client, sender, "o_s2", "我的订阅")
    assert "阳光社区" in mine and "阳光第二网格" in mine and "仅“防汛”" in mine and "默认" not in mine
    assert "已退订" in await _say(client, sender, "o_s2", "退订 防汛")
    assert "没有订阅" in await _say(client, sender, "o_s2", "退订 活动")
    assert "退订全部" in await _say(client, sender, "o_s2", "退订 全部")
    assert "没有订阅任何通知" in await _say(client, sender, "o_s2", "我的订阅")
    assert await count(seeded, Subscription) == 0


async def test_without_a_grid_the_resident_is_told_how_to_continue(client, sender, seeded):
    assert "绑定" in await _say(client, sender, "o_s3", "订阅")
    assert "绑定" in await _say(client, sender, "o_s3", "订阅 网格")
    assert "已订阅：和平社区的全部通知" in await _say(client, sender, "o_s3", "订阅 和平社区")


async def test_a_word_we_do_not_know_is_explained_and_nothing_changes(client, sender, seeded):
    await _bind(seeded, "o_s4", "S01-C01-G01")
    shown = await _say(client, sender, "o_s4", "订阅 火星")
    assert "没有看懂“火星”" in shown and "停水停电" in shown
    assert await count(seeded, Subscription) == 0
