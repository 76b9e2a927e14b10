"""The callback's guards fail closed: replay bursts, retries inside bursts, a tiny pool, leases."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from pathlib import Path

import aiohttp
import pytest
import redis
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.embedded_redis import ensure_embedded_redis, stop_embedded_redis
from bot.storage import Storage, open_storage
from bot.wechat.dedup import new_lease
from bot.wechat.pipeline import Conversation
from bot.wechat.simulator import WeChatSender
from handlers.types import Incoming
from models.db import transaction
from models.seed import seed
from models.tickets import Ticket, TicketEvent
from tests.conftest import AES_KEY, APPID, TOKEN, _wipe, make_settings
from tests.helpers import count, tickets
from tests.queue_support import LAMP, member, say

BURST = 150
TINY_POOL = dict(redis_max_connections=2, redis_pool_timeout_s=0.5)
MAX_CLIENTS = 4


@contextlib.asynccontextmanager
async def served(backend, private_redis: Path | None = None,
                 **overrides) -> AsyncIterator[tuple[TestClient, Storage, WeChatSender]]:
    """The whole app over its own storage, opened with `overrides` (a tiny Redis pool, …).

    With `private_redis`, a redis-server of its own that refuses a fifth client, as a Redis
    at its connection limit does: a guard that let requests through on errors would show it."""
    admin = None
    if private_redis is not None:
        url = ensure_embedded_redis(private_redis)
        admin = redis.Redis.from_url(url)  # one of its clients, kept to shut it down however full
        admin.config_set("maxclients", MAX_CLIENTS)
        overrides["redis_url"] = url
    settings = make_settings(backend, **overrides)
    storage = open_storage(settings)
    async with transaction(storage.sessions) as session:
        await seed(session)
    app = create_app(settings, storage)
    app.on_cleanup.clear()
    try:
        async with TestClient(TestServer(app)) as client:
            yield client, storage, WeChatSender(str(client.make_url("/wechat")), TOKEN, APPID, AES_KEY)
    finally:
        await _wipe(storage, backend)
        await storage.close()
        if admin is not None:
            with contextlib.suppress(redis.ConnectionError):
                admin.shutdown(nosave=True)
            stop_embedded_redis(private_redis)


async def _post(http: aiohttp.ClientSession, url: str, query: dict, body: str) -> int:
    async with http.post(url, params=query, data=body.encode()) as response:
        await response.read()
        return response.status


async def _until_answered(sender: WeChatSender, http: aiohttp.ClientSession, xml: str) -> tuple[int, str]:
    """As WeChat does: a 5xx is sent again (here after 2 s, not 5), at most 3 more times."""
    for _ in range(4):
        status, shown = await sender.post(http, xml)
        if status < 500:
            return status, shown
        await asyncio.sleep(2)
    return status, shown


@pytest.mark.parametrize("redis_kind", ["shared", "at-its-limit"])
@pytest.mark.parametrize("pool", [{}, TINY_POOL], ids=["default-pool", "tiny-pool"])
async def test_one_signed_url_replayed_150_times_with_150_bodies_stores_at_most_one(backend, pool, redis_kind,
                                                                                    tmp_path):
    private = tmp_path / "r" if redis_kind == "at-its-limit" else None
    async with served(backend, private, **pool) as (client, storage, sender):
        bodies = [sender.text_xml(f"o_forged_{n}", f"发布项目 第{n}个假项目") for n in range(BURST)]
        query, _ = sender.sign(bodies[0])
        url = str(client.make_url("/wechat"))
        statuses = await asyncio.gather(*(_post(client.session, url, query, body) for body in bodies))
        assert set(statuses) <= {200, 403, 503}
        assert statuses.count(200) <= 1
        assert await count(storage, Ticket) <= 1


async def test_a_forgetful_redis_still_refuses_the_url_with_another_body(client, sender, seeded):
    query, body = sender.sign(sender.text_xml("o_victim", LAMP))
    url = str(client.make_url("/wechat"))
    assert await _post(client.session, url, query, body) == 200
    await seeded.redis.delete(*[key async for key in seeded.redis.scan_iter(match=seeded.keys("seen", "*"))])
    forged = sender.text_xml("o_forger", "发布项目 假项目")
    assert await _post(client.session, url, query, forged) == 403  # the SQL record of the URL refuses it
    [stored] = await tickets(seeded)
    assert stored.text == LAMP


async def test_a_retry_inside_a_burst_with_a_tiny_pool_is_processed_once(backend, tmp_path):
    async with served(backend, tmp_path / "r", redis_max_connections=2) as (client, storage, sender):
        await member(storage, "o_member")
        await say(sender, client.session, "o_resident", LAMP)
        assert "认领成功" in await say(sender, client.session, "o_member", "认领 1")
        progress = sender.text_xml("o_member", "进展 1 已换灯泡", msg_id=555000111)
        others = [sender.text_xml(f"o_burst_{n}", f"{n % 9 + 1}号楼电梯坏了") for n in range(BURST)]
        deliveries = [progress, *others[:75], progress, *others[75:]]
        answers = await asyncio.gather(*(_until_answered(sender, client.session, xml) for xml in deliveries))
        assert all(status == 200 for status, _ in answers)
        async with storage.sessions() as session:
            notes = (await session.exec(select(TicketEvent).where(TicketEvent.action == "progress"))).all()
        assert len(notes) == 1
        assert await count(storage, Ticket) == 1 + BURST


async def test_a_reused_msgid_from_another_user_is_another_message(client, sender, seeded):
    status_a, shown_a = await sender.post(client.session, sender.text_xml("o_first", LAMP, msg_id=4242))
    status_b, shown_b = await sender.post(client.session, sender.text_xml("o_second", "5号楼漏水", msg_id=4242))
    assert status_a == status_b == 200
    assert "编号 1" in shown_a and "编号 2" in shown_b
    assert [t.text for t in await tickets(seeded)] == [LAMP, "5号楼漏水"]


async def test_a_lease_left_by_a_dead_process_runs_out_and_the_retry_is_handled(backend, seeded):
    settings = make_settings(backend, dedup_lease_s=0.6)
    crashed, retried = Conversation(seeded, settings), Conversation(seeded, settings)
    msg = Incoming(openid="o_crash", type="text", content=LAMP, dedup_key="msg:o_crash:1")
    await crashed.guards.admit(msg, None, new_lease())  # claimed, then the process died: no renewals
    assert (await retried.handle(msg)).text.startswith("已收到您的诉求")
    assert await count(seeded, Ticket) == 1


async def test_a_lease_is_renewed_while_a_slow_handler_runs(backend, seeded, monkeypatch):
    from bot.wechat import pipeline
    from handlers import router
    from handlers.types import Reply

    async def slow(msg, ctx, args):
        await asyncio.sleep(1.5)
        ctx.session.add(Ticket(user_id=ctx.user.id, text="慢"))
        return Reply("好了")

    monkeypatch.setattr(router, "COMMANDS", [router.Command(("慢",), slow, "慢", "test")])
    monkeypatch.setattr(pipeline, "REPLY_BUDGET_S", 3)
    settings = make_settings(backend, dedup_lease_s=0.6)
    first, retry = Conversation(seeded, settings), Conversation(seeded, settings)
    msg = Incoming(openid="o_slow", type="text", content="慢", dedup_key="msg:o_slow:1")
    answers = await asyncio.gather(first.handle(msg), _later(0.9, retry.handle(msg)))
    assert [a.text for a in answers] == ["好了", "好了"]  # the retry waited for the live lease's reply
    assert await count(seeded, Ticket) == 1


async def _later(delay: float, work):
    await asyncio.sleep(delay)
    return await work
