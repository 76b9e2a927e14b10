"""Residents' requests through the real app: tickets, their routing, and 查询."""
from __future__ import annotations

import pytest

from models.tickets import TicketStatus
from tests.helpers import tickets


async def test_request_names_the_ticket_and_the_next_step(client, sender, seeded):
    status, shown = await sender.post(client.session, sender.text_xml("o_r1", "3号楼2单元楼道灯坏了一周了"))
    assert status == 200
    [ticket] = await tickets(seeded)
    assert f"编号 {ticket.id}" in shown and "认领" in shown and f"查询 {ticket.id}" in shown
    assert ticket.topic == "楼道照明" and ticket.kind == "小事"
    assert ticket.status == TicketStatus.queued and ticket.grid_id is not None
    assert "楼3" in ticket.places and ticket.why


async def test_request_without_a_known_place_waits_for_triage(client, sender, seeded):
    await sender.post(client.session, sender.text_xml("o_r2", "小区门口垃圾没人清，臭得很"))
    [ticket] = await tickets(seeded)
    assert ticket.status == TicketStatus.triage and ticket.grid_id is None


async def test_urgent_request_says_so(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.text_xml("o_r3", "5号楼一楼有很大的煤气味"))
    [ticket] = await tickets(seeded)
    assert ticket.urgent and "紧急" in shown


async def test_query_lists_open_requests_then_one_history(client, sender, seeded):
    await sender.post(client.session, sender.text_xml("o_r4", "3号楼楼道灯坏了"))
    await sender.post(client.session, sender.text_xml("o_r4", "8号楼电梯又停了"))
    _, listing = await sender.post(client.session, sender.text_xml("o_r4", "查询"))
    assert "1号" in listing and "2号" in listing and "待认领" in listing
    _, history = await sender.post(client.session, sender.text_xml("o_r4", "查询 2"))
    assert "诉求 2" in history and "已登记" in history


async def test_query_of_someone_elses_ticket_is_not_shown(client, sender, seeded):
    await sender.post(client.session, sender.text_xml("o_owner", "3号楼楼道灯坏了"))
    _, shown = await sender.post(client.session, sender.text_xml("o_other", "查询 1"))
    assert "没有找到编号 1" in shown and "楼道灯" not in shown


@pytest.mark.parametrize("text", ["查询 abc", "查询 ①", "查询²", "查询 99999999999", "查询 1 2"])
async def test_query_with_bad_arguments_shows_usage(client, sender, text):
    status, shown = await sender.post(client.session, sender.text_xml("o_r5", text))
    assert status == 200 and "查询用法" in shown


async def test_query_with_full_width_digits_reads_the_number(client, sender):
    await sender.post(client.session, sender.text_xml("o_r7", "3号楼楼道灯坏了"))
    _, shown = await sender.post(client.session, sender.text_xml("o_r7", "查询 １"))
    assert "诉求 1（" in shown and "楼道灯" in shown


async def test_query_with_nothing_open(client, sender):
    _, shown = await sender.post(client.session, sender.text_xml("o_r6", "查询"))
    assert "没有办理中的诉求" in shown


async def test_help_shows_residents_only_resident_commands(client, sender):
    _, shown = await sender.post(client.session, sender.text_xml("o_help_resident", "帮助"))
    assert "报到" in shown and "绑定" in shown
    assert "认领" not in shown and "通知 阳光社区" not in shown and "审核" not in shown


async def test_a_member_of_another_community_cannot_read_a_ticket(client, sender, seeded):
    from models.access import grant
    from models.db import transaction
    from models.org import find_unit
    from models.users import Role, get_or_create_user

    await sender.post(client.session, sender.text_xml("o_owner2", "阳光花园3号楼楼道灯坏了"))
    async with transaction(seeded.sessions) as session:
        other = await find_unit(session, "S01-C02")
        home = await find_unit(session, "S01-C01")
        stranger = await get_or_create_user(session, "o_member_far")
        neighbour = await get_or_create_user(session, "o_member_near")
        await grant(session, stranger.id, Role.member, other.id)
        await grant(session, neighbour.id, Role.member, home.id)
    _, far = await sender.post(client.session, sender.text_xml("o_member_far", "查询 1"))
    _, near = await sender.post(client.session, sender.text_xml("o_member_near", "查询 1"))
    assert "没有找到编号 1" in far
    assert "诉求 1" in near


async def test_a_request_not_judged_urgent_still_names_the_emergency_numbers(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.text_xml("o_r7", "3号楼楼道灯坏了"))
    assert "110/119/120" in shown and "情况紧急" not in shown


async def test_small_talk_gets_a_kind_reply_and_no_ticket(client, sender, seeded):
    for text in ("您好！", "谢谢你们！", "好嘞", "[微笑]", "转人工"):
        _, shown = await sender.post(client.session, sender.text_xml("o_r8", text))
        assert "编号" not in shown and "个人事务" not in shown and shown
    assert await tickets(seeded) == []


async def test_a_question_is_answered_and_recorded_as_private(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.text_xml("o_r9", "居住证怎么办理"))
    [ticket] = await tickets(seeded)
    assert "派出所" in shown and "物业" not in shown and f"需要帮助 {ticket.id}" in shown
    assert ticket.kind == "私事" and ticket.status == TicketStatus.advised


async def test_a_short_real_request_still_opens_a_ticket(client, sender, seeded):
    for text in ("灯坏了", "没水了", "有人打架", "救命"):
        await sender.post(client.session, sender.text_xml("o_r10", text))
    assert len(await tickets(seeded)) == 4


async def test_commands_in_traditional_characters_and_full_width_digits_work(client, sender, seeded):
    await sender.post(client.session, sender.text_xml("o_r11", "3号楼楼道灯坏了"))
    _, listing = await sender.post(client.session, sender.text_xml("o_r11", "查詢"))
    assert "1号" in listing and "待认领" in listing
    _, history = await sender.post(client.session, sender.text_xml("o_r11", "查詢 １"))
    assert "诉求 1" in history
    assert len(await tickets(seeded)) == 1


def test_command_words_are_matched_after_folding_character_forms():
    from handlers.router import match_command
    from nlp.normalize import simplified

    assert match_command(simplified("認領 12"))[0].words == ("认领",)
    assert match_command(simplified("通過３"))[1] == "3"
    assert match_command(simplified("通知 阳光社区 停水｜明天停水"))[1] == "阳光社区 停水|明天停水"


async def test_a_maybe_urgent_request_goes_to_the_grid_head_to_check(client, sender, seeded):
    _, shown = await sender.post(client.session, sender.text_xml("o_r12", "3号楼门口的井盖没了"))
    [ticket] = await tickets(seeded)
    assert not ticket.urgent and "maybe urgent" in ticket.why
    assert ticket.status == TicketStatus.triage and "网格长马上核实" in shown
