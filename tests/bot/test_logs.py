"""What a served process writes to its log at the most verbose level: no statement parameters, no personal data."""
from __future__ import annotations


import aiohttp

from bot.wechat.simulator import WeChatSender
from tests.conftest import AES_KEY, APPID, TOKEN, ServerProcess
from tests.helpers import tickets

OPENID = "o_dbg_QUIETOPENID42"
TEXT = "紫藤苑7号楼楼道灯坏了，我叫欧阳秘密"


async def test_debug_level_logs_no_sql_parameters_names_or_texts(backend, seeded):
    server = ServerProcess(backend, LINLI_LOG_LEVEL="DEBUG").start()
    try:
        sender = WeChatSender(f"{server.url}/wechat", TOKEN, APPID, AES_KEY)
        async with aiohttp.ClientSession() as http:
            await sender.post(http, sender.event_xml(OPENID, "subscribe"))
            status, _ = await sender.post(http, sender.text_xml(OPENID, TEXT))
    finally:
        server.stop()
    assert status == 200 and len(await tickets(seeded)) == 1
    log = server.log_path.read_text(encoding="utf-8")
    assert " DEBUG " in log  # the level was honoured: the quiet part is our doing
    assert "QUIETOPENID42" not in log and "欧阳秘密" not in log and "紫藤苑" not in log
    assert "parameters" not in log.lower()
