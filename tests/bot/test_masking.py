"""Personal data is masked wherever it is shown or logged."""
from __future__ import annotations

import logging

from bot.masking import MaskingFilter, mask_name, mask_openid, mask_phone, mask_text


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


def test_log_records_are_masked_before_any_handler_writes_them(caplog):
    logger = logging.getLogger("linli.test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="linli.test.masking"):
        logger.info("member %s registered with %s", "张三", "13812345678")
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text
