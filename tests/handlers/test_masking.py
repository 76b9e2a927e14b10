"""Personal data is masked wherever it is shown or logged."""
from __future__ import annotations

import logging
import sys

import pytest

from bot.logs import MaskingFormatter
from handlers.masking import mask_name, mask_openid, mask_phone, mask_text
from tests.queue_support import LAMP, member, say

# Every way residents write one mobile number, and what anyone but its owner sees.
WRITTEN_FORMS = {
    "13912345678": "139****5678",
    "139-1234-5678": "139****5678",
    "139 1234 5678": "139****5678",
    "+86 139 1234 5678": "+86 139****5678",
    "+86-139-1234-5678": "+86-139****5678",
    "+8613912345678": "+86139****5678",
    "8613912345678": "86139****5678",
    "008613912345678": "0086139****5678",
    "１３９１２３４５６７８": "139****5678",
    "＋８６ １３９－１２３４－５６７８": "+86 139****5678",
}


def test_phone_numbers_keep_only_the_ends():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("023-6288") == "********"
    assert mask_phone(None) == ""


def test_names_and_openids_are_shortened():
    assert mask_name("张三丰") == "张**"
    assert mask_openid("oABCDEFGHIJK") == "oABCDE…"


def test_phone_numbers_inside_text_are_masked_but_other_numbers_stay():
    assert mask_text("我电话13987654321，住3号楼501") == "我电话139****4321，住3号楼501"
    assert mask_text("编号 123456789012") == "编号 123456789012"


@pytest.mark.parametrize("written", WRITTEN_FORMS)
def test_every_written_form_of_a_mobile_number_is_masked(written):
    assert mask_text(f"我的电话{written}，请回电") == f"我的电话{WRITTEN_FORMS[written]}，请回电"
    assert mask_phone(written) == WRITTEN_FORMS[written]


def test_numbers_that_are_not_mobiles_stay_readable():
    for text in ("3号楼501室", "2026-12-01 19:30", "编号 123456789012", "身份证 110101199003071234",
                 "座机 023-62881234"):
        assert mask_text(text) == text


async def test_a_member_claiming_sees_no_phone_number_in_any_form(client, sender, seeded):
    await member(seeded, "o_mask_member")
    for written, shown in WRITTEN_FORMS.items():
        reported = await say(sender, client.session, "o_mask_resident", f"{LAMP}，电话{written}")
        task = int(reported.split("编号 ")[1].split("（")[0])
        claimed = await say(sender, client.session, "o_mask_member", f"认领 {task}")
        assert "认领成功" in claimed and shown in claimed, claimed
        assert "1234" not in claimed and "１２３４" not in claimed
        await say(sender, client.session, "o_mask_member", f"放弃 {task} 测试")


def test_log_output_is_masked_tracebacks_and_url_secrets_included():
    formatter = MaskingFormatter("%(message)s")
    try:
        raise RuntimeError("GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=TOPSECRET123 "
                           "[parameters: ('张三', '13812345678')]")
    except RuntimeError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "member %s failed", ("13987654321",),
                                   sys.exc_info())
    shown = formatter.format(record)
    assert "TOPSECRET123" not in shown and "secret=***" in shown
    assert "13812345678" not in shown and "13987654321" not in shown and "139****4321" in shown
    assert "Traceback" in shown


def test_log_lines_mask_every_written_form():
    formatter = MaskingFormatter("%(message)s")
    for written in WRITTEN_FORMS:
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "text was %s", (written,), None)
        assert WRITTEN_FORMS[written] in formatter.format(record)
