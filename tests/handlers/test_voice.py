"""Voice messages: WeChat's Recognition text is handled exactly like typed text; without it, ask to type."""
from __future__ import annotations

from models.tickets import TicketStatus
from tests.loop_support import number_of
from tests.queue_support import member, ticket

RESIDENT = "o_res_voice"


async def _voice(sender, client, openid: str, words: str) -> str:
    status, shown = await sender.post(client.session, sender.voice_xml(openid, words))
    assert status == 200
    return shown


async def test_recognised_voice_becomes_a_ticket_and_a_command(client, sender, seeded):
    task = number_of(await _voice(sender, client, RESIDENT, "阳光花园3号楼楼道灯坏了。"))
    stored = await ticket(seeded, task)
    assert stored.text == "阳光花园3号楼楼道灯坏了" and stored.status == TicketStatus.queued
    await member(seeded, "o_voice_m")
    assert "认领成功" in await _voice(sender, client, "o_voice_m", f"认领{task}。")
    assert "请用文字描述" in await _voice(sender, client, RESIDENT, "")
