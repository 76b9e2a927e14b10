"""What an operator is told when a command cannot start: one line on stderr and exit status 2.

`preflight` is run before `serve` and `worker`: the database answers, its schema is at the
newest migration, Redis answers. `one_line` turns the errors a wrong setting, a missing
file, a busy port or an unreachable store raise into the sentence that says what to do;
anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import asyncio
import errno
import socket

import redis
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError

from bot.embedded_redis import EmbeddedRedisError
from config.settings import Settings

UPGRADE_HINT = "请先运行 linli db upgrade"


class StartupError(Exception):
    """A start-up problem already put into the operator's words."""


def preflight(settings: Settings) -> None:
    """Raise StartupError unless the database (at the newest schema) and Redis both answer."""
    asyncio.run(_check_database(settings))
    _check_redis(settings)


async def _check_database(settings: Settings) -> None:
    from models.db import make_engine
    from models.migrate import schema_is_current

    url = settings.resolved_database_url()
    engine = make_engine(url)
    try:
        current = await asyncio.wait_for(schema_is_current(engine), timeout=15)
    except (OSError, DBAPIError, InterfaceError, TimeoutError) as exc:
        raise StartupError(f"无法连接数据库 {_shown(url)}：{_reason(exc)}（检查 LINLI_DATABASE_URL）") from None
    finally:
        await engine.dispose()
    if not current:
        raise StartupError(f"数据库结构不是最新（空库或旧版本）：{UPGRADE_HINT}，再启动 (database schema is not current)")


def _check_redis(settings: Settings) -> None:
    from bot.storage import redis_url

    url = redis_url(settings)
    try:
        redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5).ping()
    except (redis.RedisError, OSError) as exc:
        raise StartupError(f"无法连接 Redis {_shown(url)}：{_reason(exc)}（检查 LINLI_REDIS_URL）") from None


def one_line(exc: BaseException) -> str | None:
    """The operator's sentence for a start-up error, or None when it is a bug (keep the traceback)."""
    if isinstance(exc, (StartupError, EmbeddedRedisError)):
        return str(exc)
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        name = "LINLI_" + "_".join(str(part) for part in first["loc"]).upper()
        return f"配置有误：{name}：{first['msg']}（请改正这个环境变量）"
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "端口已被占用：请换一个 --port，或先停掉占用它的进程"
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"无法读写文件 {exc.filename}：{exc.strerror}"
    if isinstance(exc, (ConnectionError, socket.gaierror)):
        return f"无法连接：{exc}（检查 LINLI_DATABASE_URL 和 LINLI_REDIS_URL）"
    if isinstance(exc, (OperationalError, InterfaceError, ProgrammingError)):  # not IntegrityError: that is a bug
        return f"数据库出错：{_reason(exc)}（检查 LINLI_DATABASE_URL，或运行 linli db upgrade）"
    if isinstance(exc, redis.ConnectionError):
        return f"无法连接 Redis：{_reason(exc)}（检查 LINLI_REDIS_URL）"
    return None


def _shown(url: str) -> str:
    """A store's address without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL SQLAlchemy cannot parse (redis, unix sockets) has no password to hide
        return url.split("@")[-1]


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    return text[:200]
