"""`linli serve` as its own process, driven the way WeChat and `linli chat` drive it."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import aiohttp
import pytest

from bot.wechat.simulator import WeChatSender
from tests.conftest import AES_KEY, APPID, TOKEN, ServerProcess
from tests.helpers import tickets


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
async def test_served_process_takes_requests_in_every_mode(server_process, seeded, mode):
    sender = WeChatSender(f"{server_process.url}/wechat", TOKEN, APPID, AES_KEY, mode=mode)
    async with aiohttp.ClientSession() as http:
        _, welcome = await sender.post(http, sender.event_xml(f"o_e2e_{mode}", "subscribe"))
        status, shown = await sender.post(http, sender.text_xml(f"o_e2e_{mode}", "阳光花园3号楼楼道灯不亮了"))
        health = await http.get(f"{server_process.url}/healthz")
    assert "欢迎" in welcome and status == 200
    [ticket] = await tickets(seeded)
    assert f"编号 {ticket.id}" in shown and ticket.topic == "楼道照明"
    assert (await health.json())["ok"] is True


async def test_retry_reaching_a_second_process_gets_the_first_reply(backend, seeded):
    first, second = ServerProcess(backend).start(), ServerProcess(backend).start()
    try:
        xml = WeChatSender("", TOKEN, APPID, AES_KEY).text_xml("o_two", "7号楼电梯坏了", msg_id=5550001)
        async with aiohttp.ClientSession() as http:
            replies = await asyncio.gather(
                WeChatSender(f"{first.url}/wechat", TOKEN, APPID, AES_KEY).post(http, xml),
                WeChatSender(f"{second.url}/wechat", TOKEN, APPID, AES_KEY).post(http, xml),
                WeChatSender(f"{second.url}/wechat", TOKEN, APPID, AES_KEY).post(http, xml))
    finally:
        first.stop()
        second.stop()
    assert len(await tickets(seeded)) == 1
    assert len({text for status, text in replies if text}) == 1


def test_chat_simulator_prints_the_conversation(server_process, seeded):
    env = {**server_process.env}
    script = "帮助\n3号楼楼道灯坏了\n查询 1\n"
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "chat", "--as", "o_chatter",
                             "--url", f"{server_process.url}/wechat", "--mode", "safe"],
                            input=script, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "邻里> 邻里可以帮您" in result.stdout
    assert "编号 1" in result.stdout and "诉求 1" in result.stdout
    assert AES_KEY not in result.stdout + result.stderr and TOKEN not in result.stdout + result.stderr


def test_db_commands_create_and_seed_a_fresh_embedded_store(tmp_path):
    env = {**os.environ, "LINLI_DATA_DIR": str(tmp_path)}
    env.pop("LINLI_DATABASE_URL", None)
    for args, expected in ((["db", "upgrade"], "最新"), (["db", "seed"], "新增 "), (["db", "seed"], "新增 0 条")):
        result = subprocess.run([sys.executable, "-m", "bot.cli.main", *args], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
    assert (tmp_path / "linli.sqlite3").exists()


def test_chat_in_safe_mode_without_a_key_says_what_to_set(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "LINLI_WECHAT_AES_KEY"}
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "chat", "--mode", "safe", "--url", "http://127.0.0.1:9/wechat"],
                            input="你好\n", capture_output=True, text=True, env={**env, "LINLI_DATA_DIR": str(tmp_path)},
                            timeout=60)
    assert result.returncode == 2
    assert "LINLI_WECHAT_AES_KEY" in result.stderr and "Traceback" not in result.stderr
