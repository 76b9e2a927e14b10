"""The outbound path over real storage, a real fake WeChat server and real worker processes.

`fake` runs the fake WeChat API inside the test's event loop on a loopback port, so a test
both steers it (faults, unfollows) and reads its record of what users received.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, insert
from sqlmodel import select

from bot.devtools.fakewechat import FakeConfig, FakeWeChat
from bot.outbound.worker import Worker
from bot.storage import Storage
from config.settings import Settings
from models.clock import utcnow
from models.org import OrgUnit
from models.outbound import OutboundMessage
from models.users import User
from tests import backends
from tests.conftest import APPID, free_port, make_settings, stop_process

SECRET = "linli-test-secret"
# Small timings so takeovers, sweeps and retries happen within a test's patience.
FAST = dict(wechat_secret=SECRET, outbound_rate_per_s=0, outbound_lease_s=2.0, outbound_sweep_s=0.5,
            outbound_sweep_grace_s=0.5, outbound_backoff_s=0.05, outbound_backoff_cap_s=0.5,
            quiet_hours="00:00-00:00")  # an empty window: tests must not depend on the hour


@pytest.fixture
async def fake() -> AsyncIterator[FakeWeChat]:
    wechat = FakeWeChat(FakeConfig(apps={APPID: SECRET}))
    runner = web.AppRunner(wechat.app(), access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    wechat.base = f"http://127.0.0.1:{port}/cgi-bin/"
    try:
        yield wechat
    finally:
        await runner.cleanup()


@pytest.fixture
def out_settings(backend, fake) -> Settings:
    return make_settings(backend, wechat_api_base=fake.base, **FAST)


async def add_residents(storage: Storage, count: int, grid_code: str = "S01-C01-G01", prefix: str = "o_r") -> list[str]:
    """`count` followers bound to a grid (so subscribed to its community by default); their openids."""
    async with storage.sessions() as session, session.begin():
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == grid_code))).one()
        now = utcnow()
        openids = [f"{prefix}{n:06d}" for n in range(count)]
        rows = [dict(openid=openid, grid_id=grid.id, subscribed=True, subscribed_at=now, created_at=now)
                for openid in openids]
        for start in range(0, len(rows), 2000):
            await session.exec(insert(User), params=rows[start:start + 2000])
    return openids


async def statuses(storage: Storage) -> Counter:
    async with storage.sessions() as session:
        rows = await session.exec(select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status))
        return Counter(dict(rows.all()))


async def wait_until(check, timeout: float, every: float = 0.1) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(every)


async def all_done(storage: Storage) -> bool:
    return (await statuses(storage))["pending"] == 0


def per_user(fake: FakeWeChat, kind: str = "template") -> Counter:
    return Counter(entry["touser"] for entry in fake.delivered(kind))


class InProcessWorker:
    """A worker on the test's loop (for tests that steer it step by step)."""

    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.worker = Worker(settings, storage)
        self.task: asyncio.Task | None = None

    def start(self) -> InProcessWorker:
        self.task = asyncio.create_task(self.worker.run())
        return self

    async def stop(self) -> None:
        self.worker.stop()
        await asyncio.wait_for(self.task, 15)


@pytest.fixture
async def worker(out_settings, seeded) -> AsyncIterator[InProcessWorker]:
    running = InProcessWorker(out_settings, seeded).start()
    try:
        yield running
    finally:
        await running.stop()


class WorkerProcess:
    """`linli worker` as operators run it; `kill()` is SIGKILL, nothing gets to clean up."""

    def __init__(self, backend: backends.Backend, settings: Settings, name: str, **env: str) -> None:
        self.log_path = Path(backend.data_dir) / f"worker-{name}-{os.getpid()}.log"
        self.env = {**os.environ, **backend.env(), "LINLI_WECHAT_APPID": APPID, "LINLI_WECHAT_SECRET": SECRET,
                    "LINLI_WECHAT_API_BASE": settings.wechat_api_base, "LINLI_REDIS_URL": settings.redis_url,
                    **{f"LINLI_{key.upper()}": str(value) for key, value in FAST.items() if key != "wechat_secret"},
                    **env}
        self.name = name
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "worker", "--consumer", self.name],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        stop_process(self.process, 15)


@pytest.fixture
def worker_processes(backend, out_settings) -> Iterator[list[WorkerProcess]]:
    """Start workers with `worker_processes.append(WorkerProcess(...).start())`; all stopped after."""
    started: list[WorkerProcess] = []
    try:
        yield started
    finally:
        for process in started:
            process.stop()
