"""What an operator is told at start-up: an old schema, a wrong setting, a busy port, a store that is not there."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import redis
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.embedded_redis import USERS_KEY, _answers
from models.migrate import upgrade
from tests import backends
from tests.conftest import free_port, make_settings, stop_process

QUIET = {"LINLI_LOG_LEVEL": "ERROR"}  # the dev-secrets warning aside, stderr must be the one line


@pytest.fixture(params=["empty", "old"])
def old_schema(request, backend, tmp_path) -> Iterator[backends.Backend]:
    """A database of the same kind as `backend` that is empty, or stopped at the first migration."""
    if backend.name == "postgres":
        chosen = backends.create_postgres(tmp_path)
    else:
        chosen = backends.Backend("embedded", f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}", backend.redis_url,
                                  backend.redis_prefix, tmp_path)
    if request.param == "old":
        upgrade(chosen.database_url, "0001_core")
    try:
        yield chosen
    finally:
        if chosen.name == "postgres":
            backends.drop_postgres(chosen)


def linli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], env={**os.environ, **QUIET, **env},
                          capture_output=True, text=True, timeout=timeout)


async def test_healthz_is_not_ok_on_an_old_or_empty_schema(old_schema):
    client = TestClient(TestServer(create_app(make_settings(old_schema))))
    await client.start_server()
    try:
        response = await client.get("/healthz")
        body = await response.json()
    finally:
        await client.close()
    assert response.status == 503
    assert body == {"ok": False, "database": True, "schema": False, "redis": True}


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["worker"]])
def test_serve_and_worker_refuse_an_old_schema_in_one_line(old_schema, command):
    result = linli(*command, env=old_schema.env())
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "linli db upgrade" in line and "Traceback" not in result.stderr


def test_serve_starts_once_the_schema_is_upgraded(old_schema):
    assert linli("db", "upgrade", env=old_schema.env()).returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port)],
                              env={**os.environ, **QUIET, **old_schema.env()}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/healthz") == 200
    finally:
        stop_process(server, 10)


def test_a_bad_setting_is_one_line(tmp_path):
    result = linli("serve", env={"LINLI_DATA_DIR": str(tmp_path), "LINLI_RATE_LIMIT_PER_MINUTE": "many"})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "LINLI_RATE_LIMIT_PER_MINUTE" in line


def test_an_unreachable_database_is_one_line(tmp_path):
    url = f"postgresql+asyncpg://linli:hunter2@127.0.0.1:{free_port()}/linli"
    for command in (["serve"], ["worker"], ["db", "upgrade"]):
        result = linli(*command, env={"LINLI_DATA_DIR": str(tmp_path), "LINLI_DATABASE_URL": url})
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert "无法连接" in line and "hunter2" not in line


def test_a_busy_port_and_a_missing_file_are_one_line(backend, seeded):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = linli("serve", "--port", str(busy.getsockname()[1]), env=backend.env())
    assert result.returncode == 2
    assert "端口已被占用" in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.stderr
    missing = linli("notice", "send", "--scope", "全区", "--title", "停水", "--body-file", "/nonexistent/body.txt",
                    env=backend.env())
    assert missing.returncode == 2
    [line] = missing.stderr.strip().splitlines()
    assert "/nonexistent/body.txt" in line


def test_the_embedded_redis_server_stops_when_its_last_process_exits(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINLI_")}
    env.update(QUIET, LINLI_DATA_DIR=str(tmp_path))
    assert linli("db", "upgrade", env=env).returncode == 0
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/healthz") == 200
        url = f"unix://{(tmp_path / 'redis' / 'redis.sock').resolve()}"
        redis_pid = int((tmp_path / "redis" / "redis.pid").read_text())
        worker = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until(lambda: str(worker.pid) in _users(url), "the worker is counted as a user")
        serve.terminate()
        serve.wait(15)
        assert _answers(url), "the worker still uses it"
        worker.terminate()
        worker.wait(15)
        assert not _answers(url)
        assert not _alive(redis_pid)
    finally:
        stop_process(serve, 10)
        stop_process(worker, 10)
        from bot.embedded_redis import stop_embedded_redis
        stop_embedded_redis(tmp_path)


def _users(url: str) -> set[str]:
    return {pid.decode() for pid in redis.Redis.from_url(url, socket_timeout=2).smembers(USERS_KEY)}


def _wait_until(condition, what: str, within_s: float = 40) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def _wait_for(url: str, within_s: float = 40) -> int:
    """The status of the first answer from `url`, 0 if none came."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.2)
    return 0
