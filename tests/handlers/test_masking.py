"""Personal data is masked wherever it is shown or logged."""
from __future__ import annotations

import logging
import sys

from bot.logs import MaskingFormatter
from handlers.masking import mask_name, mask_openid, mask_phone, mask_text


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
