"""Redis down: callbacks are answered so that WeChat retries (never handled unguarded), and
the retries after Redis is back are handled once. A private redis-server, never the shared one."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.embedded_redis import ensure_embedded_redis, stop_embedded_redis
from bot.wechat.simulator import WeChatSender
from bot.storage import open_storage
from models.db import transaction
from models.seed import seed
from models.tickets import Ticket
from tests.conftest import AES_KEY, APPID, TOKEN, _wipe, make_settings
from tests.helpers import count


def _stop_redis(redis_dir: Path) -> None:
    pid = int((redis_dir / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


async def test_redis_down_makes_wechat_retry_and_loses_nothing(backend, tmp_path):
    private = tmp_path / "r"
    settings = make_settings(backend, redis_url=ensure_embedded_redis(private))
    storage = open_storage(settings)
    async with transaction(storage.sessions) as session:
        await seed(session)
    app = create_app(settings, storage)
    try:
        async with TestClient(TestServer(app)) as client:
            sender = WeChatSender(str(client.make_url("/wechat")), TOKEN, APPID, AES_KEY)
            assert "编号 1" in (await sender.post(client.session, sender.text_xml("o_r", "3号楼灯坏了")))[1]
            _stop_redis(private / "redis")
            during = sender.text_xml("o_r", "4号楼电梯坏了", msg_id=77001)
            assert (await sender.post(client.session, during))[0] == 503  # WeChat retries a 5xx
            assert (await sender.post(client.session, during))[0] == 503
            assert await count(storage, Ticket) == 1  # nothing handled unguarded
            ensure_embedded_redis(private)
            status, shown = await sender.post(client.session, during)  # WeChat's next retry
            assert status == 200 and "编号 2" in shown
            assert (await sender.post(client.session, during)) == (200, shown)  # and the one after
            assert await count(storage, Ticket) == 2
    finally:
        await _wipe(storage, backend)
        await storage.close()
        stop_embedded_redis(private)
