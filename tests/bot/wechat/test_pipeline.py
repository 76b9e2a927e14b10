"""The pipeline around every handler: the reply budget and work after the reply."""
from __future__ import annotations

import asyncio

from sqlalchemy.exc import OperationalError

from bot.wechat import pipeline
from bot.wechat.pipeline import Conversation, Unanswered
from handlers import router
from handlers.types import Incoming, Reply
from models.tickets import Ticket
from tests.helpers import count


async def test_a_slow_handler_makes_wechat_retry_and_still_finishes(storage, settings, monkeypatch):
    finished = asyncio.Event()

    async def slow(msg, ctx, args):
        await asyncio.sleep(0.3)
        finished.set()
        return Reply("慢慢来")

    monkeypatch.setattr(pipeline, "REPLY_BUDGET_S", 0.05)
    monkeypatch.setattr(router, "COMMANDS", [router.Command(("慢",), slow, "慢", "test")])
    conversation = Conversation(storage, settings)
    msg = Incoming(openid="o_slow", type="text", content="慢", dedup_key="msg:slow-1")
    assert await conversation.handle(msg) is Unanswered.RETRY  # no "done" before it is stored
    await asyncio.wait_for(finished.wait(), 2)
    await conversation.drain()
    assert (await conversation.handle(msg)).text == "慢慢来"  # WeChat's retry gets the real answer


async def test_work_after_the_reply_runs_once_the_reply_is_ready(storage, settings, monkeypatch):
    order: list[str] = []

    async def later():
        order.append("after")

    async def handler(msg, ctx, args):
        ctx.after_reply.append(later)
        order.append("handler")
        return Reply("好")

    monkeypatch.setattr(router, "COMMANDS", [router.Command(("后",), handler, "后", "test")])
    conversation = Conversation(storage, settings)
    reply = await conversation.handle(Incoming(openid="o_after", type="text", content="后", dedup_key="msg:a1"))
    await conversation.drain()
    assert reply.text == "好" and order == ["handler", "after"]


async def test_a_failing_handler_apologises_stores_nothing_and_lets_the_retry_run(storage, settings, monkeypatch):
    calls = []

    async def flaky(msg, ctx, args):
        calls.append(1)
        ctx.session.add(Ticket(user_id=ctx.user.id, text="半截"))
        if len(calls) == 1:
            raise RuntimeError("boom")
        return Reply("第二次好了")

    monkeypatch.setattr(router, "COMMANDS", [router.Command(("坏",), flaky, "坏", "test")])
    conversation = Conversation(storage, settings)
    msg = Incoming(openid="o_flaky", type="text", content="坏", dedup_key="msg:f1")
    assert "出了点问题" in (await conversation.handle(msg)).text
    assert await count(storage, Ticket) == 0
    assert (await conversation.handle(msg)).text == "第二次好了"


async def test_a_storage_outage_makes_wechat_retry_and_the_retry_is_handled(storage, settings, monkeypatch):
    calls = []

    async def flaky(msg, ctx, args):
        calls.append(1)
        ctx.session.add(Ticket(user_id=ctx.user.id, text="半截"))
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, OSError("database is locked"))
        return Reply("第二次好了")

    monkeypatch.setattr(router, "COMMANDS", [router.Command(("断",), flaky, "断", "test")])
    conversation = Conversation(storage, settings)
    msg = Incoming(openid="o_outage", type="text", content="断", dedup_key="msg:o_outage:1")
    assert await conversation.handle(msg) is Unanswered.RETRY  # not a 200 apology WeChat would not retry
    assert await count(storage, Ticket) == 0
    assert (await conversation.handle(msg)).text == "第二次好了"
    assert await count(storage, Ticket) == 1
