"""Following, unfollowing, help and the message types that cannot become a request."""
from __future__ import annotations

import pytest
from sqlmodel import select

from models.tickets import Ticket
from models.users import User
from tests.helpers import count


async def _user(storage, openid: str) -> User:
    async with storage.sessions() as session:
        return (await session.exec(select(User).where(User.openid == openid))).one()


async def test_subscribe_welcomes_and_unsubscribe_keeps_the_user(client, sender, seeded):
    _, welcome = await sender.post(client.session, sender.event_xml("o_f1", "subscribe"))
    assert "欢迎关注邻里" in welcome and "帮助" in welcome
    await sender.post(client.session, sender.text_xml("o_f1", "3号楼楼道灯坏了"))
    status, shown = await sender.post(client.session, sender.event_xml("o_f1", "unsubscribe"))
    assert status == 200 and shown == ""
    user = await _user(seeded, "o_f1")
    assert user.subscribed is False and user.unsubscribed_at is not None
    assert await count(seeded, Ticket) == 1


async def test_help_lists_the_commands(client, sender):
    _, shown = await sender.post(client.session, sender.text_xml("o_h", "帮助"))
    assert "查询" in shown and "直接发送文字" in shown


@pytest.mark.parametrize("kind, expected", [("image", "照片已收到"), ("voice", "文字描述"),
                                            ("video", "视频已收到"), ("link", "链接已收到")])
async def test_media_gets_a_helpful_answer_and_no_ticket(client, sender, seeded, kind, expected):
    _, shown = await sender.post(client.session, sender.media_xml("o_m", kind))
    assert expected in shown
    assert await count(seeded, Ticket) == 0


async def test_unknown_message_type_and_menu_click_are_answered(client, sender):
    _, shown = await sender.post(client.session, sender._xml("o_u", "miniprogrampage", None, "<MsgId>42</MsgId>"))
    assert "帮助" in shown
    _, clicked = await sender.post(client.session, sender.event_xml("o_u", "CLICK", "NO_SUCH_MENU"))
    assert "菜单" in clicked


async def test_empty_text_asks_for_words(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.text_xml("o_e", "   "))
    assert "没有看到内容" in shown and await count(seeded, Ticket) == 0
