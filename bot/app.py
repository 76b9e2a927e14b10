"""The aiohttp application factory: every HTTP door of Linli, and what each process opens once."""
from __future__ import annotations

import logging

from aiohttp import web
from redis.exceptions import RedisError
from sqlalchemy import text

import nlp
from bot import api, console
from bot.wechat.gateway import WeChatGateway
from bot.wechat.pipeline import Conversation
from bot.storage import Storage, open_storage
from bot.wechat.protocol import WeChatProtocol
from config.settings import Settings
from models.migrate import schema_is_current

log = logging.getLogger(__name__)

STORAGE = web.AppKey("storage", Storage)
SETTINGS = web.AppKey("settings", Settings)
CONVERSATION = web.AppKey("conversation", Conversation)


def create_app(settings: Settings, storage: Storage | None = None) -> web.Application:
    # The body cap is enforced by the gateway with a clear 413; aiohttp's own cap is a backstop.
    app = web.Application(client_max_size=max(settings.max_body_bytes, 1024) * 4)
    storage = storage or open_storage(settings)
    conversation = Conversation(storage, settings)
    app[STORAGE], app[SETTINGS], app[CONVERSATION] = storage, settings, conversation
    gateway = WeChatGateway(WeChatProtocol(settings), conversation, settings.max_body_bytes,
                            settings.body_timeout_s)
    app.router.add_get("/wechat", gateway.handshake)
    app.router.add_post("/wechat", gateway.receive)
    app.router.add_get("/healthz", healthz)
    console.setup(app, settings, storage)
    api.setup(app, settings, storage)
    app.on_startup.append(_warm_up)
    app.on_cleanup.append(_close)
    return app


async def _warm_up(app: web.Application) -> None:
    """Load the jieba dictionary and rules now, not on the first resident's message."""
    nlp.load()


async def _close(app: web.Application) -> None:
    await app[CONVERSATION].drain()
    await app[STORAGE].close()


async def healthz(request: web.Request) -> web.Response:
    storage = request.app[STORAGE]
    database = await _database_ok(storage)
    checks = {"database": database, "schema": database and await _schema_ok(storage), "redis": await _redis_ok(storage)}
    healthy = all(checks.values())
    return web.json_response({"ok": healthy, **checks}, status=200 if healthy else 503)


async def _database_ok(storage: Storage) -> bool:
    try:
        async with storage.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any driver error means "not reachable" to an operator
        log.warning("database check failed: %s", exc)
        return False


async def _schema_ok(storage: Storage) -> bool:
    """At the newest migration of every branch; an old or empty schema fails every message."""
    try:
        current = await schema_is_current(storage.engine)
    except Exception as exc:  # as above: the operator needs "not ok", the log says why
        log.warning("schema check failed: %s", exc)
        return False
    if not current:
        log.warning("database schema is not at the latest migration: run `linli db upgrade`")
    return current


async def _redis_ok(storage: Storage) -> bool:
    try:
        return bool(await storage.redis.ping())
    except (RedisError, OSError) as exc:
        log.warning("redis check failed: %s", exc)
        return False
